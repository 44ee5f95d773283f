#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of the simulated kernel that are not part of a hardware profile.
public struct ModelOptions: Sendable {
    /// PAGE_SIZE of the simulated kernel (default: this machine's page size).
    public var pageSize: UInt64
    /// HPAGE_SIZE (the transparent huge page size), which caps automatic IOVA alignment.
    public var hugePageSize: UInt64
    /// CONFIG_TRANSPARENT_HUGEPAGE (Debian's kernels: yes).
    public var transparentHugePages: Bool
    /// Whether the caller has CAP_SYS_RESOURCE (IOMMU_OPTION RLIMIT_MODE SET). nil: euid 0.
    public var capSysResource: Bool?
    /// Whether IOMMU_TEST_CMD is answered (CONFIG_IOMMUFD_TEST). nil: only for the selftest profile.
    public var selftestCommands: Bool?
    /// The `allow_unsafe_interrupts` module parameter (binding a device whose group cannot
    /// isolate MSIs).
    public var allowUnsafeInterrupts: Bool
    /// CONFIG_IOMMUFD_VFIO_CONTAINER: /dev/vfio/vfio opens an iommufd context.
    public var vfioContainer: Bool
    /// CONFIG_VFIO_NOIOMMU (VFIO_CHECK_EXTENSION(VFIO_NOIOMMU_IOMMU)).
    public var vfioNoIOMMU: Bool

    public init(pageSize: UInt64? = nil, hugePageSize: UInt64 = 2 << 20, transparentHugePages: Bool = true,
                capSysResource: Bool? = nil, selftestCommands: Bool? = nil, allowUnsafeInterrupts: Bool = false,
                vfioContainer: Bool = true, vfioNoIOMMU: Bool = false) {
        self.pageSize = pageSize ?? UInt64(sysconf(Int32(_SC_PAGESIZE)))
        self.hugePageSize = hugePageSize
        self.transparentHugePages = transparentHugePages
        self.capSysResource = capSysResource
        self.selftestCommands = selftestCommands
        self.allowUnsafeInterrupts = allowUnsafeInterrupts
        self.vfioContainer = vfioContainer
        self.vfioNoIOMMU = vfioNoIOMMU
    }
}

/// A live object of a model context, for inspection in tests (`ModelBackend.objects(fd:)`).
public struct ModelObjectInfo: Hashable, Sendable, CustomStringConvertible {
    public var id: UInt32
    /// The kernel's type name: ioas, hwpt_paging, hwpt_nested, device, fault, viommu, vdevice,
    /// veventq, hw_queue, access, selftest.
    public var type: String
    /// The object's `users` count (1: only the table holds it).
    public var users: Int
    public var description: String { "\(type) \(id) (users \(users))" }
}

/// The software model of the Linux 7.2 iommufd and VFIO cdev user API.
///
/// It answers the same system calls as the kernel, at the level of ioctl bytes: it reads the C
/// struct from the argument, applies the kernel's checks in the kernel's order, writes back
/// what the kernel writes back, and fails with the kernel's errno. Hardware behaviour comes from
/// a `ModelProfile` (the selftest mock IOMMU now; VT-d, SMMUv3 and AMD profiles plug into the
/// same driver interface) and the `ModelDevice`s it is given, which appear as
/// `/dev/vfio/devices/vfioN`. One lock serialises every call, so the class is thread-safe.
///
/// File descriptors are the model's own numbers (from 1,000,000 up), except where the uAPI
/// takes a real file: IOMMU_IOAS_MAP_FILE's `fd` is a file of this process (a memfd).
///
/// Documented limits (what only a kernel can do): no pinned-page accounting (RLIMIT_MEMLOCK,
/// VmPin; CHANGE_PROCESS checks the rule but moves nothing); pinning is checked where the kernel
/// pins (a domain or an access): the user range must be mapped and writable for a writable map,
/// a file must be shmem and long enough; dirty bits are kept per domain at one PTE size (the mock:
/// 2 KiB, 1 MiB for the huge-page table); no dma-buf exporter (MAP_FILE takes every fd as a file,
/// DMABUF_GET/REVOKE answer EOPNOTSUPP); argument bytes past the buffer handed to `ioctl` fault;
/// fail_nth counts the model's own allocation points, not the kernel's; VFIO regions, IRQs and
/// features of model devices are not emulated.
public final class ModelBackend: SyscallBackend, @unchecked Sendable {
    public var kind: BackendKind { .model }
    public let profile: ModelProfile
    public let devices: [ModelDevice]
    public let options: ModelOptions

