/// AMD IOMMU Extended Feature Register (EFR, MMIO offset 0x30): the optional features of an
/// AMD-Vi unit. Mnemonics follow the AMD I/O Virtualization Technology (IOMMU) specification.
public struct AMDExtendedFeatures: RegisterDecoder {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let registerName = "EFR"
    public static let widthInBits = 64
    public var registerValue: UInt64 { rawValue }

    /// The EFR fields, named for use in code (`AMDExtendedFeatures.Fields.gtSup`).
    public enum Fields {
        public static let prefSup = RegisterField(
            "PreFSup", bit: 0, name: "Prefetch Support",
            meaning: "The PREFETCH_IOMMU_PAGES command is supported.")
        public static let pprSup = RegisterField(
            "PPRSup", bit: 1, name: "Peripheral Page Request Support",
            meaning: "Devices can send page requests (PRI) into the PPR log.")
        public static let xtSup = RegisterField(
            "XTSup", bit: 2, name: "x2APIC Support",
            meaning: "Interrupt remapping handles x2APIC (32-bit) destinations.")
        public static let nxSup = RegisterField(
            "NXSup", bit: 3, name: "No-Execute Support",
            meaning: "Page tables have a no-execute bit for requests asking to execute.")
        public static let gtSup = RegisterField(
            "GTSup", bit: 4, name: "Guest Translation Support",
            meaning: "Guest (v2, x86-format) page tables per PASID: needed for nesting.")
        public static let gappiSup = RegisterField(
            "GAPPISup", bit: 5, name: "Guest APIC Physical Processor Interrupt Support",
            meaning: "Guest virtual APIC interrupts can be delivered to a physical processor.")
        public static let iaSup = RegisterField(
            "IASup", bit: 6, name: "Invalidate All Support",
            meaning: "The INVALIDATE_IOMMU_ALL command is supported.")
        public static let gaSup = RegisterField(
            "GASup", bit: 7, name: "Guest Virtual APIC Support",
            meaning: "Interrupts can be posted to guest virtual APICs (AVIC).")
        public static let heSup = RegisterField(
            "HESup", bit: 8, name: "Hardware Error Registers Support",
            meaning: "Hardware error status registers are present.")
        public static let pcSup = RegisterField(
            "PCSup", bit: 9, name: "Performance Counters Support",
            meaning: "The unit has performance counters.")
        public static let hats = RegisterField(
            "HATS", bits: 11, 10, name: "Host Address Translation Size",
            meaning: "Host table levels: 0 = 4 (48-bit), 1 = 5 (57-bit), 2 = 6; 3 disables host tables.")
        public static let gats = RegisterField(
            "GATS", bits: 13, 12, name: "Guest Address Translation Size",
            meaning: "Guest table levels: 0 = 4 (48-bit), 1 = 5 (57-bit).")
        public static let glxSup = RegisterField(
            "GLXSup", bits: 15, 14, name: "Guest CR3 Table Levels Support",
            meaning: "GCR3 table levels: 0 = one level, 1 = two levels.")
        public static let smiFSup = RegisterField(
            "SmiFSup", bits: 17, 16, name: "SMI Filter Support",
            meaning: "SMI interrupts can be filtered (1 = supported).")
        public static let smiFRC = RegisterField(
            "SmiFRC", bits: 20, 18, name: "SMI Filter Register Count",
            meaning: "Encodes how many SMI filter registers exist (with SmiFSup).")
        public static let gamSup = RegisterField(
            "GAMSup", bits: 23, 21, name: "Guest Virtual APIC Modes Supported",
            meaning: "0 = legacy remapping only, 1 = guest virtual APIC mode too.")
        public static let dualPprLogSup = RegisterField(
            "DualPprLogSup", bits: 25, 24, name: "Dual PPR Log Support",
            meaning: "Two PPR logs can be used alternately (1 = supported).")
        public static let dualEventLogSup = RegisterField(
            "DualEventLogSup", bits: 29, 28, name: "Dual Event Log Support",
            meaning: "Two event logs can be used alternately (1 = supported).")
        public static let satsSup = RegisterField(
            "SATSSup", bit: 31, name: "Secure ATS Support",
            meaning: "ATS can be restricted per device (secure ATS).")
        public static let pasMax = RegisterField(
            "PASmax", bits: 36, 32, name: "Maximum PASID",
            meaning: "PASID width in bits, minus one (valid with GTSup).")
        public static let usSup = RegisterField(
            "USSup", bit: 37, name: "User/Supervisor Support",
            meaning: "Page tables have a user/supervisor bit.")
        public static let devTblSegSup = RegisterField(
            "DevTblSegSup", bits: 39, 38, name: "Device Table Segmentation Support",
            meaning: "Device table split into segments: 0 = 1, 1 = 2, 2 = 4, 3 = 8.")
        public static let pprOvrflwEarlySup = RegisterField(
            "PprOvrflwEarlySup", bit: 40, name: "PPR Log Overflow Early Warning",
            meaning: "The PPR log warns before it overflows.")
        public static let pprAutoRspSup = RegisterField(
            "PPRAutoRspSup", bit: 41, name: "PPR Automatic Response",
            meaning: "The unit can answer page requests itself when the log is full.")
        public static let marcSup = RegisterField(
            "MarcSup", bits: 43, 42, name: "Memory Access Routing and Control",
            meaning: "Number of MARC apertures: 0 = none, 1 = 4.")
        public static let blkStopMrkSup = RegisterField(
            "BlkStopMrkSup", bit: 44, name: "Block StopMark Message Support",
            meaning: "StopMark messages from devices can be blocked.")
        public static let perfOptSup = RegisterField(
            "PerfOptSup", bit: 45, name: "Performance Optimization Support",
            meaning: "Performance optimization control is available.")
        public static let msiCapMmioSup = RegisterField(
            "MsiCapMmioSup", bit: 46, name: "MSI Capability MMIO Access",
            meaning: "The unit's MSI capability can be written through MMIO.")
        public static let gioSup = RegisterField(
            "GIoSup", bit: 48, name: "Guest I/O Protection Support",
            meaning: "Guest tables can protect I/O without PASIDs: needed for nesting.")
        public static let haSup = RegisterField(
            "HASup", bit: 49, name: "Host Access Support",
            meaning: "Host tables get accessed bits updated by hardware.")
        public static let ephSup = RegisterField(
            "EPHSup", bit: 50, name: "Enhanced PPR Handling Support",
            meaning: "Enhanced page request handling is available.")
        public static let attrFWSup = RegisterField(
            "AttrFWSup", bit: 51, name: "Attribute Forward Support",
            meaning: "Memory attributes of requests can be forwarded.")
        public static let hdSup = RegisterField(
            "HDSup", bit: 52, name: "Host Dirty Support",
            meaning: "Host tables get dirty bits updated by hardware: dirty tracking.")
        public static let invIotlbTypeSup = RegisterField(
            "InvIotlbTypeSup", bit: 54, name: "Invalidate IOTLB Type Support",
            meaning: "IOTLB invalidation commands can select a type.")
        public static let viommuSup = RegisterField(
            "VIOMMUSup", bit: 55, name: "Virtualized IOMMU Support",
            meaning: "Hardware-assisted virtual IOMMU for guests.")
        public static let vmGuardIOSup = RegisterField(
            "VMGuardIOSup", bit: 56, name: "VMGuard I/O Support",
            meaning: "Guest-protected (VMGuard) I/O is supported.")
        public static let vmTableSize = RegisterField(
            "VMTableSize", bits: 60, 57, name: "VM Table Size",
            meaning: "Size of the vIOMMU VM table (encoding per spec).")
        public static let gaUpdateDisSup = RegisterField(
            "GAUpdateDisSup", bit: 61, name: "Guest Access Bit Update Disable Support",
            meaning: "Hardware updates of guest accessed bits can be turned off.")
        public static let snpSup = RegisterField(
            "SNPSup", bit: 63, name: "SEV-SNP Support",
            meaning: "The unit supports SEV-SNP (secure nested paging) protection.")
    }

