#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
import IOMMUFD

// Cases that mirror the kernel selftest's remaining tests (tools/testing/selftests/iommu/iommufd.c,
// 7.2): the VFIO compat calls of fixtures `iommufd` and `vfio_compat_mock_domain`, the dirty
// tracking sweeps, HW queues, vDEVICE tombstones and the dma-buf tests.

/// A legacy VFIO call with an integer argument (VFIO_GET_API_VERSION, VFIO_SET_IOMMU) as the raw
/// result: the value, or the errno.
private func rawValueCall(_ t: CaseRun, _ request: IoctlRequest, _ value: UInt = 0) -> Result<Int, Errno> {
    t.ctx.backend.ioctl(t.ctx.fd, request, value: value)
}

/// `struct vfio_iommu_type1_dma_map` with `vaddr` declared as user memory.
private func rawMapDMA(_ t: CaseRun, argsz: UInt32, flags: UInt32, buffer: UnsafeMutableRawBufferPointer,
                       iova: UInt64) throws {
    var arg = vfio_iommu_type1_dma_map()
    arg.argsz = argsz
    arg.flags = flags
    arg.vaddr = UInt64(UInt(bitPattern: buffer.baseAddress))
    arg.iova = iova
    arg.size = UInt64(buffer.count)
    let memory = IoctlBuffer(fieldOffset: MemoryLayout<vfio_iommu_type1_dma_map>.offset(of: \.vaddr)!,
                             pointer: buffer.baseAddress, length: buffer.count, direction: .userMemory)
    try t.ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &arg, buffers: [memory])
}

/// `struct vfio_iommu_type1_dma_unmap`; returns the size written back.
@discardableResult
private func rawUnmapDMA(_ t: CaseRun, argsz: UInt32 = 24, flags: UInt32 = 0, iova: UInt64, size: UInt64) throws -> UInt64 {
    var arg = vfio_iommu_type1_dma_unmap()
    arg.argsz = argsz
    arg.flags = flags
    arg.iova = iova
    arg.size = size
    try t.ctx.ioctl(.VFIO_IOMMU_UNMAP_DMA, &arg)
    return arg.size
}

/// A deterministic shuffle (the kernel test uses rand()), so that runs and replays agree.
private func shuffled<T>(_ values: [T], seed: UInt64 = 0x5eed) -> [T] {
    var array = values
    var state = seed
    for i in array.indices.reversed() where i > 0 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        array.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
    }
    return array
}

/// VFIO_TYPE1_IOMMU and VFIO_TYPE1v2_IOMMU, the two variants of `vfio_compat_mock_domain`.
private let compatVersions: [(type: UInt, name: String)] = [(3, "Ver1v2"), (1, "Ver1v0")]

extension CaseRun {
    /// FIXTURE_SETUP(vfio_compat_mock_domain): an IOAS with a mock domain made the compat IOAS,
    /// then VFIO_SET_IOMMU `version`.
    func compatMockFixture(_ version: UInt, _ name: String) throws -> (IOAS, MockDevice) {
        let ioas = try ok("\(name): IOMMU_IOAS_ALLOC") { try ctx.allocIOAS() }
        let device = try ok("\(name): MOCK_DOMAIN") { try ctx.addMockDevice(attachedTo: ioas) }
        try ok("\(name): IOMMU_VFIO_IOAS SET") { try ctx.setCompatIOAS(ioas) }
        try ok("\(name): VFIO_SET_IOMMU \(version)") { try ctx.vfioSetIOMMU(version) }
        return (ioas, device)
    }
}

/// Fixture `iommufd`: the VFIO compat calls on a context without a compat IOAS.
let parityCompatCases: [TestCase] = [
    TestCase("parity.simple_ioctls", .compat, "VFIO_GET_API_VERSION is VFIO_API_VERSION (0); CHECK_EXTENSION TYPE1v2 is 1") { t in
        switch rawValueCall(t, .VFIO_GET_API_VERSION) {
        case .success(let version): try t.equal(version, 0, "VFIO_GET_API_VERSION")
        case .failure(let e): throw CaseFailure(message: "VFIO_GET_API_VERSION: expected 0, got \(e.name)")
        }
        try t.equal(try t.ctx.vfioCheckExtension(3), 1, "CHECK_EXTENSION VFIO_TYPE1v2_IOMMU")
    },
    TestCase("parity.unmap_cmd", .compat, "VFIO_IOMMU_UNMAP_DMA: argsz 1 and flags 1<<31 give EINVAL, then ENODEV without a compat IOAS") { t in
        let iova = MockIOMMU.apertureStart
        try t.fails(.EINVAL, "UNMAP_DMA argsz 1") { try rawUnmapDMA(t, argsz: 1, iova: iova, size: hostPage) }
        try t.fails(.EINVAL, "UNMAP_DMA flags 1<<31") { try rawUnmapDMA(t, flags: 1 << 31, iova: iova, size: hostPage) }
        try t.fails(.ENODEV, "UNMAP_DMA without a compat IOAS") { try rawUnmapDMA(t, iova: iova, size: hostPage) }
    },
    TestCase("parity.map_cmd", .compat, "VFIO_IOMMU_MAP_DMA: argsz 1 and flags 1<<31 give EINVAL, then READ|WRITE ENODEV without a compat IOAS") { t in
        let buffer = t.buffer(Int(hostPage))
        let iova = MockIOMMU.apertureStart
        try t.fails(.EINVAL, "MAP_DMA argsz 1") { try rawMapDMA(t, argsz: 1, flags: 0, buffer: buffer, iova: iova) }
        try t.fails(.EINVAL, "MAP_DMA flags 1<<31") { try rawMapDMA(t, argsz: 32, flags: 1 << 31, buffer: buffer, iova: iova) }
        try t.fails(.ENODEV, "MAP_DMA READ|WRITE without a compat IOAS") { try rawMapDMA(t, argsz: 32, flags: 3, buffer: buffer, iova: iova) }
    },
    TestCase("parity.info_cmd", .compat, "VFIO_IOMMU_GET_INFO: argsz 1 gives EINVAL, a full argsz ENODEV without a compat IOAS") { t in
        var info = vfio_iommu_type1_info()
        info.argsz = 1
        try t.fails(.EINVAL, "GET_INFO argsz 1") { try t.ctx.ioctl(.VFIO_IOMMU_GET_INFO, &info) }
        info.argsz = UInt32(MemoryLayout<vfio_iommu_type1_info>.size)
        try t.fails(.ENODEV, "GET_INFO without a compat IOAS") { try t.ctx.ioctl(.VFIO_IOMMU_GET_INFO, &info) }
    },
    TestCase("parity.set_iommu_cmd", .compat, "VFIO_SET_IOMMU TYPE1v2 and TYPE1 give ENODEV without a compat IOAS") { t in
        try t.fails(.ENODEV, "SET_IOMMU VFIO_TYPE1v2_IOMMU") { try t.ctx.vfioSetIOMMU(3) }
        try t.fails(.ENODEV, "SET_IOMMU VFIO_TYPE1_IOMMU") { try t.ctx.vfioSetIOMMU(1) }
    },
]

