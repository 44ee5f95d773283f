import CIOMMUFD
@testable import IOMMUFD
import Synchronization

/// A backend that records every ioctl (request, argument bytes, buffers) and answers from a
/// script, so a test can check what the typed API puts on the wire without a kernel.
final class RecordingBackend: SyscallBackend {
    struct Call {
        var fd: Int32
        var request: IoctlRequest
        var argument: [UInt8]
        var buffers: [(offset: Int, length: Int, direction: IoctlBuffer.Direction)]
    }

    /// Answers a call: may edit the argument bytes (outputs) and returns a result.
    typealias Answer = @Sendable (IoctlRequest, UnsafeMutableRawBufferPointer, [IoctlBuffer]) -> Result<Int, Errno>

    private let state = Mutex<(calls: [Call], nextFD: Int32, closed: [Int32])>(([], 100, []))
    private let answer: Answer

    init(answer: @escaping Answer = { _, _, _ in .success(0) }) {
        self.answer = answer
    }

    var kind: BackendKind { .model }
    var calls: [Call] { state.withLock { $0.calls } }
    var closed: [Int32] { state.withLock { $0.closed } }

    func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        .success(state.withLock { s in s.nextFD += 1; return s.nextFD })
    }

    func close(_ fd: Int32) -> Errno? {
        state.withLock { $0.closed.append(fd) }
        return nil
    }

    func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer, buffers: [IoctlBuffer]) -> Result<Int, Errno> {
        let before = Array(argument)
        state.withLock { $0.calls.append(Call(fd: fd, request: request, argument: before,
                                                  buffers: buffers.map { ($0.fieldOffset, $0.length, $0.direction) })) }
        return answer(request, argument, buffers)
    }

    func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno> { .success(0) }
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> { .success(0) }
    func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> { .success(buffer.count) }
    func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno> { .failure(.ENODEV) }
    func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? { nil }
}

extension Array where Element == UInt8 {
    func u32(_ offset: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(self[offset + $1]) << (8 * $1) } }
    func u64(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(self[offset + $1]) << (8 * $1) } }
}

func store(_ value: UInt32, at offset: Int, in raw: UnsafeMutableRawBufferPointer) {
    raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
}
