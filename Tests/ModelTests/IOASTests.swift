import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// ioas.c / io_pagetable.c, ported from the selftests' `iommufd_ioas` fixture. Each test runs
/// for the variants no_domain (0 mock devices), mock_domain (1) and two_mock_domain (2).
@Suite("ioas.c and io_pagetable.c")
struct IOASTests {
    static let variants = [0, 1, 2]

    @Test(arguments: variants) func ioasDestroy(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        if domains > 0 {
            // IOAS cannot be freed while a device has a HWPT using it
            #expect(destroy(f.ctx, f.ioas.id) == .EBUSY)
        } else {
            try f.ioas.destroy()
        }
    }

    @Test(arguments: variants) func ioasAreaDestroy(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        // Adding an area does not change ability to destroy
        try f.mapFixed(PAGE_SIZE, at: f.baseIOVA)
        if domains > 0 {
            #expect(destroy(f.ctx, f.ioas.id) == .EBUSY)
        } else {
            try f.ioas.destroy()
        }
    }

    @Test(arguments: variants) func ioasAreaAutoDestroy(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        for i in 0..<10 { try f.mapFixed(PAGE_SIZE, at: f.baseIOVA + UInt64(i) * PAGE_SIZE) }
    }

    @Test(arguments: variants) func area(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        let base = f.baseIOVA
        // Unmap fails if nothing is mapped
        for i in 0..<10 {
            #expect(failure { try f.ioas.unmap(iova: UInt64(i) * PAGE_SIZE, length: PAGE_SIZE) } == .ENOENT)
        }
        // Unmap works
        for i in 0..<10 { try f.mapFixed(PAGE_SIZE, at: base + UInt64(i) * PAGE_SIZE) }
        for i in 0..<10 { #expect(try f.ioas.unmap(iova: base + UInt64(i) * PAGE_SIZE, length: PAGE_SIZE) == PAGE_SIZE) }
        // Split fails
        try f.mapFixed(PAGE_SIZE * 2, at: base + 16 * PAGE_SIZE)
        #expect(failure { try f.ioas.unmap(iova: base + 16 * PAGE_SIZE, length: PAGE_SIZE) } == .ENOENT)
        #expect(failure { try f.ioas.unmap(iova: base + 17 * PAGE_SIZE, length: PAGE_SIZE) } == .ENOENT)
        // Over map fails
        #expect(failure { try f.mapFixed(PAGE_SIZE * 2, at: base + 16 * PAGE_SIZE) } == .EEXIST)
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: base + 16 * PAGE_SIZE) } == .EEXIST)
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: base + 17 * PAGE_SIZE) } == .EEXIST)
        #expect(failure { try f.mapFixed(PAGE_SIZE * 2, at: base + 15 * PAGE_SIZE) } == .EEXIST)
        #expect(failure { try f.mapFixed(PAGE_SIZE * 3, at: base + 15 * PAGE_SIZE) } == .EEXIST)
        // unmap all works, and succeeds on an empty IOAS
        #expect(try f.ioas.unmapAll() == 2 * PAGE_SIZE)
        #expect(try f.ioas.unmapAll() == 0)
    }

    @Test(arguments: variants) func unmapFullyContainedAreas(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        // Give no_domain some space to rewind base_iova
        let base = f.baseIOVA + 4 * PAGE_SIZE
        for i in 0..<4 { try f.mapFixed(8 * PAGE_SIZE, at: base + UInt64(i) * 16 * PAGE_SIZE) }
        // Unmap not fully contained area doesn't work
        #expect(failure { try f.ioas.unmap(iova: base - 4 * PAGE_SIZE, length: 8 * PAGE_SIZE) } == .ENOENT)
        #expect(failure { try f.ioas.unmap(iova: base + 3 * 16 * PAGE_SIZE + 8 * PAGE_SIZE - 4 * PAGE_SIZE, length: 8 * PAGE_SIZE) } == .ENOENT)
        // Unmap fully contained areas works
        let n = try f.ioas.unmap(iova: base - 4 * PAGE_SIZE, length: 3 * 16 * PAGE_SIZE + 8 * PAGE_SIZE + 4 * PAGE_SIZE)
        #expect(n == 32 * PAGE_SIZE)
    }

    @Test func unmapStopsAtTheFirstAreaThatSticksOut() throws {
        // iopt_unmap_iova_range removes areas in order and stops at the first one that is not
        // fully inside; what was removed stays removed, and the call fails.
        let f = try IOASFixture()
        try f.mapFixed(PAGE_SIZE, at: 0x10000)
        try f.mapFixed(2 * PAGE_SIZE, at: 0x20000)
        #expect(failure { try f.ioas.unmap(iova: 0x10000, length: 0x10000 + PAGE_SIZE) } == .ENOENT)
        #expect(failure { try f.ioas.unmap(iova: 0x10000, length: PAGE_SIZE) } == .ENOENT)
        #expect(try f.ioas.unmap(iova: 0x20000, length: 2 * PAGE_SIZE) == 2 * PAGE_SIZE)
    }

    @Test(arguments: variants) func areaAutoIOVA(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        // Simple 4k pages
        var iovas: [UInt64] = []
        for _ in 0..<10 { iovas.append(try f.map(PAGE_SIZE)) }
        for iova in iovas {
            #expect(iova != 0)
            try f.ioas.unmap(iova: iova, length: PAGE_SIZE)
        }
        // Kernel automatically aligns IOVAs properly
        iovas.removeAll()
        for i in 0..<10 {
            let length = PAGE_SIZE * UInt64(i + 1)
            let iova: UInt64
            if domains > 0 {
                iova = try f.map(length)
            } else {
                iova = try f.ioas.map(userAddress: UnsafeRawPointer(bitPattern: UInt(1) << 31)!, length: length)
            }
            #expect(iova % lowestBit(length) == 0)
            iovas.append(iova)
        }
        for (i, iova) in iovas.enumerated() { try f.ioas.unmap(iova: iova, length: PAGE_SIZE * UInt64(i + 1)) }
        // Avoids a reserved region
        try f.addReserved(start: PAGE_SIZE * 4, length: PAGE_SIZE * 100)
        iovas.removeAll()
        for i in 0..<10 {
            let length = PAGE_SIZE * UInt64(i + 1)
            let iova = try f.map(length)
            #expect(iova % lowestBit(length) == 0)
            #expect(!(iova > PAGE_SIZE * 4 && iova < PAGE_SIZE * 104))
            iovas.append(iova)
        }
        for (i, iova) in iovas.enumerated() { try f.ioas.unmap(iova: iova, length: PAGE_SIZE * UInt64(i + 1)) }
        // Allowed region intersects with a reserved region
        #expect(failure { try f.allowIOVAs([(PAGE_SIZE, PAGE_SIZE * 600)]) } == .EADDRINUSE)
        // Allocate from an allowed region
        let range = domains > 0
            ? (MOCK_APERTURE_START + PAGE_SIZE, MOCK_APERTURE_START + PAGE_SIZE * 600 - 1)
            : (PAGE_SIZE * 200, PAGE_SIZE * 600 - 1)
        try f.allowIOVAs([range])
        iovas.removeAll()
        for i in 0..<10 {
            let length = PAGE_SIZE * UInt64(i + 1)
            let iova = try f.map(length)
            #expect(iova % lowestBit(length) == 0)
            #expect(iova >= range.0 && iova <= range.1)
            #expect(iova + length > range.0 && iova + length <= range.1 + 1)
            iovas.append(iova)
        }
        for (i, iova) in iovas.enumerated() { try f.ioas.unmap(iova: iova, length: PAGE_SIZE * UInt64(i + 1)) }
    }

    @Test func autoIOVAIsFirstFitAndFollowsTheSourceAlignment() throws {
        let f = try IOASFixture()
        // Empty IOAS: the first fit is PAGE_SIZE aligned to min(roundup(length), lowest bit of
        // the user address), never 0.
        #expect(try f.map(PAGE_SIZE) == PAGE_SIZE)
        #expect(try f.map(PAGE_SIZE) == 2 * PAGE_SIZE)
        // 3 pages round up to 4-page alignment.
        #expect(try f.map(3 * PAGE_SIZE) == 4 * PAGE_SIZE)
        // A user address one page into the buffer caps the alignment at one page.
        #expect(try f.map(3 * PAGE_SIZE, offset: PAGE_SIZE) == 3 * PAGE_SIZE + 4 * PAGE_SIZE)
        // The page offset of the user address is kept in the IOVA.
        let iova = try f.ioas.map(userAddress: f.buffer.at(0x80), length: 0x100)
        #expect(iova % PAGE_SIZE == 0x80)
    }

    @Test(arguments: variants) func reservedOverflow(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        let length: UInt64 = PAGE_SIZE == 4096 ? 0xffff_ffff_ffff_8001 : 0xffff_ffff_ffff_ffff - MOCK_PAGE_SIZE * 16
        let mapLength: UInt64 = PAGE_SIZE == 4096 ? 0x5000 : MOCK_PAGE_SIZE * 10
        try f.addReserved(start: 6, length: length)
        #expect(failure { _ = try f.map(mapLength) } == .ENOSPC)
    }

    @Test(arguments: variants) func areaAllowed(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        // Reserved intersects an allowed
        try f.allowIOVAs([(f.baseIOVA, f.baseIOVA + PAGE_SIZE * 600)])
        #expect(failure { try f.addReserved(start: f.baseIOVA + PAGE_SIZE, length: PAGE_SIZE) } == .EADDRINUSE)
        try f.allowIOVAs([])
        // Allowed intersects a reserved
        try f.addReserved(start: f.baseIOVA + PAGE_SIZE, length: PAGE_SIZE)
        #expect(failure { try f.allowIOVAs([(f.baseIOVA, f.baseIOVA + PAGE_SIZE * 600)]) } == .EADDRINUSE)
    }

    @Test func allowIOVAsLoadRules() throws {
        let f = try IOASFixture()
        // start must be below last, and ranges must not overlap
        #expect(failure { try f.allowIOVAs([(0x2000, 0x2000)]) } == .EINVAL)
        #expect(failure { try f.allowIOVAs([(0x1000, 0x3000), (0x2000, 0x4000)]) } == .EINVAL)
        // A NULL array with entries faults
        var cmd = iommu_ioas_allow_iovas()
        cmd.size = 24
        cmd.ioas_id = f.ioas.id
        cmd.num_iovas = 1
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_ALLOW_IOVAS, &cmd) } == .EFAULT)
        cmd.__reserved = 1
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_ALLOW_IOVAS, &cmd) } == .EOPNOTSUPP)
        cmd.__reserved = 0
        cmd.ioas_id = 99
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_ALLOW_IOVAS, &cmd) } == .ENOENT)
        // A map outside the allowed ranges is still fine with a fixed IOVA
        try f.allowIOVAs([(0x100000, 0x1fffff)])
        try f.mapFixed(PAGE_SIZE, at: 0x400000)
        // An area in the way of a reservation: EADDRINUSE
        #expect(failure { try f.addReserved(start: 0x400000, length: PAGE_SIZE) } == .EADDRINUSE)
    }

    @Test(arguments: variants) func copyArea(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        try f.mapFixed(PAGE_SIZE, at: f.baseIOVA)
        // Copy inside a single IOAS
        try f.ioas.copy(from: f.ioas, sourceIOVA: f.baseIOVA, length: PAGE_SIZE, iova: f.baseIOVA + PAGE_SIZE, permissions: .write)
        // Copy between IOAS's
        let dst = try f.ctx.allocIOAS()
        try dst.copy(from: f.ioas, sourceIOVA: f.baseIOVA, length: PAGE_SIZE, iova: 0, permissions: .write)
    }

    @Test func copyRules() throws {
        let f = try IOASFixture()
        let dst = try f.ctx.allocIOAS()
        try f.mapFixed(PAGE_SIZE, at: 0x10000)
        try f.mapFixed(PAGE_SIZE, at: 0x11000)
        // Two contiguous source areas: one destination area each.
        let iova = try dst.copy(from: f.ioas, sourceIOVA: 0x10000, length: 2 * PAGE_SIZE)
        #expect(f.backend.ioasStatistics(fd: f.fd, ioasID: dst.id)?.areas == 2)
        // A copy can be unmapped only whole, per destination area
        #expect(try dst.unmap(iova: iova, length: PAGE_SIZE) == PAGE_SIZE)
        // A hole in the source: ENOENT; length 0: EINVAL
        #expect(failure { try dst.copy(from: f.ioas, sourceIOVA: 0x10000, length: 3 * PAGE_SIZE) } == .ENOENT)
        #expect(failure { try dst.copy(from: f.ioas, sourceIOVA: 0x10000, length: 0) } == .EINVAL)
        // Unknown flags; neither READ nor WRITE; overflowing values
        var cmd = iommu_ioas_copy()
        cmd.size = 40
        cmd.dst_ioas_id = dst.id
        cmd.src_ioas_id = f.ioas.id
        cmd.length = PAGE_SIZE
        cmd.src_iova = 0x10000
        cmd.flags = 8
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_COPY, &cmd) } == .EOPNOTSUPP)
        cmd.flags = 0
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_COPY, &cmd) } == .EINVAL)
        cmd.flags = 2
        cmd.length = .max
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_COPY, &cmd) } == .EOVERFLOW)
        // A read-only source copied as writable: EPERM
        try f.ioas.map(userAddress: f.buffer.at(0), length: PAGE_SIZE, iova: 0x30000, permissions: .read)
        #expect(failure { try dst.copy(from: f.ioas, sourceIOVA: 0x30000, length: PAGE_SIZE, permissions: .readWrite) } == .EPERM)
        try dst.copy(from: f.ioas, sourceIOVA: 0x30000, length: PAGE_SIZE, permissions: .read)
        // Unknown source or destination: ENOENT
        cmd.length = PAGE_SIZE
        cmd.src_ioas_id = 99
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_COPY, &cmd) } == .ENOENT)
        cmd.src_ioas_id = f.ioas.id
        cmd.dst_ioas_id = 99
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_COPY, &cmd) } == .ENOENT)
    }

    @Test(arguments: variants) func iovaRanges(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        let hasDomain = domains > 0
        // Range can be read
        var (ranges, alignment) = try f.ioas.iovaRanges()
        #expect(ranges.count == 1)
        if !hasDomain {
            #expect(ranges[0] == IOVARange(start: 0, last: .max))
            #expect(alignment == 1)
        } else {
            #expect(ranges[0] == IOVARange(start: MOCK_APERTURE_START, last: MOCK_APERTURE_LAST))
            #expect(alignment == MOCK_PAGE_SIZE)
        }
        // Buffer too small: EMSGSIZE, with num_iovas set and nothing written
        var raw = [iommu_iova_range](repeating: iommu_iova_range(), count: 4)
        var cmd = iommu_ioas_iova_ranges()
        cmd.size = 32
        cmd.ioas_id = f.ioas.id
        cmd.num_iovas = 0
        let e = raw.withUnsafeMutableBytes { bytes in
            cmd.allowed_iovas = UInt64(UInt(bitPattern: bytes.baseAddress))
            return failure { try f.ctx.ioctl(.IOMMU_IOAS_IOVA_RANGES, &cmd) }
        }
        #expect(e == .EMSGSIZE)
        #expect(cmd.num_iovas == 1)
        #expect(raw[0].start == 0 && raw[0].last == 0)
        // 2 ranges
        try f.addReserved(start: PAGE_SIZE, length: PAGE_SIZE)
        (ranges, alignment) = try f.ioas.iovaRanges()
        if !hasDomain {
            #expect(ranges == [IOVARange(start: 0, last: PAGE_SIZE - 1), IOVARange(start: 2 * PAGE_SIZE, last: .max)])
        } else {
            #expect(ranges == [IOVARange(start: MOCK_APERTURE_START, last: MOCK_APERTURE_LAST)])
        }
        // Buffer too small: the first range is filled
        cmd.num_iovas = 1
        let e2 = raw.withUnsafeMutableBytes { bytes in
            cmd.allowed_iovas = UInt64(UInt(bitPattern: bytes.baseAddress))
            return failure { try f.ctx.ioctl(.IOMMU_IOAS_IOVA_RANGES, &cmd) }
        }
        if !hasDomain {
            #expect(e2 == .EMSGSIZE)
            #expect(cmd.num_iovas == 2)
            #expect(raw[0].start == 0 && raw[0].last == PAGE_SIZE - 1)
        } else {
            #expect(e2 == nil)
            #expect(cmd.num_iovas == 1)
            #expect(raw[0].start == MOCK_APERTURE_START && raw[0].last == MOCK_APERTURE_LAST)
        }
        #expect(raw[1].start == 0 && raw[1].last == 0)
    }

    @Test func ioasOptionHugePages() throws {
        let f = try IOASFixture()
        #expect(try f.ioas.hugePages() == true)
        try f.ioas.setHugePages(false)
        #expect(try f.ioas.hugePages() == false)
        #expect(failure { try f.ctx.option(.hugePages, .set, objectID: f.ioas.id, value: 2) } == .EINVAL)
        try f.ioas.setHugePages(true)
        // Turning huge pages off raises the alignment to PAGE_SIZE.
        try f.ioas.setHugePages(false)
        #expect(try f.ioas.iovaRanges().alignment == PAGE_SIZE)
        try f.ioas.setHugePages(true)
        #expect(try f.ioas.iovaRanges().alignment == 1)
        // A non-IOAS object: ENOENT
        #expect(failure { try f.ctx.option(.hugePages, .get, objectID: 77) } == .ENOENT)
    }

    @Test func hugePagesCannotBeTurnedOffOnceDomainsMap() throws {
        let f = try IOASFixture(mockDomains: 1)
        try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START)
        #expect(failure { try f.ioas.setHugePages(false) } == .EINVAL)
        try f.ioas.unmapAll()
        try f.ioas.setHugePages(false)
    }

    @Test(arguments: variants) func ioasIOVAAlloc(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        for length in stride(from: UInt64(1), to: PAGE_SIZE * 2, by: domains > 0 ? 1 : 97) {
            if domains > 0 && length % MOCK_PAGE_SIZE != 0 {
                #expect(failure { _ = try f.map(length) } == .EINVAL)
            } else {
                let iova = try f.map(length)
                try f.ioas.unmap(iova: iova, length: length)
            }
        }
    }

    @Test func ioasAlignChange() throws {
        let f = try IOASFixture()
        // We can upgrade to PAGE_SIZE alignment when things are aligned right
        try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START)
        try f.ioas.setHugePages(false)
        // Misalignment is rejected at map time
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START + PAGE_SIZE, offset: MOCK_PAGE_SIZE) } == .EINVAL)
        try f.ioas.setHugePages(false)
        // Reduce alignment
        try f.ioas.setHugePages(true)
        // Confirm misalignment is rejected during alignment upgrade
        try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START + PAGE_SIZE, offset: MOCK_PAGE_SIZE)
        #expect(failure { try f.ioas.setHugePages(false) } == .EADDRINUSE)
        try f.ioas.unmap(iova: MOCK_APERTURE_START + PAGE_SIZE, length: PAGE_SIZE)
        try f.ioas.unmap(iova: MOCK_APERTURE_START, length: PAGE_SIZE)
    }

    @Test func alignmentChangeAtAttach() throws {
        // A domain raises iova_alignment to its smallest page: areas that do not conform make
        // the attach fail with EADDRINUSE, and areas outside the aperture too.
        let f = try IOASFixture()
        try f.mapFixed(0x400, at: MOCK_APERTURE_START)
        #expect(failure { _ = try f.ctx.addMockDevice(attachedTo: f.ioas) } == .EADDRINUSE)
        try f.ioas.unmapAll()
        try f.mapFixed(PAGE_SIZE, at: 0x1000)
        #expect(failure { _ = try f.ctx.addMockDevice(attachedTo: f.ioas) } == .EADDRINUSE)
        try f.ioas.unmapAll()
        // A failed attach leaves nothing behind.
        #expect(f.backend.objects(fd: f.fd).map(\.type) == ["ioas"])
        let dev = try f.ctx.addMockDevice(attachedTo: f.ioas)
        #expect(try f.ioas.iovaRanges().alignment == MOCK_PAGE_SIZE)
        try dev.destroy()
        #expect(try f.ioas.iovaRanges().alignment == 1)
        #expect(try f.ioas.iovaRanges().ranges == [IOVARange(start: 0, last: .max)])
    }

    @Test(arguments: [0, 1]) func copySweep(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        let dst = try f.ctx.allocIOAS()
        let bufferSize = UInt64(f.buffer.size)
        let lastIOVA = domains > 0 ? MOCK_APERTURE_START + bufferSize - 1 : MOCK_APERTURE_START + bufferSize - 2
        try f.mapFixed(lastIOVA - MOCK_APERTURE_START + 1, at: MOCK_APERTURE_START)
        var iova = MOCK_APERTURE_START - PAGE_SIZE
        while iova <= lastIOVA {
            if iova < MOCK_APERTURE_START || iova + MOCK_PAGE_SIZE - 1 > lastIOVA {
                #expect(failure { try dst.copy(from: f.ioas, sourceIOVA: iova, length: MOCK_PAGE_SIZE, iova: MOCK_APERTURE_START, permissions: .write) } == .ENOENT)
            } else {
                try dst.copy(from: f.ioas, sourceIOVA: iova, length: MOCK_PAGE_SIZE, iova: MOCK_APERTURE_START, permissions: .write)
                try dst.unmap(iova: MOCK_APERTURE_START, length: MOCK_PAGE_SIZE)
            }
            iova += 511
        }
        try dst.destroy()
    }

    @Test func mapArgumentRules() throws {
        let f = try IOASFixture()
        var cmd = iommu_ioas_map()
        cmd.size = 40
        cmd.ioas_id = f.ioas.id
        cmd.user_va = f.buffer.address
        cmd.length = PAGE_SIZE
        cmd.flags = 8
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOPNOTSUPP)
        cmd.flags = 6
        cmd.__reserved = 1
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOPNOTSUPP)
        cmd.__reserved = 0
        cmd.length = .max
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOVERFLOW)
        cmd.length = PAGE_SIZE
        cmd.flags = 1
        cmd.iova = .max
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOVERFLOW)
        cmd.iova = 0x10000
        // neither READ nor WRITE
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EINVAL)
        cmd.flags = 7
        cmd.ioas_id = 99
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .ENOENT)
        cmd.ioas_id = f.ioas.id
        // length 0
        cmd.length = 0
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EINVAL)
        // user_va + length wraps
        cmd.length = 2 * PAGE_SIZE
        cmd.user_va = .max - PAGE_SIZE
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOVERFLOW)
        // iova + length wraps
        cmd.user_va = f.buffer.address
        cmd.iova = .max - PAGE_SIZE
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd) } == .EOVERFLOW)
        // Without a domain nothing is pinned: an unmapped user VA maps fine
        cmd.iova = MOCK_APERTURE_START
        cmd.user_va = 0x1000
        try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd)
        #expect(cmd.iova == MOCK_APERTURE_START)
        // ... and the first domain then fails to pin it: EFAULT
        #expect(failure { _ = try f.ctx.addMockDevice(attachedTo: f.ioas) } == .EFAULT)
        // (the aperture is checked before the pages: an area outside it is EADDRINUSE first)
        cmd.iova = 0x10000
        try f.ctx.ioctl(.IOMMU_IOAS_MAP, &cmd)
        #expect(failure { _ = try f.ctx.addMockDevice(attachedTo: f.ioas) } == .EADDRINUSE)
    }

    @Test func mapWithADomainPinsTheUserMemory() throws {
        let f = try IOASFixture(mockDomains: 1)
        // An unmapped VA faults
        #expect(failure { try f.ioas.map(userAddress: UnsafeRawPointer(bitPattern: 0x1000)!, length: PAGE_SIZE, iova: MOCK_APERTURE_START) } == .EFAULT)
        // A read-only mapping cannot be pinned for write
        let ro = mmap(nil, Int(PAGE_SIZE), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        defer { munmap(ro, Int(PAGE_SIZE)) }
        #expect(failure { try f.ioas.map(userAddress: ro, length: PAGE_SIZE, iova: MOCK_APERTURE_START) } == .EFAULT)
        try f.ioas.map(userAddress: ro, length: PAGE_SIZE, iova: MOCK_APERTURE_START, permissions: .read)
        // Outside the aperture: reserved, EINVAL
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: 0x1000) } == .EINVAL)
        // Misaligned to the mock page size: EINVAL
        #expect(failure { try f.mapFixed(MOCK_PAGE_SIZE / 2, at: MOCK_APERTURE_START + PAGE_SIZE) } == .EINVAL)
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START + PAGE_SIZE + 1024) } == .EINVAL)
        #expect(failure { try f.mapFixed(PAGE_SIZE, at: MOCK_APERTURE_START + PAGE_SIZE, offset: 1024) } == .EINVAL)
    }

    @Test func unmapArgumentRules() throws {
        let f = try IOASFixture()
        #expect(failure { try f.ioas.unmap(iova: 0x1000, length: 0) } == .EINVAL)
        #expect(failure { try f.ioas.unmap(iova: .max, length: 1) } == .EOVERFLOW)
        #expect(failure { try f.ioas.unmap(iova: 1, length: .max) } == .EOVERFLOW)
        #expect(failure { try f.ioas.unmap(iova: .max - 10, length: 100) } == .EOVERFLOW)
        var cmd = iommu_ioas_unmap(size: 24, ioas_id: 55, iova: 0, length: .max)
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_UNMAP, &cmd) } == .ENOENT)
    }

    @Test func mapFileAndChangeProcess() throws {
        let f = try IOASFixture()
        let mfd = MemFD()
        // Expect failure if non-file maps exist
        let iova = try f.map(PAGE_SIZE)
        #expect(failure { try f.ctx.changeProcess() } == .EINVAL)
        try f.ioas.unmap(iova: iova, length: PAGE_SIZE)
        // Change process works with only file maps
        let fileIOVA = try f.ioas.mapFile(fd: mfd.fd, offset: 0, length: PAGE_SIZE)
        try f.ctx.changeProcess()
        // Copies of file maps are file maps
        let other = try f.ctx.allocIOAS()
        try other.copy(from: f.ioas, sourceIOVA: fileIOVA, length: PAGE_SIZE)
        try f.ctx.changeProcess()
        var cmd = iommu_ioas_change_process(size: 8, __reserved: 1)
        #expect(failure { try f.ctx.ioctl(.IOMMU_IOAS_CHANGE_PROCESS, &cmd) } == .EOPNOTSUPP)
        // MAP_FILE rules: a bad fd is EBADF, length 0 EINVAL, a wrapping end EOVERFLOW
        #expect(failure { try f.ioas.mapFile(fd: -1, offset: 0, length: PAGE_SIZE) } == .EBADF)
        #expect(failure { try f.ioas.mapFile(fd: 9999, offset: 0, length: PAGE_SIZE) } == .EBADF)
        #expect(failure { try f.ioas.mapFile(fd: mfd.fd, offset: 0, length: 0) } == .EINVAL)
        #expect(failure { try f.ioas.mapFile(fd: mfd.fd, offset: .max - 10, length: PAGE_SIZE) } == .EOVERFLOW)
        // The map keeps the file: closing our fd does not matter
        let dup2 = dup(mfd.fd)
        let iova2 = try f.ioas.mapFile(fd: dup2, offset: PAGE_SIZE, length: PAGE_SIZE)
        close(dup2)
        try f.ioas.unmap(iova: iova2, length: PAGE_SIZE)
    }

    @Test func mapFileWithADomain() throws {
        let f = try IOASFixture(mockDomains: 1)
        let mfd = MemFD(size: Int(PAGE_SIZE) * 4)
        let iova = try f.ioas.mapFile(fd: mfd.fd, offset: 0, length: 4 * PAGE_SIZE)
        try f.ctx.testCheckMap(id: f.device!.attachedHWPTID, iova: iova, length: 4 * PAGE_SIZE, userAddress: mfd.base)
        // Past the end of the file, memfd_pin_folios refuses: EINVAL
        #expect(failure { _ = try f.ioas.mapFile(fd: mfd.fd, offset: 2 * PAGE_SIZE, length: 4 * PAGE_SIZE) } == .EINVAL)
    }

    @Test func mockDomainMapsAreCheckable() throws {
        let f = try IOASFixture(mockDomains: 2)
        let iova = try f.map(8 * PAGE_SIZE)
        for dev in f.devices {
            try f.ctx.testCheckMap(id: dev.attachedHWPTID, iova: iova, length: 8 * PAGE_SIZE, userAddress: f.buffer.base)
            // A different VA is not the same page
            #expect(failure { try f.ctx.testCheckMap(id: dev.attachedHWPTID, iova: iova, length: PAGE_SIZE, userAddress: f.buffer.at(PAGE_SIZE)) } == .EINVAL)
        }
        // MD_CHECK_MAP wants a paging HWPT: an IOAS id is ENOENT
        #expect(failure { try f.ctx.testCheckMap(id: f.ioas.id, iova: iova, length: PAGE_SIZE, userAddress: f.buffer.base) } == .ENOENT)
        // Copies map the same pages
        let dst = try f.ctx.allocIOAS()
        let dev = try f.ctx.addMockDevice(attachedTo: dst)
        let copied = try dst.copy(from: f.ioas, sourceIOVA: iova, length: 8 * PAGE_SIZE)
        try f.ctx.testCheckMap(id: dev.attachedHWPTID, iova: copied, length: 8 * PAGE_SIZE, userAddress: f.buffer.base)
        // Pins: one per map, none more for copies
        try f.ctx.testCheckRefs(userAddress: f.buffer.base, length: 8 * PAGE_SIZE, refs: 1)
        try f.ctx.testCheckRefs(userAddress: f.buffer.at(8 * PAGE_SIZE), length: 4 * PAGE_SIZE, refs: 0)
    }
}

