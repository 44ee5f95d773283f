/// Which answerer sits behind the syscall seam.
public enum BackendKind: String, Sendable, CaseIterable {
    /// ioctl(2) on `/dev/iommu` and VFIO cdevs of this machine.
    case kernel
    /// The in-process software model of the Linux 7.2 iommufd rules.
    case model
    /// A remote agent (a small static C program) executing the calls on another machine.
    case agent
}

/// An ioctl request number with the kernel's name for it, carried into every error and trace.
public struct IoctlRequest: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt
    public var name: String
    public init(_ value: UInt, _ name: String) {
        self.value = value
        self.name = name
    }
    public var description: String { name }
}

/// A buffer that an ioctl argument points to through one of its `__aligned_u64` fields.
///
/// The kernel and the model read the pointer in place; a backend that cannot share this
/// process's memory (the remote agent) or that records calls (the tracer) needs to know where the
/// pointer sits, how long the buffer is and which way its bytes flow.
public struct IoctlBuffer {
    public enum Direction: String, Sendable {
        /// The kernel reads it (invalidation entries, allowed IOVA ranges, a payload).
        case input
        /// The kernel writes it (hw_info data, a dirty bitmap, IOVA ranges).
        case output
        /// Both (invalidation arrays report per-entry results on some drivers).
        case inOut
        /// Memory the kernel pins for DMA (IOAS_MAP's user_va): not copied, only its extent matters.
        case userMemory
    }

    /// Byte offset, inside the argument struct, of the u64 field that holds the pointer.
    public var fieldOffset: Int
    public var pointer: UnsafeMutableRawPointer?
    public var length: Int
    public var direction: Direction

    public init(fieldOffset: Int, pointer: UnsafeMutableRawPointer?, length: Int, direction: Direction) {
        self.fieldOffset = fieldOffset
        self.pointer = pointer
        self.length = length
        self.direction = direction
    }
}

/// The one seam every system call of the library goes through.
///
/// Each method mirrors one system call and returns the kernel's answer as a value: the result, or
/// the errno. The kernel backend calls the real syscall; the model answers from its own state; the
/// agent forwards the call. Errors are turned into `IOMMUFDError` above this layer, where the
/// operation's context is known. File descriptors are the backend's own numbers.
public protocol SyscallBackend: AnyObject, Sendable {
    var kind: BackendKind { get }

    func open(path: String, flags: Int32) -> Result<Int32, Errno>
    func close(_ fd: Int32) -> Errno?
    /// ioctl(fd, request, argument): `argument` holds the struct's bytes, changed in place by the call.
    func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer,
               buffers: [IoctlBuffer]) -> Result<Int, Errno>
    /// ioctl(fd, request, value) for the legacy VFIO calls that take an integer argument.
    func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno>
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno>
    func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno>
    func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno>
    func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno?
    /// pread/pwrite at a file offset: VFIO regions that cannot be mmapped (PCI config space).
    func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Result<Int, Errno>
    func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) -> Result<Int, Errno>
}

extension SyscallBackend {
    /// A backend without positional I/O (the model has no device regions) answers ENODEV, as a
    /// VFIO device without that region would.
    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        .failure(.ENODEV)
    }

    public func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        .failure(.ENODEV)
    }
}
