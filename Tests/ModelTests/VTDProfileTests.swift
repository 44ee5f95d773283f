import Testing
@testable import IOMMUFD

// The Intel VT-d profiles: each test is one rule of drivers/iommu/intel/ (Linux 7.2), driven
// through the public API on a model with one VT-d unit.

/// One model device behind a VT-d profile, bound, with an IOAS.
private struct VTDRig {
    let backend: ModelBackend
    let ctx: IOMMUFD
    let dev: VFIODevice
    let ioas: IOAS

    init(_ profile: ModelProfile, pasidWidth: UInt8 = 0, ats: Bool = false) throws {
        backend = ModelBackend(profile: profile, devices: [ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: pasidWidth, ats: ats)])
        ctx = try IOMMUFD(backend: backend)
        dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: backend)
        try dev.bind(to: ctx)
        ioas = try ctx.allocIOAS()
    }

    func stage1(_ config: VTDStage1Config) -> HWPTData {
        HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes)
    }

    func nestParent() throws -> HWPTPaging { try ctx.allocHWPT(device: dev, ioas: ioas, flags: .nestParent) }
}

private let sprCap: UInt64 = 0x19ed_008c_4078_0c66
private let sprEcap: UInt64 = 0x3_ee9e_86f0_50df
/// Sapphire Rapids with some ECAP/CAP bits cleared.
private func spr(clearingEcap ecapBits: UInt64 = 0, clearingCap capBits: UInt64 = 0, scalableMode: Bool = true) -> ModelProfile {
    .intelVTD(cap: sprCap & ~capBits, ecap: sprEcap & ~ecapBits, scalableMode: scalableMode, name: "spr-variant")
}
private let ecapNEST: UInt64 = 1 << 26, ecapSRS: UInt64 = 1 << 31, ecapEAFS: UInt64 = 1 << 34
private let ecapSLADS: UInt64 = 1 << 45, ecapSLTS: UInt64 = 1 << 46, ecapSMPWC: UInt64 = 1 << 48
private let capFL5LP: UInt64 = 1 << 60
private let msi = IOVARange(start: 0xfee0_0000, last: 0xfeef_ffff)

/// The ranges of [0, last] with the MSI window cut out.
private func rangesWithoutMSI(last: UInt64) -> [IOVARange] {
    [IOVARange(start: 0, last: msi.start - 1), IOVARange(start: msi.last + 1, last: last)]
}

@Suite("VT-d profile") struct VTDProfileTests {
    /// intel_iommu_hw_info: type INTEL_VTD with {ERRATA_772415_SPR17, cap, ecap}, 24 bytes, for
    /// DEFAULT or INTEL_VTD input; any other type is EOPNOTSUPP.
    @Test func hwInfoReportsRegistersAndErrata() throws {
        let rig = try VTDRig(.qemuVTD)
        for input: UInt32? in [nil, 1] {
            let info = try rig.dev.hwInfo(inputType: input)
            #expect(info.type == 1)
            #expect(info.kernelDataLength == 24)
            guard case .intelVTD(let flags, let cap, let ecap) = info.data else {
                Issue.record("not VT-d data: \(info.data)")
                return
            }
            #expect(flags == 1 && cap == 0x00d2_008c_2226_0286 && ecap == 0xf0_0f4a)
        }
        #expect(failure { _ = try rig.dev.hwInfo(inputType: 2) } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.dev.hwInfo(inputType: 4) } == .EOPNOTSUPP)
    }

    /// Legacy mode (ecap.SMTS=0): no PASIDs (max_pasid_log2 0 even for a PASID device), no dirty
    /// capability, NEST_PARENT and DIRTY_TRACKING EOPNOTSUPP; a plain paging HWPT allocates and
    /// attaches (the QEMU VM lane's result).
    @Test func legacyModeHasNoNestParentPASIDOrDirty() throws {
        let rig = try VTDRig(.qemuVTD, pasidWidth: 20)
        let info = try rig.dev.hwInfo()
        #expect(info.maxPASIDLog2 == 0)
        #expect(!info.capabilities.contains(.dirtyTracking))
        #expect(failure { _ = try rig.nestParent() } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        #expect(try rig.dev.attach(to: hwpt) == hwpt.id)
        try rig.dev.detach()
    }

