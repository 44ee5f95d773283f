/// Arm SMMUv3 SMMU_IDR2 (offset 0x8): where the virtual ATOS page is, when IDR0.VATOS is set.
public struct SMMUv3IDR2: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR2"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IDR2 field.
    public enum Fields {
        public static let baVATOS = RegisterField(
            "BA_VATOS", bits: 9, 0, name: "VATOS page base address",
            meaning: "VATOS page at SMMU base + 0x20000 + BA_VATOS * 64 KiB (with IDR0.VATOS).")
    }

    public static let layout: [RegisterField] = [Fields.baVATOS]

    /// BA_VATOS as stored, in 64 KiB units above offset 0x20000.
    public var vatosPageBase: Int { number(Fields.baVATOS) }

    /// Byte offset of the VATOS page from the SMMU base.
    public var vatosPageOffset: Int { 0x20000 + vatosPageBase * 0x10000 }
}