    let lock = ModelLock()
    let env: ModelEnv

    public init(profile: ModelProfile = .selftest, devices: [ModelDevice] = [], options: ModelOptions = ModelOptions()) {
        self.profile = profile
        self.devices = devices
        self.options = options
        self.env = ModelEnv(profile: profile, devices: devices, options: options)
    }

    /// The kernel when this machine has `/dev/iommu`, else a model with the selftest profile and
    /// one model device (`ModelDevice.standard`, at /dev/vfio/devices/vfio0).
    public static func automatic() -> any SyscallBackend {
        if access("/dev/iommu", F_OK) == 0 { return KernelBackend.shared }
        return ModelBackend(profile: .selftest, devices: [.standard])
    }

    /// The cdev path (`/dev/vfio/devices/vfioN`) of the model device at `pciAddress`.
    public func cdevPath(forPCIAddress pciAddress: String) -> String? {
        devices.first { $0.pciAddress == pciAddress }.map { "/dev/vfio/devices/\($0.cdevName)" }
    }

    /// Fault injection like the kernel's fail_nth: the `n`-th internal allocation from now on
    /// fails with ENOMEM (once); 0 disarms.
    public func failNth(_ n: Int) {
        lock.withLock { env.failCountdown = max(0, n) }
    }

    /// Whether an armed `failNth` has not fired yet.
    public var failNthPending: Bool {
        lock.withLock { env.failCountdown > 0 }
    }

    /// The live objects of the context behind iommufd `fd`, by id (empty for other fds).
    public func objects(fd: Int32) -> [ModelObjectInfo] {
        lock.withLock {
            guard case .iommufd(let ctx)? = env.file(fd) else { return [] }
            return ctx.liveObjects.map { ModelObjectInfo(id: $0.0, type: $0.1.type.description, users: $0.1.users) }
        }
    }

    /// Ids held as tombstones (a vDEVICE whose device went away) in the context behind `fd`.
    public func tombstones(fd: Int32) -> [UInt32] {
        lock.withLock {
            guard case .iommufd(let ctx)? = env.file(fd) else { return [] }
            return ctx.reservedIDs
        }
    }

    /// The number of open model file descriptors.
    public var openFileCount: Int {
        lock.withLock { env.openFileCount }
    }

    /// The number of iommufd contexts not yet released (an fd, an event queue fd or a bound
    /// device still holds them).
    public var liveContextCount: Int {
        lock.withLock { env.liveContextCount }
    }

    /// Areas and memory of the IOAS `ioasID` in the context behind `fd` (benchmarks, tests).
    public func ioasStatistics(fd: Int32, ioasID: UInt32) -> (areas: Int, bytes: Int)? {
        lock.withLock {
            guard case .iommufd(let ctx)? = env.file(fd), let ioas = ctx.getIOAS(ioasID) else { return nil }
            return (ioas.iopt.areas.count, ioas.iopt.areas.bytesAllocated)
        }
    }

    // MARK: SyscallBackend