    public static let layout: [RegisterField] = [
        Fields.prefSup, Fields.pprSup, Fields.xtSup, Fields.nxSup, Fields.gtSup, Fields.gappiSup,
        Fields.iaSup, Fields.gaSup, Fields.heSup, Fields.pcSup, Fields.hats, Fields.gats,
        Fields.glxSup, Fields.smiFSup, Fields.smiFRC, Fields.gamSup, Fields.dualPprLogSup,
        Fields.dualEventLogSup, Fields.satsSup, Fields.pasMax, Fields.usSup, Fields.devTblSegSup,
        Fields.pprOvrflwEarlySup, Fields.pprAutoRspSup, Fields.marcSup, Fields.blkStopMrkSup,
        Fields.perfOptSup, Fields.msiCapMmioSup, Fields.gioSup, Fields.haSup, Fields.ephSup,
        Fields.attrFWSup, Fields.hdSup, Fields.invIotlbTypeSup, Fields.viommuSup,
        Fields.vmGuardIOSup, Fields.vmTableSize, Fields.gaUpdateDisSup, Fields.snpSup,
    ]

    /// PreFSup
    public var prefetch: Bool { flag(Fields.prefSup) }
    /// PPRSup
    public var peripheralPageRequests: Bool { flag(Fields.pprSup) }
    /// XTSup
    public var x2APIC: Bool { flag(Fields.xtSup) }
    /// NXSup
    public var noExecute: Bool { flag(Fields.nxSup) }
    /// GTSup
    public var guestTranslation: Bool { flag(Fields.gtSup) }
    /// GAPPISup
    public var guestAPICPhysicalProcessorInterrupt: Bool { flag(Fields.gappiSup) }
    /// IASup
    public var invalidateAll: Bool { flag(Fields.iaSup) }
    /// GASup
    public var guestVirtualAPIC: Bool { flag(Fields.gaSup) }
    /// HESup
    public var hardwareErrorRegisters: Bool { flag(Fields.heSup) }
    /// PCSup
    public var performanceCounters: Bool { flag(Fields.pcSup) }
    /// HATS as stored.
    public var hostAddressTranslationSizeCode: Int { number(Fields.hats) }
    /// GATS as stored.
    public var guestAddressTranslationSizeCode: Int { number(Fields.gats) }
    /// GLXSup as stored.
    public var guestCR3LevelsCode: Int { number(Fields.glxSup) }
    /// SmiFSup
    public var smiFilter: Int { number(Fields.smiFSup) }
    /// SmiFRC
    public var smiFilterRegisterCount: Int { number(Fields.smiFRC) }
    /// GAMSup
    public var guestAPICModes: Int { number(Fields.gamSup) }
    /// DualPprLogSup
    public var dualPPRLog: Int { number(Fields.dualPprLogSup) }
    /// DualEventLogSup
    public var dualEventLog: Int { number(Fields.dualEventLogSup) }
    /// SATSSup
    public var secureATS: Bool { flag(Fields.satsSup) }
    /// PASmax as stored: PASID width minus one.
    public var pasidMaxField: Int { number(Fields.pasMax) }
    /// USSup
    public var userSupervisor: Bool { flag(Fields.usSup) }
    /// DevTblSegSup
    public var deviceTableSegmentation: Int { number(Fields.devTblSegSup) }
    /// PprOvrflwEarlySup
    public var pprOverflowEarlyWarning: Bool { flag(Fields.pprOvrflwEarlySup) }
    /// PPRAutoRspSup
    public var pprAutomaticResponse: Bool { flag(Fields.pprAutoRspSup) }
    /// MarcSup
    public var memoryAccessRoutingControl: Int { number(Fields.marcSup) }
    /// BlkStopMrkSup
    public var blockStopMark: Bool { flag(Fields.blkStopMrkSup) }
    /// PerfOptSup
    public var performanceOptimization: Bool { flag(Fields.perfOptSup) }
    /// MsiCapMmioSup
    public var msiCapabilityMMIO: Bool { flag(Fields.msiCapMmioSup) }
    /// GIoSup
    public var guestIOProtection: Bool { flag(Fields.gioSup) }
    /// HASup
    public var hostAccess: Bool { flag(Fields.haSup) }
    /// EPHSup
    public var enhancedPPRHandling: Bool { flag(Fields.ephSup) }
    /// AttrFWSup
    public var attributeForward: Bool { flag(Fields.attrFWSup) }
    /// HDSup
    public var hostDirty: Bool { flag(Fields.hdSup) }
    /// InvIotlbTypeSup
    public var invalidateIOTLBType: Bool { flag(Fields.invIotlbTypeSup) }
    /// VIOMMUSup
    public var virtualizedIOMMU: Bool { flag(Fields.viommuSup) }
    /// VMGuardIOSup
    public var vmGuardIO: Bool { flag(Fields.vmGuardIOSup) }
    /// VMTableSize
    public var vmTableSize: Int { number(Fields.vmTableSize) }
    /// GAUpdateDisSup
    public var guestAccessUpdateDisable: Bool { flag(Fields.gaUpdateDisSup) }
    /// SNPSup
    public var sevSNP: Bool { flag(Fields.snpSup) }

