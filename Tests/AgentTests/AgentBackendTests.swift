#if canImport(Glibc)
import Glibc
#endif
import CIOMMUFD
@testable import IOMMUFD
import Testing

/// AgentBackend against an iommufd-agent spawned on this machine: the answers must be the ones
/// the kernel backend gets from the same kernel.
@Suite("Agent backend", .enabled(if: AgentFixture.available, "the agent could not be built (see AgentFixture.built.problem)"))
struct AgentBackendTests {
    @Test func versionAndPing() throws {
        let agent = try AgentFixture.backend()
        #expect(agent.kind == .agent)
        #expect(agent.agentVersion.protocolVersion == AgentProtocol.version)
        #expect(agent.agentVersion.maxPayload == UInt32(AgentProtocol.maxPayload))
        #expect(agent.agentVersion.pointerBits == 64)
        #expect(agent.agentVersion.text.contains("x86_64"))
        #expect(try agent.ping([]) == [])
        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try agent.ping(big) == big)
        agent.quit()
    }

    @Test func anIoctlOnDevNullFailsAsOnTheKernel() throws {
        let agent = try AgentFixture.backend()
        let remote = try IOMMUFD(path: "/dev/null", backend: agent)
        let local = try IOMMUFD(path: "/dev/null", backend: KernelBackend.shared)
        let remoteError = #expect(throws: IOMMUFDError.self) { _ = try remote.allocIOAS() }
        let localError = #expect(throws: IOMMUFDError.self) { _ = try local.allocIOAS() }
        #expect(remoteError?.errno == .ENOTTY)
        #expect(remoteError == localError)
        // hw_info declares an output buffer; the failure is still the kernel's ENOTTY.
        let hwError = #expect(throws: IOMMUFDError.self) { _ = try remote.hwInfo(deviceID: 1) }
        #expect(hwError?.errno == .ENOTTY)
        #expect(hwError?.operation == "IOMMU_GET_HW_INFO")
    }

    @Test func openErrorsAreTheKernels() throws {
        let agent = try AgentFixture.backend()
        for path in ["/nonexistent/iommu", "/proc/self/nonexistent", "/"] {
            let remote = agent.open(path: path, flags: O_RDWR)
            let local = KernelBackend.shared.open(path: path, flags: O_RDWR)
            if case .success(let fd) = local { _ = KernelBackend.shared.close(fd) }
            switch (remote, local) {
            case (.failure(let a), .failure(let b)): #expect(a == b, "\(path)")
            default: Issue.record("\(path): agent \(remote), kernel \(local)")
            }
        }
        let error = #expect(throws: IOMMUFDError.self) { try IOMMUFD(path: "/nonexistent/iommu", backend: agent) }
        #expect(error?.errno == .ENOENT)
        // O_PATH has no wire encoding: refused before it is sent.
        #expect(agent.open(path: "/dev/null", flags: O_RDONLY | 0o10000000) == .failure(.EINVAL))
        #expect(agent.close(12345) == .EBADF)
    }

    @Test(.enabled(if: ProcmapQuery.supported, "this kernel has no PROCMAP_QUERY (Linux 6.11+)"))
    func outputBuffersArePatchedFilledAndRestored() throws {
        let agent = try AgentFixture.backend()
        let fd = try agent.open(path: "/proc/self/maps", flags: O_RDONLY).get()
        defer { _ = agent.close(fd) }
        var name = [UInt8](repeating: 0xAA, count: 256)
        var arg = [UInt8](repeating: 0, count: ProcmapQuery.size)
        arg.put(UInt64(ProcmapQuery.size), at: 0)
        arg.put(ProcmapQuery.coveringOrNext, at: ProcmapQuery.queryFlags)
        arg.put32(UInt32(name.count), at: ProcmapQuery.vmaNameSize)
        let result = name.withUnsafeMutableBytes { nameBytes -> Result<Int, Errno> in
            arg.put(UInt64(UInt(bitPattern: nameBytes.baseAddress)), at: ProcmapQuery.vmaNameAddress)
            let localPointer = arg.u64(at: ProcmapQuery.vmaNameAddress)
            let r = arg.withUnsafeMutableBytes { raw in
                agent.ioctl(fd, ProcmapQuery.request, argument: raw,
                            buffers: [IoctlBuffer(fieldOffset: ProcmapQuery.vmaNameAddress, pointer: nameBytes.baseAddress,
                                                  length: nameBytes.count, direction: .output)])
            }
            // The pointer field holds the local address again, not the agent's.
            #expect(arg.u64(at: ProcmapQuery.vmaNameAddress) == localPointer)
            return r
        }
        #expect(result == .success(0))
        // The first mapping of the agent is its own executable: the kernel wrote its path.
        let length = Int(arg.u32(at: ProcmapQuery.vmaNameSize))
        let text = String(decoding: name.prefix(max(0, length - 1)), as: UTF8.self)
        #expect(text == AgentFixture.executable)
        #expect(name[length - 1] == 0)
        // Bytes past what the kernel wrote are the caller's own (output travels in-out).
        #expect(name[length...].allSatisfy { $0 == 0xAA })
        #expect(arg.u64(at: ProcmapQuery.vmaEnd) > arg.u64(at: ProcmapQuery.vmaStart))
    }

    @Test(.enabled(if: ProcmapQuery.supported, "this kernel has no PROCMAP_QUERY (Linux 6.11+)"))
    func userMemoryBecomesAnAgentRegionThatTheKernelSees() throws {
        let agent = try AgentFixture.backend()
        let fd = try agent.open(path: "/proc/self/maps", flags: O_RDONLY).get()
        defer { _ = agent.close(fd) }
        let local = UnsafeMutableRawBufferPointer.allocate(byteCount: 3 * 4096, alignment: 4096)
        defer { local.deallocate() }
        for i in 0..<local.count { local[i] = UInt8(truncatingIfNeeded: i &* 13) }
        // query_addr declared as user memory: the agent puts its region's address there, and the
        // kernel reports the anonymous mapping that holds it.
        var arg = [UInt8](repeating: 0, count: ProcmapQuery.size)
        arg.put(UInt64(ProcmapQuery.size), at: 0)
        arg.put(UInt64(UInt(bitPattern: local.baseAddress)), at: ProcmapQuery.queryAddress)
        let r = arg.withUnsafeMutableBytes { raw in
            agent.ioctl(fd, ProcmapQuery.request, argument: raw,
                        buffers: [IoctlBuffer(fieldOffset: ProcmapQuery.queryAddress, pointer: local.baseAddress,
                                              length: local.count, direction: .userMemory)])
        }
        #expect(r == .success(0))
        let region = try #require(agent.region(containing: UInt(bitPattern: local.baseAddress), length: UInt64(local.count)))
        #expect(arg.u64(at: ProcmapQuery.vmaStart) <= region.agentAddress)
        #expect(arg.u64(at: ProcmapQuery.vmaEnd) >= region.agentAddress + UInt64(local.count))
        #expect(arg.u64(at: ProcmapQuery.queryAddress) == UInt64(UInt(bitPattern: local.baseAddress)))
        // The local bytes went to the agent at "map" time.
        #expect(try agent.readRegion(localAddress: local.baseAddress!, length: local.count).get() == Array(local))
        // Later local edits stay local until pushed; reading back brings the agent's copy.
        local[5] = 0xEE
        #expect(try agent.readRegion(localAddress: local.baseAddress! + 5, length: 1).get() != [0xEE])
        #expect(agent.syncToAgent(UnsafeRawBufferPointer(rebasing: local[4096..<8192])) == nil)
        #expect(agent.syncToAgent(UnsafeRawBufferPointer(local)) == nil)
        #expect(try agent.readRegion(localAddress: local.baseAddress! + 5, length: 1).get() == [0xEE])
        local[5] = 0
        #expect(agent.syncFromAgent(UnsafeMutableRawBufferPointer(rebasing: local[0..<16])) == nil)
        #expect(local[5] == 0xEE)
        // A sub-range of the same memory reuses the region (aliasing as the kernel would).
        var arg2 = arg
        let r2 = arg2.withUnsafeMutableBytes { raw in
            agent.ioctl(fd, ProcmapQuery.request, argument: raw,
                        buffers: [IoctlBuffer(fieldOffset: ProcmapQuery.queryAddress, pointer: local.baseAddress! + 4096,
                                              length: 4096, direction: .userMemory)])
        }
        #expect(r2 == .success(0))
        #expect(agent.liveRegions.count == 1)
        // Memory outside every region cannot be read back. A region covers a window of a few MiB
        // around the memory it was made for (it keeps the local 2 MiB alignment and leaves room
        // for longer maps), so the probe comes from a fresh mapping 32 MiB into it.
        let far = mmap(nil, 64 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        defer { munmap(far, 64 << 20) }
        let probe = UnsafeMutableRawBufferPointer(start: far + (32 << 20), count: 8)
        #expect(agent.region(containing: UInt(bitPattern: probe.baseAddress), length: 8) == nil)
        #expect(agent.syncFromAgent(probe) == .ENOENT)
        agent.releaseRegions()
        #expect(agent.liveRegions.isEmpty)
    }

    @Test func termiosOfAPtyMatchesTheKernel() throws {
        let agent = try AgentFixture.backend()
        let tcgets = IoctlRequest(0x5401, "TCGETS")
        let tcsets = IoctlRequest(0x5402, "TCSETS")
        let remoteFD = try agent.open(path: "/dev/ptmx", flags: O_RDWR | O_NOCTTY).get()
        defer { _ = agent.close(remoteFD) }
        let localFD = try KernelBackend.shared.open(path: "/dev/ptmx", flags: O_RDWR | O_NOCTTY).get()
        defer { _ = KernelBackend.shared.close(localFD) }
        var remote = [UInt8](repeating: 0xFF, count: 60)
        var local = [UInt8](repeating: 0xFF, count: 60)
        #expect(remote.withUnsafeMutableBytes { agent.ioctl(remoteFD, tcgets, argument: $0, buffers: []) } == .success(0))
        #expect(local.withUnsafeMutableBytes { KernelBackend.shared.ioctl(localFD, tcgets, argument: $0, buffers: []) } == .success(0))
        #expect(remote == local)
        // The argument goes in as well: clear ECHO (c_lflag bit 3) and read it back.
        var changed = remote
        changed[12] &= ~0x08
        #expect(changed.withUnsafeMutableBytes { agent.ioctl(remoteFD, tcsets, argument: $0, buffers: []) } == .success(0))
        var after = [UInt8](repeating: 0, count: 60)
        #expect(after.withUnsafeMutableBytes { agent.ioctl(remoteFD, tcgets, argument: $0, buffers: []) } == .success(0))
        #expect(after[12] & 0x08 == 0)
    }

    @Test func fionreadReadAndWriteOnAFifo() throws {
        let agent = try AgentFixture.backend()
        let dir = AgentFixture.scratchDirectory()
        let fifo = dir + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo); rmdir(dir) }
        let fd = try agent.open(path: fifo, flags: O_RDWR | O_NONBLOCK).get()
        defer { _ = agent.close(fd) }
        let hello = Array("hello".utf8)
        #expect(hello.withUnsafeBytes { agent.write(fd, from: $0) } == .success(5))
        var count: Int32 = -1
        let r = withUnsafeMutableBytes(of: &count) { agent.ioctl(fd, IoctlRequest(0x541B, "FIONREAD"), argument: $0, buffers: []) }
        #expect(r == .success(0))
        #expect(count == 5)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(buffer.withUnsafeMutableBytes { agent.read(fd, into: $0) } == .success(5))
        #expect(Array(buffer.prefix(5)) == hello)
        #expect(buffer.withUnsafeMutableBytes { agent.read(fd, into: $0) } == .failure(.EAGAIN))
        // Positional I/O on a FIFO is ESPIPE, as on the kernel.
        #expect(buffer.withUnsafeMutableBytes { agent.pread(fd, into: $0, offset: 0) } == .failure(.ESPIPE))
        // An integer ioctl.
        #expect(agent.ioctl(fd, IoctlRequest(0x5421, "FIONBIO"), value: 0) == .failure(.EFAULT))
    }

    @Test func preadAndPwriteOnAFile() throws {
        let agent = try AgentFixture.backend()
        let dir = AgentFixture.scratchDirectory()
        let path = dir + "/file"
        defer { unlink(path); rmdir(dir) }
        let fd = try agent.open(path: path, flags: O_RDWR | O_CREAT | O_EXCL).get()
        defer { _ = agent.close(fd) }
        let data = Array("0123456789".utf8)
        #expect(data.withUnsafeBytes { agent.pwrite(fd, from: $0, offset: 100) } == .success(10))
        var back = [UInt8](repeating: 0, count: 4)
        #expect(back.withUnsafeMutableBytes { agent.pread(fd, into: $0, offset: 103) } == .success(4))
        #expect(back == Array("3456".utf8))
        #expect(try agent.readFile(path).get().count == 110)
        #expect(try agent.listDirectory(dir).get() == ["file"])
        #expect(agent.listDirectory(path) == .failure(.ENOTDIR))
        #expect(try agent.readLink("/proc/self/exe").get() == AgentFixture.executable)
    }

    @Test func mmioGoesThroughTheAgent() throws {
        let agent = try AgentFixture.backend()
        // /dev/zero mapped shared is plain shared memory: a stand-in for a BAR.
        let fd = try agent.open(path: "/dev/zero", flags: O_RDWR).get()
        defer { _ = agent.close(fd) }
        #expect(agent.mmap(fd, length: 4096, offset: 0, writable: true) == .failure(.EOPNOTSUPP))
        let bar = try agent.mmio(fd: fd, offset: 0, length: 4096).get()
        #expect(bar.length == 4096)
        #expect(try bar.read64(0x80) == 0)
        try bar.write64(0x80, 0x1122_3344_5566_7788)
        try bar.write32(0x90, 0xCAFE_F00D)
        #expect(try bar.read64(0x80) == 0x1122_3344_5566_7788)
        #expect(try bar.read32(0x84) == 0x1122_3344)
        #expect(try bar.read32(0x90) == 0xCAFE_F00D)
        #expect(try bar.read(0x91, width: 1) == 0xF0)
        let outside = #expect(throws: IOMMUFDError.self) { _ = try bar.read32(4096) }
        #expect(outside?.errno == .ERANGE)
        let misaligned = #expect(throws: IOMMUFDError.self) { _ = try bar.read64(4) }
        #expect(misaligned?.errno == .EINVAL)
        let width = #expect(throws: IOMMUFDError.self) { _ = try bar.read(0, width: 3) }
        #expect(width?.errno == .EINVAL)
    }

    @Test func aDeadAgentFailsEveryLaterCall() throws {
        let agent = try AgentFixture.backend()
        agent.quit()
        #expect(agent.open(path: "/dev/null", flags: O_RDONLY) == .failure(Errno(107)))
        #expect(agent.connection.brokenBy?.kind == .closed)
        let error = #expect(throws: IOMMUFDError.self) { try IOMMUFD(path: "/dev/null", backend: agent) }
        #expect(error?.errno == Errno(107))
    }

    @Test(.enabled(if: access("/dev/iommu", R_OK | W_OK) == 0, "no /dev/iommu on this machine"))
    func theTypedAPIRunsOnARealIommufdThroughTheAgent() throws {
        let agent = try AgentFixture.backend()
        let ctx = try IOMMUFD(backend: agent)
        let ioas = try ctx.allocIOAS()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { buffer.deallocate() }
        let iova = try ioas.map(buffer)
        #expect(try ioas.unmap(iova: iova, length: 8192) == 8192)
        #expect(try !ioas.iovaRanges().ranges.isEmpty)
        try ioas.destroy()
    }
}