    public func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        lock.withLock { env.open(path: path, flags: flags) }
    }

    public func close(_ fd: Int32) -> Errno? {
        lock.withLock { env.close(fd) }
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer,
                      buffers: [IoctlBuffer]) -> Result<Int, Errno> {
        let memory = UserMemory(arg: argument.baseAddress, count: argument.count, buffers: buffers)
        return lock.withLock {
            switch env.file(fd) {
            case .iommufd(let ctx)?: return ctx.ioctl(request.value, memory: memory)
            case .vfioDevice(let df)?: return df.ioctl(request.value, memory: memory)
            case nil: return .failure(.EBADF)
            default: return .failure(.ENOTTY)
            }
        }
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno> {
        let memory = UserMemory(arg: UnsafeMutableRawPointer(bitPattern: value), count: 0, buffers: [])
        return lock.withLock {
            switch env.file(fd) {
            case .iommufd(let ctx)?:
                let nr = Int(request.value & 0xff)
                if nr < 0x80 { return ctx.vfioCompatIoctl(request.value, memory: memory, value: value) }
                return ctx.ioctl(request.value, memory: memory)
            case .vfioDevice(let df)?: return df.ioctl(request.value, memory: memory)
            case nil: return .failure(.EBADF)
            default: return .failure(.ENOTTY)
            }
        }
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        lock.withLock {
            switch env.file(fd) {
            case .fault(let q)?: return q.read(into: buffer)
            case .veventq(let q)?: return q.read(into: buffer)
            case .vfioDevice?: return .failure(.EINVAL)
            case nil: return .failure(.EBADF)
            default: return .failure(.EINVAL)
            }
        }
    }

    public func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        lock.withLock {
            switch env.file(fd) {
            case .fault(let q)?: return q.write(from: buffer)
            case nil: return .failure(.EBADF)
            default: return .failure(.EINVAL)
            }
        }
    }

    public func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno> {
        lock.withLock { env.mmap(fd, length: length, offset: offset) }
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? {
        lock.withLock { env.munmap(address, length: length) }
    }
}

/// What a model fd refers to.
enum ModelFile {
    case iommufd(ModelContext)
    case vfioDevice(VFIODeviceFile)
    case fault(FaultObject)
    case veventq(VEventQObject)
    case access(SelftestAccess)
}

/// The state behind one `ModelBackend`: the simulated kernel's configuration, its devices and
/// groups, the fd table, the page sources and the fault injector. Only touched under the lock.
final class ModelEnv {
    let profile: ModelProfile
    let pageSize: UInt64
    let hugePageSize: UInt64
    let transparentHugePages: Bool
    let capSysResource: Bool
    let selftestCommands: Bool
    let allowUnsafeInterrupts: Bool
    let vfioContainer: Bool
    let vfioNoIOMMU: Bool
    private(set) var driver: ModelIOMMUDriver!

    /// fail_nth: counts down on every allocation point; the one that reaches zero fails.
    @exclusivity(unchecked) var failCountdown = 0

    static let fdBase: Int32 = 1_000_000
    @exclusivity(unchecked) private var files: [ModelFile?] = []

    /// The PCI model devices and their groups; mock devices join `groups` as they are made.
    private(set) var physicalDevices: [PhysicalDevice] = []
    private(set) var groups: [Int: IOMMUGroup] = [:]
    /// The next group id for a mock device (after every model device group).
    private var nextMockGroup = 1000
    private var nextMockIndex = 0

    /// `iopt_pages` ids; file pages keep a dup of the file and a reference count.
    @exclusivity(unchecked) private var nextPages: UInt64 = 1
    @exclusivity(unchecked) private var filePages: [UInt64: (fd: Int32, refs: Int)] = [:]

    /// Every context with references left (its fd, event queue fds, bound devices): the
    /// owner of the `ModelContext` objects, which objects reference without counting.
    @exclusivity(unchecked) private var contexts: [ObjectIdentifier: ModelContext] = [:]

    /// Live mmaps of vIOMMU windows: address -> (owner, length, how many mmaps of it are live).
    /// A second mmap of a window answers the same address, so each munmap drops one.
    @exclusivity(unchecked) private var mappings: [UnsafeMutableRawPointer: (owner: ModelObject, length: Int, count: Int)] = [:]

