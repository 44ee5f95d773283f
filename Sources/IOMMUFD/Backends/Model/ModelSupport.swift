#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Small pieces the model files share: the lock, kernel-only errno values, the kernel buffer a
// command is copied into, and the helpers that read and write "user" memory the way
// copy_from_user / copy_to_user / copy_struct_from_user do.

/// A plain mutex (pthread), usable on every platform the package builds for. The model takes it
/// around every system call, so the model answers one call at a time like a big kernel lock.
final class ModelLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

extension Errno {
    /// EBADFD (77): an fd of the wrong kind (`iommufd_ctx_from_fd` on a non-iommufd file).
    static let EBADFD = Errno(77)
    /// EBADE (52): the selftest's page-identity mismatch.
    static let EBADE = Errno(52)
    /// EDEADLK (35).
    static let EDEADLK = Errno(35)
    /// ENOIOCTLCMD (515) is kernel-internal; userspace sees ENOTTY, so the model never returns it.
}

/// Kernel constants the model needs by value.
enum K {
    static let ULONG_MAX = UInt64.max
    static let U32_MAX = UInt32.max
    static let INT_MAX: UInt32 = 0x7fff_ffff
    /// IOMMU_NO_PASID.
    static let noPASID: UInt32 = 0
    /// IOMMU_READ / IOMMU_WRITE / IOMMU_CACHE (include/linux/iommu.h).
    static let protRead: UInt32 = 1 << 0
    static let protWrite: UInt32 = 1 << 1
    static let protCache: UInt32 = 1 << 2
}

// MARK: - The kernel's copy of the command (the `union ucmd_buffer`)

/// The bytes of a command as the kernel holds them after `copy_struct_from_user`: fixed size,
/// zero-filled past what the user gave. Fields are read and written by byte offset (offsets
/// are the uAPI layout, pinned by `ModelLayoutTests`).
struct KBuf {
    let p: UnsafeMutableRawPointer
    let size: Int

    @inline(__always) func u8(_ o: Int) -> UInt8 { p.load(fromByteOffset: o, as: UInt8.self) }
    @inline(__always) func u16(_ o: Int) -> UInt16 { p.loadUnaligned(fromByteOffset: o, as: UInt16.self) }
    @inline(__always) func u32(_ o: Int) -> UInt32 { p.loadUnaligned(fromByteOffset: o, as: UInt32.self) }
    @inline(__always) func s32(_ o: Int) -> Int32 { p.loadUnaligned(fromByteOffset: o, as: Int32.self) }
    @inline(__always) func u64(_ o: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: o, as: UInt64.self) }
    @inline(__always) func set(_ o: Int, u8 v: UInt8) { p.storeBytes(of: v, toByteOffset: o, as: UInt8.self) }
    @inline(__always) func set(_ o: Int, u16 v: UInt16) { p.storeBytes(of: v, toByteOffset: o, as: UInt16.self) }
    @inline(__always) func set(_ o: Int, u32 v: UInt32) { p.storeBytes(of: v, toByteOffset: o, as: UInt32.self) }
    @inline(__always) func set(_ o: Int, u64 v: UInt64) { p.storeBytes(of: v, toByteOffset: o, as: UInt64.self) }

    /// Whether bytes [from, to) are all zero.
    func isZero(_ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            if p.load(fromByteOffset: i, as: UInt8.self) != 0 { return false }
            i += 1
        }
        return true
    }
}

// MARK: - User memory

/// The caller's memory as the model may touch it: the argument struct, and the buffers its
/// pointer fields name. The model runs in the caller's process, so user pointers are plain
/// pointers; where the caller described a buffer (`IoctlBuffer`), accesses are bounded by it,
/// and NULL (or any address in the first page) faults, as it would in the kernel.
struct UserMemory {
    /// The argument struct, `nil` for a NULL argument pointer.
    let arg: UnsafeMutableRawPointer?
    /// Bytes of the argument the caller made available. Reads past them fault: the model cannot
    /// look at memory the caller did not hand over (a documented limit; the kernel would read on).
    let argCount: Int
    let buffers: [IoctlBuffer]

    static let firstValidAddress: UInt64 = 4096

    init(arg: UnsafeMutableRawPointer?, count: Int, buffers: [IoctlBuffer]) {
        self.arg = arg
        self.argCount = arg == nil ? 0 : count
        self.buffers = buffers
    }

