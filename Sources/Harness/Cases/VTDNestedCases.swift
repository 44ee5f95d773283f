import IOMMUFD

/// A VT-d nest parent on an IOAS with one page mapped where stage-1 configs point, on a unit
/// whose registers allow nesting; a skip with the registers' reasons otherwise.
private struct VTDNestRig {
    let cap: VTDCapability
    let ecap: VTDExtendedCapability
    let device: VFIODevice
    let ioas: IOAS
    let parent: HWPTPaging

    static let tableIOVA: UInt64 = 0x10_0000

    init(_ t: CaseRun) throws {
        let (cap, ecap, _) = try vtdRegisters(t)
        let verdict = vtdVerdict(t, cap: cap, ecap: ecap)
        guard verdict.canAllocateNestParent else {
            try t.skip("needs ecap.NEST in scalable mode: \(verdict.reasons.joined(separator: "; "))")
        }
        self.cap = VTDCapability(rawValue: cap)
        self.ecap = VTDExtendedCapability(rawValue: ecap)
        device = try t.target.bindDevice(to: t.ctx)
        ioas = try t.ctx.allocIOAS()
        let table = t.buffer(0x1000)
        let ioas = ioas
        try t.ok("MAP a page for the stage-1 root table") { try ioas.map(table, iova: Self.tableIOVA) }
        let device = device
        parent = try t.ok("HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
    }

    func data(_ config: VTDStage1Config) -> HWPTData {
        HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes)
    }

    /// Allocates a nested HWPT for `config` (the driver takes any stage-1 fields here).
    func nested(_ t: CaseRun, _ config: VTDStage1Config, _ what: String) throws -> HWPTNested {
        try t.ok("HWPT_ALLOC nested VTD_S1 (\(what))") {
            try t.ctx.allocNestedHWPT(device: device, parent: parent, data: data(config))
        }
    }

    /// Attaching `config` must succeed when `allowed`, else fail with EINVAL (checked at attach,
    /// by intel_pasid_setup_nested).
    func attach(_ t: CaseRun, _ config: VTDStage1Config, allowed: Bool, _ what: String) throws {
        let hwpt = try nested(t, config, what)
        if allowed {
            try t.ok("attach (\(what))") { _ = try device.attach(to: hwpt) }
            try t.ok("detach") { try device.detach() }
        } else {
            try t.fails(.EINVAL, "attach (\(what))") { _ = try device.attach(to: hwpt) }
        }
    }
}