    init(profile: ModelProfile, devices: [ModelDevice], options: ModelOptions) {
        self.profile = profile
        self.pageSize = options.pageSize
        self.hugePageSize = options.hugePageSize
        self.transparentHugePages = options.transparentHugePages
        self.capSysResource = options.capSysResource ?? (geteuid() == 0)
        self.selftestCommands = options.selftestCommands ?? profile.hasSelftest
        self.allowUnsafeInterrupts = options.allowUnsafeInterrupts
        self.vfioContainer = options.vfioContainer
        self.vfioNoIOMMU = options.vfioNoIOMMU
        self.driver = profile.makeDriver(env: self)
        for spec in devices {
            let group = groups[spec.iommuGroup] ?? IOMMUGroup(id: spec.iommuGroup)
            groups[spec.iommuGroup] = group
            let dev = PhysicalDevice(spec: spec, group: group, maxPasids: 0)
            dev.maxPasids = spec.pasidWidth == 0 ? 0 : min(UInt32(1) << min(UInt32(spec.pasidWidth), 31), driver.maxPasids)
            group.devices.append(dev)
            physicalDevices.append(dev)
            nextMockGroup = max(nextMockGroup, spec.iommuGroup + 1)
        }
    }

    // MARK: Fault injection

    /// One allocation point (kzalloc, xa_alloc, ...): true when fail_nth says this one fails.
    @inline(__always)
    func shouldFail() -> Bool {
        if failCountdown == 0 { return false }
        failCountdown -= 1
        return failCountdown == 0
    }

    // MARK: Files

    func file(_ fd: Int32) -> ModelFile? {
        let i = Int(fd) - Int(Self.fdBase)
        guard i >= 0, i < files.count else { return nil }
        return files[i]
    }

    /// Installs a file at the lowest free model fd.
    func install(_ f: ModelFile) -> Int32 {
        if let i = files.firstIndex(where: { $0 == nil }) {
            files[i] = f
            return Self.fdBase + Int32(i)
        }
        files.append(f)
        return Self.fdBase + Int32(files.count - 1)
    }

    private func uninstall(_ fd: Int32) {
        let i = Int(fd) - Int(Self.fdBase)
        files[i] = nil
        while let last = files.last, last == nil { files.removeLast() }
    }

    var openFileCount: Int { files.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        if path == "/dev/iommu" || (path == "/dev/vfio/vfio" && vfioContainer) {
            if shouldFail() { return .failure(.ENOMEM) }
            // /dev/vfio/vfio defaults to VFIO's per-mm accounting.
            let ctx = ModelContext(env: self, accountMode: path == "/dev/iommu" ? 0 : 2)
            contexts[ObjectIdentifier(ctx)] = ctx
            return .success(install(.iommufd(ctx)))
        }
        let prefix = "/dev/vfio/devices/"
        if path.hasPrefix(prefix) {
            let name = String(path.dropFirst(prefix.count))
            guard let dev = physicalDevices.first(where: { $0.spec.cdevName == name }) else { return .failure(.ENOENT) }
            if shouldFail() { return .failure(.ENOMEM) }
            return .success(install(.vfioDevice(VFIODeviceFile(env: self, device: dev))))
        }
        return .failure(.ENOENT)
    }

    func close(_ fd: Int32) -> Errno? {
        guard let f = file(fd) else { return .EBADF }
        uninstall(fd)
        switch f {
        case .iommufd(let ctx): ctx.putRef()
        case .vfioDevice(let df): df.release()
        case .fault(let q): q.fileReleased()
        case .veventq(let q): q.fileReleased()
        case .access(let a): a.release()
        }
        return nil
    }

    /// The iommufd context behind a model fd (`iommufd_ctx_from_fd`): EBADF for no file,
    /// EBADFD for a file of another kind.
    func contextFromFD(_ fd: Int32) -> Result<ModelContext, Errno> {
        switch file(fd) {
        case .iommufd(let ctx)?: return .success(ctx)
        case nil: return .failure(.EBADF)
        default: return .failure(.EBADFD)
        }
    }

    var liveContextCount: Int { contexts.count }

