/// The wire protocol between `AgentBackend` and `iommufd-agent` (agent/iommufd-agent.c,
/// described in agent/PROTOCOL.md): length-prefixed little-endian frames, one reply per request,
/// in order.
///
/// A frame is a 16-byte header `{magic, op, sequence, payload length}` and the payload. A reply
/// carries the request's op with the high bit set and the request's sequence; its payload starts
/// with `{i64 result, i32 errno, u32 0}` (errno 0: success), then data that depends on the op.
/// This file only encodes and decodes: it does no I/O, so it can be tested on its own.
public enum AgentProtocol {
    /// "IOAG" in memory.
    public static let magic: UInt32 = 0x4741_4f49
    public static let version: UInt32 = 1
    public static let replyBit: UInt32 = 0x8000_0000
    public static let headerSize = 16
    public static let replyPrefixSize = 16
    /// The largest payload either side accepts in one frame.
    public static let maxPayload = 16 << 20
    /// The largest ioctl argument struct.
    public static let maxArgument = 4096
    /// The most buffers one ioctl may declare.
    public static let maxBuffers = 16
    /// The largest region or mmap.
    public static let maxRegion: UInt64 = 1 << 30

    /// Request operations.
    public enum Op: UInt32, Hashable, Sendable, CaseIterable {
        /// Replies only: a request whose header could not be read (bad magic).
        case error = 0
        /// Echoes the payload.
        case ping = 1
        /// `{u32 version, u32 max payload, u32 page size, u32 pointer bits, text}`.
        case version = 2
        /// Replies, then exits.
        case quit = 3
        /// `{u32 wire flags, u32 mode, path}` → fd.
        case open = 10
        /// `{i32 fd}`.
        case close = 11
        /// `{i32 fd, u32 nbuf, u64 request, u32 arglen, u32 0, arg (padded to 8), nbuf ×
        /// {u32 field offset, u32 direction, u64 length, u64 region handle, u64 region offset},
        /// input bytes of each input/inOut buffer (padded to 8)}` → `{u32 arglen, u32 nout, arg
        /// after the call (padded), bytes of each output/inOut buffer (padded)}`.
        case ioctl = 12
        /// `{i32 fd, u32 0, u64 request, u64 value}`.
        case ioctlValue = 13
        /// `{i32 fd, u32 count}` → the bytes read.
        case read = 14
        /// `{i32 fd, u32 0, bytes}` → count written.
        case write = 15
        /// `{i32 fd, u32 count, i64 offset}` → the bytes read.
        case pread = 16
        /// `{i32 fd, u32 0, i64 offset, bytes}` → count written.
        case pwrite = 17
        /// `{u64 length}` → `{u64 handle, u64 agent address, u64 length (page-rounded)}`.
        case allocRegion = 20
        /// `{u64 handle}`.
        case freeRegion = 21
        /// `{u64 handle, u64 offset, bytes}`.
        case writeRegion = 22
        /// `{u64 handle, u64 offset, u32 count}` → bytes.
        case readRegion = 23
        /// `{i32 fd, u32 prot (1 read, 2 write), u64 length, u64 offset}` → `{u64 handle, u64
        /// address, u64 length}`.
        case mmap = 30
        /// `{u64 handle}`.
        case munmap = 31
        /// `{u64 handle, u64 offset, u32 width (1, 2, 4, 8)}` → `{u64 value}` (a volatile load).
        case mmioRead = 32
        /// `{u64 handle, u64 offset, u32 width, u32 0, u64 value}` (a volatile store).
        case mmioWrite = 33
        /// `path` → NUL-terminated names.
        case listDirectory = 40
        /// `path` → the link's target.
        case readLink = 41
    }

    /// How an ioctl buffer travels (the wire's `direction`).
    public enum WireDirection: UInt32, Hashable, Sendable {
        /// Bytes sent; the agent allocates and fills a buffer, not returned.
        case input = 0
        /// Not sent; the agent allocates a zeroed buffer and returns its bytes.
        case output = 1
        /// Sent and returned.
        case inOut = 2
        /// A persistent agent region (handle + offset): its address is patched in, no bytes move.
        case region = 3
    }