/// Fixture `vfio_compat_mock_domain` (variants Ver1v2 and Ver1v0, each run in turn).
let parityCompatMockCases: [TestCase] = [
    TestCase("parity.compat_option_huge_pages", .compat, "after SET_IOMMU, IOMMU_OPTION HUGE_PAGES GET is 1 for TYPE1v2 and 0 for TYPE1", needs: [.selftest]) { t in
        for (version, name) in compatVersions {
            t.ctx = try t.newContext()
            let (ioas, device) = try t.compatMockFixture(version, name)
            defer { withExtendedLifetime(device) {} }
            let value = try t.ok("\(name): OPTION HUGE_PAGES GET") { try t.ctx.option(.hugePages, .get, objectID: ioas.id, value: 3) }
            try t.equal(value, version == 1 ? 0 : 1, "\(name): huge pages")
        }
    },
    TestCase("parity.compat_get_info", .compat, "VFIO_IOMMU_GET_INFO: pre-cap ABI, the cap chain size, and every shorter argsz writes nothing past argsz", needs: [.selftest]) { t in
        let bufferSize = 4096
        for (version, name) in compatVersions {
            t.ctx = try t.newContext()
            let fixture = try t.compatMockFixture(version, name)
            defer { withExtendedLifetime(fixture) {} }
            /// ioctl_check_buf: the bytes past argsz are 0xAA before and after the call.
            func call(argsz: Int) throws -> [UInt8] {
                var bytes = [UInt8](repeating: 0xAA, count: bufferSize)
                for i in 0..<min(argsz, 24) { bytes[i] = 0 }
                store32(&bytes, at: 0, UInt32(argsz))
                try t.ok("\(name): GET_INFO argsz \(argsz)") { try t.ctx.ioctl(.VFIO_IOMMU_GET_INFO, bytes: &bytes) }
                guard bytes[argsz...].allSatisfy({ $0 == 0xAA }) else {
                    throw CaseFailure(message: "\(name): GET_INFO argsz \(argsz) wrote past argsz")
                }
                try t.equal(load32(bytes, at: 4), 3, "\(name): argsz \(argsz): flags PGSIZES|CAPS")
                return bytes
            }
            func pgsizes(_ bytes: [UInt8]) -> UInt64 { UInt64(load32(bytes, at: 8)) | UInt64(load32(bytes, at: 12)) << 32 }
            let preCap = try call(argsz: 16)
            try t.check(pgsizes(preCap) != 0, "\(name): pre-cap ABI: iova_pgsizes \(hex(pgsizes(preCap))) is non-zero")
            let sized = try call(argsz: 24)
            try t.check(pgsizes(sized) != 0, "\(name): iova_pgsizes is non-zero")
            try t.equal(load32(sized, at: 16), 0, "\(name): cap_offset with argsz 24")
            let capLength = Int(load32(sized, at: 0))
            try t.check(capLength > 24 && capLength < bufferSize, "\(name): argsz needed for the caps (\(capLength)) is above 24")
            for argsz in 24..<capLength {
                let bytes = try call(argsz: argsz)
                let capOffset = Int(load32(bytes, at: 16))
                guard capOffset != 0 else { continue }
                // check_vfio_info_cap_chain, as the kernel test would run it.
                let reported = Int(load32(bytes, at: 0))
                var cap = capOffset
                while true {
                    try t.check(reported >= cap + 8, "\(name): argsz \(argsz): cap at \(cap) lies inside argsz")
                    let id = UInt16(truncatingIfNeeded: load32(bytes, at: cap))
                    let capVersion = UInt16(truncatingIfNeeded: load32(bytes, at: cap) >> 16)
                    let next = Int(load32(bytes, at: cap + 4))
                    try t.equal(capVersion, 1, "\(name): cap \(id) version")
                    switch id {
                    case 1:
                        try t.equal(load32(bytes, at: cap + 8), 1, "\(name): IOVA_RANGE nr_iovas")
                    case 3:
                        let size = next != 0 ? next - cap : reported - cap
                        try t.equal(size, 12, "\(name): DMA_AVAIL cap size")
                    default:
                        throw CaseFailure(message: "\(name): argsz \(argsz): unknown cap id \(id)")
                    }
                    if next == 0 { break }
                    try t.check(next >= cap, "\(name): cap chain moves forward")
                    cap = next
                }
            }
        }
    },
    TestCase("parity.compat_map", .compat, "type1 MAP/UNMAP on a mock domain: unmap of nothing is success, UNMAP ALL rules, 16 single pages unmapped in shuffled order", needs: [.selftest]) { t in
        let size = Int(hostPage) * 16
        let base = MockIOMMU.apertureStart
        for (version, name) in compatVersions {
            t.ctx = try t.newContext()
            let fixture = try t.compatMockFixture(version, name)
            defer { withExtendedLifetime(fixture) {} }
            let buffer = t.buffer(size)
            try t.ok("\(name): MAP_DMA 16 pages") { try rawMapDMA(t, argsz: 32, flags: 3, buffer: buffer, iova: base) }
            try t.equal(try rawUnmapDMA(t, iova: base, size: UInt64(size)), UInt64(size), "\(name): UNMAP_DMA size")
            try t.ok("\(name): UNMAP_DMA of nothing") { try rawUnmapDMA(t, iova: base, size: UInt64(size)) }
            try t.ok("\(name): MAP_DMA again") { try rawMapDMA(t, argsz: 32, flags: 3, buffer: buffer, iova: base) }
            try t.fails(.EINVAL, "\(name): UNMAP_DMA ALL with iova and size") { try rawUnmapDMA(t, flags: 2, iova: base, size: UInt64(size)) }
            try t.equal(try rawUnmapDMA(t, flags: 2, iova: 0, size: 0), UInt64(size), "\(name): UNMAP_DMA ALL size")
            var iovas: [UInt64] = []
            try t.ok("\(name): MAP_DMA 16 single pages") {
                for i in 0..<16 {
                    let page = UnsafeMutableRawBufferPointer(rebasing: buffer[(i * Int(hostPage))..<((i + 1) * Int(hostPage))])
                    try rawMapDMA(t, argsz: 32, flags: 3, buffer: page, iova: base + UInt64(i) * hostPage)
                    iovas.append(base + UInt64(i) * hostPage)
                }
            }
            try t.ok("\(name): UNMAP_DMA them one by one, shuffled") {
                for iova in shuffled(iovas) { try rawUnmapDMA(t, iova: iova, size: hostPage) }
            }
        }
    },
    TestCase("parity.compat_huge_map", .compat, "type1 cuts a 2-huge-page mapping into 16 unmaps; type1v2 refuses each with ENOENT", needs: [.selftest]) { t in
        let hugePage = 2 << 20
        let size = 2 * hugePage
        let base = MockIOMMU.apertureStart
        let piece = UInt64(size / 16)
        for (version, name) in compatVersions {
            t.ctx = try t.newContext()
            let fixture = try t.compatMockFixture(version, name)
            defer { withExtendedLifetime(fixture) {} }
            // The kernel test maps MAP_HUGETLB memory; the unmap rules do not depend on the backing
            // (iopt_cut_iova and iopt_unmap_iova look at areas), so without reserved huge pages
            // huge-page-aligned ordinary memory is used.
            var buffer: UnsafeMutableRawBufferPointer
            let huge = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0)
            if let huge, huge != MAP_FAILED {
                buffer = UnsafeMutableRawBufferPointer(start: huge, count: size)
            } else {
                buffer = t.alignedBuffer(size, alignment: hugePage)
            }
            defer { if let huge, huge != MAP_FAILED { munmap(huge, size) } }
            try t.ok("\(name): MAP_DMA 2 huge pages") { try rawMapDMA(t, argsz: 32, flags: 3, buffer: buffer, iova: base) }
            let iovas = shuffled((0..<16).map { base + UInt64($0) * piece }, seed: 16)
            if version == 1 {
                try t.ok("\(name): UNMAP_DMA 16 pieces, shuffled") { for iova in iovas { try rawUnmapDMA(t, iova: iova, size: piece) } }
            } else {
                for iova in iovas {
                    try t.fails(.ENOENT, "\(name): UNMAP_DMA piece at \(hex(iova))") { try rawUnmapDMA(t, iova: iova, size: piece) }
                }
                try t.ok("\(name): UNMAP_DMA ALL") { try rawUnmapDMA(t, flags: 2, iova: 0, size: 0) }
            }
        }
    },
]