/// The selftest's in-kernel accesses (CREATE_ACCESS, ACCESS_PAGES, ACCESS_RW): access_pin,
/// access_pin_unmap, access_rw, access_rw_unaligned.
@Suite("selftest accesses")
struct AccessTests {
    func createAccess(_ f: IOASFixture, pin: Bool) throws -> Int32 {
        let cmd = try f.ctx.testCommand(.createAccess, id: f.ioas.id) { $0.create_access.flags = pin ? 1 : 0 }
        return Int32(bitPattern: cmd.create_access.out_access_fd)
    }

    func accessPages(_ f: IOASFixture, _ fd: Int32, iova: UInt64, length: UInt64, uptr: UnsafeRawPointer?) throws -> UInt32 {
        let cmd = try f.ctx.testCommand(.accessPages, id: UInt32(bitPattern: fd)) {
            $0.access_pages.iova = iova
            $0.access_pages.length = length
            $0.access_pages.uptr = UInt64(UInt(bitPattern: uptr))
        }
        return cmd.access_pages.out_access_pages_id
    }

    func destroyAccessPages(_ f: IOASFixture, _ fd: Int32, _ id: UInt32) throws {
        try f.ctx.testCommand(.destroyAccessPages, id: UInt32(bitPattern: fd)) { $0.destroy_access_pages.access_pages_id = id }
    }

