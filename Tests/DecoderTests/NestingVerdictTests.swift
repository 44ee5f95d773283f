import IOMMUFD
import Testing

@Suite("Nesting verdicts")
struct NestingVerdictTests {
    // MARK: VT-d

    @Test("Q2 QEMU scalable mode without NEST: no nest parent, NEST named")
    func qemuScalableWithoutNest() {
        let verdict = NestingVerdict.vtd(
            cap: VTDCapability(rawValue: 0x00d2_008c_2226_0286), ecap: VTDExtendedCapability(rawValue: 0x4800_80f0_0f4a))
        #expect(!verdict.canAllocateNestParent)
        #expect(!verdict.canAllocateNestedHWPT)
        #expect(verdict.canCreateVIOMMU == nil)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains("VT-d ecap.NEST=0: this IOMMU cannot nest"))
        #expect(verdict.reasons.contains { $0.contains("ecap.SLADS=0") })
        #expect(!verdict.reasons.contains { $0.contains("SMTS") })
    }

    @Test("V02 Sapphire Rapids can nest and track dirty pages")
    func sapphireRapidsNests() {
        let verdict = VTDRegisters(cap: VTDVector.named("V02").cap, ecap: VTDVector.named("V02").ecap).nestingVerdict()
        #expect(verdict.canAllocateNestParent)
        #expect(verdict.canAllocateNestedHWPT)
        #expect(verdict.canTrackDirty)
        #expect(verdict.reasons.isEmpty)
        #expect(verdict.notes.contains { $0.contains("intel_iommu=sm_on") })
        // FL5LP, SRS and EAFS are all set, so no stage-1 restrictions are noted.
        #expect(!verdict.notes.contains { $0.contains("FL5LP") || $0.contains("SRS") || $0.contains("EAFS") })
    }

    @Test("V02 with scalable mode off in the kernel cannot nest")
    func sapphireRapidsLegacyMode() {
        let vector = VTDVector.named("V02")
        let verdict = VTDRegisters(cap: vector.cap, ecap: vector.ecap).nestingVerdict(scalableModeEnabled: false)
        #expect(!verdict.canAllocateNestParent)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.contains("intel_iommu=sm_on") })
    }

    @Test("V02 with scalable mode known on has no assumption note")
    func sapphireRapidsScalableModeKnown() {
        let vector = VTDVector.named("V02")
        let verdict = VTDRegisters(cap: vector.cap, ecap: vector.ecap).nestingVerdict(scalableModeEnabled: true)
        #expect(verdict.canAllocateNestParent)
        #expect(!verdict.notes.contains { $0.contains("assumes") })
    }

    @Test("Q1 QEMU legacy mode: SMTS named")
    func qemuLegacy() {
        let vector = VTDVector.named("Q1")
        let verdict = VTDRegisters(cap: vector.cap, ecap: vector.ecap).nestingVerdict()
        #expect(!verdict.canAllocateNestParent)
        #expect(verdict.reasons.first == "VT-d ecap.SMTS=0: no scalable mode, which nesting and dirty tracking both need")
    }

    @Test("V05 Gemini Lake: NEST set but no scalable mode")
    func geminiLakeNestWithoutScalableMode() {
        let vector = VTDVector.named("V05")
        let verdict = VTDRegisters(cap: vector.cap, ecap: vector.ecap).nestingVerdict()
        #expect(!verdict.canAllocateNestParent)
        #expect(verdict.reasons.contains { $0.contains("ecap.SMTS=0") })
        #expect(!verdict.reasons.contains { $0.contains("ecap.NEST=0") })
    }

    @Test("V14 Meteor Lake: scalable mode, no NEST, no SLADS")
    func meteorLake() {
        let vector = VTDVector.named("V14")
        let verdict = VTDRegisters(cap: vector.cap, ecap: vector.ecap).nestingVerdict()
        #expect(!verdict.canAllocateNestParent)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("VT-d ecap.NEST=0") })
    }

