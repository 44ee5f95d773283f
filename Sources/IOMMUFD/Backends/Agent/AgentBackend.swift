#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A remote agent answers the calls: each system call is sent to an `iommufd-agent` (a small
/// static C program, agent/iommufd-agent.c) running on another machine or VM, for example an
/// arm64 guest under QEMU, and executed there. The typed API runs unchanged on top.
///
/// How the calls travel:
/// - **ioctl**: the argument bytes go as they are, with every declared `IoctlBuffer`. The agent
///   allocates each buffer in its own memory, patches its address into the argument at the
///   buffer's field offset, runs the ioctl, and returns the result, the errno, the argument after
///   the call and the bytes of the buffers the kernel may write. Those bytes are copied back to the
///   local pointers, and the argument's pointer fields get their local values back, so the caller
///   sees exactly what a local ioctl would have left. `output` buffers travel as in-out (their
///   current bytes are sent too), because the kernel leaves parts of some untouched (it ORs bits
///   into a dirty bitmap, writes only `num_iovas` ranges).
/// - **userMemory** (IOAS_MAP's `user_va`): the kernel pins this memory for DMA, so it must live
///   in the agent. The local range is mapped to an agent *region*: the region that already
///   contains the range (keyed by local base address), else a new one: the range's size plus
///   4 MiB, placed so that the agent address has the local one's offset within 2 MiB (the kernel
///   aligns automatic IOVAs like the user address) and mirroring a local window that starts up
///   to 2 MiB before the range and ends 2 MiB or more after it (room for longer maps). At each
///   map the local bytes of the range are copied to the region (content flows host → agent at map
///   time); after that, the device sees the agent's copy only. Read what DMA wrote with
///   `syncFromAgent(_:)` / `readRegion(localAddress:length:)`; push later local edits (page tables,
///   payloads) with `syncToAgent(_:)`. A range that overlaps a region without being inside it
///   gets a region of its own (the two do not alias). Regions live until `releaseRegions()` or
///   until the agent exits.
/// - **mmap**: MMIO cannot be made transparent (a load from local memory cannot reach a remote
///   BAR), so `mmap` answers EOPNOTSUPP: a `MappedRegion` from `VFIODevice.mapRegion` cannot
///   exist on this backend. Use `mmio(fd:region:)`, which maps the BAR in the agent and reads and
///   writes it with volatile accesses there (`AgentMMIO`).
/// - **open/close/read/write/pread/pwrite/ioctl(value)**: forwarded as they are; open flags are
///   sent in a machine-independent encoding the agent maps to its own.
///
/// A transport failure (the agent exited, a timeout, a malformed reply) makes every later call
/// fail with the transport's errno (ENOTCONN, ETIMEDOUT, EIO or EPROTO); `connection.brokenBy`
/// says what happened.
public final class AgentBackend: SyscallBackend, @unchecked Sendable {
    public let connection: AgentConnection
    /// What the agent said about itself when this backend was made.
    public let agentVersion: AgentProtocol.VersionInfo

    public var kind: BackendKind { .agent }

    /// An agent region that backs a range of local memory.
    public struct Region: Hashable, Sendable {
        /// The local address range this region mirrors.
        public var localBase: UInt
        public var length: UInt64
        /// The agent's handle and the address of the region in the agent's address space.
        public var handle: UInt64
        public var agentAddress: UInt64
    }

    private var regions: [Region] = []
    private let lock = AgentLock()

    /// Uses an established connection; asks the agent for its version (a transport failure or
    /// a protocol other than this one's throws).
    public init(connection: AgentConnection) throws(AgentTransportError) {
        self.connection = connection
        let reply = try connection.exchange(.version)
        guard reply.succeeded, let info = AgentProtocol.VersionInfo(reply.data) else {
            throw AgentTransportError(.protocolViolation, "VERSION answered errno \(reply.errno), \(reply.data.count) bytes")
        }
        guard info.protocolVersion == AgentProtocol.version else {
            throw AgentTransportError(.setup, "agent speaks protocol \(info.protocolVersion), this backend \(AgentProtocol.version)")
        }
        self.agentVersion = info
    }

