import CIOMMUFD

/// The real kernel: each call is the system call of the same name on this machine.
public final class KernelBackend: SyscallBackend {
    public static let shared = KernelBackend()
    public init() {}

    public var kind: BackendKind { .kernel }

    public func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        let fd = ciommufd_open(path, flags)
        return fd < 0 ? .failure(Errno(-fd)) : .success(fd)
    }

    public func close(_ fd: Int32) -> Errno? {
        let r = ciommufd_close(fd)
        return r < 0 ? Errno(-r) : nil
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer,
                      buffers: [IoctlBuffer]) -> Result<Int, Errno> {
        Self.result(ciommufd_ioctl(fd, request.value, argument.baseAddress))
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno> {
        Self.result(ciommufd_ioctl_value(fd, request.value, value))
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        Self.result(ciommufd_read(fd, buffer.baseAddress, UInt(buffer.count)))
    }

    public func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        Self.result(ciommufd_write(fd, buffer.baseAddress, UInt(buffer.count)))
    }

    public func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno> {
        var err: Int32 = 0
        let prot = PROT_READ | (writable ? PROT_WRITE : 0)
        guard let p = ciommufd_mmap_shared(fd, UInt(length), prot, offset, &err) else {
            return .failure(Errno(err))
        }
        return .success(p)
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? {
        let r = ciommufd_munmap(address, UInt(length))
        return r < 0 ? Errno(-r) : nil
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        Self.result(ciommufd_pread(fd, buffer.baseAddress, UInt(buffer.count), offset))
    }

    public func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        Self.result(ciommufd_pwrite(fd, buffer.baseAddress, UInt(buffer.count), offset))
    }

    private static func result(_ r: Int) -> Result<Int, Errno> {
        r < 0 ? .failure(Errno(Int32(truncatingIfNeeded: -r))) : .success(r)
    }
}
