/// Intel VT-d Capability Register (CAP_REG, offset 0x08): what the remapping unit can do for
/// DMA remapping. Field mnemonics follow the VT-d spec (rev 3.x names where rev 4 renamed a
/// field: FL1GP is rev 4's FS1GP, FL5LP is FS5LP, SLLPS is SSLPS).
public struct VTDCapability: RegisterDecoder {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let registerName = "CAP_REG"
    public static let widthInBits = 64
    public var registerValue: UInt64 { rawValue }

    /// The CAP_REG fields, named for use in code (`VTDCapability.Fields.sagaw`).
    public enum Fields {
        public static let nd = RegisterField(
            "ND", bits: 2, 0, name: "Number of Domains supported",
            meaning: "Domain-ID width: the unit has 2^(4+2*ND) domain IDs (0 = 16, 6 = 65536).")
        public static let afl = RegisterField(
            "AFL", bit: 3, name: "Advanced Fault Logging",
            meaning: "Faults can also be logged to a fault log in memory.")
        public static let rwbf = RegisterField(
            "RWBF", bit: 4, name: "Required Write-Buffer Flushing",
            meaning: "Software must flush the unit's write buffer after updating tables.")
        public static let plmr = RegisterField(
            "PLMR", bit: 5, name: "Protected Low-Memory Region",
            meaning: "A DMA-protected memory region below 4 GiB can be set up.")
        public static let phmr = RegisterField(
            "PHMR", bit: 6, name: "Protected High-Memory Region",
            meaning: "A DMA-protected memory region above 4 GiB can be set up.")
        public static let cm = RegisterField(
            "CM", bit: 7, name: "Caching Mode",
            meaning: "Not-present entries may be cached: invalidate after every map (emulated IOMMUs).")
        public static let sagaw = RegisterField(
            "SAGAW", bits: 12, 8, name: "Supported Adjusted Guest Address Widths",
            meaning: "Second-stage table depths: bit 1 = 39-bit/3-level, 2 = 48/4, 3 = 57/5.")
        public static let mgaw = RegisterField(
            "MGAW", bits: 21, 16, name: "Maximum Guest Address Width",
            meaning: "Widest DMA address the unit translates, in bits, minus one.")
        public static let zlr = RegisterField(
            "ZLR", bit: 22, name: "Zero Length Read",
            meaning: "Zero-length DMA reads to write-only pages are allowed.")
        public static let isoch = RegisterField(
            "ISOCH", bit: 23, name: "Isochrony",
            meaning: "Critical isochronous requesters sit behind this unit (early revisions).")
        public static let fro = RegisterField(
            "FRO", bits: 33, 24, name: "Fault-recording Register Offset",
            meaning: "Offset of the first fault recording register, in 16-byte units.")
        public static let sllps = RegisterField(
            "SLLPS", bits: 37, 34, name: "Second-Stage Large Page Support (SSLPS)",
            meaning: "Second-stage large pages: bit 0 = 2 MiB, 1 = 1 GiB (2 = 512 GiB, 3 = 256 TiB).")
        public static let psi = RegisterField(
            "PSI", bit: 39, name: "Page Selective Invalidation",
            meaning: "The IOTLB can be invalidated for a range of pages, not only per domain.")
        public static let nfr = RegisterField(
            "NFR", bits: 47, 40, name: "Number of Fault-recording Registers",
            meaning: "How many fault recording registers exist, minus one.")
        public static let mamv = RegisterField(
            "MAMV", bits: 53, 48, name: "Maximum Address Mask Value",
            meaning: "One page-selective invalidation covers at most 2^MAMV pages.")
        public static let dwd = RegisterField(
            "DWD", bit: 54, name: "Write Draining",
            meaning: "IOTLB invalidation can drain DMA writes queued in the root complex.")
        public static let drd = RegisterField(
            "DRD", bit: 55, name: "Read Draining",
            meaning: "IOTLB invalidation can drain DMA reads queued in the root complex.")
        public static let fl1gp = RegisterField(
            "FL1GP", bit: 56, name: "First-Stage 1-GByte Page Support (FS1GP)",
            meaning: "First-stage tables may map 1 GiB pages.")
        public static let pi = RegisterField(
            "PI", bit: 59, name: "Posted Interrupts Support",
            meaning: "Remapped interrupts can be posted to a vCPU's posted-interrupt descriptor.")
        public static let fl5lp = RegisterField(
            "FL5LP", bit: 60, name: "First-Stage 5-Level Paging Support (FS5LP)",
            meaning: "First-stage tables may have 5 levels (57-bit addresses).")
        public static let ecmds = RegisterField(
            "ECMDS", bit: 61, name: "Enhanced Command Support",
            meaning: "The enhanced command registers (ECMD_REG, ECCAP_REG) are present.")
        public static let esirtps = RegisterField(
            "ESIRTPS", bit: 62, name: "Enhanced Set Interrupt Remap Table Pointer Support",
            meaning: "Setting the interrupt remap table pointer also flushes the interrupt cache.")
        public static let esrtps = RegisterField(
            "ESRTPS", bit: 63, name: "Enhanced Set Root Table Pointer Support",
            meaning: "Setting the root table pointer also flushes context, PASID and IOTLB caches.")
    }

