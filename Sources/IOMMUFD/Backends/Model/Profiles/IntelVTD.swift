// The Intel VT-d driver (drivers/iommu/intel/iommu.c, nested.c, pasid.c) as iommufd sees it,
// driven by one unit's CAP/ECAP registers and the kernel's scalable-mode setting. Every device
// of the backend sits behind a unit with these registers.
//
// What the kernel reads from state the model lacks is derived from the registers: no RMRRs (a
// device lists its own reserved regions), no copied (kdump) context entries, interrupt remapping
// is on exactly when ecap.IR is set, superpages are not turned off on the command line.

/// uAPI numbers of the VT-d driver.
enum VTD {
    /// IOMMU_HW_INFO_TYPE_INTEL_VTD.
    static let hwInfoType: UInt32 = 1
    /// IOMMU_HWPT_DATA_VTD_S1.
    static let hwptDataType: UInt32 = 1
    /// IOMMU_HWPT_INVALIDATE_DATA_VTD_S1.
    static let invalidateType: UInt32 = 0
    /// IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17: set by intel_iommu_hw_info on every unit.
    static let errata772415: UInt32 = 1
    /// sizeof(struct iommu_hw_info_vtd).
    static let hwInfoSize = 24
    /// sizeof(struct iommu_hwpt_vtd_s1); the copy needs it whole (min_last is __reserved).
    static let stage1Size = 24
    /// sizeof(struct iommu_hwpt_vtd_s1_invalidate); also whole.
    static let invalidationSize = 24
    /// enum iommu_hwpt_vtd_s1_flags.
    static let s1SRE: UInt64 = 1
    static let s1EAFE: UInt64 = 2
    /// IOMMU_VTD_INV_FLAGS_LEAF.
    static let invLeaf: UInt32 = 1
    /// ADDR_WIDTH_4LEVEL / ADDR_WIDTH_5LEVEL.
    static let addrWidth4Level: UInt32 = 48
    static let addrWidth5Level: UInt32 = 57
    static let pageSize: UInt64 = 4096
    /// The IOAPIC/MSI window every device reserves (IOAPIC_RANGE_START..IOAPIC_RANGE_END).
    static let msiWindow = ModelDevice.ReservedRegion.x86MSI
}

/// `ffs()`: 1 + the index of the lowest set bit, 0 for 0.
private func ffs(_ v: Int) -> Int { v == 0 ? 0 : v.trailingZeroBitCount + 1 }

/// A `dmar_domain` used for paging: a first-stage (x86-64 format) or second-stage (VT-d SS
/// format) page table.
final class VTDPagingDomain: IOMMUDomain {
    enum Stage { case first, second }
    let stage: Stage
    /// `dmar_domain->nested_parent`.
    let nestParent: Bool
    /// The table's `max_vasz_lg2`.
    let vaszLog2: Int
    /// Second stage: the SAGAW bit the table depth uses (`pt_info.aw`).
    let agawBit: Int
    /// PT_FEAT_DMA_INCOHERENT: table writes are flushed because walks do not snoop.
    let dmaIncoherent: Bool
    /// `dmar_domain->iotlb_sync_map`.
    let iotlbSyncMap: Bool
    /// `force_snooping` (and, second stage, PT_FEAT_VTDSS_FORCE_COHERENCE).
    var forceSnooping = false

    init(driver: IntelIOMMUDriver, stage: Stage, nestParent: Bool, vaszLog2: Int, agawBit: Int,
         pgsizeBitmap: UInt64, dmaIncoherent: Bool, iotlbSyncMap: Bool) {
        self.stage = stage
        self.nestParent = nestParent
        self.vaszLog2 = vaszLog2
        self.agawBit = agawBit
        self.dmaIncoherent = dmaIncoherent
        self.iotlbSyncMap = iotlbSyncMap
        super.init(kind: .paging, driver: driver, pgsizeBitmap: pgsizeBitmap)
        apertureStart = 0
        // A first-stage table sign-extends, and its domain covers only the lower half.
        let apertureBits = stage == .first ? vaszLog2 - 1 : vaszLog2
        apertureEnd = apertureBits >= 64 ? .max : (UInt64(1) << UInt64(apertureBits)) - 1
    }

