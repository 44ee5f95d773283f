/// `struct iommufd_vevent_header` (8 bytes): precedes each record read from a vEVENTQ fd.
///
/// The queue numbers every event it is given with a sequence that runs 0...Int32.max and
/// then wraps to 0. A lost event still takes a number, so a jump in the sequence counts the
/// events lost. When events are lost and nothing follows, the queue ends with a header
/// flagged LOST_EVENTS that carries the last lost number and no payload.
public struct VEventHeader: IOMMUPayload {
    public static let size = 8
    static let name = "vEVENT header"

    /// The largest sequence number; the next one is 0.
    public static let maxSequence = UInt32(Int32.max)

    /// `enum iommu_veventq_flag`.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// LOST_EVENTS: events were dropped (queue full or no memory); no payload follows.
        public static let lostEvents = Flags(rawValue: 1 << 0)
    }

    public var flags: Flags
    /// `sequence`: this event's number, or for a LOST_EVENTS header the last lost number.
    public var sequence: UInt32

    public init(flags: Flags = [], sequence: UInt32) {
        self.flags = flags
        self.sequence = sequence
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let flags = reader.u32()
        let sequence = reader.u32()
        self.init(flags: Flags(rawValue: flags), sequence: sequence)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(flags.rawValue)
        writer.u32(sequence)
        return writer.bytes
    }

    /// True for a LOST_EVENTS header, which has no payload.
    public var reportsLostEvents: Bool { flags.contains(.lostEvents) }

    /// The sequence number after `sequence` (Int32.max wraps to 0).
    public static func sequence(after sequence: UInt32) -> UInt32 {
        (sequence &+ 1) & maxSequence
    }

    /// How many numbers lie from `from` up to `to` (0 when equal), counting modulo 2^31.
    public static func distance(from: UInt32, to: UInt32) -> UInt32 {
        (to &- from) & maxSequence
    }
}