    /// Host table depth in levels; nil when HATS is 3, which Linux treats as "no host tables".
    public var hostPageTableLevels: Int? {
        hostAddressTranslationSizeCode == 3 ? nil : 4 + hostAddressTranslationSizeCode
    }

    /// Guest table depth in levels (4 or 5); nil for a reserved encoding.
    public var guestPageTableLevels: Int? {
        guestAddressTranslationSizeCode <= 1 ? 4 + guestAddressTranslationSizeCode : nil
    }

    /// PASID width in bits (PASmax plus one); meaningful with GTSup.
    public var pasidBits: Int { pasidMaxField + 1 }
}

/// AMD IOMMU Extended Feature 2 Register (EFR2, MMIO offset 0x1A0), the fields Linux reads.
public struct AMDExtendedFeatures2: RegisterDecoder {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let registerName = "EFR2"
    public static let widthInBits = 64
    public var registerValue: UInt64 { rawValue }

    /// The EFR2 fields Linux uses.
    public enum Fields {
        public static let sevSnpIoSup = RegisterField(
            "SEVSNPIOSup", bit: 1, name: "SEV-SNP I/O Support",
            meaning: "Trusted I/O for SEV-SNP guests is supported.")
        public static let gcr3TrpMode = RegisterField(
            "GCR3TRPMode", bit: 3, name: "GCR3 Table Root Pointer Mode",
            meaning: "The DTE holds a guest physical GCR3 pointer: needed for nesting.")
        public static let snpAvicSup = RegisterField(
            "SNPAVICSup", bits: 7, 5, name: "SNP AVIC Support",
            meaning: "Guest virtual APIC with SEV-SNP: 1 = supported.")
        public static let numIntRemapSup = RegisterField(
            "NumIntRemapSup", bits: 9, 8, name: "Number of Interrupt Remapping entries",
            meaning: "Interrupt remapping table size: 0 = 512 entries, 1 = 2048.")
        public static let htRangeIgnore = RegisterField(
            "HTRangeIgnore", bit: 11, name: "HyperTransport Range Ignore",
            meaning: "The HyperTransport address range is not reserved (usable for DMA).")
    }

    public static let layout: [RegisterField] = [
        Fields.sevSnpIoSup, Fields.gcr3TrpMode, Fields.snpAvicSup, Fields.numIntRemapSup,
        Fields.htRangeIgnore,
    ]

    /// SEVSNPIOSup
    public var sevSNPIO: Bool { flag(Fields.sevSnpIoSup) }
    /// GCR3TRPMode
    public var gcr3TableRootPointerMode: Bool { flag(Fields.gcr3TrpMode) }
    /// SNPAVICSup
    public var snpAVIC: Int { number(Fields.snpAvicSup) }
    /// NumIntRemapSup
    public var interruptRemapEntriesCode: Int { number(Fields.numIntRemapSup) }
    /// HTRangeIgnore
    public var hyperTransportRangeIgnore: Bool { flag(Fields.htRangeIgnore) }

    /// Interrupt remapping entries per table: 512, or 2048 with NumIntRemapSup = 1.
    public var interruptRemapEntries: Int { interruptRemapEntriesCode == 1 ? 2048 : 512 }
}
