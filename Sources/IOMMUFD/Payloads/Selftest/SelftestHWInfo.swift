/// `struct iommu_test_hw_info` (8 bytes): what IOMMU_GET_HW_INFO returns for a mock device,
/// with type `IOMMU_HW_INFO_TYPE_SELFTEST` and `test_reg` = 0xdeadbeef.
public struct SelftestHWInfo: IOMMUPayload {
    public static let size = 8
    /// `IOMMU_HW_INFO_TYPE_SELFTEST`.
    public static let hwInfoType: UInt32 = 0xfeedbeef
    /// `IOMMU_HW_INFO_SELFTEST_REGVAL`.
    public static let expectedTestRegister: UInt32 = 0xdeadbeef
    static let name = "selftest HW info"

    public var flags: UInt32
    /// `test_reg`.
    public var testRegister: UInt32

    public init(flags: UInt32 = 0, testRegister: UInt32 = SelftestHWInfo.expectedTestRegister) {
        self.flags = flags
        self.testRegister = testRegister
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        flags = reader.u32()
        testRegister = reader.u32()
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(flags)
        writer.u32(testRegister)
        return writer.bytes
    }
}
