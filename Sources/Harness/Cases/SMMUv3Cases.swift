import IOMMUFD

/// The SMMUv3 ID registers a device's hw_info carries, or a skip.
func smmuv3Registers(_ t: CaseRun) throws -> SMMUv3Registers {
    guard let info = t.target.devices.first?.hwInfo, case .armSMMUv3(_, let idr, let iidr, let aidr) = info.data else {
        try t.skip(Requirement.armSMMUv3.description)
    }
    return SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr)
}

/// The vIOMMU path of an SMMUv3: a nest parent and an ARM_SMMUV3 vIOMMU on it, or a skip when
/// the registers (or the firmware's CANWBS) do not allow one.
private func smmuv3VIOMMU(_ t: CaseRun, _ device: VFIODevice) throws -> (parent: HWPTPaging, viommu: VIOMMU) {
    let regs = try smmuv3Registers(t)
    guard regs.nestingVerdict().canAllocateNestParent else {
        try t.skip("needs S1P and S2P: \(regs.nestingVerdict().reasons.joined(separator: "; "))")
    }
    let ioas = try t.ctx.allocIOAS()
    let parent = try t.ok("HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
    let result: Result<VIOMMU, IOMMUFDError>
    do {
        result = .success(try t.ctx.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue))
    } catch {
        result = .failure(error)
    }
    switch result {
    case .success(let viommu):
        return (parent, viommu)
    case .failure(let error):
        if error.errno == .EOPNOTSUPP && !regs.idr3.stage2ForcedWriteBack {
            try parent.destroy()
            try t.skip("no vIOMMU: IDR3.FWB is 0 and the firmware does not mark the device CANWBS")
        }
        throw error
    }
}

/// The vSTE in HWPT_ALLOC data.
private func vsteData(_ ste: SMMUv3VSTE) -> HWPTData { HWPTData(type: SMMUv3VSTE.hwptDataType, bytes: ste.bytes) }

/// One vIOMMU invalidation of `commands`; the error it fails with, or nil.
private func smmuv3Invalidate(_ viommu: VIOMMU, _ commands: [SMMUv3Command]) -> IOMMUFDError? {
    do {
        _ = try viommu.invalidate(InvalidationRequest(dataType: SMMUv3Command.invalidationDataType,
                                                      entryLength: UInt32(SMMUv3Command.size), entries: commands.map(\.bytes)))
        return nil
    } catch {
        return error
    }
}