// MARK: Dirty tracking

/// IOMMU_TEST_OP_DIRTY with the bitmap at `bitmap` (any alignment); returns out_nr_dirty.
private func rawSetDirty(_ ctx: IOMMUFD, hwpt: UInt32, iova: UInt64, length: UInt64, pageSize: UInt64,
                         bitmap: UnsafeMutableRawPointer, bytes: Int) throws -> UInt64 {
    let bits = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_DIRTY_UPTR_OFFSET), pointer: bitmap, length: bytes, direction: .input)
    let cmd = try ctx.testCommand(.dirty, id: hwpt, buffers: [bits], context: "iova \(hex(iova)), length \(hex(length))") {
        $0.dirty.iova = iova
        $0.dirty.length = length
        $0.dirty.page_size = pageSize
        $0.dirty.uptr = UInt64(UInt(bitPattern: bitmap))
    }
    return cmd.dirty.out_nr_dirty
}

/// IOMMU_HWPT_GET_DIRTY_BITMAP into the bitmap at `bitmap` (any alignment).
private func rawGetDirty(_ ctx: IOMMUFD, hwpt: UInt32, iova: UInt64, length: UInt64, pageSize: UInt64,
                         bitmap: UnsafeMutableRawPointer, bytes: Int, noClear: Bool) throws {
    var arg = iommu_hwpt_get_dirty_bitmap()
    arg.size = UInt32(MemoryLayout<iommu_hwpt_get_dirty_bitmap>.size)
    arg.hwpt_id = hwpt
    arg.flags = noClear ? IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR.rawValue : 0
    arg.iova = iova
    arg.length = length
    arg.page_size = pageSize
    arg.data = UInt64(UInt(bitPattern: bitmap))
    // inOut: iova_bitmap_set ORs bits into the user's pages, so what was there before counts.
    let out = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_get_dirty_bitmap>.offset(of: \.data)!,
                          pointer: bitmap, length: bytes, direction: .inOut)
    try ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &arg, buffers: [out])
}

