/// Splits what read() returns on a vEVENTQ fd into records, and says where events were lost.
///
/// The kernel hands out whole records only (a read too small for the next one stops before
/// it), so each buffer is parsed on its own; the expected sequence carries over from one
/// buffer to the next. A vEVENTQ carries one payload type, whose size the parser must know,
/// because headers carry no length.
public struct VEventStreamParser: Hashable, Sendable {
    /// What the stream says, in order.
    public enum Item: Hashable, Sendable {
        /// A normal event.
        case event(VEventRecord)
        /// Events were skipped before the next event: numbers `expected` up to `got - 1`.
        case gap(expected: UInt32, got: UInt32)
        /// A LOST_EVENTS header: the events after `afterSequence` (nil when no event was seen
        /// before it) up to and including `throughSequence` were dropped.
        case lost(afterSequence: UInt32?, throughSequence: UInt32)
        /// A sequence above Int32.max, which the kernel never writes; expectations restart.
        case invalidSequence(offset: Int, header: VEventHeader)
        /// Bytes at the end that do not hold a whole record.
        case truncated(offset: Int, bytes: [UInt8])

        /// How many events this item says were lost, when that is known.
        public var lostEventCount: UInt32? {
            switch self {
            case .gap(let expected, let got):
                return VEventHeader.distance(from: expected, to: got)
            case .lost(let after?, let through):
                return VEventHeader.distance(from: after, to: through)
            default:
                return nil
            }
        }
    }

    /// The payload size of this queue's type (32 for SMMUv3, 16 for Tegra241, 4 for selftest).
    public let payloadSize: Int
    /// The sequence number the next header should carry; nil until one has been seen,
    /// unless the parser was told where the queue starts.
    public private(set) var expectedSequence: UInt32?
    /// The last sequence number seen (event or lost header).
    public private(set) var lastSequence: UInt32?

    /// A parser for a queue with `payloadSize`-byte records. Pass `expectingFirstSequence: 0`
    /// for a fresh queue, so that events lost before the first read are reported too.
    public init(payloadSize: Int, expectingFirstSequence: UInt32? = nil) {
        precondition(payloadSize >= 0)
        self.payloadSize = payloadSize
        self.expectedSequence = expectingFirstSequence
    }

    /// A parser for a queue whose records are `Payload`.
    public init<Payload: VEventPayload>(for payload: Payload.Type, expectingFirstSequence: UInt32? = nil) {
        self.init(payloadSize: Payload.size, expectingFirstSequence: expectingFirstSequence)
    }

    /// Parses one read() result.
    public mutating func parse(_ bytes: [UInt8]) -> [Item] {
        var items: [Item] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= VEventHeader.size else {
                items.append(.truncated(offset: offset, bytes: Array(bytes[offset...])))
                break
            }
            var reader = ByteReader(unchecked: bytes, offset: offset)
            let header = VEventHeader(
                flags: VEventHeader.Flags(rawValue: reader.u32()), sequence: reader.u32())
            let length = header.reportsLostEvents ? 0 : payloadSize
            guard bytes.count - offset - VEventHeader.size >= length else {
                items.append(.truncated(offset: offset, bytes: Array(bytes[offset...])))
                break
            }
            let payload = Array(bytes[(offset + VEventHeader.size)..<(offset + VEventHeader.size + length)])
            if header.sequence > VEventHeader.maxSequence {
                items.append(.invalidSequence(offset: offset, header: header))
                expectedSequence = nil
                lastSequence = nil
                if !header.reportsLostEvents {
                    items.append(.event(VEventRecord(header: header, payload: payload)))
                }
            } else if header.reportsLostEvents {
                let before = expectedSequence.map { ($0 &- 1) & VEventHeader.maxSequence }
                items.append(.lost(afterSequence: before, throughSequence: header.sequence))
                note(header.sequence)
            } else {
                if let expected = expectedSequence, expected != header.sequence {
                    items.append(.gap(expected: expected, got: header.sequence))
                }
                items.append(.event(VEventRecord(header: header, payload: payload)))
                note(header.sequence)
            }
            offset += VEventHeader.size + length
        }
        return items
    }

    private mutating func note(_ sequence: UInt32) {
        lastSequence = sequence
        expectedSequence = VEventHeader.sequence(after: sequence)
    }

    /// The bytes a queue would return for these records, back to back.
    public static func encode(_ records: [VEventRecord]) -> [UInt8] {
        records.flatMap(\.bytes)
    }
}
