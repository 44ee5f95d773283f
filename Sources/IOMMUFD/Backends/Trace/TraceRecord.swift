/// One call at the syscall seam, as `--trace` writes it (one JSON object per line) and `replay`
/// reads it back: the call, its inputs, and what the backend answered.
public struct TraceRecord: Hashable, Sendable {
    public enum Call: String, Sendable {
        case open, close, ioctl, ioctlValue = "ioctl_value", read, write, pread, pwrite, mmap
    }

    /// A buffer an argument pointed to, with the bytes that flowed in and out.
    public struct Buffer: Hashable, Sendable {
        public var fieldOffset: Int
        public var length: Int
        public var direction: IoctlBuffer.Direction
        /// What the buffer held before the call (input and inOut buffers).
        public var input: [UInt8]
        /// What it held after (output and inOut buffers).
        public var output: [UInt8]
        /// User memory that was not mapped when the call was made (the call tested a bad VA):
        /// a replay passes an unmapped address too.
        public var unmapped: Bool = false
    }

    public var sequence: Int
    public var call: Call
    public var fd: Int32
    /// The path (open), or the request name (ioctl).
    public var name: String
    /// The request number (ioctl), flags (open), offset or length (pread/pwrite/mmap), value (ioctl_value).
    public var value: UInt64
    public var argument: [UInt8]
    public var argumentAfter: [UInt8]
    public var buffers: [Buffer]
    /// The result on success; nil when the call failed with `errno`.
    public var result: Int64?
    public var errno: Errno?

    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("seq", .int(Int64(sequence))), ("call", .string(call.rawValue)), ("fd", .int(Int64(fd))),
            ("name", .string(name)), ("value", .string(hex(value))),
        ]
        if !argument.isEmpty || call == .ioctl {
            fields.append(("arg", .string(Self.hexBytes(argument))))
            fields.append(("argAfter", .string(Self.hexBytes(argumentAfter))))
        }
        if !buffers.isEmpty {
            fields.append(("buffers", .array(buffers.map { b in
                .object([
                    (key: "offset", value: .int(Int64(b.fieldOffset))), (key: "length", value: .int(Int64(b.length))),
                    (key: "dir", value: .string(b.direction.rawValue)),
                    (key: "in", value: .string(Self.hexBytes(b.input))), (key: "out", value: .string(Self.hexBytes(b.output))),
                ] + (b.unmapped ? [(key: "unmapped", value: .bool(true))] : []))
            })))
        }
        if let result { fields.append(("result", .int(result))) }
        if let errno { fields.append(("errno", .string(errno.name))) }
        return .object(fields.map { (key: $0.0, value: $0.1) })
    }

    public init(sequence: Int, call: Call, fd: Int32, name: String, value: UInt64, argument: [UInt8] = [],
                argumentAfter: [UInt8] = [], buffers: [Buffer] = [], result: Int64?, errno: Errno?) {
        self.sequence = sequence
        self.call = call
        self.fd = fd
        self.name = name
        self.value = value
        self.argument = argument
        self.argumentAfter = argumentAfter
        self.buffers = buffers
        self.result = result
        self.errno = errno
    }

    /// Reads one line of a trace.
    public init(json: JSONValue) throws(TraceError) {
        guard let call = json["call"]?.stringValue.flatMap(Call.init(rawValue:)),
              let sequence = json["seq"]?.intValue, let fd = json["fd"]?.intValue,
              let name = json["name"]?.stringValue, let valueText = json["value"]?.stringValue,
              let value = UInt64(valueText.dropFirst(2), radix: 16) else {
            throw TraceError(message: "a trace line lacks call, seq, fd, name or value: \(json.serialized(pretty: false))")
        }
        var buffers: [Buffer] = []
        for b in json["buffers"]?.arrayValue ?? [] {
            guard let offset = b["offset"]?.intValue, let length = b["length"]?.intValue,
                  let direction = b["dir"]?.stringValue.flatMap(IoctlBuffer.Direction.init(rawValue:)),
                  let input = Self.bytes(b["in"]?.stringValue ?? ""), let output = Self.bytes(b["out"]?.stringValue ?? "") else {
                throw TraceError(message: "a buffer of trace line \(sequence) is malformed")
            }
            buffers.append(Buffer(fieldOffset: offset, length: length, direction: direction, input: input, output: output,
                                  unmapped: b["unmapped"]?.boolValue ?? false))
        }
        guard let argument = Self.bytes(json["arg"]?.stringValue ?? ""),
              let after = Self.bytes(json["argAfter"]?.stringValue ?? "") else {
            throw TraceError(message: "trace line \(sequence) has a malformed argument")
        }
        var errno: Errno?
        if let name = json["errno"]?.stringValue {
            guard let e = Errno(name: name) else { throw TraceError(message: "trace line \(sequence): unknown errno \(name)") }
            errno = e
        }
        self.init(sequence: sequence, call: call, fd: Int32(fd), name: name, value: value, argument: argument,
                  argumentAfter: after, buffers: buffers, result: json["result"]?.int64Value, errno: errno)
    }

    static func hexBytes(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// A trace that cannot be read or replayed, with the line and the reason.
public struct TraceError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