/// _test_mock_dirty_bitmaps with the mock's 2 KiB pages (npte 1): every other page is dirtied,
/// read back (bits 0, 2, 4, ... set), and read again (clear, or the same with NO_CLEAR).
private func mockDirtyBitmaps(_ t: CaseRun, hwpt: UInt32, length: UInt64, iova: UInt64,
                              bitmap: UnsafeMutableRawPointer, nbits: Int, noClear: Bool, label: String) throws {
    let pageSize = MockIOMMU.pageSize
    let bytes = (nbits + 7) / 8
    let view = UnsafeMutableRawBufferPointer(start: bitmap, count: bytes)
    func bit(_ i: Int) -> Bool { view[i / 8] >> (i % 8) & 1 == 1 }
    view.initializeMemory(as: UInt8.self, repeating: 0)
    for i in stride(from: 0, to: nbits, by: 2) { view[i / 8] |= 1 << (i % 8) }
    let dirtied = try t.ok("\(label): DIRTY every other page") {
        try rawSetDirty(t.ctx, hwpt: hwpt, iova: iova, length: length, pageSize: pageSize, bitmap: bitmap, bytes: bytes)
    }
    try t.equal(dirtied, UInt64(max(nbits / 2, 1)), "\(label): out_nr_dirty")
    view.initializeMemory(as: UInt8.self, repeating: 0)
    try t.ok("\(label): GET_DIRTY_BITMAP\(noClear ? " NO_CLEAR" : "")") {
        try rawGetDirty(t.ctx, hwpt: hwpt, iova: iova, length: length, pageSize: pageSize, bitmap: bitmap, bytes: bytes, noClear: noClear)
    }
    if let wrong = (0..<nbits).first(where: { bit($0) != ($0 % 2 == 0) }) {
        throw CaseFailure(message: "\(label): bit \(wrong) is \(bit(wrong)), expected \(wrong % 2 == 0)")
    }
    _ = try t.ok("\(label): the even bits are set, the odd ones clear") { () }
    view.initializeMemory(as: UInt8.self, repeating: 0)
    try t.ok("\(label): GET_DIRTY_BITMAP again") {
        try rawGetDirty(t.ctx, hwpt: hwpt, iova: iova, length: length, pageSize: pageSize, bitmap: bitmap, bytes: bytes, noClear: noClear)
    }
    if let wrong = (0..<nbits).first(where: { bit($0) != (noClear && $0 % 2 == 0) }) {
        throw CaseFailure(message: "\(label): second read: bit \(wrong) is \(bit(wrong))")
    }
    _ = try t.ok("\(label): second read \(noClear ? "keeps the even bits" : "is all clear")") { () }
}

/// The non-huge variants of FIXTURE(iommufd_dirty_tracking).
private let dirtySizes: [(UInt64, String)] = [
    (8 << 10, "8k"), (16 << 10, "16k"), (64 << 10, "64k"), (128 << 10, "128k"), (320 << 10, "320k"),
    (64 << 20, "64M"), (128 << 20, "128M"),
]

extension CaseRun {
    /// FIXTURE_SETUP(iommufd_dirty_tracking) without huge pages: an IOAS with HUGE_PAGES off and a
    /// mock device on it.
    func dirtyFixture(_ label: String) throws -> (IOAS, MockDevice) {
        let ioas = try ok("\(label): IOMMU_IOAS_ALLOC") { try ctx.allocIOAS() }
        try ok("\(label): OPTION HUGE_PAGES 0") { try ioas.setHugePages(false) }
        let device = try ok("\(label): MOCK_DOMAIN") { try ctx.addMockDevice(attachedTo: ioas) }
        return (ioas, device)
    }

    /// get_dirty_bitmap / get_dirty_bitmap_no_clear for every non-huge buffer size, with the bitmap
    /// page aligned, at +MOCK_PAGE_SIZE and at +0xff1.
    func dirtyBitmapSweep(noClear: Bool) throws {
        for (size, label) in dirtySizes {
            let (ioas, device) = try dirtyFixture(label)
            let memory = alignedBuffer(Int(size))
            try ok("\(label): MAP the buffer at the aperture start") { _ = try ioas.map(memory, iova: MockIOMMU.apertureStart) }
            let hwpt = try ok("\(label): HWPT_ALLOC DIRTY_TRACKING, MOCK_IOMMUPT_DEFAULT") {
                try ctx.allocHWPT(device: device, ioas: ioas, flags: .dirtyTracking,
                                  data: HWPTData(type: HWPTData.typeSelftest, bytes: u32Bytes(0, 0)))
            }
            try ok("\(label): SET_DIRTY_TRACKING enable") { try hwpt.setDirtyTracking(true) }
            let nbits = Int(size / MockIOMMU.pageSize)
            let bitmap = buffer((nbits + 7) / 8 + Int(hostPage))
            for (offset, placement) in [(0, "aligned bitmap"), (Int(MockIOMMU.pageSize), "bitmap at +2048"), (0xff1, "bitmap at +0xff1")] {
                try mockDirtyBitmaps(self, hwpt: hwpt.id, length: size, iova: MockIOMMU.apertureStart,
                                     bitmap: bitmap.baseAddress! + offset, nbits: nbits, noClear: noClear, label: "\(label), \(placement)")
            }
            try ok("\(label): DESTROY the HWPT") { try hwpt.destroy() }
            try ok("\(label): DESTROY the mock device") { try device.destroy() }
            try ok("\(label): DESTROY the IOAS") { try ioas.destroy() }
        }
    }
}

