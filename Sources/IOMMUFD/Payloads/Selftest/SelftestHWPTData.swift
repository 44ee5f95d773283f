/// `struct iommu_hwpt_selftest` (8 bytes): mock-driver data for IOMMU_HWPT_ALLOC
/// (CONFIG_IOMMUFD_TEST). A nested mock HWPT fills its four IOTLB slots with `iotlb`; a
/// paging mock HWPT picks its page-table flavour with `pagetable_type` (anything else:
/// EOPNOTSUPP). The kernel needs at least the first 4 bytes.
public struct SelftestHWPTData: HWPTAllocationData {
    public static let size = 8
    /// `IOMMU_HWPT_DATA_SELFTEST`.
    public static let hwptDataType: UInt32 = 0xdead
    static let name = "selftest HWPT data"

    /// `IOMMU_TEST_IOTLB_DEFAULT`: the value the selftests put in `iotlb`.
    public static let defaultIOTLB: UInt32 = 0xbadbeef

    /// The mock page-table flavours (`MOCK_IOMMUPT_*`).
    public enum PageTableType: UInt32, Hashable, Sendable, CaseIterable {
        /// 2 KiB pages, aperture [2^24, 2^31).
        case standard = 0
        /// Huge pages only (1 MiB, plus PAGE_SIZE), full aperture.
        case huge = 1
    }

    /// `iotlb`.
    public private(set) var iotlb: UInt32
    /// `pagetable_type`, raw.
    public private(set) var rawPageTableType: UInt32
    public var pageTableType: PageTableType? { PageTableType(rawValue: rawPageTableType) }

    public init(iotlb: UInt32 = SelftestHWPTData.defaultIOTLB, pageTableType: PageTableType = .standard) {
        self.iotlb = iotlb
        self.rawPageTableType = pageTableType.rawValue
    }

    public init(iotlb: UInt32, uncheckedPageTableType: UInt32) {
        self.iotlb = iotlb
        self.rawPageTableType = uncheckedPageTableType
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let iotlb = reader.u32()
        let type = reader.u32()
        self.init(iotlb: iotlb, uncheckedPageTableType: type)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(iotlb)
        writer.u32(rawPageTableType)
        return writer.bytes
    }

    public var problems: [PayloadError] {
        pageTableType == nil
            ? [PayloadError(
                payload: Self.name, field: "pagetable_type", value: UInt64(rawPageTableType),
                reason: "is neither MOCK_IOMMUPT_DEFAULT (0) nor MOCK_IOMMUPT_HUGE (1) (EOPNOTSUPP for a paging HWPT)")]
            : []
    }
}

extension SelftestHWPTData: ValidatedPayload {}
