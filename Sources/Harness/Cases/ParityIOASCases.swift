import CIOMMUFD
import IOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// Dispatch and option behaviours the kernel selftest's `iommufd` fixture checks.
let parityDispatchCases: [TestCase] = [
    TestCase("parity.cmd_fail", .dispatch, "DESTROY id 0 gives ENOENT, a NULL argument EFAULT, nr 0x7f ENOTTY") { t in
        try t.fails(.ENOENT, "IOMMU_DESTROY id 0") { try t.ctx.destroy(id: 0) }
        try t.fails(.EFAULT, "IOMMU_DESTROY with a NULL argument") {
            let result = t.ctx.backend.ioctl(t.ctx.fd, .IOMMU_DESTROY, argument: UnsafeMutableRawBufferPointer(start: nil, count: 0), buffers: [])
            if case .failure(let errno) = result { throw IOMMUFDError(operation: "IOMMU_DESTROY(NULL)", errno: errno) }
        }
        var arg = iommu_destroy(size: 8, id: 0)
        try t.fails(.ENOTTY, "ioctl nr 0x7f (IOMMUFD_CMD_BASE - 1)") { try t.ctx.ioctl(IoctlRequest(0x3b7f, "nr 0x7f"), &arg) }
    },
    TestCase("parity.cmd_ex_fail", .dispatch, "a DESTROY with a longer struct: zero tail ENOENT, non-zero tail E2BIG, short EINVAL") { t in
        var bytes = [UInt8](repeating: 0, count: 16)
        store32(&bytes, at: 0, 16)
        try t.fails(.ENOENT, "DESTROY id 0 with size 16, tail zero") { try t.ctx.ioctl(.IOMMU_DESTROY, bytes: &bytes) }
        bytes[8] = 1
        try t.fails(.E2BIG, "DESTROY with a non-zero u64 past the struct") { try t.ctx.ioctl(.IOMMU_DESTROY, bytes: &bytes) }
        store32(&bytes, at: 0, 8)
        try t.fails(.ENOENT, "the same bytes with size 8") { try t.ctx.ioctl(.IOMMU_DESTROY, bytes: &bytes) }
        store32(&bytes, at: 0, 7)
        try t.fails(.EINVAL, "size 7") { try t.ctx.ioctl(.IOMMU_DESTROY, bytes: &bytes) }
    },
    TestCase("parity.cmd_length_zero_tail", .dispatch, "for every command, size + 1 with a zero byte gives the same result as the kernel's size") { t in
        for command in commandSizes {
            var exact = [UInt8](repeating: 0, count: command.size + 1)
            store32(&exact, at: 0, UInt32(command.size))
            var first: Errno?
            do { try t.ctx.ioctl(command.request, bytes: &exact) } catch { first = (error as? IOMMUFDError)?.errno }
            var longer = [UInt8](repeating: 0, count: command.size + 1)
            store32(&longer, at: 0, UInt32(command.size + 1))
            var second: Errno?
            do { try t.ctx.ioctl(command.request, bytes: &longer) } catch { second = (error as? IOMMUFDError)?.errno }
            try t.equal(second?.name ?? "success", first?.name ?? "success", "\(command.request) with size \(command.size + 1) and a zero tail")
        }
    },
    TestCase("parity.global_options", .options, "RLIMIT_MODE starts 0, SET 1/2/0 as root; HUGE_PAGES GET and SET on object 0 give ENOENT") { t in
        var arg = optionArg(IOMMU_OPTION_RLIMIT_MODE.rawValue, op: UInt16(IOMMU_OPTION_OP_GET.rawValue))
        arg.val64 = 1
        try t.ok("RLIMIT_MODE GET") { try t.ctx.ioctl(.IOMMU_OPTION, &arg) }
        try t.equal(arg.val64, 0, "the default rlimit mode")
        if geteuidIsRoot() {
            try t.ok("RLIMIT_MODE SET 1") { try t.ctx.option(.rlimitMode, .set, value: 1) }
            try t.fails(.EINVAL, "RLIMIT_MODE SET 2") { try t.ctx.option(.rlimitMode, .set, value: 2) }
            try t.equal(try t.ctx.option(.rlimitMode, .get), 1, "RLIMIT_MODE after SET 1")
            try t.ok("RLIMIT_MODE SET 0") { try t.ctx.option(.rlimitMode, .set, value: 0) }
        }
        try t.fails(.ENOENT, "HUGE_PAGES GET on object 0") { try t.ctx.option(.hugePages, .get, objectID: 0) }
        try t.fails(.ENOENT, "HUGE_PAGES SET on object 0") { try t.ctx.option(.hugePages, .set, objectID: 0, value: 0) }
    },
]

