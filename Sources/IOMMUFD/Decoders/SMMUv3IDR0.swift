/// Arm SMMUv3 SMMU_IDR0 (offset 0x0): the translation stages, table formats, queues and
/// stream table features of the Non-secure programming interface.
public struct SMMUv3IDR0: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR0"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IDR0 fields, named for use in code (`SMMUv3IDR0.Fields.s1p`).
    public enum Fields {
        public static let s2p = RegisterField(
            "S2P", bit: 0, name: "Stage 2 translation supported",
            meaning: "Stage-2 (IPA to PA) tables are supported: needed for a nest parent.")
        public static let s1p = RegisterField(
            "S1P", bit: 1, name: "Stage 1 translation supported",
            meaning: "Stage-1 (VA to IPA) tables are supported: needed for nesting.")
        public static let ttf = RegisterField(
            "TTF", bits: 3, 2, name: "Translation Table Formats",
            meaning: "1 = AArch32 LPAE, 2 = AArch64, 3 = both; Linux needs AArch64.")
        public static let cohacc = RegisterField(
            "COHACC", bit: 4, name: "Coherent access",
            meaning: "Table walks, queues and MSIs are IO-coherent with the CPUs.")
        public static let btm = RegisterField(
            "BTM", bit: 5, name: "Broadcast TLB Maintenance",
            meaning: "CPU TLB invalidations (TLBI) are also received by the SMMU.")
        public static let httu = RegisterField(
            "HTTU", bits: 7, 6, name: "Hardware Translation Table Update",
            meaning: "0 none, 1 Access flag, 2 Access and Dirty (dirty tracking), 3 plus tables.")
        public static let dormhint = RegisterField(
            "DORMHINT", bit: 8, name: "Dormant hint",
            meaning: "SMMU_STATUSR.DORMANT tells when the SMMU caches are idle.")
        public static let hyp = RegisterField(
            "HYP", bit: 9, name: "Hypervisor stage 1 contexts",
            meaning: "Stage-1 contexts may be tagged as EL2 (hypervisor) contexts.")
        public static let ats = RegisterField(
            "ATS", bit: 10, name: "PCIe ATS supported",
            meaning: "The SMMU answers PCIe ATS translation requests (per-device ATC).")
        public static let ns1ats = RegisterField(
            "NS1ATS", bit: 11, name: "No stage-1-only ATS",
            meaning: "Split-stage ATS (stage-1 results only, STE.EATS=0b10) is not supported.")
        public static let asid16 = RegisterField(
            "ASID16", bit: 12, name: "16-bit ASID",
            meaning: "ASIDs are 16 bits wide, else 8 bits.")
        public static let msi = RegisterField(
            "MSI", bit: 13, name: "Message Signalled Interrupts",
            meaning: "Queues and errors can signal by MSI, not only wired interrupts.")
        public static let sev = RegisterField(
            "SEV", bit: 14, name: "Send Event",
            meaning: "The SMMU can wake CPUs waiting in WFE (e.g. for CMD_SYNC).")
        public static let atos = RegisterField(
            "ATOS", bit: 15, name: "Address Translation Operations",
            meaning: "Software can ask the SMMU to translate an address (GATOS registers).")
        public static let pri = RegisterField(
            "PRI", bit: 16, name: "Page Request Interface",
            meaning: "PCIe PRI page requests are taken into the PRI queue.")
        public static let vmw = RegisterField(
            "VMW", bit: 17, name: "VMID Wildcard",
            meaning: "TLB invalidation can match VMIDs by wildcard.")
        public static let vmid16 = RegisterField(
            "VMID16", bit: 18, name: "16-bit VMID",
            meaning: "VMIDs are 16 bits wide, else 8 bits.")
        public static let cd2l = RegisterField(
            "CD2L", bit: 19, name: "2-level Context Descriptor tables",
            meaning: "Context descriptor tables may have two levels (many SubstreamIDs).")
        public static let vatos = RegisterField(
            "VATOS", bit: 20, name: "Virtual ATOS",
            meaning: "A virtual ATOS page lets a guest request translations.")
        public static let ttendian = RegisterField(
            "TTENDIAN", bits: 22, 21, name: "Translation Table Endianness",
            meaning: "0 mixed, 2 little-endian only, 3 big-endian only (1 reserved).")
        public static let atsrecerr = RegisterField(
            "ATSRECERR", bit: 23, name: "ATS Recording of Errors",
            meaning: "More configuration errors of ATS and PRI requests are recorded as events.")
        public static let stallModel = RegisterField(
            "STALL_MODEL", bits: 25, 24, name: "Stall model",
            meaning: "0 stall and terminate, 1 terminate only, 2 stall forced.")
        public static let termModel = RegisterField(
            "TERM_MODEL", bit: 26, name: "Terminate model",
            meaning: "1: a terminated transaction always aborts (no RAZ/WI completion).")
        public static let stLevel = RegisterField(
            "ST_LEVEL", bits: 28, 27, name: "Multi-level Stream table",
            meaning: "0 linear Stream table only, 1 also 2-level.")
        public static let rmeImpl = RegisterField(
            "RME_IMPL", bit: 30, name: "Realm Management Extension implemented",
            meaning: "RME features (granule protection checks, Realm state) are present.")
    }

    public static let layout: [RegisterField] = [
        Fields.s2p, Fields.s1p, Fields.ttf, Fields.cohacc, Fields.btm, Fields.httu, Fields.dormhint,
        Fields.hyp, Fields.ats, Fields.ns1ats, Fields.asid16, Fields.msi, Fields.sev, Fields.atos,
        Fields.pri, Fields.vmw, Fields.vmid16, Fields.cd2l, Fields.vatos, Fields.ttendian,
        Fields.atsrecerr, Fields.stallModel, Fields.termModel, Fields.stLevel, Fields.rmeImpl,
    ]

    /// S2P
    public var stage2: Bool { flag(Fields.s2p) }
    /// S1P
    public var stage1: Bool { flag(Fields.s1p) }
    /// TTF: bit 0 AArch32 LPAE, bit 1 AArch64.
    public var translationTableFormats: Int { number(Fields.ttf) }
    /// COHACC
    public var coherentAccess: Bool { flag(Fields.cohacc) }
    /// BTM
    public var broadcastTLBMaintenance: Bool { flag(Fields.btm) }
    /// HTTU: 0 none, 1 access flag, 2 access and dirty, 3 also access flag for table descriptors.
    public var hardwareTableUpdate: Int { number(Fields.httu) }
    /// DORMHINT
    public var dormantHint: Bool { flag(Fields.dormhint) }
    /// HYP
    public var hypervisorContexts: Bool { flag(Fields.hyp) }
    /// ATS
    public var ats: Bool { flag(Fields.ats) }
    /// NS1ATS
    public var noStage1OnlyATS: Bool { flag(Fields.ns1ats) }
    /// ASID16
    public var asid16: Bool { flag(Fields.asid16) }
    /// MSI
    public var msi: Bool { flag(Fields.msi) }
    /// SEV
    public var sendEvent: Bool { flag(Fields.sev) }
    /// ATOS
    public var addressTranslationOperations: Bool { flag(Fields.atos) }
    /// PRI
    public var pageRequestInterface: Bool { flag(Fields.pri) }
    /// VMW
    public var vmidWildcard: Bool { flag(Fields.vmw) }
    /// VMID16
    public var vmid16: Bool { flag(Fields.vmid16) }
    /// CD2L
    public var twoLevelContextDescriptors: Bool { flag(Fields.cd2l) }
    /// VATOS
    public var virtualATOS: Bool { flag(Fields.vatos) }
    /// TTENDIAN: 0 mixed, 2 little, 3 big.
    public var tableEndianness: Int { number(Fields.ttendian) }
    /// ATSRECERR
    public var atsRecordsErrors: Bool { flag(Fields.atsrecerr) }
    /// STALL_MODEL: 0 stall and terminate, 1 terminate only, 2 stall forced.
    public var stallModel: Int { number(Fields.stallModel) }
    /// TERM_MODEL
    public var terminateAlwaysAborts: Bool { flag(Fields.termModel) }
    /// ST_LEVEL: 0 linear, 1 two-level as well.
    public var streamTableLevels: Int { number(Fields.stLevel) }
    /// RME_IMPL
    public var realmManagement: Bool { flag(Fields.rmeImpl) }

    /// AArch64 (VMSAv8-64) tables are supported; Linux refuses an SMMU without them.
    public var aarch64Tables: Bool { translationTableFormats & 0b10 != 0 }
    /// ASID width in bits.
    public var asidBits: Int { asid16 ? 16 : 8 }
    /// VMID width in bits.
    public var vmidBits: Int { vmid16 ? 16 : 8 }
}
