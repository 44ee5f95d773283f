/// `struct iommu_viommu_event_selftest` (4 bytes): the record a mock vIOMMU queues when
/// IOMMU_TEST_OP_TRIGGER_VEVENT fires for a device: the device's virtual ID.
public struct SelftestVEvent: VEventPayload {
    public static let size = 4
    /// `IOMMU_VEVENTQ_TYPE_SELFTEST`.
    public static let veventqType: UInt32 = 0xbeefbeef
    static let name = "selftest vEVENT"

    /// `virt_id`.
    public var virtualID: UInt32

    public init(virtualID: UInt32) { self.virtualID = virtualID }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        virtualID = reader.u32()
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(virtualID)
        return writer.bytes
    }
}