/// The agent's defences: every malformed request gets an error reply, and the agent keeps
/// serving.
@Suite("Agent protocol defences", .enabled(if: AgentFixture.available, "the agent could not be built"))
struct AgentDefenceTests {
    func expectError(_ c: AgentConnection, _ op: UInt32, _ payload: [UInt8], _ errno: Errno,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reply = try c.exchange(rawOp: op, payload)
        #expect(reply.errno == errno.rawValue, "op \(op): \(reply.message)", sourceLocation: sourceLocation)
        #expect(reply.result == -1, sourceLocation: sourceLocation)
    }

    func ioctlHeader(fd: Int32, nbuf: UInt32, arglen: UInt32, request: UInt64 = 0x5401) -> AgentWireWriter {
        var w = AgentWireWriter()
        w.i32(fd); w.u32(nbuf); w.u64(request); w.u32(arglen); w.u32(0)
        return w
    }

    @Test func malformedRequestsGetErrorReplies() throws {
        let agent = try AgentFixture.backend()
        let c = agent.connection
        let ioctl = AgentProtocol.Op.ioctl.rawValue
        try expectError(c, 999, [], .ENOSYS)
        try expectError(c, AgentProtocol.Op.open.rawValue, [1, 2], Errno(74))  // EBADMSG
        try expectError(c, AgentProtocol.Op.open.rawValue, AgentProtocol.openPayload(path: "/dev/null", wireFlags: 0o10000000), .EINVAL)
        try expectError(c, AgentProtocol.Op.open.rawValue, AgentProtocol.openPayload(path: "", wireFlags: 0), .EINVAL)
        try expectError(c, AgentProtocol.Op.open.rawValue, AgentProtocol.openPayload(path: "/dev/\0null", wireFlags: 0), .EINVAL)
        try expectError(c, AgentProtocol.Op.open.rawValue, AgentProtocol.openPayload(path: String(repeating: "a", count: 5000), wireFlags: 0), .EINVAL)
        try expectError(c, AgentProtocol.Op.close.rawValue, AgentProtocol.fdPayload(0), .EBADF)
        try expectError(c, AgentProtocol.Op.close.rawValue, AgentProtocol.fdPayload(1), .EBADF)
        try expectError(c, AgentProtocol.Op.read.rawValue, AgentProtocol.readPayload(fd: 0, count: 4), .EBADF)
        try expectError(c, AgentProtocol.Op.write.rawValue, AgentProtocol.writePayload(fd: 1, bytes: [1]), .EBADF)
        try expectError(c, AgentProtocol.Op.read.rawValue, AgentProtocol.readPayload(fd: 5, count: 1 << 25), .E2BIG)
        try expectError(c, AgentProtocol.Op.ioctlValue.rawValue, [0, 0, 0], Errno(74))

        // IOCTL: sizes, offsets, directions, handles, missing and left-over bytes.
        var w = ioctlHeader(fd: 5, nbuf: 0, arglen: 5000)
        w.padded([UInt8](repeating: 0, count: 5000))
        try expectError(c, ioctl, w.data, .E2BIG)
        w = ioctlHeader(fd: 5, nbuf: 17, arglen: 8)
        w.padded([UInt8](repeating: 0, count: 8))
        try expectError(c, ioctl, w.data, .E2BIG)
        try expectError(c, ioctl, ioctlHeader(fd: 5, nbuf: 0, arglen: 64).data, Errno(74))  // argument missing
        func oneBuffer(offset: UInt32, direction: UInt32, length: UInt64, handle: UInt64 = 0, data: [UInt8]? = nil) -> [UInt8] {
            var w = ioctlHeader(fd: 5, nbuf: 1, arglen: 16)
            w.padded([UInt8](repeating: 0, count: 16))
            w.u32(offset); w.u32(direction); w.u64(length); w.u64(handle); w.u64(0)
            if let data { w.padded(data) }
            return w.data
        }
        try expectError(c, ioctl, oneBuffer(offset: 9, direction: 0, length: 1, data: [0]), .EINVAL)
        try expectError(c, ioctl, oneBuffer(offset: 0, direction: 7, length: 1, data: [0]), .EINVAL)
        try expectError(c, ioctl, oneBuffer(offset: 0, direction: 0, length: 64), Errno(74))
        try expectError(c, ioctl, oneBuffer(offset: 0, direction: 1, length: UInt64(1) << 40), .E2BIG)
        try expectError(c, ioctl, oneBuffer(offset: 0, direction: 3, length: 8, handle: 77), .ENOENT)
        try expectError(c, ioctl, oneBuffer(offset: 0, direction: 1, length: 8) + [0, 0, 0, 0, 0, 0, 0, 0], Errno(74))
        var overlap = ioctlHeader(fd: 5, nbuf: 2, arglen: 16)
        overlap.padded([UInt8](repeating: 0, count: 16))
        for off: UInt32 in [0, 4] { overlap.u32(off); overlap.u32(1); overlap.u64(8); overlap.u64(0); overlap.u64(0) }
        try expectError(c, ioctl, overlap.data, .EINVAL)

        // Regions and mmaps.
        try expectError(c, AgentProtocol.Op.allocRegion.rawValue, AgentProtocol.u64Payload(0), .EINVAL)
        try expectError(c, AgentProtocol.Op.allocRegion.rawValue, AgentProtocol.u64Payload(UInt64(1) << 31), .EINVAL)
        try expectError(c, AgentProtocol.Op.allocRegion.rawValue, [1, 2, 3], Errno(74))
        let alloc = try c.exchange(.allocRegion, AgentProtocol.u64Payload(100))
        #expect(alloc.errno == 0)
        let (handle, address, length) = try #require(AgentProtocol.parseHandle(alloc.data))
        #expect(length == 4096)
        #expect(address % 4096 == 0)
        let pattern: [UInt8] = [9, 8, 7, 6, 5]
        #expect(try c.exchange(.writeRegion, AgentProtocol.regionWritePayload(handle: handle, offset: 4091, bytes: pattern)).errno == 0)
        #expect(try c.exchange(.readRegion, AgentProtocol.regionReadPayload(handle: handle, offset: 4091, count: 5)).data == pattern)
        try expectError(c, AgentProtocol.Op.writeRegion.rawValue, AgentProtocol.regionWritePayload(handle: handle, offset: 4092, bytes: pattern), .ERANGE)
        try expectError(c, AgentProtocol.Op.readRegion.rawValue, AgentProtocol.regionReadPayload(handle: handle, offset: UInt64.max - 2, count: 5), .ERANGE)
        try expectError(c, AgentProtocol.Op.readRegion.rawValue, AgentProtocol.regionReadPayload(handle: handle + 100, offset: 0, count: 1), .ENOENT)
        try expectError(c, AgentProtocol.Op.mmioRead.rawValue, AgentProtocol.mmioReadPayload(handle: handle, offset: 0, width: 4), .ENOENT)
        try expectError(c, AgentProtocol.Op.munmap.rawValue, AgentProtocol.u64Payload(handle), .ENOENT)
        #expect(try c.exchange(.freeRegion, AgentProtocol.u64Payload(handle)).errno == 0)
        try expectError(c, AgentProtocol.Op.freeRegion.rawValue, AgentProtocol.u64Payload(handle), .ENOENT)
        try expectError(c, AgentProtocol.Op.mmap.rawValue, AgentProtocol.mmapPayload(fd: 12345, length: 4096, offset: 0, writable: true), .EBADF)
        try expectError(c, AgentProtocol.Op.mmap.rawValue, AgentProtocol.mmapPayload(fd: 12345, length: 0, offset: 0, writable: true), .EINVAL)
        try expectError(c, AgentProtocol.Op.listDirectory.rawValue, Array("/nonexistent".utf8), .ENOENT)

        // Still serving.
        #expect(try agent.ping([1, 2, 3]) == [1, 2, 3])
        #expect(c.brokenBy == nil)
    }

