import Testing
@testable import IOMMUFD

/// The Arm SMMUv3 profiles: each rule of arm-smmu-v3(-iommufd).c that iommufd can observe, as
/// calls through the public API on a model with one edu device at 0000:00:03.0 (StreamID 0x18).
@Suite("arm-smmu-v3 profile")
struct SMMUv3ProfileTests {
    /// QEMU's registers with other values in some fields.
    static func qemuLike(idr0: UInt32 = 0x0d44_101b, idr1: UInt32 = 0x0273_0010, idr3: UInt32 = 0x1414,
                         iidr: UInt32 = 0, canWBS: Bool = true) -> ModelProfile {
        .armSMMUv3(registers: SMMUv3Registers(idr0: idr0, idr1: idr1, idr3: idr3, idr5: 0x74, iidr: iidr, aidr: 1),
                   canWBS: canWBS, name: "test")
    }

    final class Fixture {
        let backend: ModelBackend
        let ctx: IOMMUFD
        let device: VFIODevice
        let ioas: IOAS

        init(_ profile: ModelProfile = .qemuSMMUv3, device spec: ModelDevice = .standard) throws {
            backend = ModelBackend(profile: profile, devices: [spec])
            ctx = try IOMMUFD(backend: backend)
            device = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: backend)
            try device.bind(to: ctx)
            ioas = try ctx.allocIOAS()
        }

        var smmu: ArmSMMUv3Driver { backend.env.driver as! ArmSMMUv3Driver }

        func nestParent() throws -> HWPTPaging { try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }

