import Testing
@testable import IOMMUFD

// The AMD IOMMU profiles: each test is one rule of drivers/iommu/amd/ (Linux 7.2), driven
// through the public API on a model with one AMD IOMMU.

/// One model device behind an AMD profile, bound, with an IOAS.
private struct AMDRig {
    let backend: ModelBackend
    let ctx: IOMMUFD
    let dev: VFIODevice
    let ioas: IOAS

    init(_ profile: ModelProfile, pasidWidth: UInt8 = 0) throws {
        backend = ModelBackend(profile: profile, devices: [ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: pasidWidth)])
        ctx = try IOMMUFD(backend: backend)
        dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: backend)
        try dev.bind(to: ctx)
        ioas = try ctx.allocIOAS()
    }

    func alloc(_ flags: HWPTAllocFlags = []) throws -> HWPTPaging { try ctx.allocHWPT(device: dev, ioas: ioas, flags: flags) }
}

private let epycEFR: UInt64 = 0x2465_77ef_a225_4afa
private let efrHDSup: UInt64 = 1 << 52
private let efrGIOSup: UInt64 = 1 << 48
private let efrHATS: UInt64 = 3 << 10
private let efr2GCR3TRPMode: UInt64 = 1 << 3
private let efr2HTRangeIgnore: UInt64 = 1 << 11
/// The EPYC EFR with HDSup and GCR3TRPMode added: dirty tracking and nesting.
private let nestingAMD = ModelProfile.amd(efr: epycEFR | efrHDSup, efr2: efr2GCR3TRPMode, name: "amd-nesting")

private let msi = IOVARange(start: 0xfee0_0000, last: 0xfeef_ffff)
private let hyperTransport = IOVARange(start: 0xfd_0000_0000, last: 0xff_ffff_ffff)

@Suite("AMD profile") struct AMDProfileTests {
    /// amd_iommufd_hw_info: type AMD with {efr, efr2}, 16 bytes, for DEFAULT or AMD input; any
    /// other type EOPNOTSUPP. max_pasid_log2 is ilog2(min(device, 2^(PASmax+1) - 1)).
    @Test func hwInfoReportsEFRs() throws {
        let rig = try AMDRig(nestingAMD, pasidWidth: 20)
        for input: UInt32? in [nil, 4] {
            let info = try rig.dev.hwInfo(inputType: input)
            #expect(info.type == 4 && info.kernelDataLength == 16)
            guard case .amd(let efr, let efr2) = info.data else { Issue.record("not AMD: \(info.data)"); return }
            #expect(efr == epycEFR | efrHDSup && efr2 == efr2GCR3TRPMode)
            // PASmax 15: 2^16 - 1 PASIDs, so log2 15
            #expect(info.maxPASIDLog2 == 15)
        }
        #expect(failure { _ = try rig.dev.hwInfo(inputType: 1) } == .EOPNOTSUPP)
    }