    /// `iommufd_access_notify_unmap`: every user access of the io_pagetable drops its pins in
    /// the range (the selftest accesses' `unmap` op).
    func notifyAccessesUnmap(_ iopt: IOPageTable, _ iova: UInt64, _ length: UInt64) {
        for f in files {
            if case .access(let a)? = f, let access = a.access, !access.isInternal, access.ioas?.iopt === iopt {
                a.unmap(iova, length)
            }
        }
    }

    /// Visits the open selftest access files.
    func forEachAccessFile(_ body: (SelftestAccess) -> Void) {
        for f in files {
            if case .access(let a)? = f { body(a) }
        }
    }

    func contextReleased(_ ctx: ModelContext) {
        defer { contexts[ObjectIdentifier(ctx)] = nil }
        // Groups owned by the context are free again.
        for g in groups.values where g.owner === ctx {
            g.owner = nil
            g.ownerCount = 0
        }
    }

    // MARK: mmap of vIOMMU windows (iommufd_fops_mmap)

    func mmap(_ fd: Int32, length: Int, offset: Int) -> Result<UnsafeMutableRawPointer, Errno> {
        guard let f = file(fd) else { return .failure(.EBADF) }
        guard case .iommufd(let ctx) = f else { return .failure(.ENODEV) }
        // mmap(2) itself: a zero length or an offset inside a page is EINVAL; the length is
        // rounded up to whole pages, so the VMA iommufd_fops_mmap sees is always page-aligned.
        if length <= 0 || offset < 0 || UInt64(offset) % pageSize != 0 { return .failure(.EINVAL) }
        let length = Int((UInt64(length) + pageSize - 1) / pageSize * pageSize)
        let off = UInt64(offset)
        guard let entry = ctx.mmaps.values.first(where: { off >= $0.offset && off < $0.offset + $0.length }),
              let owner = entry.owner else { return .failure(.ENXIO) }
        if off != entry.offset || UInt64(length) != entry.length { return .failure(.ENXIO) }
        owner.users += 1
        mappings[entry.memory] = (owner, length, (mappings[entry.memory]?.count ?? 0) + 1)
        return .success(entry.memory)
    }

    func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? {
        guard let m = mappings[address] else { return .EINVAL }
        mappings[address] = m.count > 1 ? (m.owner, m.length, m.count - 1) : nil
        m.owner.users -= 1
        return nil
    }

    // MARK: Devices

    /// Creates a mock device (`mock_dev_create`) in a group of its own.
    func createMockDevice(flags: UInt32) -> PhysicalDevice {
        let group = IOMMUGroup(id: nextMockGroup)
        nextMockGroup += 1
        groups[group.id] = group
        let index = nextMockIndex
        nextMockIndex += 1
        let pasid: UInt8 = flags & 4 != 0 ? 20 : 0
        let spec = ModelDevice(pciAddress: "iommufd_mock\(index)", vendorID: 0, deviceID: 0, iommuGroup: group.id,
                               pasidWidth: pasid, ats: false, dirtyTracking: flags & 1 == 0,
                               cdevName: "", isPCI: false)
        let dev = PhysicalDevice(spec: spec, group: group, maxPasids: pasid == 0 ? 0 : min(1 << 20, driver.maxPasids),
                                 mockFlags: flags, isMock: true, index: index)
        group.devices.append(dev)
        return dev
    }

    /// `mock_dev_destroy`.
    func destroyMockDevice(_ dev: PhysicalDevice) {
        dev.group.devices.removeAll { $0 === dev }
        if dev.group.devices.isEmpty { groups[dev.group.id] = nil }
    }

    // MARK: Pages

    func newPagesID() -> UInt64 {
        let id = nextPages
        nextPages &+= 1
        if nextPages >= 1 << 56 { nextPages = 1 }
        return id
    }