/// Fixture `iommufd_dirty_tracking` (the non-huge variants).
let parityDirtyCases: [TestCase] = [
    TestCase("parity.set_dirty_tracking", .dirty, "for every buffer size: DIRTY_TRACKING HWPT with a device on it, SET_DIRTY_TRACKING on and off", needs: [.selftest]) { t in
        for (_, label) in dirtySizes {
            let (ioas, device) = try t.dirtyFixture(label)
            let hwpt = try t.ok("\(label): HWPT_ALLOC DIRTY_TRACKING") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .dirtyTracking) }
            let user = try t.ok("\(label): MOCK_DOMAIN on it") { try t.ctx.addMockDevice(attachedTo: hwpt) }
            try t.ok("\(label): enable") { try hwpt.setDirtyTracking(true) }
            try t.ok("\(label): disable") { try hwpt.setDirtyTracking(false) }
            try t.ok("\(label): DESTROY the device, the HWPT") {
                try user.destroy()
                try hwpt.destroy()
            }
        }
    },
    TestCase("parity.pasid_set_dirty_tracking", .dirty, "a PASID|DIRTY_TRACKING HWPT on PASID 100 tracks dirt; a NO_DIRTY device cannot attach it (EINVAL)", needs: [.selftest]) { t in
        let (ioas, device) = try t.dirtyFixture("fixture")
        let hwpt = try t.ok("HWPT_ALLOC PASID|DIRTY_TRACKING") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: [.pasid, .dirtyTracking]) }
        let pasidDevice = try t.ok("MOCK_DOMAIN_FLAGS PASID on the HWPT") { try t.ctx.addMockDevice(attachedTo: hwpt, flags: .pasid) }
        try t.ok("PASID_ATTACH 100") { try pasidDevice.attach(pasid: 100, to: hwpt) }
        try t.ok("SET_DIRTY_TRACKING enable") { try hwpt.setDirtyTracking(true) }
        try t.ok("SET_DIRTY_TRACKING disable") { try hwpt.setDirtyTracking(false) }
        try t.ok("PASID_DETACH 100") { try pasidDevice.detach(pasid: 100) }
        try t.ok("DESTROY the device") { try pasidDevice.destroy() }
        let other = try t.ok("IOMMU_IOAS_ALLOC") { try t.ctx.allocIOAS() }
        let noDirty = try t.ok("MOCK_DOMAIN_FLAGS PASID|NO_DIRTY") { try t.ctx.addMockDevice(attachedTo: other, flags: [.pasid, .noDirty]) }
        try t.fails(.EINVAL, "PASID_ATTACH 100 of the NO_DIRTY device to the dirty-tracking HWPT") { try noDirty.attach(pasid: 100, to: hwpt) }
        try t.ok("DESTROY the device, the HWPT") {
            try noDirty.destroy()
            try hwpt.destroy()
        }
    },
    TestCase("parity.device_dirty_capability", .dirty, "GET_HW_INFO out_capabilities has IOMMU_HW_CAP_DIRTY_TRACKING for a mock device", needs: [.selftest]) { t in
        let (ioas, device) = try t.dirtyFixture("fixture")
        let hwpt = try t.ok("HWPT_ALLOC") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        let user = try t.ok("MOCK_DOMAIN on it") { try t.ctx.addMockDevice(attachedTo: hwpt) }
        let info = try t.ok("GET_HW_INFO of the fixture device") { try device.hwInfo() }
        try t.check(info.capabilities.contains(.dirtyTracking), "out_capabilities \(hex(info.capabilities.rawValue)) has DIRTY_TRACKING")
        try t.ok("DESTROY the device, the HWPT") {
            try user.destroy()
            try hwpt.destroy()
        }
    },
    TestCase("parity.get_dirty_bitmap", .dirty, "every other mock page dirtied reads back and is cleared, for 8k…128M buffers and three bitmap placements", needs: [.selftest]) { t in
        try t.dirtyBitmapSweep(noClear: false)
    },
    TestCase("parity.get_dirty_bitmap_no_clear", .dirty, "as get_dirty_bitmap with NO_CLEAR: the second read still has the bits", needs: [.selftest]) { t in
        try t.dirtyBitmapSweep(noClear: true)
    },
]

// MARK: vIOMMU

/// FIXTURE(iommufd_viommu), variant mock_viommu: everything stays alive for the whole test.
struct VIOMMUFixture {
    let ioas: IOAS
    let device: MockDevice
    let parent: HWPTPaging
    let viommu: VIOMMU
    let nested: HWPTNested
}

