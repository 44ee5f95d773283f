/// Arm SMMUv3 SMMU_IDR4 (offset 0x10): IMPLEMENTATION DEFINED; shown raw.
public struct SMMUv3IDR4: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR4"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The whole register as one field.
    public enum Fields {
        public static let implementationDefined = RegisterField(
            "IMPDEF", bits: 31, 0, name: "IMPLEMENTATION DEFINED",
            meaning: "Defined by the SMMU's implementer; the architecture gives it no meaning.")
    }

    public static let layout: [RegisterField] = [Fields.implementationDefined]
}
