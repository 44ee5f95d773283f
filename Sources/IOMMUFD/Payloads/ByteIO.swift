/// Appends little-endian integers to a byte array: the wire image of a uAPI struct.
struct ByteWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads little-endian integers from a byte buffer whose length was checked up front, so the
/// reads themselves cannot run past the end.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    /// Accepts exactly `size` bytes, or throws naming `payload`.
    init(_ bytes: [UInt8], exactly size: Int, payload: String) throws(PayloadError) {
        guard bytes.count == size else {
            throw PayloadError.wrongSize(payload, expected: size, got: bytes.count)
        }
        self.bytes = bytes
        self.offset = 0
    }

    /// Reads from `offset` of a buffer the caller has already bounds-checked.
    init(unchecked bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func u8() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() -> UInt16 {
        UInt16(u8()) | UInt16(u8()) << 8
    }

    mutating func u32() -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(u8()) << UInt32(shift) }
        return value
    }

    mutating func u64() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(u8()) << UInt64(shift) }
        return value
    }

    mutating func take(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}

/// The SMMUv3 payloads that are two little-endian 64-bit words (a vSTE's dwords 0-1, one
/// command-queue entry): read and written the same way.
enum TwoWords {
    static func read(_ bytes: [UInt8], payload: String) throws(PayloadError) -> (UInt64, UInt64) {
        var reader = try ByteReader(bytes, exactly: 16, payload: payload)
        let w0 = reader.u64()
        return (w0, reader.u64())
    }

    static func bytes(_ word0: UInt64, _ word1: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: 16)
        writer.u64(word0)
        writer.u64(word1)
        return writer.bytes
    }
}
