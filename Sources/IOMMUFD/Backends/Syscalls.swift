/// The library's only way to reach a backend: every call retries on EINTR and turns a failure
/// into an `IOMMUFDError` that names the operation and its context.
struct Syscalls: Sendable {
    let backend: any SyscallBackend

    /// Runs `ioctl(fd, request, &argument)` on a C argument struct, in place.
    @discardableResult
    func ioctl<Argument>(_ fd: Int32, _ request: IoctlRequest, _ argument: inout Argument,
                         buffers: [IoctlBuffer] = [],
                         context: @autoclosure () -> String) throws(IOMMUFDError) -> Int {
        while true {
            let result = withUnsafeMutableBytes(of: &argument) { bytes in
                backend.ioctl(fd, request, argument: bytes, buffers: buffers)
            }
            switch result {
            case .success(let value): return value
            case .failure(.EINTR): continue
            case .failure(.E2BIG):
                let why = withUnsafeBytes(of: &argument) { ExtensibleStructs.explainE2BIG(operation: request.name, argument: $0) }
                throw IOMMUFDError(operation: request.name, errno: .E2BIG, context: context(), hint: why)
            case .failure(let errno):
                throw IOMMUFDError(operation: request.name, errno: errno, context: context())
            }
        }
    }

    /// Runs an ioctl whose argument is given as raw bytes (sizes other than the struct's).
    @discardableResult
    func ioctl(_ fd: Int32, _ request: IoctlRequest, bytes: inout [UInt8], buffers: [IoctlBuffer] = [],
               context: @autoclosure () -> String) throws(IOMMUFDError) -> Int {
        while true {
            let result = bytes.withUnsafeMutableBytes { raw in
                backend.ioctl(fd, request, argument: raw, buffers: buffers)
            }
            switch result {
            case .success(let value): return value
            case .failure(.EINTR): continue
            case .failure(let errno):
                throw IOMMUFDError(operation: request.name, errno: errno, context: context())
            }
        }
    }

    /// Runs `ioctl(fd, request, value)` for the legacy calls that take an integer.
    @discardableResult
    func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt,
               context: @autoclosure () -> String) throws(IOMMUFDError) -> Int {
        while true {
            switch backend.ioctl(fd, request, value: value) {
            case .success(let v): return v
            case .failure(.EINTR): continue
            case .failure(let errno):
                throw IOMMUFDError(operation: request.name, errno: errno, context: context())
            }
        }
    }

    func open(_ path: String, flags: Int32) throws(IOMMUFDError) -> Int32 {
        while true {
            switch backend.open(path: path, flags: flags) {
            case .success(let fd): return fd
            case .failure(.EINTR): continue
            case .failure(let errno):
                throw IOMMUFDError(operation: "open", errno: errno, context: path)
            }
        }
    }

    /// Closes `fd`. Like the kernel, close never retries: the fd is gone whatever it answers.
    func close(_ fd: Int32) -> Errno? { backend.close(fd) }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, what: @autoclosure () -> String) throws(IOMMUFDError) -> Int {
        while true {
            switch backend.read(fd, into: buffer) {
            case .success(let n): return n
            case .failure(.EINTR): continue
            case .failure(let errno): throw IOMMUFDError(operation: "read", errno: errno, context: what())
            }
        }
    }

    func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer, what: @autoclosure () -> String) throws(IOMMUFDError) -> Int {
        while true {
            switch backend.write(fd, from: buffer) {
            case .success(let n): return n
            case .failure(.EINTR): continue
            case .failure(let errno): throw IOMMUFDError(operation: "write", errno: errno, context: what())
            }
        }
    }
}