    @Test("scalable mode without SLTS refuses nest parent and dirty tracking")
    func scalableWithoutSecondStage() {
        let ecap = VTDExtendedCapability.Fields.self
        let raw = ecap.smts.mask | ecap.nest.mask | ecap.slads.mask | ecap.smpwc.mask | ecap.flts.mask
        let verdict = NestingVerdict.vtd(cap: VTDCapability(rawValue: 0), ecap: VTDExtendedCapability(rawValue: raw))
        #expect(!verdict.canAllocateNestParent)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("VT-d ecap.SLTS=0") })
    }

    @Test("dirty tracking needs SMPWC as well as SLADS")
    func dirtyNeedsPageWalkCoherency() {
        let ecap = VTDExtendedCapability.Fields.self
        let raw = ecap.smts.mask | ecap.nest.mask | ecap.slts.mask | ecap.slads.mask
        let verdict = NestingVerdict.vtd(cap: VTDCapability(rawValue: 0), ecap: VTDExtendedCapability(rawValue: raw))
        #expect(verdict.canAllocateNestParent)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("VT-d ecap.SMPWC=0") })
        // Nesting works, but this unit's stage-1 restrictions are noted.
        #expect(verdict.notes.contains { $0.hasPrefix("VT-d cap.FL5LP=0") })
        #expect(verdict.notes.contains { $0.hasPrefix("VT-d ecap.SRS=0") })
        #expect(verdict.notes.contains { $0.hasPrefix("VT-d ecap.EAFS=0") })
    }

    @Test("verdict JSON has the documented keys")
    func verdictJSON() {
        let verdict = NestingVerdict.vtd(cap: VTDCapability(rawValue: 0), ecap: VTDExtendedCapability(rawValue: 0))
        #expect(verdict.json.keys == ["vendor", "nestParent", "nestedHWPT", "viommu", "dirtyTracking", "reasons", "notes"])
        #expect(verdict.json["vendor"] == "intel-vtd")
        #expect(verdict.json["viommu"] == .null)
        #expect(verdict.json["nestParent"] == false)
    }

    // MARK: SMMUv3

    @Test("S11 QEMU 11.1: nest parent yes, vIOMMU only with CANWBS (no FWB)")
    func qemu11() {
        let registers = SMMUv3Vector.named("S11").decoded
        let verdict = registers.nestingVerdict()
        #expect(verdict.canAllocateNestParent)
        #expect(verdict.canCreateVIOMMU == false)
        #expect(!verdict.canAllocateNestedHWPT)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("SMMUv3 IDR3.FWB=0") })
        #expect(verdict.reasons.contains { $0.hasPrefix("SMMUv3 IDR0.HTTU=0") })

        let withCanWBS = registers.nestingVerdict(canWBS: true)
        #expect(withCanWBS.canCreateVIOMMU == true)
        #expect(withCanWBS.canAllocateNestedHWPT)
        #expect(!withCanWBS.reasons.contains { $0.contains("FWB") })
    }

    @Test("S72 QEMU 7.2: stage 1 only, S2P named")
    func qemu72() {
        let verdict = SMMUv3Vector.named("S72").decoded.nestingVerdict(canWBS: true)
        #expect(!verdict.canAllocateNestParent)
        #expect(verdict.canCreateVIOMMU == false)
        #expect(verdict.reasons.contains("SMMUv3 IDR0.S2P=0: no stage-2 translation, so no nest parent"))
    }

