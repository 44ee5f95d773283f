import CIOMMUFD
import IOMMUFD

/// Whether the kernel command line turns VT-d scalable mode on or off; nil when it says neither.
func scalableModeFromCommandLine(_ commandLine: String?) -> Bool? {
    guard let commandLine else { return nil }
    for word in commandLine.split(separator: " ") where word.hasPrefix("intel_iommu=") {
        let options = word.dropFirst("intel_iommu=".count).split(separator: ",")
        if options.contains("sm_on") { return true }
        if options.contains("sm_off") { return false }
    }
    return nil
}

/// Whether the target runs VT-d scalable mode: on a model target its profile's setting, else the
/// kernel command line (nil when it says neither, and the kernel's default applies).
func vtdScalableMode(_ target: Target) -> Bool? {
    if let profile = target.modelProfile { return profile.vtdConfiguration?.scalableMode }
    return scalableModeFromCommandLine(target.files.readText("/proc/cmdline"))
}

/// What the registers (and the scalable-mode setting) let the kernel do.
func vtdVerdict(_ t: CaseRun, cap: UInt64, ecap: UInt64) -> NestingVerdict {
    NestingVerdict.vtd(cap: VTDCapability(rawValue: cap), ecap: VTDExtendedCapability(rawValue: ecap),
                       scalableModeEnabled: vtdScalableMode(t.target))
}

/// The VT-d registers a device's hw_info carries, or a skip.
func vtdRegisters(_ t: CaseRun) throws -> (cap: UInt64, ecap: UInt64, info: HWInfo) {
    guard let info = t.target.devices.first?.hwInfo, case .intelVTD(_, let cap, let ecap) = info.data else {
        try t.skip(Requirement.intelVTD.description)
    }
    return (cap, ecap, info)
}

/// Vendor rules: what the decoded registers promise must be what the kernel then does.
let vendorCases: [TestCase] = [
    TestCase("hwinfo.vtd_matches_sysfs", .hwinfo, "hw_info of a VT-d device carries the CAP/ECAP that sysfs shows for its IOMMU", needs: [.device, .intelVTD]) { t in
        let (cap, ecap, info) = try vtdRegisters(t)
        guard case .intelVTD(let flags, _, _) = info.data else { return }
        try t.check(flags & 1 == 1, "flags has ERRATA_772415_SPR17, which intel-iommu always sets (\(hex(flags)))")
        try t.equal(info.kernelDataLength, 24, "data_len of iommu_hw_info_vtd")
        if let profile = t.target.modelProfile {
            if let registers = profile.vtdConfiguration?.registers {
                try t.equal(cap, registers.cap.rawValue, "cap of the model profile \(profile.name)")
                try t.equal(ecap, registers.ecap.rawValue, "ecap of the model profile \(profile.name)")
            }
            try t.skip("the target is the software model (profile \(profile.name)): there is no sysfs unit to compare with")
        }
        guard let pci = t.target.devices[0].pciAddress,
              let unitLink = t.target.files.readLink("/sys/bus/pci/devices/\(pci)/iommu") else {
            try t.skip("the device's IOMMU unit is not in sysfs (/sys/bus/pci/devices/BDF/iommu)")
        }
        let unit = FileSystem.baseName(unitLink)
        let sysCap = t.target.files.readText("/sys/class/iommu/\(unit)/intel-iommu/cap").flatMap { UInt64($0, radix: 16) }
        let sysEcap = t.target.files.readText("/sys/class/iommu/\(unit)/intel-iommu/ecap").flatMap { UInt64($0, radix: 16) }
        try t.equal(sysCap, cap, "\(unit) cap in sysfs")
        try t.equal(sysEcap, ecap, "\(unit) ecap in sysfs")
    },
    TestCase("vendor.vtd_nest_parent_follows_ecap", .vendor, "NEST_PARENT allocates exactly when the decoded CAP/ECAP say the IOMMU can nest", needs: [.device, .intelVTD]) { t in
        let (cap, ecap, _) = try vtdRegisters(t)
        let verdict = vtdVerdict(t, cap: cap, ecap: ecap)
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        if verdict.canAllocateNestParent {
            let parent = try t.ok("HWPT_ALLOC NEST_PARENT (the registers allow nesting)") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
            try t.ok("attach the nest parent") { try device.attach(to: parent) }
            try t.ok("detach") { try device.detach() }
        } else {
            try t.fails(.EOPNOTSUPP, "HWPT_ALLOC NEST_PARENT (\(verdict.reasons.joined(separator: "; ")))") {
                _ = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
            }
        }
    },
    TestCase("vendor.vtd_dirty_follows_capability", .vendor, "DIRTY_TRACKING allocates exactly when hw_info reports the dirty capability", needs: [.device, .intelVTD]) { t in
        let (_, _, info) = try vtdRegisters(t)
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        if info.capabilities.contains(.dirtyTracking) {
            let hwpt = try t.ok("HWPT_ALLOC DIRTY_TRACKING (capability reported)") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .dirtyTracking) }
            try t.ok("SET_DIRTY_TRACKING on and off") {
                try hwpt.setDirtyTracking(true)
                try hwpt.setDirtyTracking(false)
            }
        } else {
            try t.fails(.EOPNOTSUPP, "HWPT_ALLOC DIRTY_TRACKING (no dirty capability)") { _ = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .dirtyTracking) }
        }
    },
    TestCase("vendor.vtd_nested_stage1", .vendor, "a VT-d stage-1 config allocates on a nest parent, attaches, and takes invalidations", needs: [.device, .intelVTD]) { t in
        let (cap, ecap, _) = try vtdRegisters(t)
        let verdict = vtdVerdict(t, cap: cap, ecap: ecap)
        guard verdict.canAllocateNestParent else { try t.skip("needs ecap.NEST in scalable mode: \(verdict.reasons.joined(separator: "; "))") }
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        let tables = t.buffer(0x1000)
        try t.ok("MAP a page for the stage-1 root table") { try ioas.map(tables, iova: 0x10_0000) }
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let config = try VTDStage1Config(pageTableAddress: 0x10_0000, addressWidth: .fourLevel)
        let nested = try t.ok("HWPT_ALLOC nested VTD_S1") {
            try t.ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes))
        }
        try t.ok("attach the nested HWPT") { try device.attach(to: nested) }
        try t.ok("invalidate all") {
            try nested.invalidate(InvalidationRequest(dataType: InvalidationRequest.typeVTDStage1, entryLength: 24, entries: [VTDStage1Invalidation.all.bytes]))
        }
        try t.ok("detach") { try device.detach() }
    },
]