/// VT-d nested stage-1 rules (drivers/iommu/intel/nested.c, pasid.c), with the expected result
/// read from the decoded CAP/ECAP so that they hold on real units as on the model.
let vtdNestedCases: [TestCase] = [
    TestCase("vendor.vtd_nested_alloc_rules", .vendor, "a nested VT-d HWPT needs data type VTD_S1, exactly 24 bytes and a nest parent; the stage-1 fields are not checked at allocation", needs: [.device, .intelVTD]) { t in
        let rig = try VTDNestRig(t)
        let config = try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fourLevel)
        try t.fails(.EOPNOTSUPP, "HWPT_ALLOC nested with data type ARM_SMMUV3") {
            _ = try t.ctx.allocNestedHWPT(device: rig.device, parent: rig.parent, data: HWPTData(type: HWPTData.typeARMSMMUv3, bytes: config.bytes))
        }
        try t.fails(.EINVAL, "HWPT_ALLOC nested with a 20-byte struct") {
            _ = try t.ctx.allocNestedHWPT(device: rig.device, parent: rig.parent, data: HWPTData(type: HWPTData.typeVTDStage1, bytes: Array(config.bytes.prefix(20))))
        }
        try t.fails(.EINVAL, "HWPT_ALLOC nested with a 32-byte struct") {
            _ = try t.ctx.allocNestedHWPT(device: rig.device, parent: rig.parent, data: HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes + Array(repeating: 0, count: 8)))
        }
        let plain = try t.ok("HWPT_ALLOC without NEST_PARENT") { try t.ctx.allocHWPT(device: rig.device, ioas: rig.ioas) }
        try t.fails(.EINVAL, "HWPT_ALLOC nested on a parent without NEST_PARENT") {
            _ = try t.ctx.allocNestedHWPT(device: rig.device, parent: plain, data: rig.data(config))
        }
        let odd = VTDStage1Config(uncheckedFlags: 0, pageTableAddress: VTDNestRig.tableIOVA, addressWidth: 39, reserved: 1)
        _ = try rig.nested(t, odd, "addr_width 39 and __reserved 1: refused only at attach")
    },
    TestCase("vendor.vtd_nested_address_width", .vendor, "a nested stage-1 attaches with addr_width 48, with 57 exactly when cap.FL5LP, and never with another width", needs: [.device, .intelVTD]) { t in
        let rig = try VTDNestRig(t)
        try rig.attach(t, try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fourLevel), allowed: true, "addr_width 48")
        try rig.attach(t, try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fiveLevel),
                       allowed: rig.cap.firstStage5LevelPaging, "addr_width 57, cap.FL5LP=\(rig.cap.firstStage5LevelPaging ? 1 : 0)")
        try rig.attach(t, VTDStage1Config(uncheckedFlags: 0, pageTableAddress: VTDNestRig.tableIOVA, addressWidth: 39),
                       allowed: false, "addr_width 39")
    },
    TestCase("vendor.vtd_nested_sre_needs_srs", .vendor, "a nested stage-1 with SRE attaches exactly when ecap.SRS", needs: [.device, .intelVTD]) { t in
        let rig = try VTDNestRig(t)
        let config = try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fourLevel, flags: .sre)
        try rig.attach(t, config, allowed: rig.ecap.supervisorRequests, "SRE, ecap.SRS=\(rig.ecap.supervisorRequests ? 1 : 0)")
    },
    TestCase("vendor.vtd_nested_eafe_needs_eafs", .vendor, "a nested stage-1 with EAFE attaches exactly when ecap.EAFS", needs: [.device, .intelVTD]) { t in
        let rig = try VTDNestRig(t)
        let config = try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fourLevel, flags: .eafe)
        try rig.attach(t, config, allowed: rig.ecap.extendedAccessedFlag, "EAFE, ecap.EAFS=\(rig.ecap.extendedAccessedFlag ? 1 : 0)")
    },
    TestCase("vendor.vtd_nested_invalidate_entries", .vendor, "stage-1 invalidation checks each entry (flags, reserved, alignment, all-pages form) and reports how many it handled", needs: [.device, .intelVTD]) { t in
        let rig = try VTDNestRig(t)
        let nested = try rig.nested(t, try VTDStage1Config(pageTableAddress: VTDNestRig.tableIOVA, addressWidth: .fourLevel), "addr_width 48")
        try t.ok("attach the nested HWPT") { _ = try rig.device.attach(to: nested) }
        let good = try VTDStage1Invalidation(address: 0x20_0000, pageCount: 4, leafOnly: true).bytes
        func request(_ entries: [[UInt8]], type: UInt32 = InvalidationRequest.typeVTDStage1, length: UInt32 = 24) -> InvalidationRequest {
            InvalidationRequest(dataType: type, entryLength: length, entries: entries)
        }
        /// The call must fail with `errno` after handling `handled` entries.
        func refused(_ errno: Errno, handled: Int, _ what: String, _ req: InvalidationRequest) throws {
            var seen: Int?
            try t.fails(errno, what) {
                do { _ = try nested.invalidate(req) } catch let error as IOMMUFDError { seen = error.entriesHandled; throw error }
            }
            try t.equal(seen, handled, "entry_num after \(what)")
        }
        let done = try t.ok("invalidate 3 good entries (one is all)") { try nested.invalidate(request([good, VTDStage1Invalidation.all.bytes, good])) }
        try t.equal(done, 3, "entry_num")
        try refused(.EINVAL, handled: 0, "data type ARM_SMMUV3", request([good], type: InvalidationRequest.typeARMSMMUv3))
        try refused(.EOPNOTSUPP, handled: 1, "an unknown flag in entry 2",
                    request([good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: 1, flags: 2).bytes, good]))
        try refused(.EOPNOTSUPP, handled: 2, "__reserved set in entry 3",
                    request([good, good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: 1, flags: 0, reserved: 1).bytes]))
        try refused(.EINVAL, handled: 0, "an address not 4 KiB aligned",
                    request([VTDStage1Invalidation(uncheckedAddress: 0x1800, pageCount: 1, flags: 0).bytes]))
        try refused(.EINVAL, handled: 1, "npages U64_MAX from a non-zero address",
                    request([good, VTDStage1Invalidation(uncheckedAddress: 0x1000, pageCount: .max, flags: 0).bytes]))
        try refused(.EINVAL, handled: 0, "entry_len 20", request([Array(good.prefix(20))], length: 20))
        try t.ok("detach") { try rig.device.detach() }
    },
]