    /// One buffer of an IOCTL request.
    public struct WireBuffer: Hashable, Sendable {
        public var fieldOffset: UInt32
        public var direction: WireDirection
        public var length: UInt64
        public var regionHandle: UInt64
        public var regionOffset: UInt64
        /// The bytes sent for input and inOut buffers (`length` of them).
        public var bytes: [UInt8]

        public init(fieldOffset: UInt32, direction: WireDirection, length: UInt64,
                    regionHandle: UInt64 = 0, regionOffset: UInt64 = 0, bytes: [UInt8] = []) {
            self.fieldOffset = fieldOffset
            self.direction = direction
            self.length = length
            self.regionHandle = regionHandle
            self.regionOffset = regionOffset
            self.bytes = bytes
        }
    }

    /// Open flags on the wire: the x86_64 (asm-generic) values, which the agent maps to its own
    /// machine's (arm64 differs for O_DIRECTORY and O_NOFOLLOW). Other bits are refused (EINVAL).
    public enum OpenFlag {
        public static let readOnly: UInt32 = 0
        public static let writeOnly: UInt32 = 1
        public static let readWrite: UInt32 = 2
        public static let create: UInt32 = 0o100
        public static let exclusive: UInt32 = 0o200
        public static let noControllingTTY: UInt32 = 0o400
        public static let truncate: UInt32 = 0o1000
        public static let append: UInt32 = 0o2000
        public static let nonBlocking: UInt32 = 0o4000
        public static let dataSync: UInt32 = 0o10000
        public static let directory: UInt32 = 0o200000
        public static let noFollow: UInt32 = 0o400000
        public static let closeOnExec: UInt32 = 0o2000000
        public static let all: UInt32 = 3 | create | exclusive | noControllingTTY | truncate | append
            | nonBlocking | dataSync | directory | noFollow | closeOnExec
    }

    // MARK: Frames

    /// A request frame: header + payload.
    public static func frame(op: UInt32, sequence: UInt32, payload: [UInt8]) -> [UInt8] {
        var w = AgentWireWriter(capacity: headerSize + payload.count)
        w.u32(magic)
        w.u32(op)
        w.u32(sequence)
        w.u32(UInt32(truncatingIfNeeded: payload.count))
        w.bytes(payload)
        return w.data
    }

    /// A frame header as read from the stream.
    public struct Header: Hashable, Sendable {
        public var magic: UInt32
        public var op: UInt32
        public var sequence: UInt32
        public var length: UInt32

        public init(magic: UInt32 = AgentProtocol.magic, op: UInt32, sequence: UInt32, length: UInt32) {
            self.magic = magic
            self.op = op
            self.sequence = sequence
            self.length = length
        }

        public init(_ bytes: [UInt8]) {
            var r = AgentWireReader(bytes)
            magic = r.u32() ?? 0
            op = r.u32() ?? 0
            sequence = r.u32() ?? 0
            length = r.u32() ?? 0
        }

        public var isReply: Bool { op & AgentProtocol.replyBit != 0 }
        /// The request op this reply answers.
        public var requestOp: UInt32 { op & ~AgentProtocol.replyBit }
    }

    /// A decoded reply: the result, the errno (0 on success) and the op-specific data; for an
    /// error reply from the agent itself, `data` holds its message.
    public struct Reply: Hashable, Sendable {
        public var op: UInt32
        public var sequence: UInt32
        public var result: Int64
        public var errno: Int32
        public var data: [UInt8]

        public init(op: UInt32, sequence: UInt32, result: Int64, errno: Int32, data: [UInt8]) {
            self.op = op
            self.sequence = sequence
            self.result = result
            self.errno = errno
            self.data = data
        }