    private var vtd: IntelIOMMUDriver { unsafeDowncast(driver, to: IntelIOMMUDriver.self) }

    /// `intel_iommu_attach_device`: the domain must suit this unit (`paging_domain_compatible`).
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        if let e = vtd.pagingDomainCompatible(self) { return e }
        dev.attachedDomain = self
        return nil
    }

    override var supportsSetDevPasid: Bool { true }

    /// `intel_iommu_set_dev_pasid`: PASIDs need scalable mode with ecap.PASID (EOPNOTSUPP).
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? {
        if !vtd.pasidSupported { return .EOPNOTSUPP }
        return vtd.pagingDomainCompatible(self)
    }

    /// `intel_iommu_enforce_cache_coherency_{fs,ss}`: every device attached must sit behind a
    /// unit with ecap.SC (with none attached, nothing refuses).
    override func enforceCacheCoherency() -> Bool {
        if stage == .first && forceSnooping { return true }
        if vtd.hasAttachedDevices(self) && !vtd.registers.ecap.snoopControl { return false }
        forceSnooping = true
        return true
    }
}

/// A nested `dmar_domain`: a guest stage-1 table (`struct iommu_hwpt_vtd_s1`) over a nest parent.
final class VTDNestedDomain: IOMMUDomain {
    let parent: VTDPagingDomain
    let s1Flags: UInt64
    let addrWidth: UInt32

    init(driver: IntelIOMMUDriver, parent: VTDPagingDomain, s1Flags: UInt64, addrWidth: UInt32) {
        self.parent = parent
        self.s1Flags = s1Flags
        self.addrWidth = addrWidth
        super.init(kind: .nested, driver: driver, pgsizeBitmap: 0)
    }

    private var vtd: IntelIOMMUDriver { unsafeDowncast(driver, to: IntelIOMMUDriver.self) }

    /// `intel_nested_attach_dev`: the parent must suit this unit, then the PASID entry is set up.
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        if let e = vtd.pagingDomainCompatible(parent) { return e }
        if let e = vtd.setupNested(self) { return e }
        dev.attachedDomain = self
        return nil
    }

    override var supportsSetDevPasid: Bool { true }

    /// `intel_nested_set_dev_pasid`.
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? {
        if !vtd.pasidSupported { return .EOPNOTSUPP }
        if let e = vtd.pagingDomainCompatible(parent) { return e }
        return vtd.setupNested(self)
    }

    override var supportsCacheInvalidate: Bool { true }

    /// `intel_nested_cache_invalidate_user`: type VTD_S1 (EINVAL); per entry: the whole 24-byte
    /// struct, flags ⊆ {LEAF} and __reserved 0 (EOPNOTSUPP), addr 4 KiB aligned and "all pages"
    /// only from 0 (EINVAL). Stops at the first bad entry; entry_num says how many were done.
    override func cacheInvalidateUser(_ array: inout UserDataArray) -> Errno? {
        var processed: UInt32 = 0
        var rc: Errno?
        if array.type != VTD.invalidateType {
            rc = .EINVAL
        } else {
            var index: UInt32 = 0
            while index < array.entryNum {
                var entry: [UInt8] = []
                switch array.copyEntry(index, type: VTD.invalidateType, size: VTD.invalidationSize, minSize: VTD.invalidationSize) {
                case .success(let b): entry = b
                case .failure(let e): rc = e
                }
                if rc != nil { break }
                let addr = entry.u64(0), npages = entry.u64(8), flags = entry.u32(16), reserved = entry.u32(20)
                if flags & ~VTD.invLeaf != 0 || reserved != 0 { rc = .EOPNOTSUPP; break }
                if addr % VTD.pageSize != 0 || (npages == .max && addr != 0) { rc = .EINVAL; break }
                processed += 1
                index += 1
            }
        }
        array.entryNum = processed
        return rc
    }
}

