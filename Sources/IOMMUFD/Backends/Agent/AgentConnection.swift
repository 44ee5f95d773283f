#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why an exchange with the agent failed, apart from the errno of the call it ran.
public struct AgentTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The other end closed the stream (the agent exited, the guest powered off).
        case closed
        /// No reply within the connection's timeout.
        case timeout
        /// read/write on the transport failed.
        case io
        /// A reply that does not follow the protocol (bad magic, wrong sequence, short data).
        case protocolViolation = "protocol"
        /// The connection or the agent could not be set up.
        case setup
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "agent transport \(kind.rawValue): \(detail)" }

    /// The errno a syscall answered through a broken transport reports: ENOTCONN (closed),
    /// ETIMEDOUT, EIO (I/O), EPROTO (a malformed reply).
    public var errno: Errno {
        switch kind {
        case .closed, .setup: Errno(107)  // ENOTCONN
        case .timeout: .ETIMEDOUT
        case .io: .EIO
        case .protocolViolation: Errno(71)  // EPROTO
        }
    }
}

/// One framed, ordered request/reply channel to an `iommufd-agent`, over a pair of file
/// descriptors: a spawned agent's pipes, a connected Unix socket (QEMU's `-chardev socket` of a
/// virtio-serial port), or anything else that carries bytes both ways.
///
/// Exchanges are serialized by a lock: one request is in flight at a time. A transport failure
/// (EOF, timeout, a reply that breaks the protocol) is sticky: the connection is then broken and
/// every later exchange fails at once with the first error.
public final class AgentConnection: @unchecked Sendable {
    public let readFD: Int32
    public let writeFD: Int32
    /// Milliseconds to wait for each reply (default 120 s: a TCG guest can be slow).
    public var replyTimeoutMilliseconds: Int32
    /// The first transport failure, after which the connection is unusable.
    public private(set) var brokenBy: AgentTransportError?
    /// Counts of requests sent and bytes moved, for timing reports.
    public private(set) var requestCount = 0
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0

    private var sequence: UInt32 = 0
    private let closeOnDeinit: Bool
    private let childPID: pid_t?
    private let lock = AgentLock()

    /// Uses `readFD` and `writeFD` (the same fd for a socket). With `closeOnDeinit` the fds are
    /// closed when the connection goes away.
    public init(readFD: Int32, writeFD: Int32, closeOnDeinit: Bool = true, replyTimeoutMilliseconds: Int32 = 120_000) {
        self.readFD = readFD
        self.writeFD = writeFD
        self.closeOnDeinit = closeOnDeinit
        self.childPID = nil
        self.replyTimeoutMilliseconds = replyTimeoutMilliseconds
        AgentConnection.ignoreSIGPIPE()
    }

    private init(readFD: Int32, writeFD: Int32, child: pid_t) {
        self.readFD = readFD
        self.writeFD = writeFD
        self.closeOnDeinit = true
        self.childPID = child
        self.replyTimeoutMilliseconds = 120_000
        AgentConnection.ignoreSIGPIPE()
    }

    deinit {
        if closeOnDeinit {
            _ = Glibc.close(readFD)
            if writeFD != readFD { _ = Glibc.close(writeFD) }
        }
        if let childPID {
            // Closing stdin makes the agent exit; reap it so no zombie is left.
            var status: Int32 = 0
            for _ in 0..<200 {
                if waitpid(childPID, &status, WNOHANG) != 0 { return }
                usleep(5000)
            }
            kill(childPID, SIGKILL)
            _ = waitpid(childPID, &status, 0)
        }
    }

    /// A write to a closed pipe or socket must be an error, not a signal that ends this process.
    /// Sets SIGPIPE to ignored when it still has its default action.
    static func ignoreSIGPIPE() {
        var old = sigaction()
        if sigaction(SIGPIPE, nil, &old) == 0, old.__sigaction_handler.sa_handler == nil {
            signal(SIGPIPE, SIG_IGN)
        }
    }

    // MARK: Setting up

