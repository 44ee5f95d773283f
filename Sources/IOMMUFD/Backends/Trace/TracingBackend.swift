import Synchronization

/// Wraps another backend and records every call at the seam (arguments, buffers, result, errno,
/// outputs) as `TraceRecord`s, handed to `sink` in call order. The calls themselves go through
/// unchanged, so a traced run behaves exactly like an untraced one.
public final class TracingBackend: SyscallBackend {
    public let inner: any SyscallBackend
    private let sink: @Sendable (TraceRecord) -> Void
    private let sequence = Mutex(0)

    public init(_ inner: any SyscallBackend, sink: @escaping @Sendable (TraceRecord) -> Void) {
        self.inner = inner
        self.sink = sink
    }

    public var kind: BackendKind { inner.kind }

    private func next() -> Int { sequence.withLock { $0 += 1; return $0 } }

    private func record<T>(_ call: TraceRecord.Call, fd: Int32, name: String, value: UInt64,
                           _ result: Result<T, Errno>, _ asInt: (T) -> Int64) -> Result<T, Errno> {
        let (ok, errno): (Int64?, Errno?) = switch result {
        case .success(let v): (asInt(v), nil)
        case .failure(let e): (nil, e)
        }
        sink(TraceRecord(sequence: next(), call: call, fd: fd, name: name, value: value, result: ok, errno: errno))
        return result
    }

    public func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        record(.open, fd: -1, name: path, value: UInt64(UInt32(bitPattern: flags)), inner.open(path: path, flags: flags)) { Int64($0) }
    }

    public func close(_ fd: Int32) -> Errno? {
        let errno = inner.close(fd)
        sink(TraceRecord(sequence: next(), call: .close, fd: fd, name: "close", value: 0, result: errno == nil ? 0 : nil, errno: errno))
        return errno
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer,
                      buffers: [IoctlBuffer]) -> Result<Int, Errno> {
        let before = Array(argument)
        let inputs = buffers.map { b -> [UInt8] in
            guard b.direction == .input || b.direction == .inOut, let p = b.pointer else { return [] }
            return Array(UnsafeRawBufferPointer(start: p, count: b.length))
        }
        let result = inner.ioctl(fd, request, argument: argument, buffers: buffers)
        let traced = zip(buffers, inputs).map { b, input -> TraceRecord.Buffer in
            var output: [UInt8] = []
            if b.direction == .output || b.direction == .inOut, let p = b.pointer {
                output = Array(UnsafeRawBufferPointer(start: p, count: b.length))
            }
            var unmapped = false
            if b.direction == .userMemory, b.length > 0, let p = b.pointer {
                unmapped = !HostMemory.isMapped(UInt64(UInt(bitPattern: p)), UInt64(b.length), writable: false)
            }
            return TraceRecord.Buffer(fieldOffset: b.fieldOffset, length: b.length, direction: b.direction, input: input, output: output,
                                      unmapped: unmapped)
        }
        let (ok, errno): (Int64?, Errno?) = switch result {
        case .success(let v): (Int64(v), nil)
        case .failure(let e): (nil, e)
        }
        sink(TraceRecord(sequence: next(), call: .ioctl, fd: fd, name: request.name, value: UInt64(request.value),
                         argument: before, argumentAfter: Array(argument), buffers: traced, result: ok, errno: errno))
        return result
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno> {
        let result = inner.ioctl(fd, request, value: value)
        let (ok, errno): (Int64?, Errno?) = switch result {
        case .success(let v): (Int64(v), nil)
        case .failure(let e): (nil, e)
        }
        sink(TraceRecord(sequence: next(), call: .ioctlValue, fd: fd, name: request.name, value: UInt64(request.value),
                         argument: withUnsafeBytes(of: UInt64(value).littleEndian) { Array($0) }, result: ok, errno: errno))
        return result
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let result = inner.read(fd, into: buffer)
        let (ok, errno): (Int64?, Errno?) = switch result {
        case .success(let n): (Int64(n), nil)
        case .failure(let e): (nil, e)
        }
        let data = (try? result.get()).map { Array(buffer.prefix($0)) } ?? []
        sink(TraceRecord(sequence: next(), call: .read, fd: fd, name: "read", value: UInt64(buffer.count),
                         argumentAfter: data, result: ok, errno: errno))
        return result
    }

    public func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        let result = inner.write(fd, from: buffer)
        let (ok, errno): (Int64?, Errno?) = switch result {
        case .success(let n): (Int64(n), nil)
        case .failure(let e): (nil, e)
        }
        sink(TraceRecord(sequence: next(), call: .write, fd: fd, name: "write", value: UInt64(buffer.count),
                         argument: Array(buffer), result: ok, errno: errno))
        return result
    }

    public func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno> {
        record(.mmap, fd: fd, name: "mmap", value: UInt64(length), inner.mmap(fd, length: length, offset: offset, writable: writable)) { _ in 0 }
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? {
        inner.munmap(address, length: length)
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        record(.pread, fd: fd, name: "pread", value: UInt64(bitPattern: offset), inner.pread(fd, into: buffer, offset: offset)) { Int64($0) }
    }

    public func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        record(.pwrite, fd: fd, name: "pwrite", value: UInt64(bitPattern: offset), inner.pwrite(fd, from: buffer, offset: offset)) { Int64($0) }
    }
}
