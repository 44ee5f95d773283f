import CIOMMUFD
import IOMMUFD
#if canImport(Glibc)
import Glibc
#endif

// Helpers for the cases that mirror the kernel's own selftest (tools/testing/selftests/iommu/
// iommufd.c); docs/selftest-coverage.md maps each kernel test to the cases here.

/// The host page size the selftest calls PAGE_SIZE.
let hostPage = UInt64(4096)

/// One IOAS, optionally with a mock device on it: the selftest's `no_domain` and `mock_domain`
/// variants. `base` is where fixed maps go (0 without a domain, the mock aperture with one).
struct IOASFixture {
    let ioas: IOAS
    let device: MockDevice?
    var base: UInt64 { device == nil ? 0 : MockIOMMU.apertureStart }
    var name: String { device == nil ? "no domain" : "mock domain" }
}

extension CaseRun {
    /// The IOAS variants a case runs over: without a domain, then with a mock domain.
    func ioasVariants() throws -> [IOASFixture] {
        let bare = try ok("no domain: IOMMU_IOAS_ALLOC") { try ctx.allocIOAS() }
        let withDomain = try ok("mock domain: IOMMU_IOAS_ALLOC") { try ctx.allocIOAS() }
        let device = try ok("mock domain: MOCK_DOMAIN") { try ctx.addMockDevice(attachedTo: withDomain) }
        return [IOASFixture(ioas: bare, device: nil), IOASFixture(ioas: withDomain, device: device)]
    }

    /// `length` bytes whose start is aligned to `alignment` (the selftest's `buffer` is aligned
    /// to a huge page, so automatic IOVAs are limited only by the length).
    func alignedBuffer(_ length: Int, alignment: Int = 1 << 21) -> UnsafeMutableRawBufferPointer {
        let raw = buffer(length + alignment)
        let start = (UInt(bitPattern: raw.baseAddress!) + UInt(alignment) - 1) & ~(UInt(alignment) - 1)
        return UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: start), count: length)
    }

    /// Raw `IOMMU_IOAS_IOVA_RANGES` with room for `capacity` ranges: the errno (nil on success),
    /// num_iovas and out_iova_alignment as written back, and the array as the kernel left it.
    func rawIOVARanges(_ ioas: IOAS, capacity: Int, arrayLength: Int = 8) -> (Errno?, UInt32, UInt64, [IOVARange]) {
        var arg = iommu_ioas_iova_ranges()
        arg.size = 32
        arg.ioas_id = ioas.id
        arg.num_iovas = UInt32(capacity)
        var storage = [iommu_iova_range](repeating: iommu_iova_range(), count: arrayLength)
        let errno: Errno? = storage.withUnsafeMutableBytes { raw -> Errno? in
            arg.allowed_iovas = UInt64(UInt(bitPattern: raw.baseAddress))
            let out = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_iova_ranges>.offset(of: \.allowed_iovas)!,
                                  pointer: raw.baseAddress, length: capacity * 16, direction: .output)
            do {
                try ctx.ioctl(.IOMMU_IOAS_IOVA_RANGES, &arg, buffers: [out])
                return nil
            } catch {
                return (error as? IOMMUFDError)?.errno
            }
        }
        return (errno, arg.num_iovas, arg.out_iova_alignment, storage.map { IOVARange(start: $0.start, last: $0.last) })
    }
}

/// A selftest in-kernel access (`IOMMU_TEST_OP_CREATE_ACCESS`): an fd standing for a driver
/// (an mdev, say) that reads and pins IOVA ranges of an IOAS without a domain.
final class MockAccess {
    let ctx: IOMMUFD
    let fd: Int32
    private var closed = false

    init(_ ctx: IOMMUFD, ioas: IOAS, needsPin: Bool) throws(IOMMUFDError) {
        self.ctx = ctx
        let cmd = try ctx.testCommand(.createAccess, id: ioas.id, context: "needs pin \(needsPin)") {
            $0.create_access.flags = needsPin ? UInt32(MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES) : 0
        }
        fd = Int32(bitPattern: cmd.create_access.out_access_fd)
    }

    deinit { close() }

