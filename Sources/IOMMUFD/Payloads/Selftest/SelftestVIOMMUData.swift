/// `struct iommu_viommu_selftest` (24 bytes): data for IOMMU_VIOMMU_ALLOC of the mock type.
/// The mock copies `in_data` to `out_data` and to the first word of a two-page area it
/// exposes for mmap on the iommufd fd at `out_mmap_offset`/`out_mmap_length`.
public struct SelftestVIOMMUData: IOMMUPayload {
    public static let size = 24
    /// `IOMMU_VIOMMU_TYPE_SELFTEST`.
    public static let viommuType: UInt32 = 0xdeadbeef
    static let name = "selftest vIOMMU data"

    public var inData: UInt32
    public var outData: UInt32
    public var mmapOffset: UInt64
    public var mmapLength: UInt64

    public init(inData: UInt32, outData: UInt32 = 0, mmapOffset: UInt64 = 0, mmapLength: UInt64 = 0) {
        self.inData = inData
        self.outData = outData
        self.mmapOffset = mmapOffset
        self.mmapLength = mmapLength
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        inData = reader.u32()
        outData = reader.u32()
        mmapOffset = reader.u64()
        mmapLength = reader.u64()
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(inData)
        writer.u32(outData)
        writer.u64(mmapOffset)
        writer.u64(mmapLength)
        return writer.bytes
    }
}