/// io_pagetable behaviours of the selftest's `iommufd_ioas` fixture, each run without a domain
/// and with a mock domain (the fixture's `no_domain` and `mock_domain` variants).
let parityIOASCases: [TestCase] = [
    TestCase("parity.ioas_destroy", .ioas, "an IOAS (with or without areas) is destroyable until a device's HWPT uses it; a device attaches to a HWPT id", needs: [.selftest]) { t in
        let buffer = t.buffer(Int(hostPage) * 10)
        for f in try t.ioasVariants() {
            try t.ok("\(f.name): MAP one page at base") { try f.ioas.map(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(hostPage)]), iova: f.base) }
            if let device = f.device {
                try t.fails(.EBUSY, "\(f.name): DESTROY the IOAS with an area and a device") { try t.ctx.destroy(id: f.ioas.id) }
                let cmd = try t.ok("\(f.name): MOCK_DOMAIN directly on the device's HWPT") { try t.ctx.testCommand(.mockDomain, id: device.attachedHWPTID) }
                try t.ok("\(f.name): DESTROY that second device") { try t.ctx.destroy(id: cmd.mock_domain.out_stdev_id) }
                for i: UInt64 in 1..<10 {
                    try t.ok("\(f.name): MAP page \(i)") { try f.ioas.map(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(hostPage)]), iova: f.base + i * hostPage) }
                }
                // Ten areas left for the context's close to free (ioas_area_auto_destroy).
            } else {
                try t.fails(.ENOENT, "\(f.name): MOCK_DOMAIN on hwpt id 0") { try t.ctx.testCommand(.mockDomain, id: 0) }
                try t.ok("\(f.name): DESTROY the IOAS with an area") { try f.ioas.destroy() }
            }
        }
    },
    TestCase("parity.ioas_area", .ioas, "unmap of nothing ENOENT, page-by-page map/unmap, no split, over-maps EEXIST, unmap-all twice", needs: [.selftest]) { t in
        let buffer = t.buffer(Int(hostPage) * 3)
        let p = hostPage
        func pages(_ n: Int) -> UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n * Int(p)]) }
        for f in try t.ioasVariants() {
            let b = f.base
            for i: UInt64 in 0..<10 {
                try t.fails(.ENOENT, "\(f.name): UNMAP page \(i) of an empty IOAS") { try f.ioas.unmap(iova: i * p, length: p) }
            }
            try t.ok("\(f.name): MAP then UNMAP ten pages one by one") {
                for i: UInt64 in 0..<10 { try f.ioas.map(pages(1), iova: b + i * p) }
                for i: UInt64 in 0..<10 { try f.ioas.unmap(iova: b + i * p, length: p) }
            }
            try t.ok("\(f.name): MAP 2 pages at base + 16 pages") { try f.ioas.map(pages(2), iova: b + 16 * p) }
            try t.fails(.ENOENT, "\(f.name): UNMAP its first page") { try f.ioas.unmap(iova: b + 16 * p, length: p) }
            try t.fails(.ENOENT, "\(f.name): UNMAP its second page") { try f.ioas.unmap(iova: b + 17 * p, length: p) }
            for (n, at) in [(2, 16), (1, 16), (1, 17), (2, 15), (3, 15)] as [(Int, UInt64)] {
                try t.fails(.EEXIST, "\(f.name): MAP \(n) page(s) at base + \(at) pages") { try f.ioas.map(pages(n), iova: b + at * p) }
            }
            try t.equal(try f.ioas.unmapAll(), 2 * p, "\(f.name): UNMAP 0..U64_MAX")
            try t.equal(try f.ioas.unmapAll(), 0, "\(f.name): UNMAP 0..U64_MAX of the empty IOAS")
        }
    },
    TestCase("parity.unmap_fully_contained_areas", .ioas, "an unmap range must contain whole areas; one that does unmaps all of them", needs: [.selftest]) { t in
        let p = hostPage
        let buffer = t.buffer(Int(8 * p))
        for f in try t.ioasVariants() {
            let b = f.base + 4 * p
            try t.ok("\(f.name): MAP four 8-page areas 16 pages apart") {
                for i: UInt64 in 0..<4 { try f.ioas.map(buffer, iova: b + i * 16 * p) }
            }
            try t.fails(.ENOENT, "\(f.name): UNMAP half of the first area") { try f.ioas.unmap(iova: b - 4 * p, length: 8 * p) }
            try t.fails(.ENOENT, "\(f.name): UNMAP half of the last area") { try f.ioas.unmap(iova: b + 3 * 16 * p + 4 * p, length: 8 * p) }
            let removed = try t.ok("\(f.name): UNMAP a range containing all four") { try f.ioas.unmap(iova: b - 4 * p, length: 3 * 16 * p + 12 * p) }
            try t.equal(removed, 32 * p, "\(f.name): bytes unmapped")
        }
    },
    TestCase("parity.area_auto_iova", .ioas, "automatic IOVAs are aligned to the length's lowest bit, avoid reserved ranges and stay inside allowed ones", needs: [.selftest]) { t in
        let p = hostPage
        let buffer = t.alignedBuffer(Int(10 * p))
        func first(_ n: UInt64) -> UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(n * p)]) }
        for f in try t.ioasVariants() {
            var iovas: [UInt64] = []
            try t.ok("\(f.name): MAP and UNMAP ten single pages at automatic IOVAs") {
                for _ in 0..<10 { iovas.append(try f.ioas.map(first(1))) }
                for iova in iovas { try f.ioas.unmap(iova: iova, length: p) }
            }
            func sweep(_ step: String, inside: IOVARange?, avoiding: IOVARange?) throws {
                var placed: [(UInt64, UInt64)] = []
                for n: UInt64 in 1...10 {
                    let length = n * p
                    let iova = try t.ok("\(f.name): \(step): MAP \(n) page(s) automatically") { try f.ioas.map(first(n)) }
                    let align = length & (~length &+ 1)
                    try t.check(iova % align == 0, "\(f.name): iova \(hex(iova)) aligned to \(hex(align))")
                    if let r = avoiding { try t.check(!(iova > r.start && iova < r.last + 1), "\(f.name): iova \(hex(iova)) is outside the reservation") }
                    if let r = inside {
                        try t.check(iova >= r.start && iova + length <= r.last + 1, "\(f.name): [\(hex(iova)), +\(hex(length))) is inside the allowed range")
                    }
                    placed.append((iova, length))
                }
                try t.ok("\(f.name): \(step): UNMAP them") { for (iova, length) in placed { try f.ioas.unmap(iova: iova, length: length) } }
            }
            try sweep("no limits", inside: nil, avoiding: nil)
            let reserved = IOVARange(start: 4 * p, last: 104 * p - 1)
            try t.ok("\(f.name): ADD_RESERVED [4 pages, +100 pages)") { try t.ctx.testAddReserved(ioas: f.ioas, start: 4 * p, length: 100 * p) }
            try sweep("with a reservation", inside: nil, avoiding: reserved)
            try t.fails(.EADDRINUSE, "\(f.name): ALLOW_IOVAS [1 page, 600 pages] over the reservation") {
                try f.ioas.allowIOVAs([IOVARange(start: p, last: 600 * p)])
            }
            let allowed = f.device == nil ? IOVARange(start: 200 * p, last: 600 * p - 1)
                : IOVARange(start: MockIOMMU.apertureStart + p, last: MockIOMMU.apertureStart + 600 * p - 1)
            try t.ok("\(f.name): ALLOW_IOVAS [\(hex(allowed.start)), \(hex(allowed.last))]") { try f.ioas.allowIOVAs([allowed]) }
            try sweep("inside the allowed range", inside: allowed, avoiding: reserved)
        }
    },
    TestCase("parity.reserved_overflow", .ioas, "a reservation reaching almost to U64_MAX leaves no room: automatic MAP gives ENOSPC", needs: [.selftest]) { t in
        let buffer = t.alignedBuffer(0x5000)
        for f in try t.ioasVariants() {
            try t.ok("\(f.name): ADD_RESERVED start 6 length 0xffffffffffff8001") { try t.ctx.testAddReserved(ioas: f.ioas, start: 6, length: 0xffff_ffff_ffff_8001) }
            try t.fails(.ENOSPC, "\(f.name): MAP 0x5000 bytes automatically") { try f.ioas.map(buffer) }
        }
    },
    TestCase("parity.area_allowed", .ioas, "reserved and allowed ranges may not intersect, whichever comes first (EADDRINUSE)", needs: [.selftest]) { t in
        let p = hostPage
        for f in try t.ioasVariants() {
            let allowed = IOVARange(start: f.base, last: f.base + 600 * p)
            try t.ok("\(f.name): ALLOW_IOVAS [base, base + 600 pages]") { try f.ioas.allowIOVAs([allowed]) }
            try t.fails(.EADDRINUSE, "\(f.name): ADD_RESERVED one page inside the allowed range") { try t.ctx.testAddReserved(ioas: f.ioas, start: f.base + p, length: p) }
            try t.ok("\(f.name): ALLOW_IOVAS with no ranges") { try f.ioas.allowIOVAs([]) }
            try t.ok("\(f.name): ADD_RESERVED the same page") { try t.ctx.testAddReserved(ioas: f.ioas, start: f.base + p, length: p) }
            try t.fails(.EADDRINUSE, "\(f.name): ALLOW_IOVAS over the reservation") { try f.ioas.allowIOVAs([allowed]) }
        }
    },
    TestCase("parity.copy_area", .ioas, "COPY works inside one IOAS and into another (fixed IOVA 0)", needs: [.selftest]) { t in
        let buffer = t.buffer(Int(hostPage))
        for f in try t.ioasVariants() {
            try t.ok("\(f.name): MAP one page at base") { try f.ioas.map(buffer, iova: f.base) }
            try t.ok("\(f.name): COPY it to base + 1 page in the same IOAS") {
                try f.ioas.copy(from: f.ioas, sourceIOVA: f.base, length: hostPage, iova: f.base + hostPage, permissions: .write)
            }
            let other = try t.ctx.allocIOAS()
            try t.ok("\(f.name): COPY it to iova 0 of a new IOAS") { try other.copy(from: f.ioas, sourceIOVA: f.base, length: hostPage, iova: 0, permissions: .write) }
        }
    },
    TestCase("parity.iova_ranges", .ioas, "IOVA_RANGES: the full range or the aperture, EMSGSIZE fills what fits and sets num_iovas, a reservation splits", needs: [.selftest]) { t in
        let p = hostPage
        for f in try t.ioasVariants() {
            let whole = f.device == nil ? IOVARange(start: 0, last: UInt64(UInt.max)) : IOVARange(start: MockIOMMU.apertureStart, last: MockIOMMU.apertureLast)
            var (errno, count, alignment, ranges) = t.rawIOVARanges(f.ioas, capacity: 8)
            try t.equal(errno?.name ?? "success", "success", "\(f.name): IOVA_RANGES with room for 8")
            try t.equal(count, 1, "\(f.name): num_iovas")
            try t.equal(ranges[0], whole, "\(f.name): the one range")
            try t.equal(alignment, f.device == nil ? 1 : MockIOMMU.pageSize, "\(f.name): out_iova_alignment")
            (errno, count, _, ranges) = t.rawIOVARanges(f.ioas, capacity: 0)
            try t.equal(errno?.name ?? "success", "EMSGSIZE", "\(f.name): IOVA_RANGES with room for 0")
            try t.equal(count, 1, "\(f.name): num_iovas after EMSGSIZE")
            try t.equal(ranges[0], IOVARange(start: 0, last: 0), "\(f.name): nothing written")
            try t.ok("\(f.name): ADD_RESERVED [1 page, +1 page)") { try t.ctx.testAddReserved(ioas: f.ioas, start: p, length: p) }
            (errno, count, _, ranges) = t.rawIOVARanges(f.ioas, capacity: 8)
            try t.equal(errno?.name ?? "success", "success", "\(f.name): IOVA_RANGES after the reservation")
            if f.device == nil {
                try t.equal(count, 2, "\(f.name): num_iovas")
                try t.equal(Array(ranges[0..<2]), [IOVARange(start: 0, last: p - 1), IOVARange(start: 2 * p, last: UInt64(UInt.max))], "\(f.name): the two ranges")
            } else {
                try t.equal(count, 1, "\(f.name): num_iovas (the reservation is outside the aperture)")
                try t.equal(ranges[0], whole, "\(f.name): the aperture")
            }
            (errno, count, _, ranges) = t.rawIOVARanges(f.ioas, capacity: 1)
            if f.device == nil {
                try t.equal(errno?.name ?? "success", "EMSGSIZE", "\(f.name): IOVA_RANGES with room for 1 of 2")
                try t.equal(count, 2, "\(f.name): num_iovas")
                try t.equal(ranges[0], IOVARange(start: 0, last: p - 1), "\(f.name): the first range was filled")
            } else {
                try t.equal(errno?.name ?? "success", "success", "\(f.name): IOVA_RANGES with room for 1")
                try t.equal(count, 1, "\(f.name): num_iovas")
                try t.equal(ranges[0], whole, "\(f.name): the aperture")
            }
            try t.equal(ranges[1], IOVARange(start: 0, last: 0), "\(f.name): nothing written past the room given")
        }
    },
    TestCase("parity.ioas_iova_alloc", .ioas, "automatic MAP of every length 1..8191: any works without a domain; with one, only multiples of 2048", needs: [.selftest]) { t in
        let buffer = t.buffer(Int(2 * hostPage))
        for f in try t.ioasVariants() {
            var wrong: String?
            try t.ok("\(f.name): MAP/UNMAP lengths 1..8191") {
                for length in 1..<Int(2 * hostPage) {
                    let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length])
                    if f.device != nil && UInt64(length) % MockIOMMU.pageSize != 0 {
                        do {
                            try f.ioas.map(slice)
                            wrong = "length \(length) was mapped"
                        } catch {
                            let errno = (error as? IOMMUFDError)?.errno
                            if errno != .EINVAL { wrong = "length \(length) gave \(errno?.name ?? "\(error)")" }
                        }
                        if wrong != nil { break }
                    } else {
                        let iova = try f.ioas.map(slice)
                        try f.ioas.unmap(iova: iova, length: UInt64(length))
                    }
                }
            }
            try t.check(wrong == nil, "\(f.name): lengths not a multiple of the domain's page give EINVAL\(wrong.map { " (\($0))" } ?? "")")
        }
    },
    TestCase("parity.ioas_align_change", .ioas, "HUGE_PAGES 0 raises alignment to PAGE_SIZE: misaligned maps EINVAL, and an existing misaligned area blocks it (EADDRINUSE)") { t in
        let ioas = try t.ctx.allocIOAS()
        let p = hostPage
        let buffer = t.buffer(Int(2 * p))
        let start = MockIOMMU.apertureStart
        try t.ok("MAP one page at 0x1000000") { try ioas.map(userAddress: buffer.baseAddress!, length: p, iova: start) }
        try t.ok("HUGE_PAGES SET 0 (aligned areas only)") { try ioas.setHugePages(false) }
        try t.fails(.EINVAL, "MAP from buffer + 2048 at 0x1000000 + 1 page") { try ioas.map(userAddress: buffer.baseAddress! + 2048, length: p, iova: start + p) }
        try t.ok("HUGE_PAGES SET 0 again") { try ioas.setHugePages(false) }
        try t.ok("HUGE_PAGES SET 1") { try ioas.setHugePages(true) }
        try t.ok("MAP from buffer + 2048 at 0x1000000 + 1 page") { try ioas.map(userAddress: buffer.baseAddress! + 2048, length: p, iova: start + p) }
        try t.fails(.EADDRINUSE, "HUGE_PAGES SET 0 with the misaligned area") { try ioas.setHugePages(false) }
        try t.ok("UNMAP both") {
            try ioas.unmap(iova: start + p, length: p)
            try ioas.unmap(iova: start, length: p)
        }
    },
    TestCase("parity.copy_sweep", .ioas, "COPY of 2048 bytes from every 511-byte step: inside the area works, past either end ENOENT", needs: [.selftest]) { t in
        let size = 16 * hostPage
        let buffer = t.buffer(Int(size))
        for f in try t.ioasVariants() {
            let destination = try t.ctx.allocIOAS()
            let start = MockIOMMU.apertureStart
            let last = start + size - (f.device == nil ? 2 : 1)
            try t.ok("\(f.name): MAP [0x1000000, \(hex(last))]") { try f.ioas.map(userAddress: buffer.baseAddress!, length: last - start + 1, iova: start) }
            var wrong: String?
            var copies = 0
            try t.ok("\(f.name): COPY sweep") {
                var iova = start - hostPage
                while iova <= last && wrong == nil {
                    let length = MockIOMMU.pageSize
                    let outside = iova < start || iova + length - 1 > last
                    do {
                        try destination.copy(from: f.ioas, sourceIOVA: iova, length: length, iova: start, permissions: .write)
                        if outside { wrong = "src \(hex(iova)) was copied" } else {
                            copies += 1
                            try destination.unmap(iova: start, length: length)
                        }
                    } catch {
                        let errno = (error as? IOMMUFDError)?.errno
                        if !outside || errno != .ENOENT { wrong = "src \(hex(iova)) gave \(errno?.name ?? "\(error)")" }
                    }
                    iova += 511
                }
            }
            try t.check(wrong == nil && copies > 0, "\(f.name): \(copies) copies inside, ENOENT outside\(wrong.map { " (\($0))" } ?? "")")
        }
    },
]

