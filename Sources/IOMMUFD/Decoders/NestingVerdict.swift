/// What the Linux 7.2 driver would allow an IOMMU for two-stage (nested) translation, vIOMMUs
/// and dirty tracking, judged from its registers alone. Every "no" comes with a reason naming
/// the register bit; `notes` list what registers cannot settle (kernel options, firmware).
public struct NestingVerdict: Hashable, Sendable {
    public enum Vendor: String, Hashable, Sendable {
        case intelVTD = "intel-vtd"
        case armSMMUv3 = "arm-smmuv3"
        case amd = "amd"
    }

    public var vendor: Vendor
    /// `IOMMU_HWPT_ALLOC` with `IOMMU_HWPT_ALLOC_NEST_PARENT` would succeed.
    public var canAllocateNestParent: Bool
    /// A nested (guest stage-1) HWPT can be allocated: on VT-d directly on the nest parent,
    /// on SMMUv3 and AMD on a vIOMMU.
    public var canAllocateNestedHWPT: Bool
    /// `IOMMU_VIOMMU_ALLOC` would succeed; nil where the driver has no vIOMMU (VT-d in 7.2).
    public var canCreateVIOMMU: Bool?
    /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING` would succeed.
    public var canTrackDirty: Bool
    /// Why an answer above is no, one sentence each, naming the bit ("VT-d ecap.NEST=0: ...").
    public var reasons: [String]
    /// Assumptions made and limits the registers cannot show.
    public var notes: [String]

    public init(
        vendor: Vendor, canAllocateNestParent: Bool, canAllocateNestedHWPT: Bool,
        canCreateVIOMMU: Bool?, canTrackDirty: Bool, reasons: [String], notes: [String]
    ) {
        self.vendor = vendor
        self.canAllocateNestParent = canAllocateNestParent
        self.canAllocateNestedHWPT = canAllocateNestedHWPT
        self.canCreateVIOMMU = canCreateVIOMMU
        self.canTrackDirty = canTrackDirty
        self.reasons = reasons
        self.notes = notes
    }

    /// `{"nestParent": true, "nestedHWPT": true, "viommu": null, "dirtyTracking": false,
    /// "reasons": [...], "notes": [...]}`.
    public var json: JSONValue {
        [
            "vendor": .string(vendor.rawValue),
            "nestParent": .bool(canAllocateNestParent),
            "nestedHWPT": .bool(canAllocateNestedHWPT),
            "viommu": canCreateVIOMMU.map { .bool($0) } ?? .null,
            "dirtyTracking": .bool(canTrackDirty),
            "reasons": .array(reasons.map { .string($0) }),
            "notes": .array(notes.map { .string($0) }),
        ]
    }

    /// The answers as `(label, text)` rows for a table.
    public var answers: [(label: String, text: String)] {
        func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
        return [
            ("Nest parent HWPT", yesNo(canAllocateNestParent)),
            ("Nested HWPT", yesNo(canAllocateNestedHWPT)),
            ("vIOMMU", canCreateVIOMMU.map(yesNo) ?? "n/a (no vIOMMU object for this driver)"),
            ("Dirty tracking", yesNo(canTrackDirty)),
        ]
    }
}

// MARK: - Intel VT-d

extension NestingVerdict {
    /// The intel-iommu rules: nesting needs scalable mode in use and ecap.NEST; any
    /// second-stage domain (nest parent, dirty tracking) needs ecap.SLTS in scalable mode;
    /// dirty tracking needs ecap.SLADS and ecap.SMPWC.
    /// `scalableModeEnabled`: whether the kernel runs scalable mode (`intel_iommu=sm_on`);
    /// nil assumes it does when the unit can.
    public static func vtd(
        cap: VTDCapability, ecap: VTDExtendedCapability, scalableModeEnabled: Bool? = nil
    ) -> NestingVerdict {
        var reasons: [String] = []
        var notes: [String] = []
        let scalableMode = ecap.scalableModeTranslation && (scalableModeEnabled ?? true)

        if !ecap.scalableModeTranslation {
            reasons.append(
                "VT-d ecap.SMTS=0: no scalable mode, which nesting and dirty tracking both need")
        } else if scalableModeEnabled == false {
            reasons.append(
                "scalable mode is off in the kernel (boot with intel_iommu=sm_on): legacy mode "
                    + "cannot nest or track dirty pages")
        } else if scalableModeEnabled == nil {
            notes.append(
                "assumes the kernel uses scalable mode (intel_iommu=sm_on or "
                    + "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON); the registers only say the unit can")
        }
        let secondStageUsable = !scalableMode || ecap.secondStageTranslation
        if scalableMode && !ecap.secondStageTranslation {
            reasons.append(
                "VT-d ecap.SLTS=0: scalable mode without second-stage tables, so the kernel "
                    + "refuses the second-stage domains a nest parent and dirty tracking use")
        }
        if !ecap.nestedTranslation {
            reasons.append("VT-d ecap.NEST=0: this IOMMU cannot nest")
        }
        if !ecap.secondStageAccessedDirty {
            reasons.append("VT-d ecap.SLADS=0: no second-stage dirty bits, so no dirty tracking")
        }
        if ecap.secondStageAccessedDirty && !ecap.scalableModePageWalkCoherency {
            reasons.append(
                "VT-d ecap.SMPWC=0: scalable-mode table walks do not snoop, and the kernel needs "
                    + "that for dirty tracking")
        }

        let nest = scalableMode && ecap.nestedTranslation && secondStageUsable
        let dirty = scalableMode && secondStageUsable && ecap.secondStageAccessedDirty
            && ecap.scalableModePageWalkCoherency

        if nest {
            if !cap.firstStage5LevelPaging {
                notes.append("VT-d cap.FL5LP=0: a nested stage-1 table must be 4-level (addr_width 48)")
            }
            if !ecap.supervisorRequests {
                notes.append("VT-d ecap.SRS=0: a nested stage-1 with IOMMU_VTD_S1_SRE is refused")
            }
            if !ecap.extendedAccessedFlag {
                notes.append("VT-d ecap.EAFS=0: a nested stage-1 with IOMMU_VTD_S1_EAFE is refused")
            }
        }
        notes.append(
            "VT-d has no vIOMMU object in Linux 7.2: a nested HWPT is allocated on the "
                + "nest-parent HWPT")

        return NestingVerdict(
            vendor: .intelVTD, canAllocateNestParent: nest, canAllocateNestedHWPT: nest,
            canCreateVIOMMU: nil, canTrackDirty: dirty, reasons: reasons, notes: notes)
    }
}

// MARK: - Arm SMMUv3

extension NestingVerdict {
    /// The arm-smmu-v3 rules: the driver must probe (a stage, AArch64 tables, no preset tables
    /// or queues, a command queue over 64 entries); a nest parent needs S1P and S2P and no
    /// nesting erratum; a vIOMMU additionally needs IDR3.FWB or a CANWBS device; dirty tracking
    /// needs stage 1, HTTU Access+Dirty and coherent access.
    public static func smmuv3(_ registers: SMMUv3Registers, canWBS: Bool = false) -> NestingVerdict {
        let idr0 = registers.idr0
        let idr1 = registers.idr1
        var reasons: [String] = []
        var notes: [String] = []

        // Conditions under which the driver refuses the SMMU altogether.
        var probes = true
        if !idr0.stage1 && !idr0.stage2 {
            reasons.append(
                "SMMUv3 IDR0.S1P=0 and IDR0.S2P=0: no translation at all, the driver does not "
                    + "probe")
            probes = false
        }
        if !idr0.aarch64Tables {
            reasons.append(
                "SMMUv3 IDR0.TTF=\(idr0.translationTableFormats): no AArch64 tables, "
                    + "the driver does not probe")
            probes = false
        }
        if idr1.tablesPreset || idr1.queuesPreset || idr1.relativeBasePointers {
            reasons.append(
                "SMMUv3 IDR1.TABLES_PRESET/QUEUES_PRESET/REL set: embedded implementation, the "
                    + "driver does not probe")
            probes = false
        }
        if idr1.commandQueueSizeLog2 <= 6 {
            reasons.append(
                "SMMUv3 IDR1.CMDQS=\(idr1.commandQueueSizeLog2): a command queue of 64 entries "
                    + "or fewer, the driver does not probe")
            probes = false
        }

        var nestingHardware = idr0.stage1 && idr0.stage2
        if !idr0.stage2 {
            reasons.append("SMMUv3 IDR0.S2P=0: no stage-2 translation, so no nest parent")
        }
        if !idr0.stage1 {
            reasons.append(
                "SMMUv3 IDR0.S1P=0: no stage-1 translation, so no nesting and no dirty tracking")
        }
        if let erratum = nestingErratum(registers.iidr) {
            reasons.append(erratum)
            nestingHardware = false
        }
        let nest = probes && nestingHardware

        let coherencyForVIOMMU = registers.idr3.stage2ForcedWriteBack || canWBS
        if !coherencyForVIOMMU {
            reasons.append(
                "SMMUv3 IDR3.FWB=0 and the device is not CANWBS: the kernel refuses a vIOMMU, "
                    + "since the guest could make DMA non-coherent")
        }
        let viommu = nest && coherencyForVIOMMU
        if !registers.idr3.stage2ForcedWriteBack && !canWBS {
            notes.append(
                "CANWBS is a per-device firmware property (ACPI IORT); the registers cannot show "
                    + "it")
        }

        if idr0.hardwareTableUpdate < 2 {
            reasons.append(
                "SMMUv3 IDR0.HTTU=\(idr0.hardwareTableUpdate): no hardware Dirty state update, "
                    + "so no dirty tracking")
        }
        if !idr0.coherentAccess {
            reasons.append("SMMUv3 IDR0.COHACC=0: no coherent table walks, so no dirty tracking")
        }
        let dirty = probes && idr0.stage1 && idr0.hardwareTableUpdate >= 2 && idr0.coherentAccess
        notes.append(
            "on ACPI systems the IORT node, not IDR0.HTTU or IDR0.COHACC, decides hardware "
                + "updates and coherency")

        return NestingVerdict(
            vendor: .armSMMUv3, canAllocateNestParent: nest, canAllocateNestedHWPT: viommu,
            canCreateVIOMMU: viommu, canTrackDirty: dirty, reasons: reasons, notes: notes)
    }