    /// Starts a local agent (`executable`, built by agent/build) on pipes.
    public convenience init(spawning executable: String, arguments: [String] = []) throws(AgentTransportError) {
        try self.init(connection: AgentConnection.spawn(executable: executable, arguments: arguments))
    }

    /// Connects to an agent behind a Unix socket (QEMU `-chardev socket` of a virtio-serial port).
    public convenience init(unixSocket path: String, timeoutSeconds: Double = 60) throws(AgentTransportError) {
        let connection = try AgentConnection.connect(unixSocket: path, timeoutSeconds: timeoutSeconds)
        try self.init(connection: connection)
    }

    /// Asks the agent to exit (its reply comes first). The backend is unusable afterwards.
    public func quit() {
        _ = try? connection.exchange(.quit)
    }

    /// Round-trips `bytes` through the agent.
    public func ping(_ bytes: [UInt8] = []) throws(AgentTransportError) -> [UInt8] {
        try connection.exchange(.ping, bytes).data
    }

    // MARK: SyscallBackend

    public func open(path: String, flags: Int32) -> Result<Int32, Errno> {
        guard let wire = Self.wireOpenFlags(flags) else { return .failure(.EINVAL) }
        return call(.open, AgentProtocol.openPayload(path: path, wireFlags: wire, mode: 0)).map { Int32(truncatingIfNeeded: $0.result) }
    }

    public func close(_ fd: Int32) -> Errno? {
        switch call(.close, AgentProtocol.fdPayload(fd)) {
        case .success: nil
        case .failure(let e): e
        }
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, argument: UnsafeMutableRawBufferPointer,
                      buffers: [IoctlBuffer]) -> Result<Int, Errno> {
        guard argument.count <= AgentProtocol.maxArgument, buffers.count <= AgentProtocol.maxBuffers else { return .failure(.E2BIG) }
        var wire: [AgentProtocol.WireBuffer] = []
        var returned: [(pointer: UnsafeMutableRawPointer, length: Int)] = []
        var newRegions: [Region] = []
        var savedFields: [(offset: Int, bytes: [UInt8])] = []
        for buffer in buffers {
            guard let pointer = buffer.pointer else { continue }  // a NULL pointer travels as it is
            guard buffer.fieldOffset >= 0, buffer.fieldOffset + 8 <= argument.count, buffer.length >= 0 else {
                return .failure(.EINVAL)
            }
            savedFields.append((buffer.fieldOffset, Array(argument[buffer.fieldOffset..<(buffer.fieldOffset + 8)])))
            let offset = UInt32(buffer.fieldOffset)
            switch buffer.direction {
            case .input:
                wire.append(.init(fieldOffset: offset, direction: .input, length: UInt64(buffer.length),
                                  bytes: Self.bytes(pointer, buffer.length)))
            case .output, .inOut:
                wire.append(.init(fieldOffset: offset, direction: .inOut, length: UInt64(buffer.length),
                                  bytes: Self.bytes(pointer, buffer.length)))
                returned.append((pointer, buffer.length))
            case .userMemory:
                // Memory this process does not have (a call testing a bad VA) cannot be copied:
                // its address travels as it is, unmapped in the agent too, so the kernel there
                // answers EFAULT as it would here.
                if buffer.length > 0, !HostMemory.isMapped(UInt64(UInt(bitPattern: pointer)), UInt64(buffer.length), writable: false) {
                    savedFields.removeLast()
                    continue
                }
                switch regionForMapping(local: UInt(bitPattern: pointer), length: UInt64(buffer.length)) {
                case .failure(let e): return .failure(e)
                case .success(let (region, created)):
                    if created { newRegions.append(region) }
                    let regionOffset = UInt64(UInt(bitPattern: pointer) - region.localBase)
                    if let e = pushBytes(region: region, offset: regionOffset, from: UnsafeRawPointer(pointer), length: buffer.length) {
                        return .failure(e)
                    }
                    wire.append(.init(fieldOffset: offset, direction: .region, length: UInt64(buffer.length),
                                      regionHandle: region.handle, regionOffset: regionOffset))
                }
            }
        }
        let payload = AgentProtocol.ioctlPayload(fd: fd, request: UInt64(request.value), argument: Array(argument), buffers: wire)
        let reply: AgentProtocol.Reply
        do {
            reply = try connection.exchange(.ioctl, payload)
        } catch {
            return .failure(error.errno)
        }
        guard let parsed = AgentProtocol.parseIoctlReply(reply.data, outputLengths: returned.map(\.length)),
              parsed.argument.count == argument.count else {
            // The agent refused the request itself (its message is in the data) or replied short.
            forget(newRegions)
            return .failure(reply.errno != 0 ? Errno(reply.errno) : Errno(71))
        }
        argument.copyBytes(from: parsed.argument)
        for field in savedFields {
            for (i, b) in field.bytes.enumerated() { argument[field.offset + i] = b }
        }
        for (target, bytes) in zip(returned, parsed.outputs) {
            bytes.withUnsafeBytes { target.pointer.copyMemory(from: $0.baseAddress!, byteCount: min($0.count, target.length)) }
        }
        if reply.errno != 0 {
            forget(newRegions)
            return .failure(Errno(reply.errno))
        }
        return .success(Int(reply.result))
    }