    @Test func badFramesAreAnsweredAndTheStreamRecovers() throws {
        let agent = try AgentFixture.backend()
        let c = agent.connection
        // Garbage before a frame: an ERROR reply (seq 0), then the agent finds the next magic.
        let garbage: [UInt8] = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3]
        let ping = AgentProtocol.frame(op: AgentProtocol.Op.ping.rawValue, sequence: 4242, payload: [7, 7])
        let error = try c.sendRaw(garbage + ping)
        #expect(error.op == AgentProtocol.Op.error.rawValue)
        #expect(error.errno == 71)  // EPROTO
        #expect(error.message.contains("bad magic"))
        // The ping behind the garbage is answered next; a fresh exchange skips nothing.
        let pong = try c.sendRaw([])
        #expect(pong.sequence == 4242)
        #expect(pong.data == [7, 7])
        // A frame with the reply bit set is refused.
        let replyBit = try c.sendRaw(AgentProtocol.frame(op: AgentProtocol.replyBit | 1, sequence: 5, payload: [1]))
        #expect(replyBit.errno == 71)
        // A payload over the limit is refused and skipped, keeping the stream in step.
        let tooLong = AgentProtocol.maxPayload + 1
        var w = AgentWireWriter()
        w.u32(AgentProtocol.magic); w.u32(AgentProtocol.Op.ping.rawValue); w.u32(6); w.u32(UInt32(tooLong))
        let refused = try c.sendRaw(w.data + [UInt8](repeating: 0x55, count: tooLong))
        #expect(refused.errno == Errno.E2BIG.rawValue)
        #expect(refused.sequence == 6)
        // The backend side never sends what the agent would refuse.
        let local = try c.exchange(.ping, [UInt8](repeating: 0, count: tooLong))
        #expect(local.errno == Errno.E2BIG.rawValue)
        #expect(try agent.ping([42]) == [42])
    }

    @Test func synchronizeDiscardsLateRepliesToEarlierRequests() throws {
        let connection = try AgentConnection.spawn(executable: try #require(AgentFixture.executable))
        // Two pings whose replies nobody reads: synchronize must skip them.
        for seq: UInt32 in [900, 901] {
            try connection.writeRaw(AgentProtocol.frame(op: AgentProtocol.Op.ping.rawValue, sequence: seq, payload: [1]))
        }
        let waited = try connection.synchronize(timeoutSeconds: 10, retryMilliseconds: 200)
        #expect(waited < 10)
        let agent = try AgentBackend(connection: connection)
        #expect(try agent.ping([5, 6]) == [5, 6])
    }

    @Test func synchronizeTimesOutWithoutBreakingTheConnection() throws {
        // `cat` never answers in the protocol: no reply comes... except its echo of our frames,
        // which carry no reply bit. Use `sleep` instead: it reads nothing and answers nothing.
        let connection = try AgentConnection.spawn(executable: "/bin/sleep", arguments: ["5"])
        let error = #expect(throws: AgentTransportError.self) { try connection.synchronize(timeoutSeconds: 0.5, retryMilliseconds: 100) }
        #expect(error?.kind == .timeout)
        #expect(connection.brokenBy == nil)
    }

    @Test func aRequestSplitAcrossWritesIsReassembled() throws {
        let agent = try AgentFixture.backend()
        let frame = AgentProtocol.frame(op: AgentProtocol.Op.ping.rawValue, sequence: 77, payload: Array(0..<200))
        try agent.connection.writeRaw(Array(frame.prefix(10)))
        usleep(20_000)
        try agent.connection.writeRaw(Array(frame[10..<100]))
        let reply = try agent.connection.sendRaw(Array(frame[100...]))
        #expect(reply.sequence == 77)
        #expect(reply.data == Array(0..<200))
    }
}