    /// `get_user(u32)` at the start of the argument (the `size`/`argsz` field).
    func argU32(_ offset: Int) -> Result<UInt32, Errno> {
        guard let arg, offset >= 0, offset + 4 <= argCount else { return .failure(.EFAULT) }
        return .success(arg.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// `copy_struct_from_user(kbuf, ksize, arg, usize)`: copies what both sides know, zero-fills
    /// the rest of the kernel buffer, and answers E2BIG when the user's extra tail is not zero.
    func copyStructFromUser(into k: KBuf, usize: Int) -> Errno? {
        guard let arg else { return .EFAULT }
        let ksize = k.size
        let copy = min(ksize, usize)
        guard usize <= argCount else { return .EFAULT }
        k.p.copyMemory(from: arg, byteCount: copy)
        if copy < ksize { (k.p + copy).initializeMemory(as: UInt8.self, repeating: 0, count: ksize - copy) }
        if usize > ksize {
            var i = ksize
            while i < usize {
                if arg.load(fromByteOffset: i, as: UInt8.self) != 0 { return .E2BIG }
                i += 1
            }
        }
        return nil
    }

    /// `copy_from_user(kbuf, arg, n)` of the first `n` bytes of the argument.
    func copyFromArg(into k: KBuf, count n: Int) -> Errno? {
        guard let arg, n <= argCount else { return .EFAULT }
        k.p.copyMemory(from: arg, byteCount: min(n, k.size))
        if n < k.size { (k.p + n).initializeMemory(as: UInt8.self, repeating: 0, count: k.size - n) }
        return nil
    }

    /// `copy_to_user(arg + offset, kbuf + offset, n)`.
    func copyToArg(from k: KBuf, offset: Int = 0, count n: Int) -> Errno? {
        guard n > 0 else { return nil }
        guard let arg, offset + n <= argCount else { return .EFAULT }
        (arg + offset).copyMemory(from: k.p + offset, byteCount: n)
        return nil
    }

    /// Writes raw bytes into the argument at `offset` (caps chains past the struct).
    func writeArg(offset: Int, bytes: UnsafeRawBufferPointer) -> Errno? {
        guard bytes.count > 0 else { return nil }
        guard let arg, offset >= 0, offset + bytes.count <= argCount else { return .EFAULT }
        (arg + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        return nil
    }

    /// The user pointer `address` for `length` bytes, if an access there may be made.
    func check(_ address: UInt64, _ length: Int) -> UnsafeMutableRawPointer? {
        if length == 0 { return UnsafeMutableRawPointer(bitPattern: UInt(address)) ?? UnsafeMutableRawPointer(bitPattern: 1) }
        guard address >= Self.firstValidAddress else { return nil }
        let (end, overflow) = address.addingReportingOverflow(UInt64(length))
        if overflow || end > UInt64(UInt.max) { return nil }
        for buffer in buffers {
            guard let p = buffer.pointer else { continue }
            let lo = UInt64(UInt(bitPattern: p))
            let hi = lo + UInt64(buffer.length)
            if address >= lo && address < hi || (buffer.length == 0 && address == lo) {
                if end > hi { return nil }
                break
            }
        }
        return UnsafeMutableRawPointer(bitPattern: UInt(address))
    }

    /// `copy_from_user(dst, address, length)`.
    func read(_ address: UInt64, into dst: UnsafeMutableRawPointer, _ length: Int) -> Errno? {
        if length == 0 { return nil }
        guard let src = check(address, length) else { return .EFAULT }
        dst.copyMemory(from: src, byteCount: length)
        return nil
    }

    /// Reads `length` bytes at `address` into a new array.
    func readBytes(_ address: UInt64, _ length: Int) -> Result<[UInt8], Errno> {
        if length == 0 { return .success([]) }
        guard let src = check(address, length) else { return .failure(.EFAULT) }
        return .success(Array(UnsafeRawBufferPointer(start: src, count: length)))
    }

    /// `copy_to_user(address, src, length)`.
    func write(_ address: UInt64, from src: UnsafeRawPointer, _ length: Int) -> Errno? {
        if length == 0 { return nil }
        guard let dst = check(address, length) else { return .EFAULT }
        dst.copyMemory(from: src, byteCount: length)
        return nil
    }

    func write(_ address: UInt64, bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { write(address, from: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, bytes.count) }
    }

    /// `clear_user(address, length)`.
    func clear(_ address: UInt64, _ length: Int) -> Errno? {
        if length == 0 { return nil }
        guard let dst = check(address, length) else { return .EFAULT }
        dst.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        return nil
    }

    /// `copy_struct_from_user(dst, ksize, address, usize)` for a struct behind a pointer.
    func copyStructFromUser(_ address: UInt64, usize: Int, ksize: Int) -> Result<[UInt8], Errno> {
        var out = [UInt8](repeating: 0, count: ksize)
        let copy = min(usize, ksize)
        if copy > 0 {
            guard let src = check(address, usize) else { return .failure(.EFAULT) }
            out.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: src, byteCount: copy) }
            if usize > ksize {
                let tail = UnsafeRawBufferPointer(start: src + ksize, count: usize - ksize)
                if tail.contains(where: { $0 != 0 }) { return .failure(.E2BIG) }
            }
        } else if usize > 0 {
            guard check(address, usize) != nil else { return .failure(.EFAULT) }
        }
        return .success(out)
    }
}

/// Driver-specific user data of an allocation (`struct iommu_user_data`).
struct UserData {
    var type: UInt32
    var uptr: UInt64
    var len: UInt32
    var memory: UserMemory