    @Test func accessPin() throws {
        let f = try IOASFixture(mockDomains: 1)
        let fd = try createAccess(f, pin: true)
        let size = UInt64(f.buffer.size)
        for npages in [UInt64(1), 3, 15] {
            let length = npages * PAGE_SIZE
            try f.mapFixed(size, at: MOCK_APERTURE_START)
            // Single map/unmap
            var id = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: length, uptr: f.buffer.base)
            try destroyAccessPages(f, fd, id)
            // Double user
            let first = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: length, uptr: f.buffer.base)
            id = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: length, uptr: f.buffer.base)
            try destroyAccessPages(f, fd, id)
            try destroyAccessPages(f, fd, first)
            // Add/remove a domain with a user
            id = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: length, uptr: f.buffer.base)
            let dev = try f.ctx.addMockDevice(attachedTo: f.ioas)
            try f.ctx.testCheckMap(id: dev.attachedHWPTID, iova: MOCK_APERTURE_START, length: size, userAddress: f.buffer.base)
            try dev.destroy()
            try destroyAccessPages(f, fd, id)
            try f.ioas.unmap(iova: MOCK_APERTURE_START, length: size)
        }
        // The wrong user pages: EBADE; an unknown item: ENOENT; a non-pinning access: EOPNOTSUPP
        try f.mapFixed(size, at: MOCK_APERTURE_START)
        #expect(failure { _ = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: PAGE_SIZE, uptr: f.buffer.at(PAGE_SIZE)) } == Errno(52))
        #expect(failure { try destroyAccessPages(f, fd, 77) } == .ENOENT)
        let plain = try createAccess(f, pin: false)
        #expect(failure { _ = try accessPages(f, plain, iova: MOCK_APERTURE_START, length: PAGE_SIZE, uptr: nil) } == .EOPNOTSUPP)
        // Not mapped: ENOENT
        #expect(failure { _ = try accessPages(f, fd, iova: 0x1000, length: PAGE_SIZE, uptr: nil) } == .ENOENT)
        // A pinning access raises the IOAS alignment to PAGE_SIZE
        #expect(try f.ioas.iovaRanges().alignment == PAGE_SIZE)
        #expect(f.backend.close(fd) == nil)
        #expect(f.backend.close(plain) == nil)
        #expect(try f.ioas.iovaRanges().alignment == MOCK_PAGE_SIZE)
        // An access fd that does not exist
        #expect(failure { _ = try accessPages(f, 12345, iova: MOCK_APERTURE_START, length: PAGE_SIZE, uptr: nil) } == Errno(77))
    }

    @Test func accessPinUnmap() throws {
        let f = try IOASFixture(mockDomains: 1)
        let fd = try createAccess(f, pin: true)
        let size = UInt64(f.buffer.size)
        try f.mapFixed(size, at: MOCK_APERTURE_START)
        let id = try accessPages(f, fd, iova: MOCK_APERTURE_START, length: size, uptr: f.buffer.base)
        // Trigger the unmap op: the access drops its pins, the unmap succeeds
        #expect(try f.ioas.unmap(iova: MOCK_APERTURE_START, length: size) == size)
        // The kernel removed the item for us
        #expect(failure { try destroyAccessPages(f, fd, id) } == .ENOENT)
        _ = f.backend.close(fd)
    }

    func checkAccessRW(_ f: IOASFixture, _ fd: Int32, iova: UInt64, flags: UInt32) throws {
        let buffer = f.buffer
        var rng: UInt64 = 0x1234_5678
        func next() -> UInt8 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return UInt8(truncatingIfNeeded: rng)
        }
        for i in 0..<buffer.size { buffer.base.storeBytes(of: next(), toByteOffset: i, as: UInt8.self) }
        var tmp = [UInt8](repeating: 0, count: 64)
        var cur = iova + PAGE_SIZE - 50
        while cur < iova + PAGE_SIZE + 50 {
            for length in stride(from: UInt64(1), to: 64, by: 7) {
                try tmp.withUnsafeMutableBytes { raw in
                    try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) {
                        $0.access_rw.iova = cur
                        $0.access_rw.length = length
                        $0.access_rw.uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                        $0.access_rw.flags = flags
                    }
                }
                #expect(memcmp(buffer.at(cur - iova), tmp, Int(length)) == 0)
                for i in 0..<64 { tmp[i] = next() }
                try tmp.withUnsafeMutableBytes { raw in
                    try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) {
                        $0.access_rw.iova = cur
                        $0.access_rw.length = length
                        $0.access_rw.uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                        $0.access_rw.flags = flags | 1
                    }
                }
                #expect(memcmp(buffer.at(cur - iova), tmp, Int(length)) == 0)
            }
            cur += 9
        }
        // Multi-page
        var all = [UInt8](repeating: 0, count: buffer.size)
        try all.withUnsafeMutableBytes { raw in
            try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) {
                $0.access_rw.iova = iova
                $0.access_rw.length = UInt64(buffer.size)
                $0.access_rw.uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                $0.access_rw.flags = flags
            }
        }
        #expect(memcmp(buffer.base, all, buffer.size) == 0)
    }

    @Test func accessRW() throws {
        let f = try IOASFixture()
        let fd = try createAccess(f, pin: false)
        let iova = try f.map(UInt64(f.buffer.size))
        try checkAccessRW(f, fd, iova: iova, flags: 0)
        try checkAccessRW(f, fd, iova: iova, flags: 4)
        try f.ioas.unmap(iova: iova, length: UInt64(f.buffer.size))
        // Nothing mapped: ENOENT; unknown flags: EOPNOTSUPP
        var byte: UInt8 = 0
        #expect(failure {
            try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) {
                $0.access_rw.iova = iova
                $0.access_rw.length = 1
                $0.access_rw.uptr = withUnsafeMutablePointer(to: &byte) { UInt64(UInt(bitPattern: $0)) }
            }
        } == .ENOENT)
        #expect(failure { try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) { $0.access_rw.flags = 8 } } == .EOPNOTSUPP)
        // A read-only area cannot be written through the access: EPERM
        try f.ioas.map(userAddress: f.buffer.base, length: PAGE_SIZE, iova: 0x100000, permissions: .read)
        #expect(failure {
            try f.ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd)) {
                $0.access_rw.iova = 0x100000
                $0.access_rw.length = 1
                $0.access_rw.uptr = withUnsafeMutablePointer(to: &byte) { UInt64(UInt(bitPattern: $0)) }
                $0.access_rw.flags = 1
            }
        } == .EPERM)
        _ = f.backend.close(fd)
    }

    @Test func accessRWUnaligned() throws {
        let f = try IOASFixture(mockDomains: 1)
        let fd = try createAccess(f, pin: false)
        let iova = f.baseIOVA + MOCK_PAGE_SIZE
        try f.mapFixed(UInt64(f.buffer.size), at: iova)
        try checkAccessRW(f, fd, iova: iova, flags: 0)
        try f.ioas.unmap(iova: iova, length: UInt64(f.buffer.size))
        _ = f.backend.close(fd)
    }

    @Test func accessReplaceIOAS() throws {
        let f = try IOASFixture()
        let fd = try createAccess(f, pin: true)
        let other = try f.ctx.allocIOAS()
        #expect(destroy(f.ctx, f.ioas.id) == .EBUSY)
        try f.ctx.testCommand(.accessReplaceIOAS, id: UInt32(bitPattern: fd)) { $0.access_replace_ioas.ioas_id = other.id }
        #expect(try other.iovaRanges().alignment == PAGE_SIZE)
        #expect(try f.ioas.iovaRanges().alignment == 1)
        #expect(failure { try f.ctx.testCommand(.accessReplaceIOAS, id: UInt32(bitPattern: fd)) { $0.access_replace_ioas.ioas_id = 999 } } == .ENOENT)
        _ = f.backend.close(fd)
        try other.destroy()
    }
}