/// The intel-iommu driver (`intel_iommu_ops`) for one set of CAP/ECAP registers.
final class IntelIOMMUDriver: ModelIOMMUDriver {
    let profile: ModelProfile
    unowned let env: ModelEnv
    let registers: VTDRegisters
    /// `intel_iommu_sm`: the kernel wants scalable mode.
    let scalableModeSetting: Bool
    private(set) lazy var blockedDomain: IOMMUDomain = AlwaysAttachingBlockedDomain(driver: self)

    init(profile: ModelProfile, env: ModelEnv, registers: VTDRegisters, scalableMode: Bool) {
        self.profile = profile
        self.env = env
        self.registers = registers
        self.scalableModeSetting = scalableMode
    }

    private var cap: VTDCapability { registers.cap }
    private var ecap: VTDExtendedCapability { registers.ecap }

    /// `sm_supported`: scalable mode wanted and ecap.SMTS.
    var smSupported: Bool { scalableModeSetting && ecap.scalableModeTranslation }
    /// `pasid_supported`: scalable mode and ecap.PASID.
    var pasidSupported: Bool { smSupported && ecap.pasidSupport }
    /// `ssads_supported`: scalable mode, ecap.SLADS and ecap.SMPWC.
    var ssadsSupported: Bool { smSupported && ecap.secondStageAccessedDirty && ecap.scalableModePageWalkCoherency }
    /// `nested_supported`: scalable mode and ecap.NEST.
    var nestedSupported: Bool { smSupported && ecap.nestedTranslation }
    /// `iommu_paging_structure_coherency`: SMPWC in scalable mode, C in legacy mode.
    var pagingStructureCoherency: Bool { smSupported ? ecap.scalableModePageWalkCoherency : ecap.pageWalkCoherency }
    /// `rwbf_required`: cap.RWBF (the quirk for old chipsets does not apply to a model).
    var rwbfRequired: Bool { cap.requiresWriteBufferFlush }
    private var mgaw: Int { cap.maximumGuestAddressWidth }
    private var sagaw: Int { cap.supportedAdjustedGuestAddressWidths }
    private var sslps: Int { cap.secondStageLargePageSupport }

    /// `iommu->iommu.max_pasids`: 2^(PSS+1) when PASIDs are supported.
    var maxPasids: UInt32 {
        guard pasidSupported else { return 0 }
        return UInt32(truncatingIfNeeded: min(UInt64(2) << UInt64(ecap.pasidSizeField), UInt64(1) << 31))
    }

    func hasAttachedDevices(_ domain: IOMMUDomain) -> Bool {
        env.physicalDevices.contains { $0.attachedDomain === domain }
    }

    /// `intel_iommu_capable`.
    func capable(_ dev: PhysicalDevice, _ cap: IOMMUCapability) -> Bool {
        switch cap {
        case .cacheCoherency: true
        case .enforceCacheCoherency: ecap.snoopControl
        case .dirtyTracking: ssadsSupported
        // info->ats_supported: ecap.DT and a PCI device with ATS.
        case .pciATSSupported: ecap.deviceTLB && !dev.isMock && dev.spec.isPCI && dev.spec.ats
        }
    }

    /// MSIs are isolated when interrupt remapping is on (ecap.IR).
    func hasIsolatedMSI(_ dev: PhysicalDevice) -> Bool { ecap.interruptRemapping }