    /// `__iommu_copy_struct_from_user`: EINVAL on a type mismatch or a length outside
    /// [min_len, sizeof], then `copy_struct_from_user`.
    func copyStruct(type expected: UInt32, size: Int, minSize: Int) -> Result<[UInt8], Errno> {
        if type != expected { return .failure(.EINVAL) }
        if Int(len) < minSize || size < Int(len) { return .failure(.EINVAL) }
        return memory.copyStructFromUser(uptr, usize: Int(len), ksize: size)
    }

    /// `__iommu_copy_struct_to_user`: the same length rules, then `copy_struct_to_user`
    /// (min(len, size) bytes, zero-filling a longer user buffer).
    func copyStructToUser(type expected: UInt32, bytes: [UInt8], minSize: Int) -> Errno? {
        if type != expected { return .EINVAL }
        if Int(len) < minSize || bytes.count < Int(len) { return .EINVAL }
        let n = min(Int(len), bytes.count)
        if let e = memory.write(uptr, bytes: Array(bytes.prefix(n))) { return e }
        if Int(len) > n { return memory.clear(uptr + UInt64(n), Int(len) - n) }
        return nil
    }
}

/// An array of driver entries (`struct iommu_user_data_array`), for invalidation.
struct UserDataArray {
    var type: UInt32
    var uptr: UInt64
    var entryLen: UInt32
    var entryNum: UInt32
    var memory: UserMemory

    /// `__iommu_copy_struct_from_user_array`: entry `index` with the single-struct rules.
    func copyEntry(_ index: UInt32, type expected: UInt32, size: Int, minSize: Int) -> Result<[UInt8], Errno> {
        if index >= entryNum || entryNum == 0 { return .failure(.EINVAL) }
        let data = UserData(type: type, uptr: uptr &+ UInt64(entryLen) &* UInt64(index), len: entryLen, memory: memory)
        return data.copyStruct(type: expected, size: size, minSize: minSize)
    }

    /// `iommu_copy_struct_from_full_user_array`: every entry, each zero-extended or checked for a
    /// zero tail (E2BIG) when entry_len differs from the kernel's size.
    func copyAll(type expected: UInt32, size: Int) -> Result<[[UInt8]], Errno> {
        if type != expected { return .failure(.EINVAL) }
        if entryNum == 0 { return .failure(.EINVAL) }
        var out: [[UInt8]] = []
        out.reserveCapacity(Int(entryNum))
        for i in 0..<UInt64(entryNum) {
            switch memory.copyStructFromUser(uptr &+ UInt64(entryLen) &* i, usize: Int(entryLen), ksize: size) {
            case .success(let b): out.append(b)
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }
}

// MARK: - Little-endian byte helpers

extension Array where Element == UInt8 {
    func u32(_ o: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 where o + i < count { v |= UInt32(self[o + i]) << (8 * UInt32(i)) }
        return v
    }
    func u64(_ o: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 where o + i < count { v |= UInt64(self[o + i]) << (8 * UInt64(i)) }
        return v
    }
    mutating func put(_ o: Int, u32 v: UInt32) {
        for i in 0..<4 { self[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
    mutating func put(_ o: Int, u64 v: UInt64) {
        for i in 0..<8 { self[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}

@inline(__always) func isPowerOfTwo(_ v: UInt64) -> Bool { v != 0 && v & (v - 1) == 0 }

/// `roundup_pow_of_two` (for v >= 1, v < 2^63).
@inline(__always) func roundUpPowerOfTwo(_ v: UInt64) -> UInt64 {
    if v <= 1 { return 1 }
    return 1 << (64 - (v - 1).leadingZeroBitCount)
}

/// `1UL << __ffs(v)`: the lowest set bit.
@inline(__always) func lowestBit(_ v: UInt64) -> UInt64 { v & (~v &+ 1) }