    /// intel_iommu=sm_off: a scalable-capable unit runs in legacy mode, so the features that
    /// need scalable mode go, while hw_info still reports the registers as they are.
    @Test func scalableModeOffActsAsLegacy() throws {
        let on = try VTDRig(.sapphireRapidsVTD, pasidWidth: 20)
        #expect(try on.dev.hwInfo().capabilities.contains(.dirtyTracking))
        _ = try on.nestParent()

        let rig = try VTDRig(spr(scalableMode: false), pasidWidth: 20)
        let info = try rig.dev.hwInfo()
        guard case .intelVTD(_, _, let ecap) = info.data else { Issue.record("not VT-d"); return }
        #expect(ecap == sprEcap)
        #expect(info.maxPASIDLog2 == 0)
        #expect(!info.capabilities.contains(.dirtyTracking))
        #expect(failure { _ = try rig.nestParent() } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        _ = try rig.dev.attach(to: hwpt)
    }

    /// QEMU scalable mode (Q2): scalable but no ecap.NEST, so NEST_PARENT is EOPNOTSUPP like on
    /// the VM lane; a plain HWPT is second stage (no FLTS) and attaches.
    @Test func qemuScalableModeHasNoNestParent() throws {
        let rig = try VTDRig(.qemuVTDScalable)
        #expect(failure { _ = try rig.nestParent() } == .EOPNOTSUPP)
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        _ = try rig.dev.attach(to: hwpt)
        // Second stage: MGAW 39, SAGAW 3-level, so the aperture ends at 2^39 - 1
        #expect(try rig.ioas.iovaRanges().ranges == rangesWithoutMSI(last: (1 << 39) - 1))
    }

    /// The stage choice and geometry: a plain domain is first stage where scalable mode has
    /// FLTS (sign-extended, so half the MGAW-bound width), else second stage (the widest table
    /// that MGAW and SAGAW allow); NEST_PARENT always makes a second-stage table.
    @Test func apertureFollowsStageAndAddressWidths() throws {
        // Q6: first stage only, MGAW 48, no FL5LP: [0, 2^47 - 1]
        let q6 = try VTDRig(.qemu11VTDPASID)
        _ = try q6.dev.attach(to: try q6.ctx.allocHWPT(device: q6.dev, ioas: q6.ioas))
        #expect(try q6.ioas.iovaRanges().ranges == rangesWithoutMSI(last: (1 << 47) - 1))
        // Sapphire Rapids: MGAW 57 with FL5LP, so a first-stage table spans 2^56
        let first = try VTDRig(.sapphireRapidsVTD)
        _ = try first.dev.attach(to: try first.ctx.allocHWPT(device: first.dev, ioas: first.ioas))
        #expect(try first.ioas.iovaRanges().ranges == rangesWithoutMSI(last: (1 << 56) - 1))
        // ... and a nest parent (second stage, SAGAW 4- and 5-level) spans 2^57
        let second = try VTDRig(.sapphireRapidsVTD)
        _ = try second.dev.attach(to: try second.nestParent())
        #expect(try second.ioas.iovaRanges().ranges == rangesWithoutMSI(last: (1 << 57) - 1))
        // Without FL5LP the first stage is 4-level: 2^47
        let fourLevel = try VTDRig(spr(clearingCap: capFL5LP))
        _ = try fourLevel.dev.attach(to: try fourLevel.ctx.allocHWPT(device: fourLevel.dev, ioas: fourLevel.ioas))
        #expect(try fourLevel.ioas.iovaRanges().ranges == rangesWithoutMSI(last: (1 << 47) - 1))
    }

