/// Arm SMMUv3 SMMU_IDR5 (offset 0x14): output address size, translation granules, input
/// address extension and the most stalled transactions.
public struct SMMUv3IDR5: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR5"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IDR5 fields, named for use in code (`SMMUv3IDR5.Fields.oas`).
    public enum Fields {
        public static let oas = RegisterField(
            "OAS", bits: 2, 0, name: "Output Address Size",
            meaning: "Physical address bits: 0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52.")
        public static let gran4K = RegisterField(
            "GRAN4K", bit: 4, name: "4KB translation granule",
            meaning: "Tables with a 4 KiB granule are supported.")
        public static let gran16K = RegisterField(
            "GRAN16K", bit: 5, name: "16KB translation granule",
            meaning: "Tables with a 16 KiB granule are supported.")
        public static let gran64K = RegisterField(
            "GRAN64K", bit: 6, name: "64KB translation granule",
            meaning: "Tables with a 64 KiB granule are supported.")
        public static let ds = RegisterField(
            "DS", bit: 7, name: "52-bit addresses with 4KB/16KB granules",
            meaning: "4 KiB and 16 KiB granules can also address 52 bits (like FEAT_LPA2).")
        public static let d128 = RegisterField(
            "D128", bit: 8, name: "128-bit descriptors",
            meaning: "VMSAv9-128 translation table descriptors are supported.")
        public static let vax = RegisterField(
            "VAX", bits: 11, 10, name: "Virtual Address eXtend",
            meaning: "Stage-1 input address bits: 0 = 48, 1 = 52, 2 = 56.")
        public static let stallMax = RegisterField(
            "STALL_MAX", bits: 31, 16, name: "Maximum outstanding stalls",
            meaning: "Most stalled transactions the SMMU and system keep at once.")
    }

    public static let layout: [RegisterField] = [
        Fields.oas, Fields.gran4K, Fields.gran16K, Fields.gran64K, Fields.ds, Fields.d128,
        Fields.vax, Fields.stallMax,
    ]

    /// OAS as stored (an encoding, not bits).
    public var outputAddressSizeCode: Int { number(Fields.oas) }
    /// GRAN4K
    public var granule4K: Bool { flag(Fields.gran4K) }
    /// GRAN16K
    public var granule16K: Bool { flag(Fields.gran16K) }
    /// GRAN64K
    public var granule64K: Bool { flag(Fields.gran64K) }
    /// DS
    public var largeAddressesWithSmallGranules: Bool { flag(Fields.ds) }
    /// D128
    public var descriptors128Bit: Bool { flag(Fields.d128) }
    /// VAX as stored (an encoding, not bits).
    public var virtualAddressExtendCode: Int { number(Fields.vax) }
    /// STALL_MAX
    public var maximumStalls: Int { number(Fields.stallMax) }

    /// Output (physical) address width in bits (52 needs SMMUv3.1, 56 needs SMMUv3.4).
    public var outputAddressBits: Int {
        let widths = [32, 36, 40, 42, 44, 48, 52, 56]
        return widths[outputAddressSizeCode]
    }

    /// Stage-1 input (virtual) address width in bits; nil for a reserved encoding.
    public var virtualAddressBits: Int? {
        switch virtualAddressExtendCode {
        case 0: return 48
        case 1: return 52
        case 2: return 56
        default: return nil
        }
    }

    /// Supported translation granules in bytes, smallest first.
    public var granules: [UInt64] {
        var sizes: [UInt64] = []
        if granule4K { sizes.append(4 << 10) }
        if granule16K { sizes.append(16 << 10) }
        if granule64K { sizes.append(64 << 10) }
        return sizes
    }
}
