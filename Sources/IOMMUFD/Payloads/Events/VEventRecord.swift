/// One record from a vEVENTQ: a header and the payload bytes that follow it (none for a
/// LOST_EVENTS header).
public struct VEventRecord: Hashable, Sendable {
    public var header: VEventHeader
    public var payload: [UInt8]

    public init(header: VEventHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    /// A normal event record carrying `event`.
    public init<Payload: VEventPayload>(sequence: UInt32, event: Payload) {
        self.init(header: VEventHeader(sequence: sequence), payload: event.bytes)
    }

    /// The tail record the queue adds after losing events, numbered with the last lost one.
    public static func lostEvents(sequence: UInt32) -> VEventRecord {
        VEventRecord(header: VEventHeader(flags: .lostEvents, sequence: sequence), payload: [])
    }

    /// The bytes read() returns for this record.
    public var bytes: [UInt8] { header.bytes + payload }

    /// The payload read as a `Payload` (SMMUv3Event, Tegra241VEvent, SelftestVEvent, ...).
    public func decode<Payload: VEventPayload>(as type: Payload.Type) throws(PayloadError) -> Payload {
        try Payload(bytes: payload)
    }
}