/// The encoders on their own: byte layouts the C agent reads.
@Suite("Agent wire format")
struct AgentWireFormatTests {
    @Test func frameHeaderIsLittleEndian() {
        let f = AgentProtocol.frame(op: 12, sequence: 0x0102_0304, payload: [0xAA])
        #expect(f == [0x49, 0x4f, 0x41, 0x47, 12, 0, 0, 0, 4, 3, 2, 1, 1, 0, 0, 0, 0xAA])
        #expect(Array("IOAG".utf8) == Array(f.prefix(4)))
    }

    @Test func ioctlPayloadPadsAndOrdersBuffers() {
        let p = AgentProtocol.ioctlPayload(
            fd: 3, request: 0x3b80, argument: [1, 2, 3],
            buffers: [
                .init(fieldOffset: 8, direction: .input, length: 3, bytes: [4, 5, 6]),
                .init(fieldOffset: 16, direction: .output, length: 100),
                .init(fieldOffset: 24, direction: .region, length: 4096, regionHandle: 9, regionOffset: 64),
                .init(fieldOffset: 32, direction: .inOut, length: 2, bytes: [7, 8]),
            ])
        var r = AgentWireReader(p)
        #expect(r.u32() == 3)
        #expect(r.u32() == 4)
        #expect(r.u64() == 0x3b80)
        #expect(r.u32() == 3)
        #expect(r.u32() == 0)
        #expect(r.padded(3) == [1, 2, 3])
        var descriptors: [[UInt64]] = []
        for _ in 0..<4 {
            descriptors.append([UInt64(r.u32()!), UInt64(r.u32()!), r.u64()!, r.u64()!, r.u64()!])
        }
        #expect(descriptors == [[8, 0, 3, 0, 0], [16, 1, 100, 0, 0], [24, 3, 4096, 9, 64], [32, 2, 2, 0, 0]])
        #expect(r.padded(3) == [4, 5, 6])
        #expect(r.padded(2) == [7, 8])
        #expect(r.remaining == 0)
    }

