import CIOMMUFD

/// An iommufd context: one open `/dev/iommu` file. Every object (IOAS, HWPT, vIOMMU, ...) lives
/// inside one context, and the kernel frees them all when the file is closed.
///
/// Objects keep their context alive, so the fd is never closed under a live object. The context
/// also keeps a ledger of the objects created through this API, so that a test can check that
/// nothing is left behind (`liveObjects`) and that no automatic destroy failed (`cleanupFailures`).
public final class IOMMUFD {
    /// The answerer of this context's calls: the kernel, the model or a remote agent.
    public let backend: any SyscallBackend
    /// The backend's file descriptor of this context.
    public let fd: Int32
    /// Where it came from (`/dev/iommu`, or "adopted fd N").
    public let origin: String

    let syscalls: Syscalls
    private var ledger: [UInt32: LiveObject] = [:]
    /// Automatic destroys (from `deinit`) that the backend refused, oldest first.
    public private(set) var cleanupFailures: [IOMMUFDError] = []

    /// Opens `path` (normally `/dev/iommu`) read-write on `backend`.
    public init(path: String = "/dev/iommu", backend: any SyscallBackend = KernelBackend.shared) throws(IOMMUFDError) {
        self.backend = backend
        self.syscalls = Syscalls(backend: backend)
        self.fd = try syscalls.open(path, flags: O_RDWR)
        self.origin = path
    }

    /// Takes ownership of an already open iommufd (passed by a privileged helper over
    /// SCM_RIGHTS, say). It is closed when this context goes away.
    public init(adopting fd: Int32, backend: any SyscallBackend = KernelBackend.shared) {
        self.backend = backend
        self.syscalls = Syscalls(backend: backend)
        self.fd = fd
        self.origin = "adopted fd \(fd)"
    }

    deinit {
        _ = syscalls.close(fd)
    }

    // MARK: Raw calls

    /// Issues `request` on this context with a caller-built argument struct, as the kernel's
    /// selftests do. The typed API is built on this; use it directly for negative tests.
    @discardableResult
    public func ioctl<Argument>(_ request: IoctlRequest, _ argument: inout Argument,
                                buffers: [IoctlBuffer] = [],
                                context: @autoclosure () -> String = "") throws(IOMMUFDError) -> Int {
        try syscalls.ioctl(fd, request, &argument, buffers: buffers, context: context())
    }

    /// Issues `request` with an argument given as raw bytes, for calls whose struct size is the
    /// point of the test (shorter or longer than the kernel's).
    @discardableResult
    public func ioctl(_ request: IoctlRequest, bytes: inout [UInt8], buffers: [IoctlBuffer] = [],
                      context: @autoclosure () -> String = "") throws(IOMMUFDError) -> Int {
        try syscalls.ioctl(fd, request, bytes: &bytes, buffers: buffers, context: context())
    }

    /// `IOMMU_DESTROY` of a raw object id. Objects made through this API destroy themselves;
    /// this is for ids obtained by raw calls.
    public func destroy(id: UInt32) throws(IOMMUFDError) {
        var arg = iommu_destroy(size: UInt32(MemoryLayout<iommu_destroy>.size), id: id)
        try ioctl(.IOMMU_DESTROY, &arg, context: "id \(id)")
    }

    // MARK: Ledger

    /// A kernel object created through this API and not yet destroyed.
    public struct LiveObject: Hashable, Sendable, CustomStringConvertible {
        public var id: UInt32
        public var kind: ObjectKind
        public var description: String { "\(kind) \(id)" }
    }

    /// The objects this API created in this context that are still alive, by id.
    public var liveObjects: [LiveObject] { ledger.values.sorted { $0.id < $1.id } }

    func register(_ id: UInt32, _ kind: ObjectKind) { ledger[id] = LiveObject(id: id, kind: kind) }
    func unregister(_ id: UInt32) { ledger[id] = nil }
    func recordCleanupFailure(_ error: IOMMUFDError) { cleanupFailures.append(error) }
}

/// The kinds of object an iommufd context holds (the kernel's `IOMMUFD_OBJ_*`).
public enum ObjectKind: String, Hashable, Sendable, CaseIterable {
    case device, hwptPaging = "hwpt_paging", hwptNested = "hwpt_nested", ioas, access, fault
    case viommu, vdevice, veventq, hwQueue = "hw_queue"
}
