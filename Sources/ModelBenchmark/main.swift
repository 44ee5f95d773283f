// ModelBenchmark: map+unmap pairs per second and bytes per mapping of the software model's
// io_pagetable at 1e4, 1e5 and 1e6 live mappings. Build with -c release:
//
//   swift run -c release --scratch-path .build-model ModelBenchmark [pairs-per-size]
//
// Each size first maps N areas of one page at IOVA base + i * 2 pages (fixed IOVA, no domain, so
// nothing is pinned, as on a kernel IOAS without devices). Then:
//   random: pick a random i, map one page into the hole after area i, unmap it;
//   hot:    map and unmap the same hole again and again (the tree path stays in cache).
// Calls go through ModelBackend.ioctl with the uAPI struct bytes, like the typed API's calls.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IOMMUFD

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// CPU time of this thread (the machine is shared: wall time includes time spent descheduled).
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct XorShift {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

let page: UInt64 = 4096
let base: UInt64 = 1 << 32
let userVA: UInt64 = 0x7f00_0000_0000

/// IOMMU_IOAS_MAP argument: size/flags, ioas_id/__reserved, user_va, length, iova.
func map(_ backend: ModelBackend, _ fd: Int32, _ ioas: UInt32, iova: UInt64, arg: UnsafeMutablePointer<UInt64>) -> Bool {
    arg[0] = 40 | (UInt64(1 | 2 | 4) << 32)  // FIXED_IOVA | WRITEABLE | READABLE
    arg[1] = UInt64(ioas)
    arg[2] = userVA
    arg[3] = page
    arg[4] = iova
    let r = backend.ioctl(fd, .IOMMU_IOAS_MAP, argument: UnsafeMutableRawBufferPointer(start: arg, count: 40), buffers: [])
    if case .success = r { return true }
    return false
}

/// IOMMU_IOAS_UNMAP argument: size/ioas_id, iova, length.
func unmap(_ backend: ModelBackend, _ fd: Int32, _ ioas: UInt32, iova: UInt64, arg: UnsafeMutablePointer<UInt64>) -> Bool {
    arg[0] = 24 | (UInt64(ioas) << 32)
    arg[1] = iova
    arg[2] = page
    let r = backend.ioctl(fd, .IOMMU_IOAS_UNMAP, argument: UnsafeMutableRawBufferPointer(start: arg, count: 24), buffers: [])
    if case .success = r { return true }
    return false
}

func run(size n: Int, pairs: Int) {
    let backend = ModelBackend(profile: .selftest)
    guard case .success(let fd) = backend.open(path: "/dev/iommu", flags: O_RDWR) else { fatalError("open") }
    let arg = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
    defer { arg.deallocate() }
    arg.initialize(repeating: 0, count: 8)
    arg[0] = 12
    guard case .success = backend.ioctl(fd, .IOMMU_IOAS_ALLOC, argument: UnsafeMutableRawBufferPointer(start: arg, count: 12), buffers: []) else {
        fatalError("ioas alloc")
    }
    let ioas = UInt32(truncatingIfNeeded: arg[1])

    var t0 = now()
    for i in 0..<n {
        precondition(map(backend, fd, ioas, iova: base + UInt64(i) * 2 * page, arg: arg))
    }
    let fillRate = Double(n) / (now() - t0)
    let stats = backend.ioasStatistics(fd: fd, ioasID: ioas)!

    var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15)
    t0 = now()
    var c0 = cpu()
    for _ in 0..<pairs {
        let i = rng.next() % UInt64(n)
        let iova = base + i * 2 * page + page
        precondition(map(backend, fd, ioas, iova: iova, arg: arg))
        precondition(unmap(backend, fd, ioas, iova: iova, arg: arg))
    }
    let randomRate = Double(pairs) / (now() - t0)
    let randomCPURate = Double(pairs) / (cpu() - c0)

    t0 = now()
    c0 = cpu()
    let hot = base + UInt64(n / 2) * 2 * page + page
    for _ in 0..<pairs {
        precondition(map(backend, fd, ioas, iova: hot, arg: arg))
        precondition(unmap(backend, fd, ioas, iova: hot, arg: arg))
    }
    let hotRate = Double(pairs) / (now() - t0)
    let hotCPURate = Double(pairs) / (cpu() - c0)

    let bytesPerMapping = Double(stats.bytes) / Double(stats.areas)
    print(String(repeating: " ", count: max(0, 9 - String(n).count)) + "\(n)"
          + "  fill \(format(fillRate))/s"
          + "  random pairs \(format(randomRate))/s (\(format(randomCPURate))/cpu-s)"
          + "  hot pairs \(format(hotRate))/s (\(format(hotCPURate))/cpu-s)"
          + "  \(format(bytesPerMapping)) bytes/mapping")
    _ = backend.close(fd)
}

func format(_ v: Double) -> String {
    if v >= 1e6 { return String(Int(v / 1e4)).dropLast(2) + "." + String(Int(v / 1e4)).suffix(2) + "M" }
    if v >= 1e3 { return String(Int(v / 10)).dropLast(2) + "." + String(Int(v / 10)).suffix(2) + "k" }
    return String(Int(v.rounded()))
}

let pairs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2_000_000 : 2_000_000
print("ModelBackend io_pagetable: map+unmap pairs of one 4 KiB page (fixed IOVA), \(pairs) pairs per size")
for n in [10_000, 100_000, 1_000_000] {
    run(size: n, pairs: pairs)
}
