/// `struct iommu_viommu_tegra241_cmdqv` (16 bytes): what IOMMU_VIOMMU_ALLOC of type
/// TEGRA241_CMDQV writes back: where on the iommufd fd to mmap the VINTF page that lets
/// the guest drive its VCMDQs directly.
public struct Tegra241VIOMMUData: IOMMUPayload {
    public static let size = 16
    /// `IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV`.
    public static let viommuType: UInt32 = 2
    static let name = "Tegra241 CMDQV vIOMMU data"

    /// `out_vintf_mmap_offset`: the mmap offset to pass on the iommufd fd.
    public var mmapOffset: UInt64
    /// `out_vintf_mmap_length`: the mmap length.
    public var mmapLength: UInt64

    public init(mmapOffset: UInt64 = 0, mmapLength: UInt64 = 0) {
        self.mmapOffset = mmapOffset
        self.mmapLength = mmapLength
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let offset = reader.u64()
        let length = reader.u64()
        self.init(mmapOffset: offset, mmapLength: length)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u64(mmapOffset)
        writer.u64(mmapLength)
        return writer.bytes
    }
}