    /// `fget` + `iopt_alloc_file_pages`: the fd must be an open file of this process (EBADF).
    /// The model keeps a dup of it for as long as an area maps it (`get_file`).
    func openFilePages(fd: Int32, pagesID: UInt64) -> Errno? {
        var st = stat()
        if fd < 0 || fstat(fd, &st) != 0 { return .EBADF }
        let copy = dup(fd)
        if copy < 0 { return .EBADF }
        filePages[pagesID] = (copy, 1)
        return nil
    }

    func dropFilePages(pagesID: UInt64) {
        releasePages(kind: .file, pagesID: pagesID)
    }

    @inline(__always)
    func retainPages(kind: PagesKind, pagesID: UInt64) {
        if kind == .file, var e = filePages[pagesID] {
            e.refs += 1
            filePages[pagesID] = e
        }
    }

    @inline(__always)
    func releasePages(kind: PagesKind, pagesID: UInt64) {
        guard kind == .file, var e = filePages[pagesID] else { return }
        e.refs -= 1
        if e.refs == 0 {
            posixClose(e.fd)
            filePages[pagesID] = nil
        } else {
            filePages[pagesID] = e
        }
    }

    /// The file behind file pages (for MD_CHECK_MAP).
    func fileFD(pagesID: UInt64) -> Int32? { filePages[pagesID]?.fd }

    /// Pinning (GUP) of an area's pages when a domain is filled: a user range must be mapped
    /// (EFAULT otherwise) and writable when the pages are; a file range must be shmem and lie
    /// inside the file (EINVAL).
    func pin(kind: PagesKind, addr: UInt64, length: UInt64, write: Bool, pagesID: UInt64) -> Errno? {
        switch kind {
        case .user:
            return HostMemory.isMapped(addr, length, writable: write) ? nil : .EFAULT
        case .file:
            // memfd_pin_folios: only shmem (memfd, tmpfs) and hugetlbfs files, and only below
            // i_size (EINVAL otherwise).
            guard let fd = filePages[pagesID]?.fd else { return .EFAULT }
            var st = stat()
            if fstat(fd, &st) != 0 { return .EFAULT }
            #if os(Linux)
            // F_GET_SEALS answers only for shmem and hugetlbfs files, the kinds memfd_pin_folios takes.
            if fcntl(fd, 1034) < 0 { return .EINVAL }
            #endif
            let (last, o) = addr.addingReportingOverflow(length &- 1)
            if o || last >= UInt64(max(0, st.st_size)) { return .EINVAL }
            return nil
        case .dmabuf:
            return nil
        }
    }
}

/// close(2) of a real fd (file scope, where `close` is the C function).
@inline(__always) func posixClose(_ fd: Int32) { _ = close(fd) }

/// Questions about this process's memory that pinning answers in the kernel.
enum HostMemory {
    static func string(_ line: [CChar]) -> String {
        String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether [addr, addr + length) is mapped (mincore) and, if asked, writable (/proc/self/maps).
    static func isMapped(_ addr: UInt64, _ length: UInt64, writable: Bool) -> Bool {
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        if addr < page { return false }
        let start = addr & ~(page - 1)
        let (endRaw, o) = addr.addingReportingOverflow(length)
        if o { return false }
        let (endRounded, o2) = endRaw.addingReportingOverflow(page - 1)
        if o2 { return false }
        let end = endRounded & ~(page - 1)
        var cursor = start
        let chunk: UInt64 = 1 << 30
        var vec = [UInt8](repeating: 0, count: Int(min(chunk, end - start) / page) + 1)
        while cursor < end {
            let n = min(chunk, end - cursor)
            let rc = vec.withUnsafeMutableBufferPointer { buf in
                mincore(UnsafeMutableRawPointer(bitPattern: UInt(cursor)), Int(n), buf.baseAddress)
            }
            if rc != 0 { return false }
            cursor += n
        }
        if writable { return isWritable(start, end) }
        return true
    }

    /// Whether every VMA covering [start, end) is writable, per /proc/self/maps.
    static func isWritable(_ start: UInt64, _ end: UInt64) -> Bool {
        guard let f = fopen("/proc/self/maps", "r") else { return true }
        defer { fclose(f) }
        var cursor = start
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, 512, f) != nil {
            let text = Self.string(line)
            let fields = text.split(separator: " ", maxSplits: 2)
            guard fields.count >= 2 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let lo = UInt64(range[0], radix: 16), let hi = UInt64(range[1], radix: 16) else { continue }
            if hi <= cursor || lo > cursor { continue }
            if !fields[1].hasPrefix("rw") && !(fields[1].count > 1 && fields[1].dropFirst().hasPrefix("w")) { return false }
            cursor = hi
            if cursor >= end { return true }
        }
        return cursor >= end
    }
}