    /// Starts `executable` (an `iommufd-agent` built for this machine) with `arguments`, its
    /// stdin and stdout on pipes to this process and its stderr inherited (or /dev/null).
    public static func spawn(executable: String, arguments: [String] = [],
                             quietStderr: Bool = true) throws(AgentTransportError) -> AgentConnection {
        var toAgent: [Int32] = [-1, -1]
        var fromAgent: [Int32] = [-1, -1]
        guard pipe(&toAgent) == 0 else { throw AgentTransportError(.setup, "pipe: \(Errno(Glibc.errno))") }
        guard pipe(&fromAgent) == 0 else {
            _ = Glibc.close(toAgent[0]); _ = Glibc.close(toAgent[1])
            throw AgentTransportError(.setup, "pipe: \(Errno(Glibc.errno))")
        }
        // This side's ends must not leak into other children; dup2 clears the flag on the agent's.
        for fd in toAgent + fromAgent { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toAgent[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromAgent[1], 1)
        if quietStderr { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        let argv = [executable] + arguments
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, &cargs, environ)
        _ = Glibc.close(toAgent[0])
        _ = Glibc.close(fromAgent[1])
        guard rc == 0 else {
            _ = Glibc.close(toAgent[1]); _ = Glibc.close(fromAgent[0])
            throw AgentTransportError(.setup, "posix_spawn \(executable): \(Errno(rc))")
        }
        return AgentConnection(readFD: fromAgent[0], writeFD: toAgent[1], child: pid)
    }

    /// Connects to a Unix stream socket (QEMU's `-chardev socket,path=PATH,server=on,wait=off`
    /// behind a `virtserialport`), retrying until it accepts or `timeoutSeconds` pass.
    public static func connect(unixSocket path: String, timeoutSeconds: Double = 60) throws(AgentTransportError) -> AgentConnection {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw AgentTransportError(.setup, "socket path longer than \(capacity - 1) bytes: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        var waited = 0.0
        var last = Errno(0)
        while true {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw AgentTransportError(.setup, "socket: \(Errno(Glibc.errno))") }
            let rc = withUnsafePointer(to: &address) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if rc == 0 { return AgentConnection(readFD: fd, writeFD: fd) }
            last = Errno(Glibc.errno)
            _ = Glibc.close(fd)
            guard waited < timeoutSeconds else {
                throw AgentTransportError(.setup, "connect \(path): \(last) after \(Int(timeoutSeconds)) s")
            }
            usleep(100_000)
            waited += 0.1
        }
    }

    // MARK: Exchanges

    /// Sends one request and returns its reply (whatever errno it carries). Throws only for a
    /// transport failure.
    public func exchange(_ op: AgentProtocol.Op, _ payload: [UInt8] = []) throws(AgentTransportError) -> AgentProtocol.Reply {
        try exchange(rawOp: op.rawValue, payload)
    }

    /// As `exchange(_:_:)` with any op number (the agent answers ENOSYS to unknown ones).
    public func exchange(rawOp: UInt32, _ payload: [UInt8]) throws(AgentTransportError) -> AgentProtocol.Reply {
        lock.lock()
        defer { lock.unlock() }
        if let brokenBy { throw brokenBy }
        guard payload.count <= AgentProtocol.maxPayload else {
            // Not sent: the agent would refuse it, and this side never sends what it must refuse.
            return AgentProtocol.Reply(op: rawOp, sequence: 0, result: -1, errno: Errno.E2BIG.rawValue,
                                       data: Array("request payload of \(payload.count) bytes exceeds \(AgentProtocol.maxPayload)".utf8))
        }
        sequence &+= 1
        let seq = sequence
        do throws(AgentTransportError) {
            try sendLocked(AgentProtocol.frame(op: rawOp, sequence: seq, payload: payload))
            let reply = try receiveLocked()
            guard reply.sequence == seq, reply.op == rawOp else {
                throw AgentTransportError(.protocolViolation, "reply op \(reply.op) seq \(reply.sequence) to request op \(rawOp) seq \(seq)")
            }
            return reply
        } catch {
            brokenBy = error
            throw error
        }
    }

    /// Waits until an agent answers, for a channel where requests sent too early can vanish: a
    /// virtio-serial port whose guest side is not open yet (UEFI's own virtio-serial driver even
    /// swallows what arrives while the firmware runs), a serial line. Sends a PING every
    /// `retryMilliseconds` until one is answered, then a barrier PING, discarding every reply
    /// before the barrier's (earlier pings may be answered late), so that the stream is in step.
    /// Returns the seconds it waited. A timeout is not sticky: the connection stays usable.
    @discardableResult
    public func synchronize(timeoutSeconds: Double, retryMilliseconds: Int32 = 1000) throws(AgentTransportError) -> Double {
        lock.lock()
        defer { lock.unlock() }
        if let brokenBy { throw brokenBy }
        let start = Self.now()
        let savedTimeout = replyTimeoutMilliseconds
        defer { replyTimeoutMilliseconds = savedTimeout }
        var answered = false
        do throws(AgentTransportError) {
            while !answered {
                guard Self.now() - start < timeoutSeconds else {
                    throw AgentTransportError(.timeout, "no agent answered within \(Int(timeoutSeconds)) s")
                }
                sequence &+= 1
                try sendLocked(AgentProtocol.frame(op: AgentProtocol.Op.ping.rawValue, sequence: sequence, payload: Array("sync".utf8)))
                replyTimeoutMilliseconds = retryMilliseconds
                do throws(AgentTransportError) {
                    _ = try receiveLocked()
                    answered = true
                } catch where error.kind == .timeout {
                    continue
                }
            }
            sequence &+= 1
            let barrier = sequence
            replyTimeoutMilliseconds = savedTimeout
            try sendLocked(AgentProtocol.frame(op: AgentProtocol.Op.ping.rawValue, sequence: barrier, payload: Array("barrier".utf8)))
            while true {
                let reply = try receiveLocked()
                if reply.sequence == barrier && reply.op == AgentProtocol.Op.ping.rawValue { break }
            }
        } catch {
            if error.kind != .timeout { brokenBy = error }
            throw error
        }
        return Self.now() - start
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Writes raw bytes (a hand-made, possibly malformed frame) and reads the next reply frame,
    /// whatever its sequence: for tests of the agent's defences.
    public func sendRaw(_ bytes: [UInt8]) throws(AgentTransportError) -> AgentProtocol.Reply {
        lock.lock()
        defer { lock.unlock() }
        if let brokenBy { throw brokenBy }
        do throws(AgentTransportError) {
            try sendLocked(bytes)
            return try receiveLocked()
        } catch {
            brokenBy = error
            throw error
        }
    }

    /// Writes raw bytes without waiting for a reply (the first part of a split frame).
    public func writeRaw(_ bytes: [UInt8]) throws(AgentTransportError) {
        lock.lock()
        defer { lock.unlock() }
        if let brokenBy { throw brokenBy }
        try sendLocked(bytes)
    }

    private func sendLocked(_ bytes: [UInt8]) throws(AgentTransportError) {
        requestCount += 1
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(writeFD, raw.baseAddress! + done, raw.count - done) }
            if n < 0 {
                let e = Glibc.errno
                if e == EINTR { continue }
                if e == EAGAIN { _ = waitFor(writeFD, events: Int16(POLLOUT), milliseconds: 1000); continue }
                throw AgentTransportError(e == EPIPE ? .closed : .io, "write: \(Errno(e))")
            }
            done += n
        }
        bytesSent += bytes.count
    }

