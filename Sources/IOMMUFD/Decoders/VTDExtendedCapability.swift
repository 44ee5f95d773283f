/// Intel VT-d Extended Capability Register (ECAP_REG, offset 0x10): scalable mode, nesting,
/// PASIDs, dirty tracking, interrupt remapping and the other optional features. Mnemonics follow
/// the VT-d spec (rev 3.x names where rev 4 renamed: SLADS is SSADS, SLTS is SSTS, FLTS is FSTS).
/// CH, ECS, DIS and POT exist only in revision 2.x; later revisions reserve those bits. Bit 28
/// was a first PASID-support bit in revision 2.x (reserved now; Linux names it "broken PASID")
/// and is left unlisted, so it shows in `unlistedBits` (Skylake-era units set it).
public struct VTDExtendedCapability: RegisterDecoder {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let registerName = "ECAP_REG"
    public static let widthInBits = 64
    public var registerValue: UInt64 { rawValue }

    /// The ECAP_REG fields, named for use in code (`VTDExtendedCapability.Fields.nest`).
    public enum Fields {
        public static let c = RegisterField(
            "C", bit: 0, name: "Page-walk Coherency",
            meaning: "Table walks (legacy mode) snoop CPU caches; no cache flush needed.")
        public static let qi = RegisterField(
            "QI", bit: 1, name: "Queued Invalidation support",
            meaning: "Invalidations go through the invalidation queue (needed for IR, PASID).")
        public static let dt = RegisterField(
            "DT", bit: 2, name: "Device-TLB support",
            meaning: "PCIe ATS: devices may cache translations and must be invalidated too.")
        public static let ir = RegisterField(
            "IR", bit: 3, name: "Interrupt Remapping support",
            meaning: "Interrupt requests can be remapped and isolated.")
        public static let eim = RegisterField(
            "EIM", bit: 4, name: "Extended Interrupt Mode",
            meaning: "Interrupt remapping handles 32-bit x2APIC IDs, not only 8-bit xAPIC IDs.")
        public static let ch = RegisterField(
            "CH", bit: 5, name: "Caching Hints (rev 2.x)",
            meaning: "Context entries carry IOTLB caching hints; reserved since rev 3.0.")
        public static let pt = RegisterField(
            "PT", bit: 6, name: "Pass Through",
            meaning: "A device can be set to untranslated pass-through DMA.")
        public static let sc = RegisterField(
            "SC", bit: 7, name: "Snoop Control",
            meaning: "Second-stage entries can force snooped DMA (enforced cache coherency).")
        public static let iro = RegisterField(
            "IRO", bits: 17, 8, name: "IOTLB Register Offset",
            meaning: "Offset of the IOTLB invalidation registers, in 16-byte units.")
        public static let mhmv = RegisterField(
            "MHMV", bits: 23, 20, name: "Maximum Handle Mask Value",
            meaning: "Largest handle mask in an interrupt entry cache invalidation.")
        public static let ecs = RegisterField(
            "ECS", bit: 24, name: "Extended Context Support (rev 2.x)",
            meaning: "Extended root and context entries; reserved since rev 3.0.")
        public static let mts = RegisterField(
            "MTS", bit: 25, name: "Memory Type Support",
            meaning: "Translation entries can set the memory type of DMA accesses.")
        public static let nest = RegisterField(
            "NEST", bit: 26, name: "Nested Translation Support",
            meaning: "A first-stage table can be nested on a second-stage table (guest IOMMU).")
        public static let dis = RegisterField(
            "DIS", bit: 27, name: "Deferred Invalidate Support (rev 2.x)",
            meaning: "Deferred IOTLB invalidation; reserved since rev 3.0.")
        public static let prs = RegisterField(
            "PRS", bit: 29, name: "Page Request Support",
            meaning: "Devices can send PCIe page requests (I/O page faults, PRI).")
        public static let ers = RegisterField(
            "ERS", bit: 30, name: "Execute Request Support",
            meaning: "Requests-with-PASID may ask for execute permission.")
        public static let srs = RegisterField(
            "SRS", bit: 31, name: "Supervisor Request Support",
            meaning: "Requests-with-PASID may ask for supervisor privilege (SRE in a nested S1).")
        public static let pot = RegisterField(
            "POT", bit: 32, name: "PASID-Only Translation (rev 2.x)",
            meaning: "PASID-only translation type in extended context entries; reserved since 3.0.")
        public static let nwfs = RegisterField(
            "NWFS", bit: 33, name: "No Write Flag Support",
            meaning: "The No-Write flag of ATS translation requests is honoured.")
        public static let eafs = RegisterField(
            "EAFS", bit: 34, name: "Extended Accessed Flag Support",
            meaning: "First-stage tables have an extended-accessed bit (EAFE in a nested S1).")
        public static let pss = RegisterField(
            "PSS", bits: 39, 35, name: "PASID Size Supported",
            meaning: "PASID width in bits, minus one (valid when PASID is set).")
        public static let pasid = RegisterField(
            "PASID", bit: 40, name: "Process Address Space ID Support",
            meaning: "Requests-with-PASID are translated (per-PASID tables in scalable mode).")
        public static let dit = RegisterField(
            "DIT", bit: 41, name: "Device-TLB Invalidation Throttle",
            meaning: "Device-TLB invalidations are throttled to avoid flooding devices.")
        public static let pds = RegisterField(
            "PDS", bit: 42, name: "Page-request Drain Support",
            meaning: "Invalidation wait descriptors can drain pending page requests.")
        public static let smts = RegisterField(
            "SMTS", bit: 43, name: "Scalable Mode Translation Support",
            meaning: "Scalable mode (PASID tables, first/second stage, nesting) is supported.")
        public static let vcs = RegisterField(
            "VCS", bit: 44, name: "Virtual Command Support",
            meaning: "Virtual command registers exist (emulated IOMMUs, PASID allocation).")
        public static let slads = RegisterField(
            "SLADS", bit: 45, name: "Second-Stage Accessed/Dirty Support (SSADS)",
            meaning: "Second-stage entries get accessed and dirty bits (dirty tracking).")
        public static let slts = RegisterField(
            "SLTS", bit: 46, name: "Second-Stage Translation Support (SSTS)",
            meaning: "Scalable mode can translate with second-stage tables.")
        public static let flts = RegisterField(
            "FLTS", bit: 47, name: "First-Stage Translation Support (FSTS)",
            meaning: "Scalable mode can translate with first-stage (x86-format) tables.")
        public static let smpwc = RegisterField(
            "SMPWC", bit: 48, name: "Scalable-Mode Page-walk Coherency",
            meaning: "Scalable-mode table walks snoop CPU caches.")
        public static let rps = RegisterField(
            "RPS", bit: 49, name: "RID_PASID Support",
            meaning: "The PASID used for requests without PASID can be chosen per device.")
        public static let pms = RegisterField(
            "PMS", bit: 51, name: "Performance Monitoring Support",
            meaning: "The unit has performance monitoring counters.")
        public static let adms = RegisterField(
            "ADMS", bit: 52, name: "Abort DMA Mode Support",
            meaning: "The unit can block all DMA without a root table (abort DMA mode).")
        public static let rprivs = RegisterField(
            "RPRIVS", bit: 53, name: "RID_PRIV Support",
            meaning: "Requests without PASID can be given supervisor privilege per device.")
    }