        func viommu(_ parent: HWPTPaging) throws -> VIOMMU {
            try ctx.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue)
        }
    }

    static func vste(_ ste: SMMUv3VSTE) -> HWPTData { HWPTData(type: SMMUv3VSTE.hwptDataType, bytes: ste.bytes) }

    static func request(_ commands: [SMMUv3Command], type: UInt32 = SMMUv3Command.invalidationDataType) -> InvalidationRequest {
        InvalidationRequest(dataType: type, entryLength: UInt32(SMMUv3Command.size), entries: commands.map(\.bytes))
    }

    /// The error of an invalidation that must fail.
    static func invalidateError(_ viommu: VIOMMU, _ request: InvalidationRequest) -> IOMMUFDError? {
        do {
            _ = try viommu.invalidate(request)
            return nil
        } catch {
            return error
        }
    }

    // MARK: hw_info

    @Test func hwInfoIsTheRawRegisters() throws {
        let f = try Fixture()
        let info = try f.device.hwInfo()
        #expect(info.type == HWInfoType.armSMMUv3.rawValue)
        #expect(info.kernelDataLength == 40)
        #expect(info.data == .armSMMUv3(flags: 0, idr: [0x0d44_101b, 0x0273_0010, 0, 0x1414, 0, 0x74], iidr: 0, aidr: 1))
        // No HTTU and no ATS on QEMU's SMMU; SSIDSIZE 0 gives one PASID (log2 0).
        #expect(info.capabilities == [.pciATSNotSupported])
        #expect(info.maxPASIDLog2 == 0)
        // Asking for the SMMUv3 type explicitly works; any other type has no implementation op.
        #expect(try f.device.hwInfo(inputType: HWInfoType.armSMMUv3.rawValue).type == 2)
        #expect(failure { _ = try f.device.hwInfo(inputType: HWInfoType.intelVTD.rawValue) } == .EOPNOTSUPP)
    }

    @Test func hwInfoPASIDWidthFollowsSSIDSize() throws {
        // SSIDSIZE 5 (IDR1 bits 10:6) under a device with 8 PASID bits: 2^5 PASIDs.
        let f = try Fixture(Self.qemuLike(idr1: 0x0273_0010 | 5 << 6), device: ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: 8))
        #expect(try f.device.hwInfo().maxPASIDLog2 == 5)
    }

    @Test func gem5WithoutCoherentAccessCannotBind() throws {
        let backend = ModelBackend(profile: .gem5SMMUv3, devices: [.standard])
        let ctx = try IOMMUFD(backend: backend)
        let device = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: backend)
        // IDR0.COHACC = 0: no IOMMU_CAP_CACHE_COHERENCY, and iommufd_device_bind refuses.
        #expect(failure { try device.bind(to: ctx) } == .EINVAL)
    }

    // MARK: Paging domains

    /// The FVP: nesting and dirty tracking (HTTU with HD, coherent walks) but no FWB and no
    /// CANWBS firmware, so a nest parent allocates while a vIOMMU is refused.
    @Test func fvpNestsAndTracksDirtyButHasNoVIOMMU() throws {
        let f = try Fixture(.fvpSMMUv3)
        let info = try f.device.hwInfo()
        #expect(info.capabilities.contains(.dirtyTracking))
        let parent = try f.nestParent()
        let dirty = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, flags: .dirtyTracking)
        try dirty.setDirtyTracking(true)
        #expect(failure { _ = try f.viommu(parent) } == .EOPNOTSUPP)
    }

    @Test func pagingDomainsHaveTheStageGeometry() throws {
        let f = try Fixture()
        // Stage 1: 48-bit input (no VAX), 4 KiB granule sizes only; the SW MSI window is reserved.
        let s1 = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas)
        try f.device.attach(to: s1)
        let ranges = try f.ioas.iovaRanges().ranges
        #expect(ranges == [IOVARange(start: 0, last: 0x7ff_ffff), IOVARange(start: 0x810_0000, last: (1 << 48) - 1)])
        try f.device.detach()
        try s1.destroy()
        // Stage 2 (the nest parent): input size = OAS = 44 bits.
        let s2 = try f.nestParent()
        try f.device.attach(to: s2)
        #expect(try f.ioas.iovaRanges().ranges.last == IOVARange(start: 0x810_0000, last: (1 << 44) - 1))
        // 4K/16K/64K granules: io-pgtable keeps the 4 KiB page size's block sizes.
        #expect(f.smmu.features.pageTableSizes(pageSize: 4096, ias: 44).bitmap == 0x1000 | 0x20_0000 | 0x4000_0000)
    }

    @Test func nestParentFollowsS1PAndS2P() throws {
        // QEMU: both stages.
        let qemu = try Fixture()
        _ = try qemu.nestParent()
        // Stage 1 only (S2P clear), stage 2 only (S1P clear): no FEAT_NESTING.
        for idr0: UInt32 in [0x0d44_101a, 0x0d44_1019] {
            let f = try Fixture(Self.qemuLike(idr0: idr0))
            #expect(failure { _ = try f.nestParent() } == .EOPNOTSUPP)
            // A plain domain still allocates (stage 1 preferred, else stage 2).
            _ = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas)
        }
        // Stage 2 only: PASID needs a stage-1 domain.
        let s2only = try Fixture(Self.qemuLike(idr0: 0x0d44_1019))
        #expect(failure { _ = try s2only.ctx.allocHWPT(device: s2only.device, ioas: s2only.ioas, flags: .pasid) } == .EOPNOTSUPP)
        // MMU-700 r0p0 (errata 2268618/2812531): both stages, yet no nesting.
        let mmu700 = try Fixture(Self.qemuLike(iidr: 0x4870_043b))
        #expect(failure { _ = try mmu700.nestParent() } == .EOPNOTSUPP)
        // NEST_PARENT | PASID is not one of the accepted combinations.
        #expect(failure { _ = try qemu.ctx.allocHWPT(device: qemu.device, ioas: qemu.ioas, flags: [.nestParent, .pasid]) } == .EOPNOTSUPP)
        // Driver data on a paging alloc is refused.
        #expect(failure {
            _ = try qemu.ctx.allocHWPT(device: qemu.device, ioas: qemu.ioas, data: HWPTData(type: SMMUv3VSTE.hwptDataType, bytes: SMMUv3VSTE.bypass.bytes))
        } == .EOPNOTSUPP)
    }

    // MARK: vIOMMU

    @Test func viommuFollowsFWBOrCANWBS() throws {
        // QEMU has no IDR3.FWB; CANWBS makes the vIOMMU possible.
        let withWBS = try Fixture()
        let v = try withWBS.viommu(try withWBS.nestParent())
        #expect(v.id != 0)
        // Without CANWBS and without FWB: get_viommu_size is 0.
        let noWBS = try Fixture(Self.qemuLike(canWBS: false))
        let parent = try noWBS.nestParent()
        #expect(failure { _ = try noWBS.viommu(parent) } == .EOPNOTSUPP)
        // FWB (IDR3 bit 8) alone suffices.
        let fwb = try Fixture(Self.qemuLike(idr3: 0x1514, canWBS: false))
        _ = try fwb.viommu(try fwb.nestParent())
        // Other vIOMMU types have no implementation here.
        #expect(failure {
            _ = try withWBS.ctx.allocVIOMMU(device: withWBS.device, parent: try withWBS.nestParent(), type: VIOMMUType.tegra241CMDQV.rawValue)
        } == .EOPNOTSUPP)
        // A stage-1 paging HWPT is not a nest parent.
        let s1 = try withWBS.ctx.allocHWPT(device: withWBS.device, ioas: withWBS.ioas)
        #expect(failure { _ = try withWBS.viommu(s1) } == .EINVAL)
    }

    @Test func nestedHWPTOnlyThroughAVIOMMU() throws {
        let f = try Fixture()
        let parent = try f.nestParent()
        // No domain_alloc_nested: a nested alloc on the paging parent is EOPNOTSUPP.
        #expect(failure { _ = try f.ctx.allocNestedHWPT(device: f.device, parent: parent, data: Self.vste(.bypass)) } == .EOPNOTSUPP)
        let viommu = try f.viommu(parent)
        let nested = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.bypass))
        #expect(nested.id != 0)
        // Flags must be 0: PASID is refused.
        #expect(failure { _ = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.bypass), flags: .pasid) } == .EOPNOTSUPP)
        // The data must be a 16-byte ARM_SMMUV3 vSTE.
        #expect(failure { _ = try viommu.allocNestedHWPT(device: f.device, data: HWPTData(type: HWPTData.typeVTDStage1, bytes: SMMUv3VSTE.bypass.bytes)) } == .EINVAL)
        #expect(failure { _ = try viommu.allocNestedHWPT(device: f.device, data: HWPTData(type: SMMUv3VSTE.hwptDataType, bytes: Array(SMMUv3VSTE.bypass.bytes.prefix(8)))) } == .EINVAL)
        // The nested HWPT has no invalidation of its own (the vIOMMU takes them).
        #expect(failure { _ = try nested.invalidate(Self.request([.tlbiNHAll])) } == .EOPNOTSUPP)
    }

    @Test func vsteWhitelistAndConfigRules() throws {
        let f = try Fixture()
        let viommu = try f.viommu(try f.nestParent())
        let rejected: [SMMUv3VSTE] = [
            SMMUv3VSTE(uncheckedWord0: 1 | 6 << 1, word1: 0),                      // Config = S2 translate
            SMMUv3VSTE(uncheckedWord0: 1 | 7 << 1, word1: 0),                      // Config = nested
            SMMUv3VSTE(uncheckedWord0: 1 | 1 << 1, word1: 0),                      // Config = reserved
            SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0 | 1 << 52, word1: 0), // dword 0 bit 52
            SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 1 << 40),   // dword 1 bit 40 (S2 fields)
            SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 2 << 28),   // EATS = S1CHK
            SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 3 << 28),   // EATS = reserved
        ]
        for ste in rejected {
            #expect(failure { _ = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(ste)) } == .EIO, "vSTE \(ste.word0), \(ste.word1)")
        }
        // V = 0 is accepted whatever else is set (the STE is zeroed: an abort).
        let junk = SMMUv3VSTE(uncheckedWord0: 0xffff_ffff_ffff_fffe, word1: .max)
        _ = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(junk))
        _ = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.abort))
        let translate = try SMMUv3VSTE.translate(contextDescriptorTable: 0x1000, eats: .translate)
        _ = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(translate))
    }

    @Test func translatingVSTEAttachNeedsTheVDevice() throws {
        let f = try Fixture()
        let viommu = try f.viommu(try f.nestParent())
        let translate = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(try SMMUv3VSTE.translate(contextDescriptorTable: 0x1000)))
        let bypass = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.bypass))
        let abort = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.abort))
        let invalid = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.invalid))
        #expect(failure { _ = try f.device.attach(to: translate) } == .ENOENT)
        // Abort, bypass and V=0 attach without a vDEVICE (the GBPA case).
        for hwpt in [bypass, abort, invalid] { _ = try f.device.attach(to: hwpt) }
        try f.device.detach()
        let vdevice = try viommu.allocVDevice(device: f.device, virtualID: 0x42)
        _ = try f.device.attach(to: translate)
        #expect(f.smmu.master(try #require(f.backend.env.physicalDevices.first)).vmasterVSID == 0x42)
        try f.device.detach()
        try vdevice.destroy()
        // The vDEVICE gone, the translating vSTE is refused again.
        #expect(failure { _ = try f.device.attach(to: translate) } == .ENOENT)
    }

    // MARK: Invalidation

    @Test func invalidationAcceptsTheGuestOpcodesAndTranslatesVSIDs() throws {
        let f = try Fixture()
        let parent = try f.nestParent()
        let viommu = try f.viommu(parent)
        let vdevice = try viommu.allocVDevice(device: f.device, virtualID: 0x42)
        defer { withExtendedLifetime(vdevice) {} }
        let accepted: [SMMUv3Command] = [
            .tlbiNSNHAll,
            try SMMUv3Command(.tlbiNHAll),
            try SMMUv3Command(.tlbiNHASID(asid: 2)),
            try SMMUv3Command(.tlbiNHVA(asid: 2, address: 0x40_0000, leaf: true)),
            try SMMUv3Command(.tlbiNHVAA(address: 0x40_0000)),
            try SMMUv3Command(.atcInv(streamID: 0x42, size: 0, address: 0)),
            try SMMUv3Command(.cfgiCD(streamID: 0x42, substreamID: 0)),
            try SMMUv3Command(.cfgiCDAll(streamID: 0x42)),
        ]
        for command in accepted {
            #expect(try viommu.invalidate(Self.request([command])) == 1, "\(command.opcode?.mnemonic ?? "?")")
        }
        #expect(try viommu.invalidate(Self.request(accepted)) == accepted.count)
        // What reached the command queue: NSNH_ALL became NH_ALL, every TLBI carries the nest
        // parent's VMID (1, the first stage-2 domain), the vSID 0x42 became StreamID 0x18.
        let queue = try #require(f.smmu.commandQueue[0])
        #expect(queue.count == 16)
        let vmid: UInt64 = 1
        #expect(queue[0] == (0x10 | vmid << 32, 0))
        #expect(queue[2].0 & 0xff == 0x11 && (queue[2].0 >> 32) & 0xffff == vmid && queue[2].0 >> 48 == 2)
        for i in 5...7 { #expect(queue[i].0 >> 32 == 0x18) }
        // A TLBI with a VMID of the guest's choosing gets the real one.
        let forged = SMMUv3Command(uncheckedWord0: 0x11 | 0x7777 << 32 | 3 << 48, word1: 0)
        #expect(try viommu.invalidate(Self.request([forged])) == 1)
        #expect(f.smmu.commandQueue[0]?.last?.0 == 0x11 | vmid << 32 | 3 << 48)
    }

    @Test func invalidationRefusesOtherOpcodesAndUnknownVSIDs() throws {
        let f = try Fixture()
        let viommu = try f.viommu(try f.nestParent())
        let vdevice = try viommu.allocVDevice(device: f.device, virtualID: 0x42)
        defer { withExtendedLifetime(vdevice) {} }
        let refused: [SMMUv3Command] = [
            SMMUv3Command(rawOpcode: 0x03),  // CFGI_STE
            SMMUv3Command(rawOpcode: 0x04),  // CFGI_ALL
            SMMUv3Command(rawOpcode: 0x28),  // TLBI_S12_VMALL
            SMMUv3Command(rawOpcode: 0x2a),  // TLBI_S2_IPA
            SMMUv3Command(rawOpcode: 0x46),  // CMD_SYNC
            try SMMUv3Command(.cfgiCD(streamID: 0x99, substreamID: 0)),
            try SMMUv3Command(.atcInv(streamID: 0x43, size: 0, address: 0)),
        ]
        for command in refused {
            let error = Self.invalidateError(viommu, Self.request([command]))
            #expect(error?.errno == .EIO)
            #expect(error?.entriesHandled == 0)
        }
        // Good, good, bad, good: two handled.
        let mixed = Self.invalidateError(viommu, Self.request([.tlbiNHAll, .tlbiNSNHAll, SMMUv3Command(rawOpcode: 0x03), .tlbiNHAll]))
        #expect(mixed?.errno == .EIO)
        #expect(mixed?.entriesHandled == 2)
        // Wrong data type, and an empty array: EINVAL from the full-array copy.
        #expect(Self.invalidateError(viommu, Self.request([.tlbiNHAll], type: 0xdead_beef))?.errno == .EINVAL)
        let empty = Self.invalidateError(viommu, InvalidationRequest(dataType: SMMUv3Command.invalidationDataType, entryLength: 16, entries: []))
        #expect(empty?.errno == .EINVAL)
        // A longer entry with a non-zero tail is E2BIG; a zero tail is fine.
        let tail = InvalidationRequest(dataType: SMMUv3Command.invalidationDataType, entryLength: 24, entries: [SMMUv3Command.tlbiNHAll.bytes + [1, 0, 0, 0, 0, 0, 0, 0]])
        #expect(Self.invalidateError(viommu, tail)?.errno == .E2BIG)
        let zeroTail = InvalidationRequest(dataType: SMMUv3Command.invalidationDataType, entryLength: 24, entries: [SMMUv3Command.tlbiNHAll.bytes + [UInt8](repeating: 0, count: 8)])
        #expect(try viommu.invalidate(zeroTail) == 1)
    }

    // MARK: Dirty tracking

    @Test func dirtyTrackingNeedsHTTUDirty() throws {
        // QEMU: HTTU = 0.
        let qemu = try Fixture()
        #expect(try !qemu.device.hwInfo().capabilities.contains(.dirtyTracking))
        #expect(failure { _ = try qemu.ctx.allocHWPT(device: qemu.device, ioas: qemu.ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        // HTTU = 1 (access flag only): still no dirty state.
        let access = try Fixture(Self.qemuLike(idr0: 0x0d44_101b | 1 << 6))
        #expect(try !access.device.hwInfo().capabilities.contains(.dirtyTracking))
        // HTTU = 2 (access and dirty) with coherent walks: a stage-1 dirty domain.
        let dirty = try Fixture(Self.qemuLike(idr0: 0x0d44_101b | 2 << 6))
        #expect(try dirty.device.hwInfo().capabilities.contains(.dirtyTracking))
        let hwpt = try dirty.ctx.allocHWPT(device: dirty.device, ioas: dirty.ioas, flags: .dirtyTracking)
        try hwpt.setDirtyTracking(true)
        try hwpt.setDirtyTracking(false)
        _ = try dirty.ctx.allocHWPT(device: dirty.device, ioas: dirty.ioas, flags: [.dirtyTracking, .pasid])
        // A stage-2 domain has no dirty ops; NEST_PARENT | DIRTY is not accepted.
        #expect(failure { _ = try dirty.ctx.allocHWPT(device: dirty.device, ioas: dirty.ioas, flags: [.dirtyTracking, .nestParent]) } == .EOPNOTSUPP)
        let parent = try dirty.nestParent()
        #expect(failure { try parent.setDirtyTracking(true) } == .EOPNOTSUPP)
    }

    // MARK: PASID

    @Test func pasidAttachNeedsAStage1DomainAndCDTable() throws {
        let f = try Fixture(Self.qemuLike(idr0: 0x0d44_101b | 1 << 19, idr1: 0x0273_0010 | 5 << 6),
                            device: ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: 5))
        let s1 = try f.ctx.allocHWPT(device: f.device, ioas: f.ioas, flags: .pasid)
        // RID blocked: a PASID may take a stage-1 domain.
        _ = try f.device.attach(pasid: 1, to: s1)
        // Beyond 2^SSIDSIZE: EINVAL from the core's max_pasids.
        #expect(failure { _ = try f.device.attach(pasid: 32, to: s1) } == .EINVAL)
        // RID on a PASID-capable stage-1 domain too.
        _ = try f.device.attach(to: s1)
        _ = try f.device.attach(pasid: 2, to: s1)
        try f.device.detach(pasid: 1)
        try f.device.detach(pasid: 2)
        try f.device.detach()
        // A nested (vSTE) domain has no set_dev_pasid.
        let viommu = try f.viommu(try f.nestParent())
        let nested = try viommu.allocNestedHWPT(device: f.device, data: Self.vste(.bypass), flags: [])
        // A nested (vSTE) HWPT is not PASID-compatible: EINVAL before the driver is asked.
        #expect(failure { _ = try f.device.attach(pasid: 1, to: nested) } == .EINVAL)
    }
}
