/// `struct iommu_hwpt_invalidate_selftest` (8 bytes): one IOMMU_HWPT_INVALIDATE entry for a
/// nested mock HWPT: clear IOTLB slot `iotlb_id` (0...3), or all with ALL. The mock driver
/// answers EOPNOTSUPP for unknown flags and EINVAL for an index above 3, even with ALL.
public struct SelftestHWPTInvalidation: InvalidationEntry {
    public static let size = 8
    /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST`.
    public static let invalidationDataType: UInt32 = 0xdeadbeef
    /// `IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID`: a type the mock refuses.
    public static let invalidInvalidationDataType: UInt32 = 0xdadbeef
    /// `MOCK_NESTED_DOMAIN_IOTLB_ID_MAX`.
    public static let maxIOTLBID: UInt32 = 3
    static let name = "selftest HWPT invalidation"

    public private(set) var flags: SelftestInvalidateFlags
    /// `iotlb_id`.
    public private(set) var iotlbID: UInt32

    /// Clears one slot.
    public init(iotlbID: UInt32) throws(PayloadError) {
        self.init(uncheckedFlags: 0, iotlbID: iotlbID)
        if let first = problems.first { throw first }
    }

    /// Clears every slot.
    public static let all = SelftestHWPTInvalidation(uncheckedFlags: SelftestInvalidateFlags.all.rawValue, iotlbID: 0)

    public init(uncheckedFlags flags: UInt32, iotlbID: UInt32) {
        self.flags = SelftestInvalidateFlags(rawValue: flags)
        self.iotlbID = iotlbID
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let flags = reader.u32()
        let id = reader.u32()
        self.init(uncheckedFlags: flags, iotlbID: id)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(flags.rawValue)
        writer.u32(iotlbID)
        return writer.bytes
    }

    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        if flags.rawValue & ~SelftestInvalidateFlags.known.rawValue != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "flags", value: UInt64(flags.rawValue),
                reason: "has bits outside IOMMU_TEST_INVALIDATE_FLAG_ALL (EOPNOTSUPP)"))
        }
        if iotlbID > Self.maxIOTLBID {
            found.append(PayloadError(
                payload: Self.name, field: "iotlb_id", value: UInt64(iotlbID),
                reason: "is above \(Self.maxIOTLBID) (EINVAL)", valueFormat: .decimal))
        }
        return found
    }
}

extension SelftestHWPTInvalidation: ValidatedPayload {}