extension HostMemory {
    /// The page frame number behind `va` (from /proc/self/pagemap), when this process may read
    /// it (CAP_SYS_ADMIN); touching the page first makes it present, as pinning would.
    static func pfn(_ va: UInt64) -> UInt64? {
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        guard isMapped(va, 1, writable: false), let p = UnsafeRawPointer(bitPattern: UInt(va & ~(page - 1))) else { return nil }
        _ = p.load(as: UInt8.self)
        let fd = open("/proc/self/pagemap", O_RDONLY)
        if fd < 0 { return nil }
        defer { posixClose(fd) }
        var entry: UInt64 = 0
        let n = pread(fd, &entry, 8, off_t((va / page) * 8))
        guard n == 8, entry & (1 << 63) != 0 else { return nil }
        let frame = entry & ((1 << 55) - 1)
        return frame == 0 ? nil : frame
    }

    /// The file, device and file offset of the page under `va` (from /proc/self/maps).
    static func fileBacking(_ va: UInt64) -> FileBacking? {
        guard let f = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(f) }
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, 512, f) != nil {
            let fields = Self.string(line).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let lo = UInt64(range[0], radix: 16), let hi = UInt64(range[1], radix: 16),
                  va >= lo, va < hi else { continue }
            guard let offset = UInt64(fields[2], radix: 16), let ino = UInt64(fields[4]), ino != 0 else { return nil }
            let devParts = fields[3].split(separator: ":")
            guard devParts.count == 2, let major = UInt64(devParts[0], radix: 16), let minor = UInt64(devParts[1], radix: 16) else { return nil }
            return FileBacking(dev: (major << 32) | minor, ino: ino, offset: offset + ((va & ~(page - 1)) - lo))
        }
        return nil
    }

    /// The (device, inode) of an open file, in the form `fileBacking` reports.
    static func fileIdentity(_ fd: Int32) -> (dev: UInt64, ino: UInt64)? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let dev = UInt64(st.st_dev)
        #if os(Linux)
        // glibc's makedev encoding.
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        #else
        let major = (dev >> 24) & 0xff, minor = dev & 0xffffff
        #endif
        return ((major << 32) | minor, UInt64(st.st_ino))
    }

    /// Copies between a page source (a user VA or a file offset) and a kernel buffer, as
    /// `iopt_pages_rw_access` does (EFAULT when the source cannot be reached).
    static func copy(kind: PagesKind, fd: Int32?, source: UInt64, buffer: UnsafeMutableRawPointer, count: Int,
                     toSource: Bool) -> Errno? {
        switch kind {
        case .user:
            guard isMapped(source, UInt64(count), writable: toSource),
                  let p = UnsafeMutableRawPointer(bitPattern: UInt(source)) else { return .EFAULT }
            if toSource { p.copyMemory(from: buffer, byteCount: count) } else { buffer.copyMemory(from: p, byteCount: count) }
            return nil
        case .file:
            guard let fd else { return .EFAULT }
            let n = toSource ? pwrite(fd, buffer, count, off_t(source)) : pread(fd, buffer, count, off_t(source))
            return n == count ? nil : .EFAULT
        case .dmabuf:
            return .EFAULT
        }
    }
}

/// Where a mapped page comes from in a file.
struct FileBacking: Equatable {
    var dev: UInt64
    var ino: UInt64
    var offset: UInt64
}