    @Test func ioctlRepliesAreCheckedAgainstTheExpectedBuffers() {
        var w = AgentWireWriter()
        w.u32(3); w.u32(1); w.padded([1, 2, 3]); w.padded([9, 9, 9, 9, 9])
        #expect(AgentProtocol.parseIoctlReply(w.data, outputLengths: [5])?.outputs == [[9, 9, 9, 9, 9]])
        #expect(AgentProtocol.parseIoctlReply(w.data, outputLengths: [9]) == nil)
        #expect(AgentProtocol.parseIoctlReply(w.data, outputLengths: []) == nil)
        #expect(AgentProtocol.parseIoctlReply(Array(w.data.dropLast()), outputLengths: [5]) == nil)
        #expect(AgentProtocol.Reply(header: .init(op: 0x8000_0001, sequence: 1, length: 3), payload: [1, 2, 3]) == nil)
    }

    @Test func openFlagsHaveAMachineIndependentEncoding() {
        typealias F = AgentProtocol.OpenFlag
        #expect(AgentBackend.wireOpenFlags(O_RDWR) == F.readWrite)
        let a: UInt32 = F.readWrite | F.closeOnExec | F.nonBlocking
        #expect(AgentBackend.wireOpenFlags(O_RDWR | O_CLOEXEC | O_NONBLOCK) == a)
        #expect(a == 2 | 0o2000000 | 0o4000)
        let b: UInt32 = F.directory | F.noFollow
        #expect(AgentBackend.wireOpenFlags(O_RDONLY | O_DIRECTORY | O_NOFOLLOW) == b)
        let c: UInt32 = F.writeOnly | F.create | F.exclusive | F.truncate | F.append
        #expect(AgentBackend.wireOpenFlags(O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_APPEND) == c)
        #expect(AgentBackend.wireOpenFlags(O_RDONLY | 0o10000000) == nil)  // O_PATH
    }
}