/// arm-smmu-v3's iommufd rules, with expectations taken from the decoded ID registers.
let smmuv3Cases: [TestCase] = [
    TestCase("vendor.smmuv3_nest_parent_follows_idr0", .vendor, "NEST_PARENT allocates exactly when IDR0 has both S1P and S2P", needs: [.device, .armSMMUv3]) { t in
        let regs = try smmuv3Registers(t)
        let verdict = regs.nestingVerdict()
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        if verdict.canAllocateNestParent {
            let parent = try t.ok("HWPT_ALLOC NEST_PARENT (S1P and S2P)") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
            try t.ok("attach the nest parent (a stage-2 domain)") { try device.attach(to: parent) }
            try t.ok("detach") { try device.detach() }
        } else {
            try t.fails(.EOPNOTSUPP, "HWPT_ALLOC NEST_PARENT (\(verdict.reasons.joined(separator: "; ")))") {
                _ = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
            }
        }
        try t.fails(.EOPNOTSUPP, "HWPT_ALLOC NEST_PARENT|PASID (not a combination the driver takes)") {
            _ = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: [.nestParent, .pasid])
        }
    },
    TestCase("vendor.smmuv3_viommu_follows_fwb", .vendor, "an ARM_SMMUV3 vIOMMU exists with S2FWB (or a CANWBS device) and otherwise fails EOPNOTSUPP", needs: [.device, .armSMMUv3]) { t in
        let regs = try smmuv3Registers(t)
        guard regs.nestingVerdict().canAllocateNestParent else { try t.skip("needs S1P and S2P for a nest parent") }
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let result: Result<VIOMMU, IOMMUFDError>
        do {
            result = .success(try t.ctx.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue))
        } catch let error as IOMMUFDError {
            result = .failure(error)
        }
        switch result {
        case .success(let viommu):
            try t.check(true, regs.idr3.stage2ForcedWriteBack ? "VIOMMU_ALLOC with IDR3.FWB" : "VIOMMU_ALLOC without IDR3.FWB: the device is CANWBS")
            try viommu.destroy()
        case .failure(let error):
            try t.check(!regs.idr3.stage2ForcedWriteBack, "VIOMMU_ALLOC must succeed with IDR3.FWB, got \(error)")
            try t.equal(error.errno, .EOPNOTSUPP, "VIOMMU_ALLOC without FWB or CANWBS")
        }
        let s1 = try t.ctx.allocHWPT(device: device, ioas: ioas)
        if regs.idr0.stage1 {
            // The core asks the driver for the vIOMMU's size before it looks at the HWPT: where
            // the SMMU cannot host one at all, that answer (EOPNOTSUPP) comes first.
            let hosts = (try? result.get()) != nil
            try t.fails(hosts ? .EINVAL : .EOPNOTSUPP, "VIOMMU_ALLOC on a HWPT that is not a nest parent") {
                _ = try t.ctx.allocVIOMMU(device: device, parent: s1, type: VIOMMUType.armSMMUv3.rawValue)
            }
        }
    },
    TestCase("vendor.smmuv3_nested_only_via_viommu", .vendor, "a vSTE nested HWPT allocates on the vIOMMU and not on the nest parent itself", needs: [.device, .armSMMUv3]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let (parent, viommu) = try smmuv3VIOMMU(t, device)
        try t.fails(.EOPNOTSUPP, "nested HWPT_ALLOC on the nest parent (no domain_alloc_nested)") {
            _ = try t.ctx.allocNestedHWPT(device: device, parent: parent, data: vsteData(.bypass))
        }
        let nested = try t.ok("nested HWPT_ALLOC on the vIOMMU (bypass vSTE)") { try viommu.allocNestedHWPT(device: device, data: vsteData(.bypass)) }
        try t.fails(.EOPNOTSUPP, "nested HWPT_ALLOC with PASID (flags must be 0)") {
            _ = try viommu.allocNestedHWPT(device: device, data: vsteData(.bypass), flags: .pasid)
        }
        try nested.destroy()
        try viommu.destroy()
    },
    TestCase("vendor.smmuv3_vste_rules", .vendor, "vSTEs outside the nesting whitelist, with another Config or with EATS=S1CHK fail EIO; V=0 is accepted", needs: [.device, .armSMMUv3]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let (_, viommu) = try smmuv3VIOMMU(t, device)
        let rejected: [(String, SMMUv3VSTE)] = [
            ("Config=S2 translate (6)", SMMUv3VSTE(uncheckedWord0: 1 | 6 << 1, word1: 0)),
            ("Config=reserved (1)", SMMUv3VSTE(uncheckedWord0: 1 | 1 << 1, word1: 0)),
            ("dword 1 bit 40 (a stage-2 field)", SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 1 << 40)),
            ("EATS=2 (S1CHK)", SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 2 << 28)),
        ]
        for (what, ste) in rejected {
            try t.check(ste.kernelRejects, "the payload builder also rejects \(what)")
            try t.fails(.EIO, "nested HWPT_ALLOC with \(what)") { _ = try viommu.allocNestedHWPT(device: device, data: vsteData(ste)) }
        }
        for (what, ste) in [("V=0 with other bits set", SMMUv3VSTE(uncheckedWord0: 6 << 1, word1: 1 << 40)), ("abort", SMMUv3VSTE.abort)] {
            let hwpt = try t.ok("nested HWPT_ALLOC with \(what)") { try viommu.allocNestedHWPT(device: device, data: vsteData(ste)) }
            try hwpt.destroy()
        }
        try viommu.destroy()
    },
    TestCase("vendor.smmuv3_translate_needs_vdevice", .vendor, "a translating vSTE attaches only once the device has a vDEVICE; bypass attaches without", needs: [.device, .armSMMUv3]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let (_, viommu) = try smmuv3VIOMMU(t, device)
        let translate = try viommu.allocNestedHWPT(device: device, data: vsteData(try SMMUv3VSTE.translate(contextDescriptorTable: 0x10_0000)))
        let bypass = try viommu.allocNestedHWPT(device: device, data: vsteData(.bypass))
        try t.fails(.ENOENT, "attach a translating vSTE without a vDEVICE") { _ = try device.attach(to: translate) }
        try t.ok("attach a bypass vSTE without a vDEVICE") { _ = try device.attach(to: bypass) }
        let vdevice = try t.ok("VDEVICE_ALLOC vSID 0x42") { try viommu.allocVDevice(device: device, virtualID: 0x42) }
        try t.ok("attach the translating vSTE with the vDEVICE") { _ = try device.attach(to: translate) }
        try t.ok("detach") { try device.detach() }
        try vdevice.destroy()
        try translate.destroy()
        try bypass.destroy()
        try viommu.destroy()
    },
    TestCase("vendor.smmuv3_invalidate_opcodes", .vendor, "the vIOMMU takes the guest TLBI/CFGI_CD/ATC_INV commands for known vSIDs and fails others EIO, counting what it handled", needs: [.device, .armSMMUv3]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let (_, viommu) = try smmuv3VIOMMU(t, device)
        let vdevice = try viommu.allocVDevice(device: device, virtualID: 0x42)
        let accepted: [SMMUv3Command] = [
            .tlbiNSNHAll, .tlbiNHAll,
            try SMMUv3Command(.tlbiNHASID(asid: 1)),
            try SMMUv3Command(.tlbiNHVA(asid: 1, address: 0x40_0000, leaf: true)),
            try SMMUv3Command(.tlbiNHVAA(address: 0x40_0000)),
            try SMMUv3Command(.cfgiCD(streamID: 0x42, substreamID: 0)),
            try SMMUv3Command(.cfgiCDAll(streamID: 0x42)),
        ]
        let handled = try t.ok("INVALIDATE with the \(accepted.count) accepted commands") {
            try viommu.invalidate(InvalidationRequest(dataType: SMMUv3Command.invalidationDataType,
                                                      entryLength: UInt32(SMMUv3Command.size), entries: accepted.map(\.bytes)))
        }
        try t.equal(handled, accepted.count, "entries handled")
        let refused: [(String, SMMUv3Command)] = [
            ("CFGI_STE", SMMUv3Command(rawOpcode: 0x03)),
            ("TLBI_S12_VMALL", SMMUv3Command(rawOpcode: 0x28)),
            ("CFGI_CD for vSID 0x99 (no vDEVICE)", try SMMUv3Command(.cfgiCD(streamID: 0x99, substreamID: 0))),
        ]
        for (what, command) in refused {
            let error = smmuv3Invalidate(viommu, [command])
            try t.equal(error?.errno, .EIO, "INVALIDATE \(what)")
            try t.equal(error?.entriesHandled, 0, "\(what): entries handled")
        }
        let mixed = smmuv3Invalidate(viommu, [.tlbiNHAll, SMMUv3Command(rawOpcode: 0x03)])
        try t.equal(mixed?.errno, .EIO, "INVALIDATE TLBI_NH_ALL then CFGI_STE")
        try t.equal(mixed?.entriesHandled, 1, "TLBI_NH_ALL then CFGI_STE: entries handled")
        try vdevice.destroy()
        try viommu.destroy()
    },
]