extension CaseRun {
    /// FIXTURE_SETUP(iommufd_viommu) variant mock_viommu: a mock device, a nest parent, a vIOMMU
    /// and a nested HWPT on it.
    func viommuFixture() throws -> VIOMMUFixture {
        let ioas = try ok("IOMMU_IOAS_ALLOC") { try ctx.allocIOAS() }
        let device = try ok("MOCK_DOMAIN") { try ctx.addMockDevice(attachedTo: ioas) }
        let parent = try ok("HWPT_ALLOC NEST_PARENT") { try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
        let viommu = try ok("VIOMMU_ALLOC selftest") { try ctx.allocVIOMMU(device: device, parent: parent, type: MockIOMMU.viommuType) }
        let nested = try ok("nested HWPT through the vIOMMU") { try viommu.allocNestedHWPT(device: device, data: selftestHWPTData()) }
        return VIOMMUFixture(ioas: ioas, device: device, parent: parent, viommu: viommu, nested: nested)
    }
}

let parityVIOMMUCases: [TestCase] = [
    TestCase("parity.hw_queue", .viommu, "HW_QUEUE_ALLOC: type, length, overflow, missing IOVA and index rules; the queue pins its IOVA; destroy in descending order", needs: [.selftest]) { t in
        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let ioas = fixture.ioas, viommu = fixture.viommu
        let type = MockIOMMU.hwQueueType
        var iova = MockIOMMU.apertureStart
        try t.fails(.EOPNOTSUPP, "HW_QUEUE_ALLOC type DEFAULT") { _ = try viommu.allocHWQueue(type: 0, index: 0, iova: iova, length: hostPage) }
        try t.fails(.EINVAL, "HW_QUEUE_ALLOC length 0") { _ = try viommu.allocHWQueue(type: type, index: 0, iova: iova, length: 0) }
        try t.fails(.EOVERFLOW, "HW_QUEUE_ALLOC at ~0") { _ = try viommu.allocHWQueue(type: type, index: 0, iova: ~0, length: hostPage) }
        try t.fails(.ENOENT, "HW_QUEUE_ALLOC on an unmapped IOVA") { _ = try viommu.allocHWQueue(type: type, index: 0, iova: iova, length: hostPage) }
        let buffer = t.buffer(2 * Int(hostPage))
        iova = try t.ok("MAP page 0") { try ioas.map(userAddress: buffer.baseAddress!, length: hostPage) }
        let iova2 = try t.ok("MAP page 1") { try ioas.map(userAddress: buffer.baseAddress! + Int(hostPage), length: hostPage) }
        try t.fails(.EIO, "HW_QUEUE_ALLOC index 1 before index 0") { _ = try viommu.allocHWQueue(type: type, index: 1, iova: iova, length: hostPage) }
        try t.fails(.EINVAL, "HW_QUEUE_ALLOC index IOMMU_TEST_HW_QUEUE_MAX (2)") { _ = try viommu.allocHWQueue(type: type, index: 2, iova: iova, length: hostPage) }
        let queue0 = try t.ok("HW_QUEUE_ALLOC index 0") { try viommu.allocHWQueue(type: type, index: 0, iova: iova, length: hostPage) }
        try t.fails(.EEXIST, "HW_QUEUE_ALLOC index 0 again") { _ = try viommu.allocHWQueue(type: type, index: 0, iova: iova, length: hostPage) }
        try t.fails(.EBUSY, "UNMAP the queue's page") { _ = try ioas.unmap(iova: iova, length: hostPage) }
        try t.ok("UNMAP the other page") { _ = try ioas.unmap(iova: iova2, length: hostPage) }
        let queue1 = try t.ok("HW_QUEUE_ALLOC index 1 at iova + PAGE_SIZE/2, length PAGE_SIZE/2") {
            try viommu.allocHWQueue(type: type, index: 1, iova: iova + hostPage / 2, length: hostPage / 2)
        }
        try t.fails(.EBUSY, "DESTROY queue 0 while queue 1 depends on it") { try queue0.destroy() }
        try t.ok("DESTROY queue 1, then queue 0") {
            try queue1.destroy()
            try queue0.destroy()
        }
        try t.ok("UNMAP the first page now") { _ = try ioas.unmap(iova: iova, length: hostPage) }
    },
    TestCase("parity.vdevice_tombstone", .viommu, "destroying the device of a vDEVICE tombstones it: its DESTROY then gives ENOENT", needs: [.selftest]) { t in
        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let device = fixture.device, viommu = fixture.viommu
        var arg = iommu_vdevice_alloc()
        arg.size = UInt32(MemoryLayout<iommu_vdevice_alloc>.size)
        arg.viommu_id = viommu.id
        arg.dev_id = device.boundID
        arg.virt_id = 0x99
        try t.ok("VDEVICE_ALLOC virt_id 0x99") { try t.ctx.ioctl(.IOMMU_VDEVICE_ALLOC, &arg) }
        try t.ok("DESTROY the mock device") { try device.destroy() }
        try t.fails(.ENOENT, "DESTROY the vDEVICE") { try t.ctx.destroy(id: arg.out_vdevice_id) }
    },
]

// MARK: dma-buf

extension CaseRun {
    /// IOMMU_TEST_OP_DMABUF_GET: a test dma-buf of `length` bytes, as an fd of the backend.
    func testDmabuf(_ length: UInt32) throws -> Int32 {
        var cmd = iommu_test_cmd()
        cmd.size = UInt32(MemoryLayout<iommu_test_cmd>.size)
        cmd.op = SelftestOp.dmabufGet.rawValue
        cmd.dmabuf_get.length = length
        cmd.dmabuf_get.open_flags = UInt32(O_CLOEXEC)
        return Int32(try ok("DMABUF_GET \(length) bytes") { try ctx.ioctl(.IOMMU_TEST_CMD, &cmd) })
    }