    private func waitFor(_ fd: Int32, events: Int16, milliseconds: Int32) -> Int32 {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = poll(&p, 1, milliseconds)
            if rc < 0 && Glibc.errno == EINTR { continue }
            return rc
        }
    }

    private func readExactly(_ count: Int) throws(AgentTransportError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let ready = waitFor(readFD, events: Int16(POLLIN), milliseconds: replyTimeoutMilliseconds)
            if ready == 0 {
                throw AgentTransportError(.timeout, "no reply within \(replyTimeoutMilliseconds) ms")
            }
            let n = out.withUnsafeMutableBytes { raw in Glibc.read(readFD, raw.baseAddress! + done, count - done) }
            if n < 0 {
                let e = Glibc.errno
                if e == EINTR || e == EAGAIN { continue }
                throw AgentTransportError(.io, "read: \(Errno(e))")
            }
            if n == 0 { throw AgentTransportError(.closed, "end of stream after \(done) of \(count) bytes") }
            done += n
        }
        bytesReceived += count
        return out
    }

    private func receiveLocked() throws(AgentTransportError) -> AgentProtocol.Reply {
        let header = AgentProtocol.Header(try readExactly(AgentProtocol.headerSize))
        guard header.magic == AgentProtocol.magic else {
            throw AgentTransportError(.protocolViolation, "reply magic \(hex(header.magic)) (want \(hex(AgentProtocol.magic)))")
        }
        guard header.isReply else { throw AgentTransportError(.protocolViolation, "a frame without the reply bit (op \(header.op))") }
        guard Int(header.length) <= AgentProtocol.maxPayload + 64 else {
            throw AgentTransportError(.protocolViolation, "reply payload of \(header.length) bytes")
        }
        let payload = try readExactly(Int(header.length))
        guard let reply = AgentProtocol.Reply(header: header, payload: payload) else {
            throw AgentTransportError(.protocolViolation, "reply payload of \(header.length) bytes is shorter than its prefix")
        }
        return reply
    }
}

/// A pthread mutex (Synchronization's Mutex needs newer Apple platforms than this package).
final class AgentLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
