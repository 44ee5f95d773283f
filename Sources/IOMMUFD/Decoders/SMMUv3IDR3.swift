/// Arm SMMUv3 SMMU_IDR3 (offset 0xC): optional translation features added in SMMUv3.1 and
/// later (stage-2 forced write-back, range invalidation, break-before-make level, ...).
public struct SMMUv3IDR3: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR3"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IDR3 fields, named for use in code (`SMMUv3IDR3.Fields.fwb`).
    public enum Fields {
        public static let had = RegisterField(
            "HAD", bit: 2, name: "Hierarchical Attribute Disable",
            meaning: "CD.HAD0/HAD1 can disable hierarchical table attributes.")
        public static let pbha = RegisterField(
            "PBHA", bit: 3, name: "Page-Based Hardware Attributes",
            meaning: "Table descriptor bits 59-62 can be passed to the system as attributes.")
        public static let xnx = RegisterField(
            "XNX", bit: 4, name: "EL0/EL1 execute-never at stage 2",
            meaning: "Stage-2 XN can differ for EL0 and EL1.")
        public static let pps = RegisterField(
            "PPS", bit: 5, name: "PASID on PRI auto-responses",
            meaning: "PRI overflow responses carry the PASID regardless of STE.PPAR.")
        public static let mpam = RegisterField(
            "MPAM", bit: 7, name: "Memory Partitioning And Monitoring",
            meaning: "MPAM labels can be given to transactions (SMMU_MPAMIDR present).")
        public static let fwb = RegisterField(
            "FWB", bit: 8, name: "Stage 2 Forced Write-Back",
            meaning: "Stage 2 can force cacheable memory types: lets Linux create a vIOMMU.")
        public static let stt = RegisterField(
            "STT", bit: 9, name: "Small Translation Tables",
            meaning: "Stage-1 input ranges smaller than 2^25 bytes (larger T0SZ) are allowed.")
        public static let ril = RegisterField(
            "RIL", bit: 10, name: "Range Invalidation and Level hint",
            meaning: "TLB invalidation commands accept address ranges and level hints.")
        public static let bbml = RegisterField(
            "BBML", bits: 12, 11, name: "Break-Before-Make Level",
            meaning: "0, 1 or 2: how far block/table changes may skip break-before-make.")
        public static let e0pd = RegisterField(
            "E0PD", bit: 13, name: "E0PD mechanism",
            meaning: "CD.E0PD0/E0PD1 can fault EL0 accesses to halves of the address space.")
        public static let ptwnnc = RegisterField(
            "PTWNNC", bit: 14, name: "Page Table Walk to Device is Normal Non-cacheable",
            meaning: "With STE.S2PTW=0, stage-1 walks to Device memory act as Normal-NC.")
        public static let dpt = RegisterField(
            "DPT", bit: 15, name: "Device Permission Table",
            meaning: "A Device Permission Table checks ATS-translated accesses (EATS=0b11).")
        public static let pasidtt = RegisterField(
            "PASIDTT", bit: 16, name: "PASID on ATS Translated Transactions",
            meaning: "ATS-translated transactions may carry a PASID prefix.")
        public static let epan = RegisterField(
            "EPAN", bit: 17, name: "Enhanced PAN",
            meaning: "Privileged-access-never also covers execute-only EL0 pages.")
        public static let s1pi = RegisterField(
            "S1PI", bit: 18, name: "Stage 1 Permission Indirections",
            meaning: "Stage-1 permissions can come from an indirection table.")
        public static let s2pi = RegisterField(
            "S2PI", bit: 19, name: "Stage 2 Permission Indirections",
            meaning: "Stage-2 permissions can come from an indirection table.")
        public static let s2po = RegisterField(
            "S2PO", bit: 20, name: "Stage 2 Permission Overlays",
            meaning: "Stage-2 permission overlays are supported.")
        public static let the = RegisterField(
            "THE", bit: 21, name: "Translation Hardening Extension",
            meaning: "Translation hardening (protected table entries) is supported.")
        public static let mteperm = RegisterField(
            "MTEPERM", bit: 22, name: "MTE NoTagAccess at stage 2",
            meaning: "Stage-2 MemAttr NoTagAccess encodings are supported.")
        public static let aie = RegisterField(
            "AIE", bit: 23, name: "Attribute Index Extension",
            meaning: "Stage-1 attribute indexes are extended (CD.AIE).")
    }

    public static let layout: [RegisterField] = [
        Fields.had, Fields.pbha, Fields.xnx, Fields.pps, Fields.mpam, Fields.fwb, Fields.stt,
        Fields.ril, Fields.bbml, Fields.e0pd, Fields.ptwnnc, Fields.dpt, Fields.pasidtt,
        Fields.epan, Fields.s1pi, Fields.s2pi, Fields.s2po, Fields.the, Fields.mteperm, Fields.aie,
    ]

    /// HAD
    public var hierarchicalAttributeDisable: Bool { flag(Fields.had) }
    /// PBHA
    public var pageBasedHardwareAttributes: Bool { flag(Fields.pbha) }
    /// XNX
    public var stage2ExecuteNeverByEL: Bool { flag(Fields.xnx) }
    /// PPS
    public var pasidOnPRIAutoResponse: Bool { flag(Fields.pps) }
    /// MPAM
    public var mpam: Bool { flag(Fields.mpam) }
    /// FWB
    public var stage2ForcedWriteBack: Bool { flag(Fields.fwb) }
    /// STT
    public var smallTranslationTables: Bool { flag(Fields.stt) }
    /// RIL
    public var rangeInvalidation: Bool { flag(Fields.ril) }
    /// BBML: break-before-make level 0, 1 or 2.
    public var breakBeforeMakeLevel: Int { number(Fields.bbml) }
    /// E0PD
    public var e0pd: Bool { flag(Fields.e0pd) }
    /// PTWNNC
    public var tableWalkDeviceAsNonCacheable: Bool { flag(Fields.ptwnnc) }
    /// DPT
    public var devicePermissionTable: Bool { flag(Fields.dpt) }
    /// PASIDTT
    public var pasidOnTranslatedTransactions: Bool { flag(Fields.pasidtt) }
    /// EPAN
    public var enhancedPAN: Bool { flag(Fields.epan) }
    /// S1PI
    public var stage1PermissionIndirection: Bool { flag(Fields.s1pi) }
    /// S2PI
    public var stage2PermissionIndirection: Bool { flag(Fields.s2pi) }
    /// S2PO
    public var stage2PermissionOverlay: Bool { flag(Fields.s2po) }
    /// THE
    public var translationHardening: Bool { flag(Fields.the) }
    /// MTEPERM
    public var mteNoTagAccess: Bool { flag(Fields.mteperm) }
    /// AIE
    public var attributeIndexExtension: Bool { flag(Fields.aie) }
}
