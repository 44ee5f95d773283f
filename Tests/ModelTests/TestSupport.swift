import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

// Helpers that let the model tests read like the kernel's selftests (iommufd_utils.h):
// a fixture per test, `failure { ... }` for "this call must fail with errno X", and raw structs.

/// The errno the calls in `body` fail with (nil when they all succeed).
func failure(_ body: () throws -> Void) -> Errno? {
    do {
        try body()
        return nil
    } catch let error as IOMMUFDError {
        return error.errno
    } catch {
        return Errno(-1)
    }
}

let PAGE_SIZE = UInt64(sysconf(Int32(_SC_PAGESIZE)))
let MOCK_PAGE_SIZE: UInt64 = 2048
let MOCK_APERTURE_START: UInt64 = 1 << 24
let MOCK_APERTURE_LAST: UInt64 = (1 << 31) - 1

/// Page-aligned shared anonymous memory (the selftests' `buffer`), aligned to 2 MiB.
final class TestBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let size: Int
    private let mapping: UnsafeMutableRawPointer
    private let mappingSize: Int

    init(size: Int = Int(PAGE_SIZE) * 16, shared: Bool = true) {
        let align = 2 << 20
        mappingSize = size + align
        let flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS
        let p = mmap(nil, mappingSize, PROT_READ | PROT_WRITE, flags, -1, 0)!
        precondition(p != MAP_FAILED)
        mapping = p
        let aligned = (UInt(bitPattern: p) + UInt(align) - 1) & ~UInt(align - 1)
        base = UnsafeMutableRawPointer(bitPattern: aligned)!
        self.size = size
        memset(base, 0, size)
    }

    deinit { munmap(mapping, mappingSize) }

    var address: UInt64 { UInt64(UInt(bitPattern: base)) }
    func at(_ offset: UInt64) -> UnsafeMutableRawPointer { base + Int(offset) }
    var raw: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: size) }
}

/// A memfd of `size` bytes mapped shared (the selftests' `mfd_buffer`).
final class MemFD {
    let fd: Int32
    let base: UnsafeMutableRawPointer
    let size: Int

    init(size: Int = Int(PAGE_SIZE) * 16) {
        // A tmpfs file (what a memfd is), unlinked at once.
        var template = Array("/dev/shm/model-test-XXXXXX".utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        precondition(ftruncate(fd, off_t(size)) == 0)
        base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)!
        self.size = size
    }

    deinit {
        munmap(base, size)
        close(fd)
    }
}

/// A struct followed by one extra byte (the selftests' cmd_length layout).
struct WithExtra<T> {
    var cmd: T
    var extra: UInt8
}

/// A struct followed by a u64 (the selftests' cmd_ex_fail layout).
struct WithFuture<T> {
    var cmd: T
    var future: UInt64
}

/// The `iommufd_ioas` fixture: a context, an IOAS, optionally mock devices on it.
final class IOASFixture {
    let backend: ModelBackend
    let ctx: IOMMUFD
    let ioas: IOAS
    var devices: [MockDevice] = []
    var pasidDevice: MockDevice?
    /// The first IOVA mappings may use (the mock aperture start with a domain, else 0).
    var baseIOVA: UInt64 = 0
    let buffer = TestBuffer()

    init(mockDomains: Int = 0, pasidCapable: Bool = false, backend: ModelBackend = ModelBackend(profile: .selftest)) throws {
        self.backend = backend
        ctx = try IOMMUFD(backend: backend)
        ioas = try ctx.allocIOAS()
        for _ in 0..<mockDomains {
            devices.append(try ctx.addMockDevice(attachedTo: ioas))
            baseIOVA = MOCK_APERTURE_START
        }
        if pasidCapable { pasidDevice = try ctx.addMockDevice(attachedTo: ioas, flags: .pasid) }
    }

    var device: MockDevice? { devices.first }
    var fd: Int32 { ctx.fd }

    /// `test_ioctl_ioas_map_fixed`.
    func mapFixed(_ length: UInt64, at iova: UInt64, offset: UInt64 = 0, in target: IOAS? = nil) throws {
        try (target ?? ioas).map(userAddress: buffer.at(offset), length: length, iova: iova)
    }

    /// `test_ioctl_ioas_map` (automatic IOVA).
    func map(_ length: UInt64, offset: UInt64 = 0) throws -> UInt64 {
        try ioas.map(userAddress: buffer.at(offset), length: length)
    }

