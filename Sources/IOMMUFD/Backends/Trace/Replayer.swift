import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// Replays a recorded trace on a backend and lists every call whose answer differs: the
/// differential test of DESIGN.md (record on the kernel, replay on the model, or the reverse).
///
/// What legitimately differs between runs is translated, not compared: file descriptors (mapped
/// from the trace's to the replay's), and the user-space pointers inside arguments (each declared
/// buffer gets memory at the recorded address where it is free, else at the same offset within
/// 2 MiB, holding the recorded input bytes; an unmapped address stays unmapped). Limits: user
/// memory is recorded as an extent, not its contents (the bytes ACCESS_RW reads are not
/// compared), and a memfd made outside the seam is replayed by a blank stand-in of its size.
public struct Replayer {
    public struct Difference: Hashable, Sendable, CustomStringConvertible {
        public var sequence: Int
        public var call: String
        public var what: String
        public var description: String { "#\(sequence) \(call): \(what)" }
    }

    /// Output fields that hold new fds (the fd numbers differ between runs, so they are mapped).
    static let fdOutputs: [String: Int] = ["IOMMU_FAULT_QUEUE_ALLOC": 12, "IOMMU_VEVENTQ_ALLOC": 24]
    /// Input fields that hold an fd the trace opened earlier.
    static let fdInputs: [String: Int] = ["VFIO_DEVICE_BIND_IOMMUFD": 8, "IOMMU_IOAS_MAP_FILE": 12]

    public let backend: any SyscallBackend
    public init(backend: any SyscallBackend) { self.backend = backend }