        /// Parses a reply payload. Nil when it is shorter than the 16-byte prefix.
        public init?(header: Header, payload: [UInt8]) {
            var r = AgentWireReader(payload)
            guard let result = r.u64(), let errno = r.u32(), r.u32() != nil else { return nil }
            self.op = header.requestOp
            self.sequence = header.sequence
            self.result = Int64(bitPattern: result)
            self.errno = Int32(bitPattern: errno)
            self.data = Array(payload[AgentProtocol.replyPrefixSize...])
        }

        public var succeeded: Bool { errno == 0 }
        /// The agent's own message of an error it raised (bad request), as text.
        public var message: String { String(decoding: data, as: UTF8.self) }
    }

    // MARK: Payloads

    public static func openPayload(path: String, wireFlags: UInt32, mode: UInt32 = 0) -> [UInt8] {
        var w = AgentWireWriter()
        w.u32(wireFlags)
        w.u32(mode)
        w.bytes(Array(path.utf8))
        return w.data
    }

    public static func fdPayload(_ fd: Int32) -> [UInt8] {
        var w = AgentWireWriter()
        w.i32(fd)
        return w.data
    }

    public static func ioctlPayload(fd: Int32, request: UInt64, argument: [UInt8], buffers: [WireBuffer]) -> [UInt8] {
        var w = AgentWireWriter(capacity: 32 + argument.count + buffers.reduce(0) { $0 + 32 + $1.bytes.count })
        w.i32(fd)
        w.u32(UInt32(truncatingIfNeeded: buffers.count))
        w.u64(request)
        w.u32(UInt32(truncatingIfNeeded: argument.count))
        w.u32(0)
        w.padded(argument)
        for b in buffers {
            w.u32(b.fieldOffset)
            w.u32(b.direction.rawValue)
            w.u64(b.length)
            w.u64(b.regionHandle)
            w.u64(b.regionOffset)
        }
        for b in buffers where b.direction == .input || b.direction == .inOut {
            w.padded(b.bytes)
        }
        return w.data
    }

    /// The data of a successful or failed IOCTL reply: the argument after the call and the
    /// returned buffers, or nil when it does not hold what `expectedOutputs` says.
    public static func parseIoctlReply(_ data: [UInt8], outputLengths: [Int]) -> (argument: [UInt8], outputs: [[UInt8]])? {
        var r = AgentWireReader(data)
        guard let arglen = r.u32(), let nout = r.u32(), Int(nout) == outputLengths.count,
              let argument = r.padded(Int(arglen)) else { return nil }
        var outputs: [[UInt8]] = []
        for length in outputLengths {
            guard let bytes = r.padded(length) else { return nil }
            outputs.append(bytes)
        }
        return r.remaining == 0 ? (argument, outputs) : nil
    }

    public static func ioctlValuePayload(fd: Int32, request: UInt64, value: UInt64) -> [UInt8] {
        var w = AgentWireWriter()
        w.i32(fd)
        w.u32(0)
        w.u64(request)
        w.u64(value)
        return w.data
    }

    public static func readPayload(fd: Int32, count: Int, offset: Int64? = nil) -> [UInt8] {
        var w = AgentWireWriter()
        w.i32(fd)
        w.u32(UInt32(clamping: count))
        if let offset { w.u64(UInt64(bitPattern: offset)) }
        return w.data
    }

    public static func writePayload(fd: Int32, bytes: [UInt8], offset: Int64? = nil) -> [UInt8] {
        var w = AgentWireWriter(capacity: 16 + bytes.count)
        w.i32(fd)
        w.u32(0)
        if let offset { w.u64(UInt64(bitPattern: offset)) }
        w.bytes(bytes)
        return w.data
    }

    public static func u64Payload(_ value: UInt64) -> [UInt8] {
        var w = AgentWireWriter()
        w.u64(value)
        return w.data
    }

    public static func regionWritePayload(handle: UInt64, offset: UInt64, bytes: [UInt8]) -> [UInt8] {
        var w = AgentWireWriter(capacity: 16 + bytes.count)
        w.u64(handle)
        w.u64(offset)
        w.bytes(bytes)
        return w.data
    }