    /// `IOMMU_TEST_OP_ADD_RESERVED`.
    func addReserved(start: UInt64, length: UInt64, ioasID: UInt32? = nil) throws {
        try ctx.testCommand(.addReserved, id: ioasID ?? ioas.id) {
            $0.add_reserved.start = start
            $0.add_reserved.length = length
        }
    }

    /// Raw `IOMMU_IOAS_ALLOW_IOVAS`.
    func allowIOVAs(_ ranges: [(UInt64, UInt64)]) throws {
        try ioas.allowIOVAs(ranges.map { IOVARange(start: $0.0, last: $0.1) })
    }
}

/// A raw `iommu_test_cmd` with size filled in.
func testCmd(_ op: SelftestOp, id: UInt32 = 0) -> iommu_test_cmd {
    var cmd = iommu_test_cmd()
    cmd.size = UInt32(MemoryLayout<iommu_test_cmd>.size)
    cmd.op = op.rawValue
    cmd.id = id
    return cmd
}

/// `test_cmd_hwpt_alloc` with raw arguments: returns the new id or throws.
@discardableResult
func hwptAlloc(_ ctx: IOMMUFD, devID: UInt32, ptID: UInt32, flags: UInt32 = 0, faultID: UInt32 = 0,
               dataType: UInt32 = 0, data: UnsafeMutableRawPointer? = nil, dataLen: UInt32 = 0) throws -> UInt32 {
    var cmd = iommu_hwpt_alloc()
    cmd.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
    cmd.flags = flags
    cmd.dev_id = devID
    cmd.pt_id = ptID
    cmd.data_type = dataType
    cmd.data_len = dataLen
    cmd.data_uptr = UInt64(UInt(bitPattern: data))
    cmd.fault_id = faultID
    try ctx.ioctl(.IOMMU_HWPT_ALLOC, &cmd)
    return cmd.out_hwpt_id
}

/// `iommu_hwpt_selftest` bytes.
struct SelftestHWPTData {
    var iotlb: UInt32 = 0xbad_beef
    var pagetableType: UInt32 = 0
}

/// `test_cmd_hwpt_alloc_nested` with the selftest data.
@discardableResult
func hwptAllocNested(_ ctx: IOMMUFD, devID: UInt32, parentID: UInt32, flags: UInt32 = 0, faultID: UInt32 = 0,
                     dataType: UInt32 = 0xdead, dataLen: UInt32? = nil, nullData: Bool = false) throws -> UInt32 {
    var data = SelftestHWPTData()
    return try withUnsafeMutableBytes(of: &data) { raw in
        try hwptAlloc(ctx, devID: devID, ptID: parentID, flags: flags, faultID: faultID, dataType: dataType,
                      data: nullData ? nil : raw.baseAddress, dataLen: dataLen ?? 8)
    }
}

/// `test_cmd_hwpt_check_iotlb`.
func checkIOTLB(_ ctx: IOMMUFD, _ hwptID: UInt32, _ entry: UInt32, _ value: UInt32) throws {
    try ctx.testCommand(.mdCheckIOTLB, id: hwptID) {
        $0.check_iotlb.id = entry
        $0.check_iotlb.iotlb = value
    }
}

func checkIOTLBAll(_ ctx: IOMMUFD, _ hwptID: UInt32, _ value: UInt32) throws {
    for i: UInt32 in 0..<4 { try checkIOTLB(ctx, hwptID, i, value) }
}

/// `test_cmd_hwpt_invalidate`: returns the written-back entry_num with the errno (if any).
func hwptInvalidate(_ ctx: IOMMUFD, id: UInt32, entries: UnsafeMutableRawPointer?, type: UInt32, entryLen: UInt32,
                    entryNum: UInt32) -> (Errno?, UInt32) {
    var cmd = iommu_hwpt_invalidate()
    cmd.size = UInt32(MemoryLayout<iommu_hwpt_invalidate>.size)
    cmd.hwpt_id = id
    cmd.data_uptr = UInt64(UInt(bitPattern: entries))
    cmd.data_type = type
    cmd.entry_len = entryLen
    cmd.entry_num = entryNum
    let e = failure { try ctx.ioctl(.IOMMU_HWPT_INVALIDATE, &cmd) }
    return (e, cmd.entry_num)
}

/// `test_ioctl_destroy` on a raw id.
func destroy(_ ctx: IOMMUFD, _ id: UInt32) -> Errno? {
    failure { try ctx.destroy(id: id) }
}