    /// The IIDR-matched errata for which Linux turns nesting off, as a reason; nil if none.
    static func nestingErratum(_ iidr: SMMUv3IIDR) -> String? {
        guard iidr.implementer == SMMUv3IIDR.armImplementer else { return nil }
        switch iidr.productID {
        case 0x483 where iidr.variant < 2:
            return "SMMUv3 IIDR: Arm MMU-600 \(iidr.revisionText) (before r2), "
                + "the kernel turns nesting off (erratum 1209401)"
        case 0x487 where iidr.variant < 1 || iidr.revision < 1:
            return "SMMUv3 IIDR: Arm MMU-700 \(iidr.revisionText), "
                + "the kernel turns nesting off (errata 2268618, 2812531)"
        default:
            return nil
        }
    }
}

// MARK: - AMD

extension NestingVerdict {
    /// The amd-iommu rules: host (v1) tables must exist (EFR.HATS is not 3); a nest parent needs
    /// EFR.GTSup, EFR.GIoSup and EFR2.GCR3TRPMode; dirty tracking needs EFR.HDSup.
    public static func amd(_ registers: AMDFeatureRegisters) -> NestingVerdict {
        let efr = registers.efr
        var reasons: [String] = []
        var notes: [String] = []

        let hostTables = efr.hostPageTableLevels != nil
        if !hostTables {
            reasons.append(
                "AMD EFR.HATS=3: the kernel disables host translation, so no nest parent and no "
                    + "dirty tracking")
        }
        if !efr.guestTranslation {
            reasons.append("AMD EFR.GTSup=0: no guest translation, so no nest parent")
        }
        if !efr.guestIOProtection {
            reasons.append("AMD EFR.GIoSup=0: no guest I/O protection, so no nest parent")
        }
        if !registers.efr2.gcr3TableRootPointerMode {
            reasons.append("AMD EFR2.GCR3TRPMode=0: no guest-physical GCR3 pointer, so no nest parent")
        }
        if !efr.hostDirty {
            reasons.append("AMD EFR.HDSup=0: no host dirty bits, so no dirty tracking")
        }
        let nest = hostTables && efr.guestTranslation && efr.guestIOProtection
            && registers.efr2.gcr3TableRootPointerMode
        let dirty = hostTables && efr.hostDirty
        notes.append(
            "firmware can also disable host translation (IVHD HATDis); the registers cannot show "
                + "it")
        notes.append(
            "the 7.2 uAPI names no AMD vIOMMU type; a nested HWPT (IOMMU_HWPT_DATA_AMD_GUEST) "
                + "takes a vIOMMU as parent")

        return NestingVerdict(
            vendor: .amd, canAllocateNestParent: nest, canAllocateNestedHWPT: nest,
            canCreateVIOMMU: nest, canTrackDirty: dirty, reasons: reasons, notes: notes)
    }
}