    public static let layout: [RegisterField] = [
        Fields.c, Fields.qi, Fields.dt, Fields.ir, Fields.eim, Fields.ch, Fields.pt, Fields.sc,
        Fields.iro, Fields.mhmv, Fields.ecs, Fields.mts, Fields.nest, Fields.dis, Fields.prs,
        Fields.ers, Fields.srs, Fields.pot, Fields.nwfs, Fields.eafs, Fields.pss, Fields.pasid,
        Fields.dit, Fields.pds, Fields.smts, Fields.vcs, Fields.slads, Fields.slts, Fields.flts,
        Fields.smpwc, Fields.rps, Fields.pms, Fields.adms, Fields.rprivs,
    ]

    // MARK: Raw fields

    /// C
    public var pageWalkCoherency: Bool { flag(Fields.c) }
    /// QI
    public var queuedInvalidation: Bool { flag(Fields.qi) }
    /// DT
    public var deviceTLB: Bool { flag(Fields.dt) }
    /// IR
    public var interruptRemapping: Bool { flag(Fields.ir) }
    /// EIM
    public var extendedInterruptMode: Bool { flag(Fields.eim) }
    /// CH (rev 2.x)
    public var cachingHints: Bool { flag(Fields.ch) }
    /// PT
    public var passThrough: Bool { flag(Fields.pt) }
    /// SC
    public var snoopControl: Bool { flag(Fields.sc) }
    /// IRO as stored: offset in 16-byte units.
    public var iotlbRegisterOffsetField: Int { number(Fields.iro) }
    /// MHMV
    public var maximumHandleMaskValue: Int { number(Fields.mhmv) }
    /// ECS (rev 2.x)
    public var extendedContext: Bool { flag(Fields.ecs) }
    /// MTS
    public var memoryType: Bool { flag(Fields.mts) }
    /// NEST
    public var nestedTranslation: Bool { flag(Fields.nest) }
    /// DIS (rev 2.x)
    public var deferredInvalidate: Bool { flag(Fields.dis) }
    /// PRS
    public var pageRequests: Bool { flag(Fields.prs) }
    /// ERS
    public var executeRequests: Bool { flag(Fields.ers) }
    /// SRS
    public var supervisorRequests: Bool { flag(Fields.srs) }
    /// POT (rev 2.x)
    public var pasidOnlyTranslation: Bool { flag(Fields.pot) }
    /// NWFS
    public var noWriteFlag: Bool { flag(Fields.nwfs) }
    /// EAFS
    public var extendedAccessedFlag: Bool { flag(Fields.eafs) }
    /// PSS as stored: PASID width minus one.
    public var pasidSizeField: Int { number(Fields.pss) }
    /// PASID
    public var pasidSupport: Bool { flag(Fields.pasid) }
    /// DIT
    public var deviceTLBInvalidationThrottle: Bool { flag(Fields.dit) }
    /// PDS
    public var pageRequestDrain: Bool { flag(Fields.pds) }
    /// SMTS
    public var scalableModeTranslation: Bool { flag(Fields.smts) }
    /// VCS
    public var virtualCommands: Bool { flag(Fields.vcs) }
    /// SLADS (SSADS)
    public var secondStageAccessedDirty: Bool { flag(Fields.slads) }
    /// SLTS (SSTS)
    public var secondStageTranslation: Bool { flag(Fields.slts) }
    /// FLTS (FSTS)
    public var firstStageTranslation: Bool { flag(Fields.flts) }
    /// SMPWC
    public var scalableModePageWalkCoherency: Bool { flag(Fields.smpwc) }
    /// RPS
    public var ridPASIDSupport: Bool { flag(Fields.rps) }
    /// PMS
    public var performanceMonitoring: Bool { flag(Fields.pms) }
    /// ADMS
    public var abortDMAMode: Bool { flag(Fields.adms) }
    /// RPRIVS
    public var ridPrivSupport: Bool { flag(Fields.rprivs) }

    // MARK: Derived values

    /// Byte offset of the IOTLB invalidation registers from the unit's register base.
    public var iotlbRegisterOffset: Int { iotlbRegisterOffsetField * 16 }

    /// PASID width the unit supports (PSS plus one); meaningful only when `pasidSupport`.
    public var maxPASIDBits: Int { pasidSizeField + 1 }

    /// The unit can run in scalable mode. Linux uses it only when booted with
    /// `intel_iommu=sm_on` (or built with scalable mode on by default).
    public var scalableModeCapable: Bool { scalableModeTranslation }
}