    func revokeDmabuf(_ fd: Int32, _ revoked: Bool) throws {
        var cmd = iommu_test_cmd()
        cmd.size = UInt32(MemoryLayout<iommu_test_cmd>.size)
        cmd.op = SelftestOp.dmabufRevoke.rawValue
        cmd.dmabuf_revoke.dmabuf_fd = fd
        cmd.dmabuf_revoke.revoked = revoked ? 1 : 0
        try ok("DMABUF_REVOKE \(revoked ? "revoke" : "restore")") { try ctx.ioctl(.IOMMU_TEST_CMD, &cmd) }
    }

    /// The dma-buf tests need the kernel's test exporter; the model has none.
    func skipDmabufOnModel() throws {
        if target.modelProfile != nil {
            try skip("the model has no dma-buf exporter (IOMMU_TEST_OP_DMABUF_GET answers EOPNOTSUPP there); runs on a CONFIG_IOMMUFD_TEST kernel")
        }
    }
}

let parityDmabufCases: [TestCase] = [
    TestCase("parity.dmabuf_simple", .ioas, "MAP_FILE of a test dma-buf: length 0, an offset at the end and one byte too long give EINVAL; the whole buffer maps", needs: [.selftest]) { t in
        try t.skipDmabufOnModel()
        let length = UInt64(hostPage * 4)
        for fixture in try t.ioasVariants() {
            let fd = try t.testDmabuf(UInt32(length))
            defer { _ = t.ctx.backend.close(fd) }
            try t.fails(.EINVAL, "\(fixture.name): MAP_FILE length 0") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: 0) }
            try t.fails(.EINVAL, "\(fixture.name): MAP_FILE at offset = size") { _ = try fixture.ioas.mapFile(fd: fd, offset: length, length: length) }
            try t.fails(.EINVAL, "\(fixture.name): MAP_FILE size + 1") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: length + 1) }
            try t.ok("\(fixture.name): MAP_FILE the whole dma-buf") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: length) }
        }
    },
    TestCase("parity.dmabuf_revoke", .ioas, "a revoked dma-buf cannot be mapped (ENODEV) but a HWPT can still be made; restored, it maps again and the old IOVA can be reused", needs: [.selftest]) { t in
        try t.skipDmabufOnModel()
        let length = UInt64(hostPage * 4)
        for fixture in try t.ioasVariants() {
            let fd = try t.testDmabuf(UInt32(length))
            defer { _ = t.ctx.backend.close(fd) }
            let iova = try t.ok("\(fixture.name): MAP_FILE") { try fixture.ioas.mapFile(fd: fd, offset: 0, length: length) }
            try t.revokeDmabuf(fd, true)
            var hwpt: HWPTPaging?
            if let device = fixture.device {
                hwpt = try t.ok("\(fixture.name): HWPT_ALLOC on the IOAS with a revoked dma-buf mapped") {
                    try t.ctx.allocHWPT(device: device, ioas: fixture.ioas)
                }
            }
            defer { withExtendedLifetime(hwpt) {} }
            try t.fails(.ENODEV, "\(fixture.name): MAP_FILE of the revoked dma-buf") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: length) }
            try t.revokeDmabuf(fd, false)
            try t.ok("\(fixture.name): MAP_FILE after restore") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: length) }
            try t.ok("\(fixture.name): UNMAP the first IOVA") { _ = try fixture.ioas.unmap(iova: iova, length: length) }
            try t.ok("\(fixture.name): MAP_FILE at that IOVA again") { _ = try fixture.ioas.mapFile(fd: fd, offset: 0, length: length, iova: iova) }
        }
    },
]

// MARK: PASID