    /// Dirty tracking needs ecap.SLADS and ecap.SMPWC in scalable mode (ssads_supported): the
    /// capability in hw_info and HWPT_ALLOC DIRTY_TRACKING follow it.
    @Test func dirtyTrackingNeedsSLADSAndSMPWC() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        #expect(try rig.dev.hwInfo().capabilities.contains(.dirtyTracking))
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: .dirtyTracking)
        _ = try rig.dev.attach(to: hwpt)
        try hwpt.setDirtyTracking(true)
        try hwpt.setDirtyTracking(false)
        // A nest parent can track dirty pages too
        _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: [.nestParent, .dirtyTracking])
        for bit in [ecapSLADS, ecapSMPWC] {
            let without = try VTDRig(spr(clearingEcap: bit))
            #expect(!(try without.dev.hwInfo().capabilities.contains(.dirtyTracking)))
            #expect(failure { _ = try without.ctx.allocHWPT(device: without.dev, ioas: without.ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        }
    }

    /// A dirty-tracking HWPT that did not ask for it has no dirty ops: SET_DIRTY_TRACKING is
    /// EOPNOTSUPP (a first-stage domain).
    @Test func plainDomainHasNoDirtyOps() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        #expect(failure { try hwpt.setDirtyTracking(true) } == .EOPNOTSUPP)
    }

    /// NEST_PARENT needs scalable mode and ecap.NEST (nested_supported).
    @Test func nestParentNeedsNEST() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let parent = try rig.nestParent()
        #expect(try rig.dev.attach(to: parent) == parent.id)
        let without = try VTDRig(spr(clearingEcap: ecapNEST))
        #expect(failure { _ = try without.nestParent() } == .EOPNOTSUPP)
    }

    /// Scalable mode without ecap.SLTS has no second stage: NEST_PARENT and DIRTY_TRACKING are
    /// EOPNOTSUPP even with NEST and SLADS, while a plain (first-stage) HWPT works.
    @Test func scalableModeWithoutSLTSRefusesSecondStage() throws {
        let rig = try VTDRig(spr(clearingEcap: ecapSLTS))
        #expect(failure { _ = try rig.nestParent() } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        _ = try rig.dev.attach(to: try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas))
    }

    /// Paging HWPT_ALLOC with driver data is EOPNOTSUPP (VT-d takes none).
    @Test func pagingAllocTakesNoData() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let data = rig.stage1(try VTDStage1Config(pageTableAddress: 0x1000, addressWidth: .fourLevel))
        #expect(failure { _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, data: data) } == .EOPNOTSUPP)
    }

    /// intel_iommu_domain_alloc_nested: data type VTD_S1 (EOPNOTSUPP otherwise), the whole
    /// 24-byte struct (EINVAL for shorter or longer), a nest parent (EINVAL), flags ⊆ {PASID};
    /// the stage-1 fields are not checked here.
    @Test func nestedAllocationRules() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let parent = try rig.nestParent()
        let good = try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel)
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: HWPTData(type: HWPTData.typeARMSMMUv3, bytes: good.bytes)) } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: HWPTData(type: 1, bytes: Array(good.bytes.prefix(20)))) } == .EINVAL)
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: HWPTData(type: 1, bytes: good.bytes + [0, 0, 0, 0, 0, 0, 0, 0])) } == .EINVAL)
        let plain = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: plain, data: rig.stage1(good)) } == .EINVAL)
        // Bad stage-1 fields (width 39, unknown flags, reserved) still allocate
        let odd = VTDStage1Config(uncheckedFlags: 0x80, pageTableAddress: 0x10_0123, addressWidth: 39, reserved: 7)
        _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: rig.stage1(odd))
        let nested = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: rig.stage1(good), flags: .pasid)
        #expect(try rig.dev.attach(to: nested) == nested.id)
        // The parent cannot go while a nested HWPT holds it
        #expect(failure { try parent.destroy() } == .EBUSY)
    }

    /// A nested HWPT needs nested_supported on the device's unit: without ecap.NEST no parent can
    /// exist, and on a nest parent the allocation follows the unit.
    @Test func nestedAllocationNeedsNesting() throws {
        let rig = try VTDRig(.qemuVTDScalable)
        let plain = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas)
        let data = rig.stage1(try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel))
        // The core refuses a parent that is not a nest parent before the driver is asked
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: plain, data: data) } == .EINVAL)
    }

    /// At attach (intel_pasid_setup_nested): addr_width 48, or 57 only with cap.FL5LP; any other
    /// width is EINVAL.
    @Test func nestedAttachChecksAddressWidth() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let parent = try rig.nestParent()
        for width in [VTDStage1Config.AddressWidth.fourLevel, .fiveLevel] {
            let nested = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent,
                                                     data: rig.stage1(try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: width)))
            #expect(try rig.dev.attach(to: nested) == nested.id)
        }
        let bad = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent,
                                              data: rig.stage1(VTDStage1Config(uncheckedFlags: 0, pageTableAddress: 0x10_0000, addressWidth: 39)))
        #expect(failure { _ = try rig.dev.attach(to: bad) } == .EINVAL)

        let four = try VTDRig(spr(clearingCap: capFL5LP))
        let p4 = try four.nestParent()
        let five = try four.ctx.allocNestedHWPT(device: four.dev, parent: p4,
                                                data: four.stage1(try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fiveLevel)))
        #expect(failure { _ = try four.dev.attach(to: five) } == .EINVAL)
        let ok = try four.ctx.allocNestedHWPT(device: four.dev, parent: p4,
                                              data: four.stage1(try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel)))
        _ = try four.dev.attach(to: ok)
    }

    /// At attach: IOMMU_VTD_S1_SRE needs ecap.SRS (EINVAL).
    @Test func supervisorRequestsNeedSRS() throws {
        let config = try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel, flags: [.sre, .wpe])
        let rig = try VTDRig(.sapphireRapidsVTD)
        _ = try rig.dev.attach(to: try rig.ctx.allocNestedHWPT(device: rig.dev, parent: try rig.nestParent(), data: rig.stage1(config)))
        let without = try VTDRig(spr(clearingEcap: ecapSRS))
        let nested = try without.ctx.allocNestedHWPT(device: without.dev, parent: try without.nestParent(), data: without.stage1(config))
        #expect(failure { _ = try without.dev.attach(to: nested) } == .EINVAL)
    }

    /// At attach: IOMMU_VTD_S1_EAFE needs ecap.EAFS (EINVAL).
    @Test func extendedAccessFlagNeedsEAFS() throws {
        let config = try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel, flags: .eafe)
        let rig = try VTDRig(.sapphireRapidsVTD)
        _ = try rig.dev.attach(to: try rig.ctx.allocNestedHWPT(device: rig.dev, parent: try rig.nestParent(), data: rig.stage1(config)))
        let without = try VTDRig(spr(clearingEcap: ecapEAFS))
        let nested = try without.ctx.allocNestedHWPT(device: without.dev, parent: try without.nestParent(), data: without.stage1(config))
        #expect(failure { _ = try without.dev.attach(to: nested) } == .EINVAL)
        // A failed attach leaves the device as it was: the parent still attaches
        _ = try without.dev.attach(to: try without.nestParent())
    }

    /// intel_nested_cache_invalidate_user: type VTD_S1 (EINVAL, nothing handled); per entry,
    /// flags ⊆ {LEAF} and __reserved 0 (EOPNOTSUPP), addr 4 KiB aligned and "all" (npages
    /// U64_MAX) only from 0 (EINVAL); entry_len must be 24 (EINVAL); entry_num comes back as
    /// the count handled before the first bad entry.
    @Test func invalidationEntryRules() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let nested = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: try rig.nestParent(),
                                                 data: rig.stage1(try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel)))
        _ = try rig.dev.attach(to: nested)
        let good = try VTDStage1Invalidation(address: 0x20_0000, pageCount: 4, leafOnly: true).bytes
        func send(_ entries: [[UInt8]], type: UInt32 = InvalidationRequest.typeVTDStage1, length: UInt32 = 24) -> (Errno?, Int?) {
            do {
                let n = try nested.invalidate(InvalidationRequest(dataType: type, entryLength: length, entries: entries))
                return (nil, n)
            } catch {
                return (error.errno, error.entriesHandled)
            }
        }
        let all = VTDStage1Invalidation.all.bytes
        #expect(send([good, all, good]) == (nil, 3))
        #expect(send([good], type: 1) == (.EINVAL, 0))
        #expect(send([good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: 1, flags: 2).bytes, good]) == (.EOPNOTSUPP, 1))
        #expect(send([good, good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: 1, flags: 0, reserved: 1).bytes]) == (.EOPNOTSUPP, 2))
        #expect(send([VTDStage1Invalidation(uncheckedAddress: 0x1800, pageCount: 1, flags: 0).bytes]) == (.EINVAL, 0))
        #expect(send([good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: .max, flags: 0).bytes]) == (.EINVAL, 1))
        #expect(send([Array(good.prefix(20))], length: 20) == (.EINVAL, 0))
        #expect(send([good + [0, 0, 0, 0, 0, 0, 0, 0]], length: 32) == (.EINVAL, 0))
        // Zero entries: nothing to do
        #expect(send([]) == (nil, 0))
    }

    /// PASIDs: with scalable mode and ecap.PASID a device reports min(its width, PSS+1) and a
    /// PASID HWPT attaches to a PASID; PASID 0 of the RID is not a PASID attach.
    @Test func pasidAttachNeedsPASIDSupport() throws {
        let rig = try VTDRig(.qemu11VTDPASID, pasidWidth: 8)
        #expect(try rig.dev.hwInfo().maxPASIDLog2 == 8)
        let wide = try VTDRig(.qemu11VTDPASID, pasidWidth: 24)
        #expect(try wide.dev.hwInfo().maxPASIDLog2 == 20)
        let hwpt = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, flags: .pasid)
        #expect(try rig.dev.attach(pasid: 5, to: hwpt) == hwpt.id)
        #expect(failure { _ = try rig.dev.attach(pasid: 256, to: hwpt) } == .EINVAL)
        try rig.dev.detach(pasid: 5)
        // Sapphire Rapids' vector has no ecap.PASID: no PASIDs for its devices
        let spr = try VTDRig(.sapphireRapidsVTD, pasidWidth: 20)
        #expect(try spr.dev.hwInfo().maxPASIDLog2 == 0)
    }

    /// ATS: IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED unless the unit has ecap.DT and the device ATS.
    @Test func atsNeedsDeviceTLB() throws {
        #expect(!(try VTDRig(.sapphireRapidsVTD, ats: true).dev.hwInfo().capabilities.contains(.pciATSNotSupported)))
        #expect(try VTDRig(.sapphireRapidsVTD, ats: false).dev.hwInfo().capabilities.contains(.pciATSNotSupported))
        // QEMU's legacy unit has no ecap.DT
        #expect(try VTDRig(.qemuVTD, ats: true).dev.hwInfo().capabilities.contains(.pciATSNotSupported))
    }

    /// No vIOMMU in the 7.2 VT-d driver: VIOMMU_ALLOC is EOPNOTSUPP even on a nest parent.
    @Test func noVIOMMU() throws {
        let rig = try VTDRig(.sapphireRapidsVTD)
        let parent = try rig.nestParent()
        #expect(failure { _ = try rig.ctx.allocVIOMMU(device: rig.dev, parent: parent, type: 1) } == .EOPNOTSUPP)
    }

    /// The named profiles carry the vectors they are named after.
    @Test func namedProfiles() {
        let expected: [(ModelProfile, String, UInt64, UInt64)] = [
            (.sapphireRapidsVTD, "sapphire-rapids-vtd", sprCap, sprEcap),
            (.qemuVTD, "qemu-vtd", 0x00d2_008c_2226_0286, 0xf0_0f4a),
            (.qemuVTDScalable, "qemu-vtd-scalable", 0x00d2_008c_2226_0286, 0x4800_80f0_0f4a),
            (.qemu11VTDPASID, "qemu11-vtd-pasid", 0x81d2_008c_222f_0686, 0x8d9a_20f0_0f4e),
        ]
        for (profile, name, cap, ecap) in expected {
            #expect(profile.name == name)
            #expect(profile.vtdConfiguration?.registers == VTDRegisters(cap: cap, ecap: ecap))
            #expect(profile.vtdConfiguration?.scalableMode == true)
            #expect(!profile.hasSelftest)
        }
    }
}