    /// `intel_iommu_hw_info`: DEFAULT or INTEL_VTD; `{flags = ERRATA_772415_SPR17, cap, ecap}`.
    func hwInfo(_ dev: PhysicalDevice, type: inout UInt32) -> Result<[UInt8], Errno>? {
        if type != 0 && type != VTD.hwInfoType { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        var data = [UInt8](repeating: 0, count: VTD.hwInfoSize)
        data.put(0, u32: VTD.errata772415)
        data.put(8, u64: cap.rawValue)
        data.put(16, u64: ecap.rawValue)
        type = VTD.hwInfoType
        return .success(data)
    }

    var hasDomainAllocPagingFlags: Bool { true }

    /// `intel_iommu_domain_alloc_paging_flags`: no user data (EOPNOTSUPP); a first-stage table
    /// when it can serve the flags, else a second-stage one.
    func domainAllocPagingFlags(_ dev: PhysicalDevice, flags: UInt32, userData: UserData?) -> Result<IOMMUDomain, Errno> {
        if userData != nil { return .failure(.EOPNOTSUPP) }
        let first = allocFirstStage(flags: flags)
        if case .failure(.EOPNOTSUPP) = first { return allocSecondStage(flags: flags) }
        return first
    }

    /// `intel_iommu_domain_alloc_first_stage`: flags ⊆ {PASID}, scalable mode with ecap.FLTS.
    private func allocFirstStage(flags: UInt32) -> Result<IOMMUDomain, Errno> {
        if flags & ~HWPTFlag.pasid != 0 { return .failure(.EOPNOTSUPP) }
        if !smSupported || !ecap.firstStageTranslation { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        // compute_vasz_lg2_fs: 5 levels when MGAW passes 48 and cap.FL5LP, else 4.
        let vasz = mgaw > 48 && cap.firstStage5LevelPaging ? min(57, mgaw) : min(48, mgaw)
        var pgsize: UInt64 = (1 << 12) | (1 << 21) | (1 << 30)
        if !cap.firstStage1GiBPages { pgsize &= ~(UInt64(1) << 30) }
        pgsize &= (UInt64(1) << UInt64(vasz - 1)) - 1
        return .success(VTDPagingDomain(driver: self, stage: .first, nestParent: false, vaszLog2: vasz, agawBit: 0,
                                        pgsizeBitmap: pgsize, dmaIncoherent: !ecap.scalableModePageWalkCoherency,
                                        iotlbSyncMap: rwbfRequired))
    }

    /// `compute_vasz_lg2_ss`: the widest table both MGAW and SAGAW allow; 0 when none.
    private func secondStageGeometry() -> (vasz: Int, topLevel: Int) {
        if mgaw > 48 && sagaw >= 1 << 3 { return (min(57, mgaw), 4) }
        if mgaw > 39 && sagaw >= 1 << 2 { return (min(48, mgaw), 3 + ffs(sagaw >> 3)) }
        if mgaw > 30 && sagaw >= 1 << 1 { return (min(39, mgaw), 2 + ffs(sagaw >> 2)) }
        return (0, 0)
    }

    /// `intel_iommu_domain_alloc_second_stage`: flags ⊆ {NEST_PARENT, DIRTY_TRACKING, PASID};
    /// NEST_PARENT needs `nested_supported`, DIRTY_TRACKING `ssads_supported`, and scalable mode
    /// needs ecap.SLTS (all EOPNOTSUPP); no usable table depth fails the table init (EINVAL).
    private func allocSecondStage(flags: UInt32) -> Result<IOMMUDomain, Errno> {
        if flags & ~(HWPTFlag.nestParent | HWPTFlag.dirtyTracking | HWPTFlag.pasid) != 0 { return .failure(.EOPNOTSUPP) }
        let nestParent = flags & HWPTFlag.nestParent != 0
        let dirty = flags & HWPTFlag.dirtyTracking != 0
        if (nestParent && !nestedSupported) || (dirty && !ssadsSupported) { return .failure(.EOPNOTSUPP) }
        if smSupported && !ecap.secondStageTranslation { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        let (vasz, topLevel) = secondStageGeometry()
        if vasz == 0 { return .failure(.EINVAL) }
        var pgsize: UInt64 = (1 << 12) | (1 << 21) | (1 << 30)
        if sslps & 1 == 0 { pgsize &= ~(UInt64(1) << 21) }
        if sslps & 2 == 0 { pgsize &= ~(UInt64(1) << 30) }
        pgsize &= (UInt64(1) << UInt64(vasz - 1)) - 1
        let domain = VTDPagingDomain(driver: self, stage: .second, nestParent: nestParent, vaszLog2: vasz,
                                     agawBit: topLevel - 1, pgsizeBitmap: pgsize,
                                     dmaIncoherent: !pagingStructureCoherency,
                                     iotlbSyncMap: rwbfRequired || cap.cachingMode)
        domain.hasDirtyOps = dirty
        return .success(domain)
    }

    func domainAllocPaging(_ dev: PhysicalDevice) -> Result<IOMMUDomain, Errno> {
        domainAllocPagingFlags(dev, flags: 0, userData: nil)
    }

    /// `paging_domain_compatible`: whether a paging domain can be used on this unit (EINVAL).
    func pagingDomainCompatible(_ d: VTDPagingDomain) -> Errno? {
        switch d.stage {
        case .first:
            if d.hasDirtyOps || d.nestParent { return .EINVAL }
            if !smSupported || !ecap.firstStageTranslation { return .EINVAL }
            if !ecap.scalableModePageWalkCoherency && !d.dmaIncoherent { return .EINVAL }
            if !cap.firstStage5LevelPaging && d.vaszLog2 > 48 { return .EINVAL }
            if !cap.firstStage1GiBPages && d.pgsizeBitmap & (1 << 30) != 0 { return .EINVAL }
            if rwbfRequired && !d.iotlbSyncMap { return .EINVAL }
        case .second:
            if d.hasDirtyOps && !ssadsSupported { return .EINVAL }
            if d.nestParent && !nestedSupported { return .EINVAL }
            if smSupported && !ecap.secondStageTranslation { return .EINVAL }
            if !pagingStructureCoherency && !d.dmaIncoherent { return .EINVAL }
            if mgaw < d.vaszLog2 { return .EINVAL }
            if sagaw & (1 << d.agawBit) == 0 { return .EINVAL }
            if sslps & 1 == 0 && d.pgsizeBitmap & (1 << 21) != 0 { return .EINVAL }
            if sslps & 2 == 0 && d.pgsizeBitmap & (1 << 30) != 0 { return .EINVAL }
            if (rwbfRequired || cap.cachingMode) && !d.iotlbSyncMap { return .EINVAL }
            if d.forceSnooping && !ecap.snoopControl { return .EINVAL }
        }
        return nil
    }

    /// `intel_pasid_setup_nested`'s checks of the stage-1 config against this unit: addr_width
    /// 48, or 57 with cap.FL5LP; SRE needs ecap.SRS; EAFE needs ecap.EAFS (all EINVAL).
    func setupNested(_ d: VTDNestedDomain) -> Errno? {
        switch d.addrWidth {
        case VTD.addrWidth4Level: break
        case VTD.addrWidth5Level: if !cap.firstStage5LevelPaging { return .EINVAL }
        default: return .EINVAL
        }
        if d.s1Flags & VTD.s1SRE != 0 && !ecap.supervisorRequests { return .EINVAL }
        if d.s1Flags & VTD.s1EAFE != 0 && !ecap.extendedAccessedFlag { return .EINVAL }
        return nil
    }

    var hasDomainAllocNested: Bool { true }

    /// `intel_iommu_domain_alloc_nested`: `nested_supported` and flags ⊆ {PASID} (EOPNOTSUPP),
    /// data type VTD_S1 (EOPNOTSUPP), a second-stage nest parent (EINVAL), the whole 24-byte
    /// struct. The stage-1 fields are checked only at attach.
    func domainAllocNested(_ dev: PhysicalDevice, parent: IOMMUDomain, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        if !nestedSupported || flags & ~HWPTFlag.pasid != 0 { return .failure(.EOPNOTSUPP) }
        if userData.type != VTD.hwptDataType { return .failure(.EOPNOTSUPP) }
        guard let s2 = parent as? VTDPagingDomain, s2.stage == .second, s2.nestParent else { return .failure(.EINVAL) }
        let cfg: [UInt8]
        switch userData.copyStruct(type: VTD.hwptDataType, size: VTD.stage1Size, minSize: VTD.stage1Size) {
        case .success(let c): cfg = c
        case .failure(let e): return .failure(e)
        }
        if env.shouldFail() { return .failure(.ENOMEM) }
        return .success(VTDNestedDomain(driver: self, parent: s2, s1Flags: cfg.u64(0), addrWidth: cfg.u32(16)))
    }

    /// No vIOMMU in the 7.2 intel-iommu driver (`get_viommu_size` absent).
    func viommuSize(_ dev: PhysicalDevice, type: UInt32) -> Int? { nil }

    func viommuInit(_ viommu: VIOMMUObject, parent: IOMMUDomain, userData: UserData?, ctx: ModelContext) -> Errno? {
        .EOPNOTSUPP
    }

    func iommuInstance(_ dev: PhysicalDevice) -> Int { dev.isMock ? 0 : dev.spec.iommuInstance }

    /// `intel_iommu_get_resv_regions`: the device's RMRRs (from its own list) and the MSI window.
    func reservedRegions(_ dev: PhysicalDevice) -> [ModelDevice.ReservedRegion] { [VTD.msiWindow] }

    var userPasidTable: Bool { false }
}

extension ModelProfile {
    /// A VT-d unit with these registers; `scalableMode` is the kernel's setting (7.2 defaults to
    /// on: CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON=y; `intel_iommu=sm_off` turns it off).
    public static func intelVTD(cap: UInt64, ecap: UInt64, scalableMode: Bool = true, name: String) -> ModelProfile {
        ModelProfile(hardware: .intelVTD(VTDRegisters(cap: cap, ecap: ecap), scalableMode: scalableMode), name: name)
    }

    /// Sapphire Rapids (4th Gen Xeon Scalable), vector V02: scalable mode, first and second
    /// stage, nesting, second-stage dirty tracking.
    public static let sapphireRapidsVTD = ModelProfile.intelVTD(cap: 0x19ed_008c_4078_0c66, ecap: 0x3_ee9e_86f0_50df,
                                                                 scalableMode: true, name: "sapphire-rapids-vtd")
    /// QEMU's intel-iommu in legacy mode (vector Q1): second stage only, no PASID, nesting or
    /// dirty tracking.
    public static let qemuVTD = ModelProfile.intelVTD(cap: 0x00d2_008c_2226_0286, ecap: 0xf0_0f4a,
                                                       scalableMode: true, name: "qemu-vtd")
    /// QEMU's intel-iommu with `x-scalable-mode=on` (vector Q2): scalable mode, second stage,
    /// no nesting.
    public static let qemuVTDScalable = ModelProfile.intelVTD(cap: 0x00d2_008c_2226_0286, ecap: 0x4800_80f0_0f4a,
                                                               scalableMode: true, name: "qemu-vtd-scalable")
    /// QEMU 11.1's intel-iommu with `x-flts=on,pasid=on` (vector Q6): first stage only, PASIDs.
    public static let qemu11VTDPASID = ModelProfile.intelVTD(cap: 0x81d2_008c_222f_0686, ecap: 0x8d9a_20f0_0f4e,
                                                              scalableMode: true, name: "qemu11-vtd-pasid")

    /// The VT-d registers and scalable-mode setting of a VT-d profile (nil for other hardware).
    public var vtdConfiguration: (registers: VTDRegisters, scalableMode: Bool)? {
        if case .intelVTD(let registers, let scalableMode) = hardware { return (registers, scalableMode) }
        return nil
    }
}