/// In-kernel accesses (mdev-style users of an IOAS) through the selftest's access fd.
let parityAccessCases: [TestCase] = [
    TestCase("parity.access_pin", .ioas, "pinning accesses: single and double users, and a domain added and removed under a pin", needs: [.selftest]) { t in
        let size = 16 * hostPage
        let buffer = t.patterned(Int(size))
        let start = MockIOMMU.apertureStart
        for f in try t.ioasVariants() {
            let access = try t.ok("\(f.name): CREATE_ACCESS needing pins") { try MockAccess(t.ctx, ioas: f.ioas, needsPin: true) }
            try t.ok("\(f.name): pin 1..15 pages, three ways each") {
                for npages in UInt64(1)..<16 {
                    let length = npages * hostPage
                    try f.ioas.map(buffer, iova: start)
                    try access.unpin(try access.pin(iova: start, length: length, userAddress: buffer.baseAddress))
                    let one = try access.pin(iova: start, length: length, userAddress: buffer.baseAddress)
                    let two = try access.pin(iova: start, length: length, userAddress: buffer.baseAddress)
                    try access.unpin(two)
                    try access.unpin(one)
                    let held = try access.pin(iova: start, length: length, userAddress: buffer.baseAddress)
                    let device = try t.ctx.addMockDevice(attachedTo: f.ioas)
                    try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: start, length: size, userAddress: buffer.baseAddress!)
                    try device.destroy()
                    try access.unpin(held)
                    try f.ioas.unmap(iova: start, length: size)
                }
            }
            access.close()
        }
    },
    TestCase("parity.access_pin_unmap", .ioas, "unmapping pinned pages makes the access drop its pin: the item is then gone (ENOENT)", needs: [.selftest]) { t in
        let size = 16 * hostPage
        let buffer = t.buffer(Int(size))
        let start = MockIOMMU.apertureStart
        for f in try t.ioasVariants() {
            let access = try MockAccess(t.ctx, ioas: f.ioas, needsPin: true)
            try t.ok("\(f.name): MAP 16 pages at 0x1000000") { try f.ioas.map(buffer, iova: start) }
            let item = try t.ok("\(f.name): ACCESS_PAGES of all of it") { try access.pin(iova: start, length: size, userAddress: buffer.baseAddress) }
            try t.ok("\(f.name): UNMAP it") { try f.ioas.unmap(iova: start, length: size) }
            try t.fails(.ENOENT, "\(f.name): DESTROY_ACCESS_PAGES of the item") { try access.unpin(item) }
            access.close()
        }
    },
    TestCase("parity.access_rw", .ioas, "ACCESS_RW reads and writes match the mapped memory, fast and slow path, aligned and at a 2048-byte offset", needs: [.selftest]) { t in
        let size = 16 * hostPage
        for f in try t.ioasVariants() {
            let buffer = t.buffer(Int(size))
            let access = try MockAccess(t.ctx, ioas: f.ioas, needsPin: false)
            let iova = try t.ok("\(f.name): MAP 16 pages automatically") { try f.ioas.map(buffer) }
            try checkAccessRW(t, access, iova: iova, buffer: buffer, slowPath: false)
            try checkAccessRW(t, access, iova: iova, buffer: buffer, slowPath: true)
            try t.ok("\(f.name): UNMAP") { try f.ioas.unmap(iova: iova, length: size) }
            let unaligned = f.base + MockIOMMU.pageSize
            try t.ok("\(f.name): MAP 16 pages at base + 2048") { try f.ioas.map(buffer, iova: unaligned) }
            try checkAccessRW(t, access, iova: unaligned, buffer: buffer, slowPath: false)
            try t.ok("\(f.name): UNMAP") { try f.ioas.unmap(iova: unaligned, length: size) }
            access.close()
        }
    },
    TestCase("parity.access_domain_destroy", .ioas, "a pin inside a 4 MiB area survives destroying the device's domain, then unpins", needs: [.selftest]) { t in
        let size = 2 * Int(MockIOMMU.hugePageSize) * 2
        for f in try t.ioasVariants() {
            let buffer = t.alignedBuffer(size)
            try t.ok("\(f.name): MAP 4 MiB at base") { try f.ioas.map(buffer, iova: f.base) }
            let access = try MockAccess(t.ctx, ioas: f.ioas, needsPin: true)
            let item = try t.ok("\(f.name): ACCESS_PAGES of the second page") { try access.pin(iova: f.base + hostPage, length: hostPage, userAddress: buffer.baseAddress! + Int(hostPage)) }
            if let device = f.device { try t.ok("\(f.name): DESTROY the mock device") { try device.destroy() } }
            try t.ok("\(f.name): DESTROY_ACCESS_PAGES") { try access.unpin(item) }
            access.close()
        }
    },
    TestCase("parity.user_copy", .ioas, "pages pinned by an access in a domain-less IOAS are copied into an IOAS with a domain; the access moves IOAS", needs: [.selftest]) { t in
        let size = 16 * hostPage
        let start = MockIOMMU.apertureStart
        // A memfd made here means nothing to an agent's kernel (agent/PROTOCOL.md has no memfd_create).
        for file in t.target.agent == nil ? [false, true] : [false] {
            let name = file ? "memfd" : "anonymous"
            let target = try t.ctx.allocIOAS()
            let device = try t.ctx.addMockDevice(attachedTo: target)
            var memfd: Int32 = -1
            let buffer: UnsafeMutableRawBufferPointer
            if file {
                (memfd, buffer) = try t.sharedMemfd(Int(size))
            } else {
                buffer = t.patterned(Int(size))
            }
            defer { if file { munmap(buffer.baseAddress, Int(size)); close(memfd) } }
            func mapInto(_ ioas: IOAS) throws -> UInt64 {
                file ? try ioas.mapFile(fd: memfd, offset: 0, length: size) : try ioas.map(buffer)
            }
            let first = try t.ctx.allocIOAS()
            let source = try t.ok("\(name): MAP into a domain-less IOAS") { try mapInto(first) }
            let access = try MockAccess(t.ctx, ioas: first, needsPin: true)
            _ = try t.ok("\(name): ACCESS_PAGES of it") { try access.pin(iova: source, length: size, userAddress: buffer.baseAddress) }
            try t.ok("\(name): COPY into the IOAS with a domain") { try target.copy(from: first, sourceIOVA: source, length: size, iova: start, permissions: .write) }
            try t.ok("\(name): MD_CHECK_MAP") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: start, length: size, userAddress: buffer.baseAddress!) }
            let second = try t.ctx.allocIOAS()
            let source2 = try t.ok("\(name): MAP into a second IOAS") { try mapInto(second) }
            try t.ok("\(name): ACCESS_REPLACE_IOAS to it") { try access.replace(ioas: second) }
            try t.ok("\(name): UNMAP the copy, DESTROY the first IOAS") {
                try target.unmap(iova: start, length: size)
                try first.destroy()
            }
            let item2 = try t.ok("\(name): ACCESS_PAGES in the second IOAS") { try access.pin(iova: source2, length: size, userAddress: buffer.baseAddress) }
            try t.ok("\(name): COPY again") { try target.copy(from: second, sourceIOVA: source2, length: size, iova: start, permissions: .write) }
            try t.ok("\(name): MD_CHECK_MAP") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: start, length: size, userAddress: buffer.baseAddress!) }
            try t.ok("\(name): DESTROY_ACCESS_PAGES") { try access.unpin(item2) }
            access.close()
            try t.ok("\(name): tear down") {
                try device.destroy()
                try second.destroy()
            }
        }
    },
]