    /// Replays `records` in order; returns the differences (empty: the backend agrees).
    public func replay(_ records: [TraceRecord]) -> [Difference] {
        var fds: [Int32: Int32] = [:]
        var differences: [Difference] = []
        let userMemory = ReplayMemory()
        var fileStandIns: [Int32] = []
        defer { for fd in fileStandIns { Glibc.close(fd) } }
        func note(_ r: TraceRecord, _ what: String) {
            differences.append(Difference(sequence: r.sequence, call: r.name, what: what))
        }
        func compare(_ r: TraceRecord, result: Int64?, errno: Errno?) {
            if r.errno != errno {
                note(r, "recorded \(r.errno?.name ?? "success"), replayed \(errno?.name ?? "success")")
            } else if errno == nil, r.call != .open, r.result != result {
                note(r, "recorded result \(r.result ?? -1), replayed \(result ?? -1)")
            }
        }
        func mapped(_ fd: Int32) -> Int32 { fds[fd] ?? fd }

        for r in records {
            switch r.call {
            case .open:
                let result = backend.open(path: r.name, flags: Int32(bitPattern: UInt32(truncatingIfNeeded: r.value)))
                if case .success(let fd) = result, let recorded = r.result { fds[Int32(recorded)] = fd }
                compare(r, result: (try? result.get()).map(Int64.init), errno: result.failure)
            case .close:
                let errno = backend.close(mapped(r.fd))
                compare(r, result: errno == nil ? 0 : nil, errno: errno)
            case .ioctlValue:
                let value = r.argument.count >= 8 ? r.argument.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } : 0
                let result = backend.ioctl(mapped(r.fd), IoctlRequest(UInt(r.value), r.name), value: UInt(value))
                compare(r, result: (try? result.get()).map(Int64.init), errno: result.failure)
            case .ioctl:
                var argument = r.argument
                let accessFD = Self.selftestAccessFD(r)
                if let offset = accessFD.input, offset + 4 <= argument.count {
                    let traced = argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                    withUnsafeBytes(of: mapped(traced)) { argument.replaceSubrange(offset..<offset + 4, with: $0) }
                }
                if let offset = Self.fdInputs[r.name], offset + 4 <= argument.count {
                    let traced = argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                    if r.name == "IOMMU_IOAS_MAP_FILE", traced >= 0, fds[traced] == nil, let standIn = Self.fileStandIn(argument) {
                        // A memfd made outside the seam: its contents are not in the trace, only
                        // its extent matters, so a new memfd of that size stands in for it.
                        fds[traced] = standIn
                        fileStandIns.append(standIn)
                    }
                    withUnsafeBytes(of: mapped(traced)) { argument.replaceSubrange(offset..<offset + 4, with: $0) }
                }
                var buffers: [IoctlBuffer] = []
                for b in r.buffers {
                    let recorded = b.fieldOffset + 8 <= argument.count
                        ? argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: b.fieldOffset, as: UInt64.self) } : 0
                    let replacement = b.unmapped ? userMemory.unmappedMemory(recordedAt: recorded, length: b.length)
                                                 : userMemory.memory(recordedAt: recorded, length: b.length)
                    guard let memory = replacement else {
                        buffers.append(IoctlBuffer(fieldOffset: b.fieldOffset, pointer: nil, length: b.length, direction: b.direction))
                        continue
                    }
                    if !b.unmapped { b.input.withUnsafeBytes { bytes in
                        if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: min(bytes.count, b.length)) }
                    } }
                    let address = UInt64(UInt(bitPattern: memory))
                    if b.fieldOffset + 8 <= argument.count {
                        withUnsafeBytes(of: address.littleEndian) { argument.replaceSubrange(b.fieldOffset..<b.fieldOffset + 8, with: $0) }
                    }
                    buffers.append(IoctlBuffer(fieldOffset: b.fieldOffset, pointer: memory, length: b.length, direction: b.direction))
                }
                let result = argument.withUnsafeMutableBytes { raw in
                    backend.ioctl(mapped(r.fd), IoctlRequest(UInt(r.value), r.name), argument: raw, buffers: buffers)
                }
                compare(r, result: (try? result.get()).map(Int64.init), errno: result.failure)
                if let offset = Self.fdOutputs[r.name] ?? accessFD.output, result.failure == nil, offset + 4 <= argument.count, offset + 4 <= r.argumentAfter.count {
                    let traced = r.argumentAfter.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                    let replayed = argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }
                    fds[traced] = replayed
                }
                compareOutputs(r, argument: argument, buffers: buffers, note: note)
            case .read:
                var data = [UInt8](repeating: 0, count: Int(r.value))
                let result = data.withUnsafeMutableBytes { backend.read(mapped(r.fd), into: $0) }
                compare(r, result: (try? result.get()).map(Int64.init), errno: result.failure)
                if let n = try? result.get(), Array(data.prefix(n)) != r.argumentAfter {
                    note(r, "read returned other bytes")
                }
            case .write:
                let result = r.argument.withUnsafeBytes { backend.write(mapped(r.fd), from: $0) }
                compare(r, result: (try? result.get()).map(Int64.init), errno: result.failure)
            case .pread, .pwrite, .mmap:
                continue  // device regions are not replayed: they depend on the hardware behind the fd.
            }
        }
        return differences
    }

    /// Where an `IOMMU_TEST_CMD` holds an access fd: CREATE_ACCESS returns one (out_access_fd),
    /// and the access ops take it as their `id`.
    static func selftestAccessFD(_ r: TraceRecord) -> (input: Int?, output: Int?) {
        guard r.name == "IOMMU_TEST_CMD", r.argument.count >= 20 else { return (nil, nil) }
        let op = r.argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }
        switch SelftestOp(rawValue: op) {
        case .createAccess?: return (nil, 16)
        case .destroyAccessPages?, .accessPages?, .accessRW?, .accessReplaceIOAS?: return (8, nil)
        default: return (nil, nil)
        }
    }

    /// A memfd as large as the MAP_FILE call's `start + length` (at most 1 GiB), or nil.
    private static func fileStandIn(_ argument: [UInt8]) -> Int32? {
        guard argument.count >= 32 else { return nil }
        let start = argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self) }
        let length = argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self) }
        let (end, overflow) = start.addingReportingOverflow(length)
        guard !overflow, end <= 1 << 30 else { return nil }
        let fd = ciommufd_memfd_create("replay-stand-in", 0)
        guard fd >= 0 else { return nil }
        guard ftruncate(fd, off_t(end)) == 0 else {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    /// Compares what the call wrote back, skipping the bytes that legitimately differ.
    private func compareOutputs(_ r: TraceRecord, argument: [UInt8], buffers: [IoctlBuffer],
                                note: (TraceRecord, String) -> Void) {
        var ignored = Set<Int>()
        for b in r.buffers { ignored.formUnion(b.fieldOffset..<b.fieldOffset + 8) }
        if let offset = Self.fdOutputs[r.name] { ignored.formUnion(offset..<offset + 4) }
        let accessFD = Self.selftestAccessFD(r)
        for offset in [accessFD.input, accessFD.output].compactMap({ $0 }) { ignored.formUnion(offset..<offset + 4) }
        if let offset = Self.fdInputs[r.name] { ignored.formUnion(offset..<offset + 4) }
        let fields = (0..<min(argument.count, r.argumentAfter.count)).filter { !ignored.contains($0) && argument[$0] != r.argumentAfter[$0] }
        if let first = fields.first {
            note(r, "argument differs from byte \(first): recorded \(TraceRecord.hexBytes(Array(r.argumentAfter[first...].prefix(8)))), replayed \(TraceRecord.hexBytes(Array(argument[first...].prefix(8))))")
        }
        // What ACCESS_RW reads is whatever the user memory behind the IOVA held then; a trace
        // records user memory only as an extent, so the bytes read cannot be compared.
        if r.name == "IOMMU_TEST_CMD", r.argument.count >= 8,
           r.argument.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }) == SelftestOp.accessRW.rawValue {
            return
        }
        for (recorded, replayed) in zip(r.buffers, buffers) where recorded.direction == .output || recorded.direction == .inOut {
            guard let p = replayed.pointer else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: p, count: replayed.length))
            if bytes != recorded.output {
                note(r, "the \(recorded.direction.rawValue) buffer at argument offset \(recorded.fieldOffset) differs")
            }
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