/// TEST_F(iommufd_device_pasid, pasid_attach), variants has_pasid and no_pasid.
let parityPASIDCases: [TestCase] = [
    TestCase("parity.pasid_attach", .pasid, "PASID attach/replace/detach on nested, paging and IOPF HWPTs: EBUSY, EINVAL, the mock's forced ENOMEM on PASID 1024, a fault on PASID 2048", needs: [.selftest]) { t in
        for pasidCapable in [false, true] {
            let v = pasidCapable ? "has_pasid" : "no_pasid"
            t.ctx = try t.newContext()
            let ioas = try t.ok("\(v): IOMMU_IOAS_ALLOC") { try t.ctx.allocIOAS() }
            let device = try t.ok("\(v): MOCK_DOMAIN_FLAGS PASID") { try t.ctx.addMockDevice(attachedTo: ioas, flags: .pasid) }
            let plain = pasidCapable ? nil : try t.ok("\(v): a mock device without PASID") { try t.ctx.addMockDevice(attachedTo: ioas) }
            func check(_ pasid: UInt32, _ hwpt: UInt32, _ what: String) throws {
                try t.ok("\(v): PASID \(pasid) is on \(what)") { try device.checkPASID(pasid, attachedTo: hwpt) }
            }
            try t.ok("\(v): detach PASID 100 that was never attached") { try device.detach(pasid: 100) }
            let parent = try t.ok("\(v): HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
            let nested0 = try t.ok("\(v): nested HWPT 0 with PASID") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), flags: .pasid) }
            let nested1 = try t.ok("\(v): nested HWPT 1 with PASID") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), flags: .pasid) }
            let queue = try t.ok("\(v): FAULT_QUEUE_ALLOC") { try t.ctx.allocFaultQueue() }
            let iopf = try t.ok("\(v): nested IOPF HWPT with PASID") {
                try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), flags: .pasid, faultQueue: queue)
            }
            let viommu = try t.ok("\(v): VIOMMU_ALLOC") { try t.ctx.allocVIOMMU(device: device, parent: parent, type: MockIOMMU.viommuType) }
            let nested2 = try t.ok("\(v): nested HWPT 2 with PASID through the vIOMMU") { try viommu.allocNestedHWPT(device: device, data: selftestHWPTData(), flags: .pasid) }
            let s2 = try t.ok("\(v): paging HWPT with PASID") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .pasid) }

            defer { withExtendedLifetime((nested2, plain)) {} }
            try t.ok("\(v): RID onto the nest parent") { try device.replace(with: parent) }
            try t.fails(.EINVAL, "\(v): attach PASID 100 to s2 while the RID's HWPT is not PASID-compatible") { try device.attach(pasid: 100, to: s2) }
            try t.ok("\(v): RID onto s2") { try device.replace(with: s2) }
            try t.ok("\(v): attach PASID 100 to nested 0") { try device.attach(pasid: 100, to: nested0) }
            try t.fails(.EINVAL, "\(v): RID onto the nest parent while a PASID is attached") { try device.replace(with: parent) }
            try t.ok("\(v): detach PASID 100") { try device.detach(pasid: 100) }
            try check(100, 0, "nothing")
            if let plain {
                try t.ok("\(v): the non-PASID device onto PASID-compatible nested 0") { try plain.replace(with: nested0) }
                try t.ok("\(v): the non-PASID device back to the IOAS") { try plain.replace(with: ioas) }
                try t.fails(.EINVAL, "\(v): PASID attach on the non-PASID device (nest parent)") { try plain.attach(pasid: 100, to: parent) }
                try t.fails(.EINVAL, "\(v): PASID attach on the non-PASID device (s2)") { try plain.attach(pasid: 100, to: s2) }
            }
            try t.fails(.EINVAL, "\(v): attach PASID 100 to the nest parent") { try device.attach(pasid: 100, to: parent) }
            try check(100, 0, "nothing")
            try t.fails(.EINVAL, "\(v): attach PASID 100 to the IOAS") { try device.attach(pasid: 100, to: ioas) }
            try check(100, 0, "nothing")
            try t.ok("\(v): attach PASID 100 to s2") { try device.attach(pasid: 100, to: s2) }
            try check(100, s2.id, "s2")
            try t.fails(.EBUSY, "\(v): attach PASID 100 again (nested 0)") { try device.attach(pasid: 100, to: nested0) }
            try t.ok("\(v): detach PASID 100") { try device.detach(pasid: 100) }
            try check(100, 0, "nothing")
            try t.ok("\(v): attach PASID 100 to nested 0") { try device.attach(pasid: 100, to: nested0) }
            try check(100, nested0.id, "nested 0")
            try t.fails(.EBUSY, "\(v): attach PASID 100 again") { try device.attach(pasid: 100, to: nested0) }
            try t.ok("\(v): detach PASID 100") { try device.detach(pasid: 100) }

            try t.fails(.EINVAL, "\(v): replace PASID 200 that is not attached") { try device.replace(pasid: 200, with: s2) }
            try t.ok("\(v): attach PASID 200 to s2") { try device.attach(pasid: 200, to: s2) }
            try check(200, s2.id, "s2")
            try t.fails(.EINVAL, "\(v): replace PASID 200 with the IOAS") { try device.replace(pasid: 200, with: ioas) }
            try check(200, s2.id, "s2 still")
            try t.ok("\(v): replace PASID 200 with nested 0") { try device.replace(pasid: 200, with: nested0) }
            try check(200, nested0.id, "nested 0")
            try t.ok("\(v): replace PASID 200 with nested 1") { try device.replace(pasid: 200, with: nested1) }
            try check(200, nested1.id, "nested 1")
            try t.ok("\(v): detach PASID 200") { try device.detach(pasid: 200) }

            try t.ok("\(v): attach PASID 1024 to s2") { try device.attach(pasid: 1024, to: s2) }
            try check(1024, s2.id, "s2")
            try t.fails(.ENOMEM, "\(v): replace PASID 1024 with nested 0 (the mock's forced failure)") { try device.replace(pasid: 1024, with: nested0) }
            try check(1024, s2.id, "s2 still")
            try t.ok("\(v): detach PASID 1024") { try device.detach(pasid: 1024) }

            try t.ok("\(v): attach PASID 2048 to the IOPF HWPT") { try device.attach(pasid: 2048, to: iopf) }
            try check(2048, iopf.id, "the IOPF HWPT")
            try t.ok("\(v): TRIGGER_IOPF on PASID 2048") { try device.triggerPageFault(pasid: 2048) }
            let faults = try t.ok("\(v): read the fault") { try queue.readFaults() }
            try t.equal(faults.count, 1, "\(v): faults read")
            try t.equal(faults[0].pasid, 2048, "\(v): fault pasid")
            try t.ok("\(v): respond SUCCESS") { try queue.respond(PageResponse(cookie: faults[0].cookie, code: .success)) }
            try t.ok("\(v): replace PASID 2048 with s2") { try device.replace(pasid: 2048, with: s2) }
            try check(2048, s2.id, "s2")
            try t.ok("\(v): detach PASID 2048") { try device.detach(pasid: 2048) }
            try t.ok("\(v): DESTROY the IOPF HWPT, the fault queue") {
                try iopf.destroy()
                try queue.destroy()
            }
            try t.ok("\(v): RID back to the IOAS") { try device.replace(with: ioas) }
        }
    },
]