    public static let layout: [RegisterField] = [
        Fields.nd, Fields.afl, Fields.rwbf, Fields.plmr, Fields.phmr, Fields.cm, Fields.sagaw,
        Fields.mgaw, Fields.zlr, Fields.isoch, Fields.fro, Fields.sllps, Fields.psi, Fields.nfr,
        Fields.mamv, Fields.dwd, Fields.drd, Fields.fl1gp, Fields.pi, Fields.fl5lp, Fields.ecmds,
        Fields.esirtps, Fields.esrtps,
    ]

    // MARK: Raw fields

    /// ND: the domain-ID width code (0-6; 7 is reserved).
    public var numberOfDomainsCode: Int { number(Fields.nd) }
    /// AFL
    public var advancedFaultLogging: Bool { flag(Fields.afl) }
    /// RWBF
    public var requiresWriteBufferFlush: Bool { flag(Fields.rwbf) }
    /// PLMR
    public var protectedLowMemoryRegion: Bool { flag(Fields.plmr) }
    /// PHMR
    public var protectedHighMemoryRegion: Bool { flag(Fields.phmr) }
    /// CM: the unit may cache not-present entries (QEMU sets this so it sees every map).
    public var cachingMode: Bool { flag(Fields.cm) }
    /// SAGAW: bit mask of supported second-stage table depths.
    public var supportedAdjustedGuestAddressWidths: Int { number(Fields.sagaw) }
    /// MGAW as stored: width minus one.
    public var maximumGuestAddressWidthField: Int { number(Fields.mgaw) }
    /// ZLR
    public var zeroLengthRead: Bool { flag(Fields.zlr) }
    /// ISOCH
    public var isochrony: Bool { flag(Fields.isoch) }
    /// FRO as stored: offset in 16-byte units.
    public var faultRecordingOffsetField: Int { number(Fields.fro) }
    /// SLLPS: bit mask of second-stage large page sizes.
    public var secondStageLargePageSupport: Int { number(Fields.sllps) }
    /// PSI
    public var pageSelectiveInvalidation: Bool { flag(Fields.psi) }
    /// NFR as stored: count minus one.
    public var faultRecordingRegistersField: Int { number(Fields.nfr) }
    /// MAMV
    public var maximumAddressMaskValue: Int { number(Fields.mamv) }
    /// DWD
    public var writeDraining: Bool { flag(Fields.dwd) }
    /// DRD
    public var readDraining: Bool { flag(Fields.drd) }
    /// FL1GP (FS1GP)
    public var firstStage1GiBPages: Bool { flag(Fields.fl1gp) }
    /// PI
    public var postedInterrupts: Bool { flag(Fields.pi) }
    /// FL5LP (FS5LP)
    public var firstStage5LevelPaging: Bool { flag(Fields.fl5lp) }
    /// ECMDS
    public var enhancedCommands: Bool { flag(Fields.ecmds) }
    /// ESIRTPS
    public var enhancedSetInterruptRemapTablePointer: Bool { flag(Fields.esirtps) }
    /// ESRTPS
    public var enhancedSetRootTablePointer: Bool { flag(Fields.esrtps) }

    // MARK: Derived values

    /// Domain IDs available: 2^(4 + 2*ND).
    public var numberOfDomains: Int { 1 << (4 + 2 * numberOfDomainsCode) }

    /// Address widths (in bits) of the second-stage table depths SAGAW lists: 39, 48, 57.
    /// SAGAW bits 0 and 4 (30- and 64-bit) were dropped by the spec and are not listed.
    public var supportedAGAWs: [Int] {
        [(1, 39), (2, 48), (3, 57)].filter { supportedAdjustedGuestAddressWidths & (1 << $0.0) != 0 }
            .map(\.1)
    }

    /// MGAW in bits (the field plus one).
    public var maximumGuestAddressWidth: Int { maximumGuestAddressWidthField + 1 }

    /// Byte offset of the first fault recording register from the unit's register base.
    public var faultRecordingOffset: Int { faultRecordingOffsetField * 16 }

    /// How many fault recording registers exist (NFR plus one).
    public var faultRecordingRegisterCount: Int { faultRecordingRegistersField + 1 }

    /// Large page sizes in bytes for second-stage tables, smallest first (SLLPS bit n: 2 MiB << 9n).
    public var secondStageLargePageSizes: [UInt64] {
        (0..<4).filter { secondStageLargePageSupport & (1 << $0) != 0 }.map { (1 << 21) << UInt64(9 * $0) }
    }

    /// Large page sizes in bytes for first-stage tables: 2 MiB always, 1 GiB with FL1GP.
    public var firstStageLargePageSizes: [UInt64] {
        firstStage1GiBPages ? [1 << 21, 1 << 30] : [1 << 21]
    }

    /// Most pages one page-selective invalidation can cover (0 without PSI).
    public var maximumInvalidationPages: UInt64 {
        pageSelectiveInvalidation ? 1 << UInt64(maximumAddressMaskValue) : 0
    }
}