    /// Pins `[iova, iova + length)`, checking that the pages are those at `userAddress`
    /// (`IOMMU_TEST_OP_ACCESS_PAGES`); returns the item id.
    @discardableResult
    func pin(iova: UInt64, length: UInt64, userAddress: UnsafeRawPointer?) throws(IOMMUFDError) -> UInt32 {
        let memory = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_ACCESS_PAGES_UPTR_OFFSET),
                                 pointer: userAddress.map { UnsafeMutableRawPointer(mutating: $0) },
                                 length: userAddress == nil ? 0 : Int(clamping: length), direction: .userMemory)
        let cmd = try ctx.testCommand(.accessPages, id: UInt32(bitPattern: fd), buffers: [memory],
                                      context: "iova \(hex(iova)), length \(hex(length))") {
            $0.access_pages.iova = iova
            $0.access_pages.length = length
            $0.access_pages.uptr = UInt64(UInt(bitPattern: userAddress))
        }
        return cmd.access_pages.out_access_pages_id
    }

    /// Unpins an item (`IOMMU_TEST_OP_DESTROY_ACCESS_PAGES`).
    func unpin(_ item: UInt32) throws(IOMMUFDError) {
        try ctx.testCommand(.destroyAccessPages, id: UInt32(bitPattern: fd), context: "item \(item)") {
            $0.destroy_access_pages.access_pages_id = item
        }
    }

    /// Copies between the IOAS and `buffer` (`IOMMU_TEST_OP_ACCESS_RW`); `write` copies into the IOAS.
    func rw(iova: UInt64, _ buffer: UnsafeMutableRawBufferPointer, write: Bool, slowPath: Bool = false) throws(IOMMUFDError) {
        let memory = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_ACCESS_RW_UPTR_OFFSET), pointer: buffer.baseAddress,
                                 length: buffer.count, direction: write ? .input : .output)
        var flags: UInt32 = write ? UInt32(MOCK_ACCESS_RW_WRITE) : 0
        if slowPath { flags |= UInt32(MOCK_ACCESS_RW_SLOW_PATH) }
        try ctx.testCommand(.accessRW, id: UInt32(bitPattern: fd), buffers: [memory],
                            context: "iova \(hex(iova)), length \(hex(buffer.count)), flags \(flags)") {
            $0.access_rw.iova = iova
            $0.access_rw.length = UInt64(buffer.count)
            $0.access_rw.uptr = UInt64(UInt(bitPattern: buffer.baseAddress))
            $0.access_rw.flags = flags
        }
    }

    /// Moves the access to another IOAS (`IOMMU_TEST_OP_ACCESS_REPLACE_IOAS`).
    func replace(ioas: IOAS) throws(IOMMUFDError) {
        try ctx.testCommand(.accessReplaceIOAS, id: UInt32(bitPattern: fd), context: "ioas \(ioas.id)") {
            $0.access_replace_ioas.ioas_id = ioas.id
        }
    }

    /// Closes the access fd (the selftest's `test_cmd_destroy_access`).
    func close() {
        guard !closed else { return }
        closed = true
        _ = ctx.backend.close(fd)
    }
}

/// The selftest's `check_access_rw`: reads and writes of every small length around a page
/// boundary agree with the buffer mapped at `iova`, then one read of the whole buffer.
func checkAccessRW(_ t: CaseRun, _ access: MockAccess, iova: UInt64, buffer: UnsafeMutableRawBufferPointer,
                   slowPath: Bool) throws {
    var seed: UInt32 = 12345
    func next() -> UInt8 { seed = seed &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: seed >> 16) }
    for i in 0..<buffer.count { buffer[i] = next() }
    try t.target.publish(buffer)
    let tmp = t.buffer(64)
    var mismatch: String?
    try t.ok("ACCESS_RW read/write, lengths 1..63 at every offset within 50 bytes of a page boundary\(slowPath ? " (slow path)" : "")") {
        outer: for offset in (hostPage - 50)..<(hostPage + 50) {
            for length in 1..<64 {
                let window = UnsafeMutableRawBufferPointer(rebasing: tmp[0..<length])
                try access.rw(iova: iova + offset, window, write: false, slowPath: slowPath)
                if !window.elementsEqual(buffer[Int(offset)..<Int(offset) + length]) {
                    mismatch = "read at +\(offset) length \(length)"; break outer
                }
                for i in 0..<64 { tmp[i] = next() }
                try access.rw(iova: iova + offset, window, write: true, slowPath: slowPath)
                try t.target.refresh(UnsafeMutableRawBufferPointer(rebasing: buffer[Int(offset)..<Int(offset) + length]))
                if !window.elementsEqual(buffer[Int(offset)..<Int(offset) + length]) {
                    mismatch = "write at +\(offset) length \(length)"; break outer
                }
            }
        }
    }
    try t.check(mismatch == nil, "every copy matches the mapped buffer\(mismatch.map { " (not \($0))" } ?? "")")
    let whole = t.buffer(buffer.count)
    try t.ok("ACCESS_RW read of the whole buffer") { try access.rw(iova: iova, whole, write: false, slowPath: slowPath) }
    try t.check(whole.elementsEqual(buffer), "the whole-buffer read matches")
}

extension CaseRun {
    /// `size` bytes of a new memfd, mapped shared here: the file and the user memory share pages
    /// (unmap the buffer and close the fd when done).
    func sharedMemfd(_ size: Int) throws -> (fd: Int32, buffer: UnsafeMutableRawBufferPointer) {
        let fd = ciommufd_memfd_create("iommufd-parity", 0)
        guard fd >= 0 else { try skip("memfd_create failed (errno \(-fd))") }
        guard ftruncate(fd, off_t(size)) == 0, let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            close(fd)
            throw CaseFailure(message: "sizing and mapping a \(size)-byte memfd failed (errno \(errno))")
        }
        return (fd, UnsafeMutableRawBufferPointer(start: p, count: size))
    }
}