    public static func regionReadPayload(handle: UInt64, offset: UInt64, count: Int) -> [UInt8] {
        var w = AgentWireWriter()
        w.u64(handle)
        w.u64(offset)
        w.u32(UInt32(clamping: count))
        return w.data
    }

    public static func mmapPayload(fd: Int32, length: UInt64, offset: UInt64, writable: Bool) -> [UInt8] {
        var w = AgentWireWriter()
        w.i32(fd)
        w.u32(writable ? 3 : 1)
        w.u64(length)
        w.u64(offset)
        return w.data
    }

    public static func mmioReadPayload(handle: UInt64, offset: UInt64, width: Int) -> [UInt8] {
        var w = AgentWireWriter()
        w.u64(handle)
        w.u64(offset)
        w.u32(UInt32(clamping: width))
        return w.data
    }

    public static func mmioWritePayload(handle: UInt64, offset: UInt64, width: Int, value: UInt64) -> [UInt8] {
        var w = AgentWireWriter()
        w.u64(handle)
        w.u64(offset)
        w.u32(UInt32(clamping: width))
        w.u32(0)
        w.u64(value)
        return w.data
    }

    /// `{u64 handle, u64 address, u64 length}` of ALLOC_REGION and MMAP.
    public static func parseHandle(_ data: [UInt8]) -> (handle: UInt64, address: UInt64, length: UInt64)? {
        var r = AgentWireReader(data)
        guard let h = r.u64(), let a = r.u64(), let l = r.u64() else { return nil }
        return (h, a, l)
    }

    /// What VERSION reports.
    public struct VersionInfo: Hashable, Sendable {
        public var protocolVersion: UInt32
        public var maxPayload: UInt32
        public var pageSize: UInt32
        public var pointerBits: UInt32
        /// "iommufd-agent protocol 1; Linux 7.2.13 aarch64".
        public var text: String

        public init?(_ data: [UInt8]) {
            var r = AgentWireReader(data)
            guard let v = r.u32(), let m = r.u32(), let p = r.u32(), let b = r.u32() else { return nil }
            protocolVersion = v
            maxPayload = m
            pageSize = p
            pointerBits = b
            text = String(decoding: data[16...], as: UTF8.self)
        }
    }
}

/// Little-endian writer of agent frames.
public struct AgentWireWriter: Sendable {
    public private(set) var data: [UInt8] = []

    public init(capacity: Int = 64) { data.reserveCapacity(capacity) }

    public mutating func u32(_ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { data.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }
    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    public mutating func u64(_ v: UInt64) {
        for s in stride(from: 0, to: 64, by: 8) { data.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }
    public mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    /// The bytes, then zeros up to the next multiple of 8.
    public mutating func padded(_ b: [UInt8]) {
        data.append(contentsOf: b)
        data.append(contentsOf: repeatElement(0, count: (8 - b.count % 8) % 8))
    }
}

/// Little-endian reader of agent frames: every read is bounds-checked and answers nil past the end.
public struct AgentWireReader: Sendable {
    public let data: [UInt8]
    public private(set) var offset = 0

    public init(_ data: [UInt8]) { self.data = data }

    public var remaining: Int { data.count - offset }

    public mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[offset + $1]) << UInt32(8 * $1) }
    }
    public mutating func u64() -> UInt64? {
        guard let lo = u32(), let hi = u32() else { return nil }
        return UInt64(lo) | UInt64(hi) << 32
    }
    public mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return Array(data[offset..<(offset + n)])
    }
    /// `n` bytes followed by padding to a multiple of 8.
    public mutating func padded(_ n: Int) -> [UInt8]? {
        guard n >= 0 else { return nil }
        let total = n + (8 - n % 8) % 8
        guard remaining >= total, let b = bytes(n) else { return nil }
        offset += total - n
        return b
    }
}
