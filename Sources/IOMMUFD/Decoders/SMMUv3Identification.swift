/// Arm SMMUv3 SMMU_IIDR (offset 0x18): who made the SMMU and which product and revision it is.
/// Linux reads it to apply errata (Arm MMU-600 and MMU-700 lose nesting on early revisions).
public struct SMMUv3IIDR: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IIDR"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IIDR fields (mnemonics upper-cased for JSON keys).
    public enum Fields {
        public static let implementer = RegisterField(
            "IMPLEMENTER", bits: 11, 0, name: "Implementer",
            meaning: "JEP106 code of the implementer: bits 11:8 bank, 6:0 identity (0x43B = Arm).")
        public static let revision = RegisterField(
            "REVISION", bits: 15, 12, name: "Revision",
            meaning: "Minor revision of the product (the p in rNpM).")
        public static let variant = RegisterField(
            "VARIANT", bits: 19, 16, name: "Variant",
            meaning: "Major revision of the product (the r in rNpM).")
        public static let productID = RegisterField(
            "PRODUCTID", bits: 31, 20, name: "ProductID",
            meaning: "Implementer's product number (Arm: 0x483 MMU-600, 0x487 MMU-700).")
    }

    public static let layout: [RegisterField] = [
        Fields.implementer, Fields.revision, Fields.variant, Fields.productID,
    ]

    /// IMPLEMENTER: JEP106 code.
    public var implementer: Int { number(Fields.implementer) }
    /// REVISION
    public var revision: Int { number(Fields.revision) }
    /// VARIANT
    public var variant: Int { number(Fields.variant) }
    /// PRODUCTID
    public var productID: Int { number(Fields.productID) }

    /// The JEP106 code Arm Ltd uses.
    public static let armImplementer = 0x43B

    /// Known product names, as Linux matches them for errata.
    public var productName: String? {
        guard implementer == Self.armImplementer else { return nil }
        switch productID {
        case 0x483: return "Arm MMU-600"
        case 0x487: return "Arm MMU-700"
        case 0x48A: return "Arm MMU-L1"
        case 0x498: return "Arm MMU-S3"
        default: return nil
        }
    }

    /// "r1p2" from variant and revision.
    public var revisionText: String { "r\(variant)p\(revision)" }
}

/// Arm SMMUv3 SMMU_AIDR (offset 0x1C): the architecture version the SMMU implements.
public struct SMMUv3AIDR: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_AIDR"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_AIDR fields (mnemonics upper-cased for JSON keys).
    public enum Fields {
        public static let archMinorRev = RegisterField(
            "ARCHMINORREV", bits: 3, 0, name: "ArchMinorRev",
            meaning: "Minor architecture revision: 0 = SMMUv3.0 ... 4 = SMMUv3.4.")
        public static let archMajorRev = RegisterField(
            "ARCHMAJORREV", bits: 7, 4, name: "ArchMajorRev",
            meaning: "Major architecture revision: 0 = SMMUv3.x.")
    }

    public static let layout: [RegisterField] = [Fields.archMinorRev, Fields.archMajorRev]

    /// ARCHMINORREV
    public var architectureMinorRevision: Int { number(Fields.archMinorRev) }
    /// ARCHMAJORREV
    public var architectureMajorRevision: Int { number(Fields.archMajorRev) }

    /// "SMMUv3.1"; an unknown major revision reads "SMMU arch major N minor M".
    public var architectureVersion: String {
        guard architectureMajorRevision == 0 else {
            return "SMMU arch major \(architectureMajorRevision) minor \(architectureMinorRevision)"
        }
        return "SMMUv3.\(architectureMinorRevision)"
    }
}
