#if canImport(Glibc)
import Glibc
#endif

/// The user memory a replay hands to the backend in place of the recorded pointers.
///
/// Where it can, it maps memory at the very addresses the trace recorded (`MAP_FIXED_NOREPLACE`
/// refuses to take over a mapping the process still uses), so that two calls that named the same
/// pages (a map, then MD_CHECK_MAP of it) name the same pages again, and an automatic IOVA, which
/// the kernel aligns like the user address, comes out the same. Where the address is taken, it
/// maps fresh memory at the same offset within 2 MiB (the largest alignment the kernel keeps).
/// A NULL pointer stays NULL: it is what the call was testing.
final class ReplayMemory {
    private static let page = 4096
    private static let window = 2 << 20
    private static let fixedNoReplace: Int32 = 0x10_0000  // MAP_FIXED_NOREPLACE (Linux 4.17)

    /// Pages mapped at their recorded address, by page address.
    private var identityPages = Set<Int>()
    private var mappings: [(UnsafeMutableRawPointer, Int)] = []

    deinit {
        for (p, n) in mappings { munmap(p, n) }
    }

    /// Memory standing for `length` bytes recorded at `address`.
    func memory(recordedAt address: UInt64, length: Int) -> UnsafeMutableRawPointer? {
        guard address != 0 else { return nil }
        if let same = identity(address, length) { return same }
        let offset = Int(address & UInt64(Self.window - 1))
        let size = (Self.window + offset + length + Self.page - 1) & ~(Self.page - 1)
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else { return nil }
        mappings.append((base, size))
        let aligned = (Int(bitPattern: base) + Self.window - 1) & ~(Self.window - 1)
        return UnsafeMutableRawPointer(bitPattern: aligned + offset)
    }

    /// An address with nothing mapped there (at the recorded offset in its page), standing for
    /// user memory that was not mapped when the call was recorded.
    func unmappedMemory(recordedAt address: UInt64, length: Int) -> UnsafeMutableRawPointer? {
        guard address != 0 else { return nil }
        let size = (Self.page + length + Self.page - 1) & ~(Self.page - 1)
        guard let hole = mmap(nil, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), hole != MAP_FAILED else { return nil }
        munmap(hole, size)
        return hole + Int(address & UInt64(Self.page - 1))
    }

    /// The recorded address itself, when every page of the range is free or already ours.
    private func identity(_ address: UInt64, _ length: Int) -> UnsafeMutableRawPointer? {
        guard address <= UInt64(Int.max - length - Self.page) else { return nil }
        let start = Int(address) & ~(Self.page - 1)
        let end = (Int(address) + max(length, 1) + Self.page - 1) & ~(Self.page - 1)
        var runs: [(Int, Int)] = []
        var page = start
        while page < end {
            if identityPages.contains(page) {
                page += Self.page
                continue
            }
            var run = page
            while run < end && !identityPages.contains(run) { run += Self.page }
            guard mapFixed(page, run - page) else {
                for (p, n) in runs { unmapFixed(p, n) }
                return nil
            }
            runs.append((page, run - page))
            page = run
        }
        return UnsafeMutableRawPointer(bitPattern: Int(address))
    }

    private func mapFixed(_ address: Int, _ length: Int) -> Bool {
        guard let p = mmap(UnsafeMutableRawPointer(bitPattern: address), length, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | Self.fixedNoReplace, -1, 0), p != MAP_FAILED else { return false }
        guard Int(bitPattern: p) == address else {  // a kernel before 4.17 treats the flag as a hint
            munmap(p, length)
            return false
        }
        mappings.append((p, length))
        identityPages.formUnion(stride(from: address, to: address + length, by: Self.page))
        return true
    }

    private func unmapFixed(_ address: Int, _ length: Int) {
        identityPages.subtract(stride(from: address, to: address + length, by: Self.page))
        munmap(UnsafeMutableRawPointer(bitPattern: address), length)
        mappings.removeAll { Int(bitPattern: $0.0) == address && $0.1 == length }
    }
}