    /// The default domain is the v1 (host) table: HATS=2 gives a 64-bit space; the MSI window
    /// and the HyperTransport range are reserved.
    @Test func defaultDomainIsV1WithReservedRanges() throws {
        let rig = try AMDRig(.amdEPYC)
        _ = try rig.dev.attach(to: try rig.alloc())
        #expect(try rig.ioas.iovaRanges().ranges == [
            IOVARange(start: 0, last: msi.start - 1),
            IOVARange(start: msi.last + 1, last: hyperTransport.start - 1),
            IOVARange(start: hyperTransport.last + 1, last: .max),
        ])
        // EFR2.HTRangeIgnore: only the MSI window
        let ignore = try AMDRig(.amd(efr: epycEFR, efr2: efr2HTRangeIgnore, name: "ht-ignore"))
        _ = try ignore.dev.attach(to: try ignore.alloc())
        #expect(try ignore.ioas.iovaRanges().ranges == [IOVARange(start: 0, last: msi.start - 1), IOVARange(start: msi.last + 1, last: .max)])
    }

    /// HATS=3 turns host translation off: the default falls back to the v2 table (47-bit), and
    /// dirty tracking (v1 only) is gone.
    @Test func noHostTranslationFallsBackToV2() throws {
        let rig = try AMDRig(.amd(efr: epycEFR | efrHATS | efrHDSup, name: "hatdis"))
        #expect(!(try rig.dev.hwInfo().capabilities.contains(.dirtyTracking)))
        _ = try rig.dev.attach(to: try rig.alloc())
        #expect(try rig.ioas.iovaRanges().ranges == [
            IOVARange(start: 0, last: msi.start - 1),
            IOVARange(start: msi.last + 1, last: hyperTransport.start - 1),
            IOVARange(start: hyperTransport.last + 1, last: (1 << 47) - 1),
        ])
        #expect(failure { _ = try rig.alloc(.dirtyTracking) } == .EOPNOTSUPP)
    }

    /// IOMMU_HWPT_ALLOC_PASID alone makes a v2 table, which needs GIOSup and GTSup plus PPR and
    /// EPHSup for PASIDs (EOPNOTSUPP).
    @Test func pasidDomainNeedsV2Tables() throws {
        let rig = try AMDRig(.amdEPYC)
        _ = try rig.alloc(.pasid)
        let without = try AMDRig(.amd(efr: epycEFR & ~efrGIOSup, name: "no-gio"))
        #expect(failure { _ = try without.alloc(.pasid) } == .EOPNOTSUPP)
        // A plain domain still works (v1)
        _ = try without.alloc()
    }

    /// Dirty tracking needs EFR.HDSup: capability and DIRTY_TRACKING follow it.
    @Test func dirtyTrackingNeedsHDSup() throws {
        let epyc = try AMDRig(.amdEPYC)
        #expect(!(try epyc.dev.hwInfo().capabilities.contains(.dirtyTracking)))
        #expect(failure { _ = try epyc.alloc(.dirtyTracking) } == .EOPNOTSUPP)
        let rig = try AMDRig(nestingAMD)
        #expect(try rig.dev.hwInfo().capabilities.contains(.dirtyTracking))
        let hwpt = try rig.alloc(.dirtyTracking)
        _ = try rig.dev.attach(to: hwpt)
        try hwpt.setDirtyTracking(true)
        try hwpt.setDirtyTracking(false)
    }

    /// A nest parent needs GTSup, GIOSup and EFR2.GCR3TRPMode (EOPNOTSUPP).
    @Test func nestParentNeedsGCR3TRPMode() throws {
        let epyc = try AMDRig(.amdEPYC)
        #expect(failure { _ = try epyc.alloc(.nestParent) } == .EOPNOTSUPP)
        let rig = try AMDRig(nestingAMD)
        let parent = try rig.alloc(.nestParent)
        _ = try rig.dev.attach(to: parent)
        _ = try rig.alloc([.nestParent, .dirtyTracking])
    }

    /// Only the listed flag combinations are accepted: PASID with DIRTY or NEST_PARENT is
    /// EOPNOTSUPP even where each alone works.
    @Test func flagCombinations() throws {
        let rig = try AMDRig(nestingAMD)
        #expect(failure { _ = try rig.alloc([.pasid, .dirtyTracking]) } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.alloc([.pasid, .nestParent]) } == .EOPNOTSUPP)
        let data = HWPTData(type: HWPTData.typeAMDGuest, bytes: [UInt8](repeating: 0, count: 32))
        #expect(failure { _ = try rig.ctx.allocHWPT(device: rig.dev, ioas: rig.ioas, data: data) } == .EOPNOTSUPP)
    }

    /// The 7.2 vIOMMU: any non-DEFAULT type is accepted on a nest parent (the size op does not
    /// look at the type), but its ops have no nested-domain or invalidation support, and the
    /// driver has no domain_alloc_nested: every nested HWPT is EOPNOTSUPP.
    @Test func viommuHasNoNestedDomains() throws {
        let rig = try AMDRig(nestingAMD)
        let parent = try rig.alloc(.nestParent)
        #expect(failure { _ = try rig.ctx.allocVIOMMU(device: rig.dev, parent: parent, type: 0) } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocVIOMMU(device: rig.dev, parent: try rig.alloc(), type: 1) } == .EINVAL)
        let viommu = try rig.ctx.allocVIOMMU(device: rig.dev, parent: parent, type: 1)
        let dte = try AMDGuestDTE(gcr3TableRootPointer: 0x10_0000)
        let data = HWPTData(type: HWPTData.typeAMDGuest, bytes: dte.bytes)
        #expect(failure { _ = try viommu.allocNestedHWPT(device: rig.dev, data: data) } == .EOPNOTSUPP)
        #expect(failure { _ = try rig.ctx.allocNestedHWPT(device: rig.dev, parent: parent, data: data) } == .EOPNOTSUPP)
        #expect(failure { _ = try viommu.invalidate(InvalidationRequest(dataType: 1, entryLength: 16, entries: [[UInt8](repeating: 0, count: 16)])) } == .EOPNOTSUPP)
        try viommu.destroy()
    }

    /// PASID attach: the AMD paging domains have no set_dev_pasid (EOPNOTSUPP).
    @Test func pagingDomainsHaveNoPASIDAttach() throws {
        let rig = try AMDRig(.amdEPYC, pasidWidth: 8)
        let hwpt = try rig.alloc(.pasid)
        #expect(failure { _ = try rig.dev.attach(pasid: 1, to: hwpt) } == .EOPNOTSUPP)
    }

    @Test func namedProfile() {
        #expect(ModelProfile.amdEPYC.name == "amd-epyc")
        #expect(ModelProfile.amdEPYC.hardware == .amd(AMDFeatureRegisters(efr: epycEFR, efr2: 0)))
        #expect(!ModelProfile.amdEPYC.hasSelftest)
    }
}