    public func ioctl(_ fd: Int32, _ request: IoctlRequest, value: UInt) -> Result<Int, Errno> {
        call(.ioctlValue, AgentProtocol.ioctlValuePayload(fd: fd, request: UInt64(request.value), value: UInt64(value)))
            .map { Int($0.result) }
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let count = min(buffer.count, AgentProtocol.maxPayload)
        return call(.read, AgentProtocol.readPayload(fd: fd, count: count)).map { reply in
            let n = min(reply.data.count, buffer.count)
            for i in 0..<n { buffer[i] = reply.data[i] }
            return n
        }
    }

    public func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        let count = min(buffer.count, AgentProtocol.maxPayload - 16)
        return call(.write, AgentProtocol.writePayload(fd: fd, bytes: Array(buffer.prefix(count)))).map { Int($0.result) }
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        let count = min(buffer.count, AgentProtocol.maxPayload)
        return call(.pread, AgentProtocol.readPayload(fd: fd, count: count, offset: offset)).map { reply in
            let n = min(reply.data.count, buffer.count)
            for i in 0..<n { buffer[i] = reply.data[i] }
            return n
        }
    }

    public func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) -> Result<Int, Errno> {
        let count = min(buffer.count, AgentProtocol.maxPayload - 24)
        return call(.pwrite, AgentProtocol.writePayload(fd: fd, bytes: Array(buffer.prefix(count)), offset: offset))
            .map { Int($0.result) }
    }

    /// MMIO cannot go through local memory: answers EOPNOTSUPP. Use `mmio(fd:region:)`.
    public func mmap(_ fd: Int32, length: Int, offset: Int, writable: Bool) -> Result<UnsafeMutableRawPointer, Errno> {
        .failure(.EOPNOTSUPP)
    }

    public func munmap(_ address: UnsafeMutableRawPointer, length: Int) -> Errno? { .EINVAL }

    // MARK: Files on the agent's machine

    /// The names in a directory of the agent's machine (sysfs, /dev).
    public func listDirectory(_ path: String) -> Result<[String], Errno> {
        call(.listDirectory, Array(path.utf8)).map { reply in
            reply.data.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The target of a symbolic link on the agent's machine.
    public func readLink(_ path: String) -> Result<String, Errno> {
        call(.readLink, Array(path.utf8)).map { String(decoding: $0.data, as: UTF8.self) }
    }

    /// A whole (small) file of the agent's machine, e.g. a sysfs attribute.
    public func readFile(_ path: String, limit: Int = 65536) -> Result<[UInt8], Errno> {
        let fd: Int32
        switch open(path: path, flags: O_RDONLY) {
        case .success(let f): fd = f
        case .failure(let e): return .failure(e)
        }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        while out.count < limit {
            switch call(.read, AgentProtocol.readPayload(fd: fd, count: min(4096, limit - out.count))) {
            case .success(let reply):
                if reply.data.isEmpty { return .success(out) }
                out += reply.data
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }

    /// Writes `text` to a file of the agent's machine (a sysfs attribute such as driver_override).
    public func writeFile(_ path: String, _ text: String) -> Errno? {
        let fd: Int32
        switch open(path: path, flags: O_WRONLY) {
        case .success(let f): fd = f
        case .failure(let e): return e
        }
        defer { _ = close(fd) }
        switch call(.write, AgentProtocol.writePayload(fd: fd, bytes: Array(text.utf8))) {
        case .success: return nil
        case .failure(let e): return e
        }
    }

    // MARK: Regions

    /// The regions that back local memory now.
    public var liveRegions: [Region] {
        lock.lock()
        defer { lock.unlock() }
        return regions
    }

    /// The region that holds `[local, local + length)`, if any (the newest first).
    public func region(containing local: UInt, length: UInt64) -> Region? {
        lock.lock()
        defer { lock.unlock() }
        return regions.last { local >= $0.localBase && UInt64(local - $0.localBase) + length <= $0.length }
    }

    /// Reads what the agent's copy of local memory holds now (what DMA wrote there).
    public func readRegion(localAddress: UnsafeRawPointer, length: Int) -> Result<[UInt8], Errno> {
        let local = UInt(bitPattern: localAddress)
        guard let region = region(containing: local, length: UInt64(length)) else { return .failure(.ENOENT) }
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var offset = UInt64(local - region.localBase)
        var left = length
        while left > 0 {
            let chunk = min(left, 1 << 20)
            switch call(.readRegion, AgentProtocol.regionReadPayload(handle: region.handle, offset: offset, count: chunk)) {
            case .success(let reply): out += reply.data
            case .failure(let e): return .failure(e)
            }
            offset += UInt64(chunk)
            left -= chunk
        }
        return .success(out)
    }

    /// Copies the agent's copy of `buffer` (which must lie inside one region) into `buffer`.
    @discardableResult
    public func syncFromAgent(_ buffer: UnsafeMutableRawBufferPointer) -> Errno? {
        guard let base = buffer.baseAddress else { return nil }
        switch readRegion(localAddress: base, length: buffer.count) {
        case .success(let bytes):
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: min(bytes.count, buffer.count)) }
            return nil
        case .failure(let e): return e
        }
    }

    /// Copies `buffer`'s local bytes into the agent's copy (after editing page tables locally).
    @discardableResult
    public func syncToAgent(_ buffer: UnsafeRawBufferPointer) -> Errno? {
        guard let base = buffer.baseAddress else { return nil }
        let local = UInt(bitPattern: base)
        guard let region = region(containing: local, length: UInt64(buffer.count)) else { return .ENOENT }
        return pushBytes(region: region, offset: UInt64(local - region.localBase), from: base, length: buffer.count)
    }

    /// Frees every region in the agent. Only safe once nothing maps them any more.
    public func releaseRegions() {
        lock.lock()
        let all = regions
        regions = []
        lock.unlock()
        for region in all { _ = call(.freeRegion, AgentProtocol.u64Payload(region.handle)) }
    }

    /// The kernel aligns an automatic IOVA like the user address (up to 2 MiB) and checks a
    /// fixed one against the address's page offset, so a region places the agent's copy at the
    /// same offset within 2 MiB as the local memory, and leaves 2 MiB of room after it for
    /// later, longer maps of the same buffer.
    private static let alignmentWindow: UInt64 = 2 << 20

    private func regionForMapping(local: UInt, length: UInt64) -> Result<(Region, Bool), Errno> {
        if let existing = region(containing: local, length: length) { return .success((existing, false)) }
        let window = Self.alignmentWindow
        let size = length + 2 * window
        guard length > 0, size <= AgentProtocol.maxRegion else { return .failure(length == 0 ? .EINVAL : .ENOMEM) }
        switch call(.allocRegion, AgentProtocol.u64Payload(size)) {
        case .failure(let e): return .failure(e)
        case .success(let reply):
            guard let (handle, address, _) = AgentProtocol.parseHandle(reply.data) else { return .failure(Errno(71)) }
            // pad: where, from the region's start, the agent address matches `local` mod 2 MiB.
            let pad = (UInt64(local) &- address) & (window - 1)
            let region = Region(localBase: local &- UInt(pad), length: size, handle: handle, agentAddress: address)
            lock.lock()
            regions.append(region)
            lock.unlock()
            return .success((region, true))
        }
    }

    private func forget(_ dropped: [Region]) {
        guard !dropped.isEmpty else { return }
        lock.lock()
        regions.removeAll { r in dropped.contains { $0.handle == r.handle } }
        lock.unlock()
        for region in dropped { _ = call(.freeRegion, AgentProtocol.u64Payload(region.handle)) }
    }

    private func pushBytes(region: Region, offset: UInt64, from pointer: UnsafeRawPointer, length: Int) -> Errno? {
        var done = 0
        while done < length {
            let chunk = min(length - done, 1 << 20)
            let bytes = Self.bytes(pointer + done, chunk)
            if case .failure(let e) = call(.writeRegion, AgentProtocol.regionWritePayload(handle: region.handle, offset: offset + UInt64(done), bytes: bytes)) {
                return e
            }
            done += chunk
        }
        return nil
    }

    // MARK: MMIO

    /// Maps VFIO region `region` of the device whose agent fd is `fd` in the agent, for MMIO
    /// through the agent (the replacement for `VFIODevice.mapRegion` on this backend).
    public func mmio(fd: Int32, region: VFIORegionInfo, writable: Bool = true) -> Result<AgentMMIO, Errno> {
        mmio(fd: fd, offset: region.offset, length: region.size, writable: writable)
    }

    /// Maps `length` bytes at `offset` of the agent's fd `fd` in the agent.
    public func mmio(fd: Int32, offset: UInt64, length: UInt64, writable: Bool = true) -> Result<AgentMMIO, Errno> {
        call(.mmap, AgentProtocol.mmapPayload(fd: fd, length: length, offset: offset, writable: writable)).flatMap { reply in
            guard let (handle, address, mapped) = AgentProtocol.parseHandle(reply.data) else { return .failure(Errno(71)) }
            return .success(AgentMMIO(backend: self, handle: handle, agentAddress: address, length: mapped))
        }
    }

    func mmioRead(handle: UInt64, offset: UInt64, width: Int) -> Result<UInt64, Errno> {
        call(.mmioRead, AgentProtocol.mmioReadPayload(handle: handle, offset: offset, width: width)).flatMap { reply in
            var r = AgentWireReader(reply.data)
            guard let v = r.u64() else { return .failure(Errno(71)) }
            return .success(v)
        }
    }

    func mmioWrite(handle: UInt64, offset: UInt64, width: Int, value: UInt64) -> Errno? {
        switch call(.mmioWrite, AgentProtocol.mmioWritePayload(handle: handle, offset: offset, width: width, value: value)) {
        case .success: nil
        case .failure(let e): e
        }
    }

    func unmapMMIO(handle: UInt64) {
        _ = call(.munmap, AgentProtocol.u64Payload(handle))
    }

    // MARK: Plumbing

    /// One exchange: the reply when the agent's call succeeded, else its errno (or the
    /// transport's).
    func call(_ op: AgentProtocol.Op, _ payload: [UInt8]) -> Result<AgentProtocol.Reply, Errno> {
        do {
            let reply = try connection.exchange(op, payload)
            return reply.errno == 0 ? .success(reply) : .failure(Errno(reply.errno))
        } catch {
            return .failure(error.errno)
        }
    }

    static func bytes(_ pointer: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// This machine's open flags in the wire encoding; nil for bits the protocol does not carry.
    static func wireOpenFlags(_ flags: Int32) -> UInt32? {
        let table: [(Int32, UInt32)] = [
            (O_CREAT, AgentProtocol.OpenFlag.create), (O_EXCL, AgentProtocol.OpenFlag.exclusive),
            (O_NOCTTY, AgentProtocol.OpenFlag.noControllingTTY), (O_TRUNC, AgentProtocol.OpenFlag.truncate),
            (O_APPEND, AgentProtocol.OpenFlag.append), (O_NONBLOCK, AgentProtocol.OpenFlag.nonBlocking),
            (O_DSYNC, AgentProtocol.OpenFlag.dataSync), (O_DIRECTORY, AgentProtocol.OpenFlag.directory),
            (O_NOFOLLOW, AgentProtocol.OpenFlag.noFollow), (O_CLOEXEC, AgentProtocol.OpenFlag.closeOnExec),
        ]
        var rest = flags & ~O_ACCMODE
        var wire = UInt32(flags & O_ACCMODE)
        for (native, w) in table where rest & native == native {
            wire |= w
            rest &= ~native
        }
        return rest == 0 ? wire : nil
    }
}

/// A device region (a BAR) mapped in the agent, read and written with volatile accesses there,
/// one exchange per access. Unmapped in the agent when released.
public final class AgentMMIO: @unchecked Sendable {
    public let backend: AgentBackend
    public let handle: UInt64
    /// Where the agent mapped it (in the agent's address space).
    public let agentAddress: UInt64
    public let length: UInt64

    init(backend: AgentBackend, handle: UInt64, agentAddress: UInt64, length: UInt64) {
        self.backend = backend
        self.handle = handle
        self.agentAddress = agentAddress
        self.length = length
    }

    deinit { backend.unmapMMIO(handle: handle) }

    public func read32(_ offset: Int) throws(IOMMUFDError) -> UInt32 {
        UInt32(truncatingIfNeeded: try read(offset, width: 4))
    }

    public func read64(_ offset: Int) throws(IOMMUFDError) -> UInt64 { try read(offset, width: 8) }

    public func write32(_ offset: Int, _ value: UInt32) throws(IOMMUFDError) {
        try write(offset, width: 4, UInt64(value))
    }

    public func write64(_ offset: Int, _ value: UInt64) throws(IOMMUFDError) {
        try write(offset, width: 8, value)
    }

    public func read(_ offset: Int, width: Int) throws(IOMMUFDError) -> UInt64 {
        switch backend.mmioRead(handle: handle, offset: UInt64(offset), width: width) {
        case .success(let v): return v
        case .failure(let e):
            throw IOMMUFDError(operation: "agent MMIO read", errno: e, context: "mmap \(handle), offset \(hex(offset)), width \(width)")
        }
    }

    public func write(_ offset: Int, width: Int, _ value: UInt64) throws(IOMMUFDError) {
        if let e = backend.mmioWrite(handle: handle, offset: UInt64(offset), width: width, value: value) {
            throw IOMMUFDError(operation: "agent MMIO write", errno: e, context: "mmap \(handle), offset \(hex(offset)), width \(width), value \(hex(value))")
        }
    }
}