    @Test("M06 gem5: both stages, the driver probes, nest parent yes")
    func gem5() {
        let verdict = SMMUv3Vector.named("M06").decoded.nestingVerdict()
        #expect(verdict.canAllocateNestParent)
        #expect(!verdict.reasons.contains { $0.contains("does not probe") })
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("SMMUv3 IDR0.COHACC=0") })
    }

    @Test("FWB, HTTU=2 and COHACC allow vIOMMU and dirty tracking")
    func fullFeatured() {
        let idr0 = SMMUv3IDR0.Fields.self
        let raw = UInt32(idr0.s1p.mask | idr0.s2p.mask | 2 << 2 | 2 << 6 | idr0.cohacc.mask)
        let registers = SMMUv3Registers(idr0: raw, idr1: 19 << 21, idr3: UInt32(SMMUv3IDR3.Fields.fwb.mask))
        let verdict = registers.nestingVerdict()
        #expect(verdict.canAllocateNestParent)
        #expect(verdict.canCreateVIOMMU == true)
        #expect(verdict.canAllocateNestedHWPT)
        #expect(verdict.canTrackDirty)
        #expect(verdict.reasons.isEmpty)
        #expect(!verdict.notes.contains { $0.contains("CANWBS") })
    }

    @Test("MMU-700 r0p0 loses nesting to errata, r1p1 keeps it")
    func mmu700Errata() {
        let idr0 = UInt32(0b11 | 2 << 2)
        let early = SMMUv3Registers(idr0: idr0, idr1: 19 << 21, iidr: 0x487 << 20 | 0x43B).nestingVerdict()
        #expect(!early.canAllocateNestParent)
        #expect(early.reasons.contains { $0.contains("MMU-700 r0p0") })
        let fixed = SMMUv3Registers(idr0: idr0, idr1: 19 << 21, iidr: 0x487 << 20 | 1 << 16 | 1 << 12 | 0x43B).nestingVerdict()
        #expect(fixed.canAllocateNestParent)
    }

    @Test("MMU-600 before r2 loses nesting to an erratum")
    func mmu600Erratum() {
        let idr0 = UInt32(0b11 | 2 << 2)
        let early = SMMUv3Registers(idr0: idr0, idr1: 19 << 21, iidr: 0x483 << 20 | 1 << 16 | 0x43B).nestingVerdict()
        #expect(!early.canAllocateNestParent)
        #expect(early.reasons.contains { $0.contains("erratum 1209401") })
        let r2 = SMMUv3Registers(idr0: idr0, idr1: 19 << 21, iidr: 0x483 << 20 | 2 << 16 | 0x43B).nestingVerdict()
        #expect(r2.canAllocateNestParent)
    }

    @Test("an SMMU the driver refuses allows nothing", arguments: [
        (UInt32(0b00 | 2 << 2), UInt32(19 << 21), "no translation"),
        (UInt32(0b11 | 1 << 2), UInt32(19 << 21), "no AArch64 tables"),
        (UInt32(0b11 | 2 << 2), UInt32(6 << 21), "64 entries or fewer"),
        (UInt32(0b11 | 2 << 2), UInt32(19 << 21 | 1 << 30), "embedded implementation"),
    ])
    func driverRefuses(idr0: UInt32, idr1: UInt32, reason: String) {
        let verdict = SMMUv3Registers(idr0: idr0, idr1: idr1, idr3: UInt32(SMMUv3IDR3.Fields.fwb.mask)).nestingVerdict()
        #expect(!verdict.canAllocateNestParent)
        #expect(verdict.canCreateVIOMMU == false)
        #expect(verdict.reasons.contains { $0.contains(reason) })
    }

    // MARK: AMD

    @Test("AMD: GTSup, GIoSup and GCR3TRPMode allow a nest parent; HDSup dirty tracking")
    func amdNesting() {
        let efr = AMDExtendedFeatures.Fields.self
        let raw = efr.gtSup.mask | efr.gioSup.mask | efr.hdSup.mask
        let verdict = AMDFeatureRegisters(efr: raw, efr2: AMDExtendedFeatures2.Fields.gcr3TrpMode.mask).nestingVerdict
        #expect(verdict.canAllocateNestParent)
        #expect(verdict.canCreateVIOMMU == true)
        #expect(verdict.canTrackDirty)
        #expect(verdict.reasons.isEmpty)

        let withoutTRP = AMDFeatureRegisters(efr: raw).nestingVerdict
        #expect(!withoutTRP.canAllocateNestParent)
        #expect(withoutTRP.reasons.contains { $0.hasPrefix("AMD EFR2.GCR3TRPMode=0") })
    }

    @Test("AMD: HATS=3 disables host translation, so nothing")
    func amdHostTranslationDisabled() {
        let efr = AMDExtendedFeatures.Fields.self
        let raw = efr.gtSup.mask | efr.gioSup.mask | efr.hdSup.mask | efr.hats.mask
        let verdict = AMDFeatureRegisters(efr: raw, efr2: AMDExtendedFeatures2.Fields.gcr3TrpMode.mask).nestingVerdict
        #expect(!verdict.canAllocateNestParent)
        #expect(!verdict.canTrackDirty)
        #expect(verdict.reasons.contains { $0.hasPrefix("AMD EFR.HATS=3") })
    }
}
