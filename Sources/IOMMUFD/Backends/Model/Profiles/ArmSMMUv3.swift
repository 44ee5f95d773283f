// The Arm SMMUv3 driver of the model (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c and
// arm-smmu-v3-iommufd.c, Linux 7.2): what the probe derives from IDR0-5 and IIDR, the S1/S2
// paging domains (NEST_PARENT is an S2 domain), the vIOMMU of type ARM_SMMUV3 with its
// vSTE-based nested domains and its command-queue invalidation (vSID to SID, VMID forced).
//
// Where the kernel reads firmware rather than registers, the profile's registers stand in:
// coherency is IDR0.COHACC, the HTTU features are IDR0.HTTU (as on a DT system), PCI ATS needs
// IDR0.ATS and the device's own ATS, CANWBS is a profile flag (the IORT memory-access flag).

// MARK: - Probe

/// The driver's view of one SMMU (`struct arm_smmu_device` features), from its ID registers.
struct SMMUv3Features: Hashable {
    let registers: SMMUv3Registers
    /// ARM_SMMU_FEAT_TRANS_S1 / TRANS_S2.
    let stage1: Bool
    let stage2: Bool
    /// ARM_SMMU_FEAT_NESTING: both stages, unless an erratum of the MMU-600/700 removed it.
    let nesting: Bool
    /// ARM_SMMU_OPT_CMDQ_FORCE_SYNC (MMU-700 before r1p1).
    let forceSync: Bool
    /// ARM_SMMU_FEAT_S2FWB (IDR3.FWB).
    let s2fwb: Bool
    /// ARM_SMMU_FEAT_ATS (IDR0.ATS; the kernel config has CONFIG_PCI_ATS).
    let ats: Bool
    /// ARM_SMMU_FEAT_HD: IDR0.HTTU is "access and dirty" or more.
    let hardwareDirty: Bool
    /// ARM_SMMU_FEAT_COHERENCY.
    let coherent: Bool
    /// ARM_SMMU_FEAT_2_LVL_CDTAB.
    let twoLevelCD: Bool
    /// ARM_SMMU_FEAT_VAX: 52-bit input addresses for stage 1.
    let vax: Bool
    /// STALL_MODEL is "stall forced": every master stalls (`master->stall_enabled`).
    let stallForce: Bool
    let ssidBits: Int
    let oas: Int
    let asidBits: Int
    let vmidBits: Int
    /// `smmu->pgsize_bitmap` from IDR5.GRAN* and OAS.
    let pgsizeBitmap: UInt64

    init(_ r: SMMUv3Registers) {
        registers = r
        let idr0 = r.idr0.rawValue
        stage2 = idr0 & 1 != 0
        stage1 = idr0 & 2 != 0
        ats = idr0 & (1 << 10) != 0
        hardwareDirty = (idr0 >> 6) & 3 >= 2
        coherent = idr0 & (1 << 4) != 0
        twoLevelCD = idr0 & (1 << 19) != 0
        stallForce = (idr0 >> 24) & 3 == 2
        asidBits = idr0 & (1 << 12) != 0 ? 16 : 8
        vmidBits = idr0 & (1 << 18) != 0 ? 16 : 8
        ssidBits = Int((r.idr1.rawValue >> 6) & 0x1f)
        s2fwb = r.idr3.rawValue & (1 << 8) != 0
        let idr5 = r.idr5.rawValue
        vax = (idr5 >> 10) & 3 == 1
        var sizes: UInt64 = 0
        if idr5 & (1 << 6) != 0 { sizes |= 0x1_0000 | 0x2000_0000 }
        if idr5 & (1 << 5) != 0 { sizes |= 0x4000 | 0x200_0000 }
        if idr5 & (1 << 4) != 0 { sizes |= 0x1000 | 0x20_0000 | 0x4000_0000 }
        var oasBits = 48
        switch idr5 & 7 {
        case 0: oasBits = 32
        case 1: oasBits = 36
        case 2: oasBits = 40
        case 3: oasBits = 42
        case 4: oasBits = 44
        case 6:
            oasBits = 52
            sizes |= 1 << 42
        default: oasBits = 48
        }
        oas = oasBits
        pgsizeBitmap = sizes

        // arm_smmu_device_iidr_probe: the Arm MMU-600 and MMU-700 errata.
        let iidr = r.iidr.rawValue
        let implementer = iidr & 0xfff, product = iidr >> 20
        let variant = (iidr >> 16) & 0xf, revision = (iidr >> 12) & 0xf
        var nest = stage1 && stage2
        var sync = false
        if implementer == 0x43b {
            if product == 0x483 && variant < 2 { nest = false }
            if product == 0x487 && (variant < 1 || revision < 1) {
                sync = true
                nest = false
            }
        }
        nesting = nest
        forceSync = sync
    }

    /// `arm_lpae_restrict_pgsizes`: the sizes of the granule matching the kernel page size (or
    /// the nearest one), and the address bits that granule allows.
    func pageTableSizes(pageSize: UInt64, ias: Int) -> (bitmap: UInt64, ias: Int) {
        let pageMask = ~(pageSize - 1)
        var granule: UInt64 = 0
        if pgsizeBitmap & pageSize != 0 {
            granule = pageSize
        } else if pgsizeBitmap & ~pageMask != 0 {
            granule = 1 << (63 - (pgsizeBitmap & ~pageMask).leadingZeroBitCount)
        } else if pgsizeBitmap & pageMask != 0 {
            granule = lowestBit(pgsizeBitmap & pageMask)
        }
        var maxBits = 48
        var sizes: UInt64
        switch granule {
        case 0x1000: sizes = 0x1000 | 0x20_0000 | 0x4000_0000
        case 0x4000: sizes = 0x4000 | 0x200_0000
        case 0x1_0000:
            maxBits = 52
            sizes = 0x1_0000 | 0x2000_0000
            if oas > 48 { sizes |= 1 << 42 }
        default: sizes = 0
        }
        return (pgsizeBitmap & sizes, min(ias, maxBits))
    }
}

/// The per-device driver state (`struct arm_smmu_master`).
final class SMMUv3Master {
    /// The SubstreamIDs with a CD installed (`cd_table.used_ssids`).
    var ssids: Set<UInt32> = []
    /// The vSID of the vIOMMU the device is attached through (`master->vmaster`).
    weak var vmasterVIOMMU: VIOMMUObject?
    var vmasterVSID: UInt64 = 0
    /// ATS enabled by the last nested attach's EATS (`ste_ats_enabled`).
    var atsEnabled = false
}

// MARK: - Domains

/// A paging domain of the SMMU (`struct arm_smmu_domain`): stage 1 (ASID) or stage 2 (VMID).
final class SMMUv3PagingDomain: IOMMUDomain {
    enum Stage { case s1, s2 }
    let stage: Stage
    let nestParent: Bool
    /// `smmu_domain->smmu`.
    let instance: Int
    /// The ASID (stage 1) or VMID (stage 2) the domain holds.
    let tag: UInt32
    /// `enforce_cache_coherency`.
    var enforceCoherent = false
    /// The attached (device, SSID) pairs (`smmu_domain->devices`).
    var attached: [(dev: ObjectIdentifier, ssid: UInt32)] = []

    var smmu: ArmSMMUv3Driver { unsafeDowncast(driver, to: ArmSMMUv3Driver.self) }

    init(driver: ArmSMMUv3Driver, stage: Stage, nestParent: Bool, instance: Int, tag: UInt32,
         pgsizeBitmap: UInt64, ias: Int, dirty: Bool) {
        self.stage = stage
        self.nestParent = nestParent
        self.instance = instance
        self.tag = tag
        super.init(kind: .paging, driver: driver, pgsizeBitmap: pgsizeBitmap)
        apertureStart = 0
        apertureEnd = ias >= 64 ? .max : (1 << UInt64(ias)) - 1
        hasDirtyOps = dirty && stage == .s1
    }

    func removeAttachment(_ dev: PhysicalDevice, ssid: UInt32) {
        if let i = attached.firstIndex(where: { $0.dev == ObjectIdentifier(dev) && $0.ssid == ssid }) {
            attached.remove(at: i)
        }
    }

    /// `arm_smmu_attach_dev`: another SMMU's domain is EINVAL; a stage-2 domain cannot replace a
    /// CD table with PASIDs in use (EBUSY); a coherency-enforcing domain takes only CANWBS
    /// masters (EINVAL, in `arm_smmu_attach_prepare`).
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        let smmu = smmu
        if instance != smmu.iommuInstance(dev) { return .EINVAL }
        let master = smmu.master(dev)
        if stage == .s2 && !master.ssids.isEmpty { return .EBUSY }
        if enforceCoherent && !smmu.canWBS { return .EINVAL }
        smmu.commitAttach(dev, ssid: K.noPASID, new: self, old: old)
        master.vmasterVIOMMU = nil
        master.vmasterVSID = 0
        return nil
    }

    override var supportsSetDevPasid: Bool { true }

    /// `arm_smmu_s1_set_dev_pasid` / `arm_smmu_set_pasid`: only a stage-1 domain of this SMMU
    /// (EINVAL), and only while the RID uses a CD table or is blocked (EINVAL otherwise).
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? {
        let smmu = smmu
        if instance != smmu.iommuInstance(dev) { return .EINVAL }
        if stage != .s1 { return .EINVAL }
        let rid = IOMMUCore.attachedDomain(dev, pasid: K.noPASID)
        if let rid, !((rid as? SMMUv3PagingDomain)?.stage == .s1) { return .EINVAL }
        if enforceCoherent && !smmu.canWBS { return .EINVAL }
        smmu.master(dev).ssids.insert(pasid)
        smmu.commitAttach(dev, ssid: pasid, new: self, old: old)
        return nil
    }

    /// `arm_smmu_enforce_cache_coherency`: true when every attached master is CANWBS.
    override func enforceCacheCoherency() -> Bool {
        enforceCoherent = smmu.canWBS || attached.isEmpty
        return enforceCoherent
    }

    override func free() { smmu.releaseTag(stage: stage, instance: instance, tag) }
}

/// `arm_smmu_blocked_domain`.
final class SMMUv3BlockedDomain: IOMMUDomain {
    init(driver: ArmSMMUv3Driver) { super.init(kind: .blocked, driver: driver, pgsizeBitmap: 0) }

    /// `arm_smmu_attach_dev_blocked`: an abort STE; never fails.
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        let smmu = unsafeDowncast(driver, to: ArmSMMUv3Driver.self)
        let master = smmu.master(dev)
        master.vmasterVIOMMU = nil
        master.vmasterVSID = 0
        master.atsEnabled = false
        smmu.commitAttach(dev, ssid: K.noPASID, new: nil, old: old)
        return nil
    }

    override var supportsSetDevPasid: Bool { true }

    /// `arm_smmu_blocking_set_dev_pasid`: the PASID's CD is cleared.
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? {
        let smmu = unsafeDowncast(driver, to: ArmSMMUv3Driver.self)
        smmu.master(dev).ssids.remove(pasid)
        smmu.commitAttach(dev, ssid: pasid, new: nil, old: old)
        return nil
    }
}

/// `struct arm_smmu_nested_domain`: a guest STE (dwords 0 and 1) on a vIOMMU.
final class SMMUv3NestedDomain: IOMMUDomain {
    let vsmmu: ArmVSMMU
    unowned let viommu: VIOMMUObject
    /// The validated vSTE (EATS cleared; all zero when V was 0).
    let ste: (UInt64, UInt64)
    let enableATS: Bool

    init(driver: ArmSMMUv3Driver, vsmmu: ArmVSMMU, viommu: VIOMMUObject, ste: (UInt64, UInt64), enableATS: Bool) {
        self.vsmmu = vsmmu
        self.viommu = viommu
        self.ste = ste
        self.enableATS = enableATS
        super.init(kind: .nested, driver: driver, pgsizeBitmap: 0)
    }

    /// The vSTE's Config field.
    var config: UInt64 { (ste.0 >> 1) & 7 }

    /// `arm_smmu_attach_dev_nested`: the vIOMMU's SMMU (EINVAL), no PASIDs in use (EBUSY), and a
    /// translating vSTE needs the device's vDEVICE (ENOENT, `arm_smmu_attach_prepare_vmaster`);
    /// abort and bypass attach without one.
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        let smmu = unsafeDowncast(driver, to: ArmSMMUv3Driver.self)
        if vsmmu.instance != smmu.iommuInstance(dev) { return .EINVAL }
        let master = smmu.master(dev)
        if !master.ssids.isEmpty { return .EBUSY }
        let vsid = viommu.vdevID(of: dev)
        if vsid == nil && config != SMMUv3STE.cfgAbort && config != SMMUv3STE.cfgBypass { return .ENOENT }
        if vsid != nil && smmu.env.shouldFail() { return .ENOMEM }  // the vmaster
        if smmu.env.shouldFail() { return .ENOMEM }  // the master_domain
        if vsmmu.s2Parent.enforceCoherent && !smmu.canWBS { return .EINVAL }
        master.vmasterVIOMMU = vsid == nil ? nil : viommu
        master.vmasterVSID = vsid ?? 0
        master.atsEnabled = config == SMMUv3STE.cfgS1Translate ? enableATS && smmu.capable(dev, .pciATSSupported)
                                                                 : smmu.capable(dev, .pciATSSupported)
        // The S2 parent's device list holds the master (to_smmu_domain_devices).
        smmu.commitAttach(dev, ssid: K.noPASID, new: vsmmu.s2Parent, old: old)
        return nil
    }
}

/// STE and command-queue encodings (arm-smmu-v3.h).
enum SMMUv3STE {
    static let valid: UInt64 = 1
    static let cfgAbort: UInt64 = 0
    static let cfgBypass: UInt64 = 4
    static let cfgS1Translate: UInt64 = 5
    /// Dword 0: V, Config, S1Fmt, S1ContextPtr, S1CDMax.
    static let nestingAllowed0: UInt64 = 1 | 0xe | 0x30 | (((1 << 46) - 1) << 6) | (0x1f << 59)
    /// Dword 1: S1DSS, S1CIR, S1COR, S1CSH, S1STALLD, EATS.
    static let nestingAllowed1: UInt64 = 0x3 | 0xc | 0x30 | 0xc0 | (1 << 27) | (3 << 28)
    static let eatsMask: UInt64 = 3 << 28

    /// `arm_smmu_validate_vste`: V=0 becomes an all-zero STE; any bit outside the allowed masks,
    /// a Config other than abort/bypass/S1-translate, or EATS other than ABT/TRANS is EIO.
    /// Returns the STE with EATS cleared and whether a translating STE asked for ATS.
    static func validate(_ w0: UInt64, _ w1: UInt64) -> Result<(UInt64, UInt64, Bool), Errno> {
        if w0 & valid == 0 { return .success((0, 0, false)) }
        if w0 & ~nestingAllowed0 != 0 || w1 & ~nestingAllowed1 != 0 { return .failure(.EIO) }
        let cfg = (w0 >> 1) & 7
        if cfg != cfgAbort && cfg != cfgBypass && cfg != cfgS1Translate { return .failure(.EIO) }
        let eats = (w1 >> 28) & 3
        if eats > 1 { return .failure(.EIO) }
        return .success((w0, w1 & ~eatsMask, cfg == cfgS1Translate && eats == 1))
    }
}

enum SMMUv3Cmd {
    static let cfgiCD: UInt64 = 0x05
    static let cfgiCDAll: UInt64 = 0x06
    static let tlbiNHAll: UInt64 = 0x10
    static let tlbiNHASID: UInt64 = 0x11
    static let tlbiNHVA: UInt64 = 0x12
    static let tlbiNHVAA: UInt64 = 0x13
    static let tlbiNSNHAll: UInt64 = 0x30
    static let atcInv: UInt64 = 0x40
    static let vmidMask: UInt64 = 0xffff << 32
    static let sidMask: UInt64 = 0xffff_ffff << 32
    /// `CMDQ_BATCH_ENTRIES` is 64 on 4 KiB-page kernels (BITS_PER_LONG).
    static let batchEntries = 64
}

// MARK: - vIOMMU

/// `struct arm_vsmmu` and `arm_vsmmu_ops`: a vIOMMU of type ARM_SMMUV3 on an S2 parent.
final class ArmVSMMU: VIOMMUDriverOps {
    unowned let driver: ArmSMMUv3Driver
    let s2Parent: SMMUv3PagingDomain
    let instance: Int
    /// The parent's VMID, forced into every TLBI the guest sends.
    let vmid: UInt32
    init(driver: ArmSMMUv3Driver, s2Parent: SMMUv3PagingDomain) {
        self.driver = driver
        self.s2Parent = s2Parent
        self.instance = s2Parent.instance
        self.vmid = s2Parent.tag
    }

    func destroy(_ viommu: VIOMMUObject, ctx: ModelContext) {}

    var hasAllocDomainNested: Bool { true }

    /// `arm_vsmmu_alloc_domain_nested`: flags 0 (EOPNOTSUPP); a 16-byte vSTE of type
    /// ARM_SMMUV3 (EINVAL); `arm_smmu_validate_vste` (EIO).
    func allocDomainNested(_ viommu: VIOMMUObject, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        if flags != 0 { return .failure(.EOPNOTSUPP) }
        let bytes: [UInt8]
        switch userData.copyStruct(type: ArmSMMUv3Driver.hwptDataType, size: 16, minSize: 16) {
        case .success(let b): bytes = b
        case .failure(let e): return .failure(e)
        }
        let ste: (UInt64, UInt64, Bool)
        switch SMMUv3STE.validate(bytes.u64(0), bytes.u64(8)) {
        case .success(let s): ste = s
        case .failure(let e): return .failure(e)
        }
        if driver.env.shouldFail() { return .failure(.ENOMEM) }
        return .success(SMMUv3NestedDomain(driver: driver, vsmmu: self, viommu: viommu, ste: (ste.0, ste.1), enableATS: ste.2))
    }

    var hasCacheInvalidate: Bool { true }

    /// `arm_vsmmu_cache_invalidate`: the whole array is copied first (type ARM_SMMUV3 and at
    /// least one entry, EINVAL; E2BIG for a longer entry with a non-zero tail), then each
    /// command is converted in order; the first one that is not accepted stops the call with
    /// EIO, and `entry_num` says how many were converted before it.
    func cacheInvalidate(_ viommu: VIOMMUObject, array: inout UserDataArray, ctx: ModelContext) -> Errno? {
        if array.entryNum > 0 && ctx.env.shouldFail() {
            array.entryNum = 0
            return .ENOMEM
        }
        let entries: [[UInt8]]
        switch array.copyAll(type: ArmSMMUv3Driver.invalidateDataType, size: 16) {
        case .success(let e): entries = e
        case .failure(let e):
            array.entryNum = 0
            return e
        }
        var done: UInt32 = 0
        var batch: [(UInt64, UInt64)] = []
        for entry in entries {
            guard let command = convert(entry.u64(0), entry.u64(8), viommu: viommu) else {
                driver.issue(batch, instance: instance)
                array.entryNum = done
                return .EIO
            }
            batch.append(command)
            done += 1
            if batch.count == SMMUv3Cmd.batchEntries - 1 {
                driver.issue(batch, instance: instance)
                batch.removeAll()
            }
        }
        driver.issue(batch, instance: instance)
        array.entryNum = done
        return nil
    }

    /// `arm_vsmmu_convert_user_cmd`: TLBI_NSNH_ALL becomes TLBI_NH_ALL; the TLBI_NH_* commands
    /// get the vIOMMU's VMID; ATC_INV and CFGI_CD(_ALL) have their vSID replaced by the
    /// device's StreamID (a vSID without a vDEVICE is refused); anything else is refused.
    func convert(_ w0: UInt64, _ w1: UInt64, viommu: VIOMMUObject) -> (UInt64, UInt64)? {
        switch w0 & 0xff {
        case SMMUv3Cmd.tlbiNSNHAll:
            return (SMMUv3Cmd.tlbiNHAll | UInt64(vmid) << 32, 0)
        case SMMUv3Cmd.tlbiNHVA, SMMUv3Cmd.tlbiNHVAA, SMMUv3Cmd.tlbiNHAll, SMMUv3Cmd.tlbiNHASID:
            return ((w0 & ~SMMUv3Cmd.vmidMask) | UInt64(vmid) << 32, w1)
        case SMMUv3Cmd.atcInv, SMMUv3Cmd.cfgiCD, SMMUv3Cmd.cfgiCDAll:
            let vsid = w0 >> 32
            guard let dev = viommu.findDevice(virtID: vsid) else { return nil }
            return ((w0 & ~SMMUv3Cmd.sidMask) | UInt64(ArmSMMUv3Driver.streamID(dev)) << 32, w1)
        default:
            return nil
        }
    }

    /// No HW queue ops.
    func hwQueueSize(_ viommu: VIOMMUObject, type: UInt32) -> Int? { nil }
    func hwQueueInit(_ queue: HWQueueObject, index: UInt32, basePA: UInt64, ctx: ModelContext) -> Errno? { .EOPNOTSUPP }
    func hwQueueDestroy(_ queue: HWQueueObject, ctx: ModelContext) {}
}

// MARK: - Driver

/// `arm_smmu_ops` for one or more SMMUs with the same registers (one per `iommuInstance`).
final class ArmSMMUv3Driver: ModelIOMMUDriver {
    static let hwInfoType: UInt32 = 2
    static let hwptDataType: UInt32 = 2
    static let invalidateDataType: UInt32 = 1
    static let viommuType: UInt32 = 1
    /// MSI_IOVA_BASE / MSI_IOVA_LENGTH: the software MSI window every master reports.
    static let msiIOVABase: UInt64 = 0x800_0000
    static let msiIOVALength: UInt64 = 0x10_0000

    let profile: ModelProfile
    unowned let env: ModelEnv
    let features: SMMUv3Features
    /// The root complexes carry the IORT CANWBS memory-access flag.
    let canWBS: Bool
    private(set) lazy var blockedDomain: IOMMUDomain = SMMUv3BlockedDomain(driver: self)
    private var masters: [ObjectIdentifier: SMMUv3Master] = [:]
    /// Allocated ASIDs (global, `arm_smmu_asid_xa`) and VMIDs (per SMMU instance).
    private var asids: Set<UInt32> = []
    private var vmids: [Int: Set<UInt32>] = [:]

    init(profile: ModelProfile, registers: SMMUv3Registers, canWBS: Bool, env: ModelEnv) {
        self.profile = profile
        self.env = env
        self.features = SMMUv3Features(registers)
        self.canWBS = canWBS
    }

    /// `smmu->iommu.max_pasids`: 2^SSIDSIZE.
    var maxPasids: UInt32 { UInt32(1) << UInt32(min(features.ssidBits, 20)) }

    func master(_ dev: PhysicalDevice) -> SMMUv3Master {
        if let m = masters[ObjectIdentifier(dev)] { return m }
        let m = SMMUv3Master()
        masters[ObjectIdentifier(dev)] = m
        return m
    }

    /// The master's StreamID: the PCI requester ID (QEMU's IORT maps RIDs 1:1); a platform
    /// device's index.
    static func streamID(_ dev: PhysicalDevice) -> UInt32 {
        if dev.isMock || !dev.spec.isPCI { return UInt32(dev.index) }
        let parts = dev.spec.pciAddress.split(separator: ":")
        guard parts.count == 3 else { return 0 }
        let devFn = parts[2].split(separator: ".")
        let bus = UInt32(parts[1], radix: 16) ?? 0
        let slot = UInt32(devFn.first ?? "0", radix: 16) ?? 0
        let fn = UInt32(devFn.count > 1 ? devFn[1] : "0", radix: 16) ?? 0
        return bus << 8 | slot << 3 | fn
    }

    /// The commands each SMMU's queue received from vIOMMUs, after conversion (data[0], data[1]).
    private(set) var commandQueue: [Int: [(UInt64, UInt64)]] = [:]

    /// `arm_smmu_cmdq_issue_cmdlist` (with a CMD_SYNC, which the model does not record).
    func issue(_ commands: [(UInt64, UInt64)], instance: Int) {
        if commands.isEmpty { return }
        commandQueue[instance, default: []] += commands
    }

    /// `arm_smmu_attach_commit`: the master moves from the old domain's list to the new one's.
    func commitAttach(_ dev: PhysicalDevice, ssid: UInt32, new: SMMUv3PagingDomain?, old: IOMMUDomain?) {
        let oldPaging: SMMUv3PagingDomain? = switch old {
        case let p as SMMUv3PagingDomain: p
        case let n as SMMUv3NestedDomain: n.vsmmu.s2Parent
        default: nil
        }
        oldPaging?.removeAttachment(dev, ssid: ssid)
        new?.attached.append((ObjectIdentifier(dev), ssid))
    }

    func releaseTag(stage: SMMUv3PagingDomain.Stage, instance: Int, _ tag: UInt32) {
        if stage == .s1 { asids.remove(tag) } else { vmids[instance]?.remove(tag) }
    }

    /// The lowest free value in [1, 2^bits - 1] (`xa_alloc` / `ida_alloc_range`), or nil.
    private func allocate(_ used: inout Set<UInt32>, bits: Int) -> UInt32? {
        let limit = UInt32((1 << bits) - 1)
        var v: UInt32 = 1
        while v <= limit {
            if !used.contains(v) {
                used.insert(v)
                return v
            }
            v += 1
        }
        return nil
    }

    /// `arm_smmu_capable`.
    func capable(_ dev: PhysicalDevice, _ cap: IOMMUCapability) -> Bool {
        switch cap {
        case .cacheCoherency: return features.coherent
        case .enforceCacheCoherency: return canWBS
        // arm_smmu_dbm_capable: HD and coherent table walks.
        case .dirtyTracking: return features.hardwareDirty && features.coherent
        // arm_smmu_ats_supported
        case .pciATSSupported: return features.ats && !dev.isMock && dev.spec.isPCI && dev.spec.ats
        }
    }

    /// The GICv3 ITS isolates MSIs.
    func hasIsolatedMSI(_ dev: PhysicalDevice) -> Bool { true }

    /// `arm_smmu_hw_info`: DEFAULT or ARM_SMMUV3 give `struct iommu_hw_info_arm_smmuv3` with
    /// the raw IDR0-5, IIDR and AIDR; any other type is EOPNOTSUPP (no implementation ops).
    func hwInfo(_ dev: PhysicalDevice, type: inout UInt32) -> Result<[UInt8], Errno>? {
        if type != 0 && type != Self.hwInfoType { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        let r = features.registers
        var data = [UInt8](repeating: 0, count: 40)
        let idr = [r.idr0.rawValue, r.idr1.rawValue, r.idr2.rawValue, r.idr3.rawValue, r.idr4.rawValue, r.idr5.rawValue]
        for (i, v) in idr.enumerated() { data.put(8 + 4 * i, u32: v) }
        data.put(32, u32: r.iidr.rawValue)
        data.put(36, u32: r.aidr.rawValue)
        type = Self.hwInfoType
        return .success(data)
    }

    var hasDomainAllocPagingFlags: Bool { true }

    /// `arm_smmu_domain_alloc_paging_flags`: user data or a flag outside {DIRTY, PASID,
    /// NEST_PARENT} is EOPNOTSUPP; 0 prefers stage 1; NEST_PARENT is a stage-2 domain and needs
    /// FEAT_NESTING; DIRTY and PASID (alone or together) need stage 1; other combinations are
    /// EOPNOTSUPP. A stage-2 domain cannot track dirty pages.
    func domainAllocPagingFlags(_ dev: PhysicalDevice, flags: UInt32, userData: UserData?) -> Result<IOMMUDomain, Errno> {
        let pagingFlags = HWPTFlag.dirtyTracking | HWPTFlag.pasid | HWPTFlag.nestParent
        if flags & ~pagingFlags != 0 { return .failure(.EOPNOTSUPP) }
        if userData != nil { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }  // kzalloc of the domain
        if env.shouldFail() { return .failure(.ENOMEM) }  // its invalidation array
        let stage: SMMUv3PagingDomain.Stage
        switch flags {
        case 0:
            stage = features.stage1 ? .s1 : .s2
        case HWPTFlag.nestParent:
            guard features.nesting else { return .failure(.EOPNOTSUPP) }
            stage = .s2
        case HWPTFlag.dirtyTracking, HWPTFlag.dirtyTracking | HWPTFlag.pasid, HWPTFlag.pasid:
            guard features.stage1 else { return .failure(.EOPNOTSUPP) }
            stage = .s1
        default:
            return .failure(.EOPNOTSUPP)
        }
        // arm_smmu_domain_finalise
        let ias: Int
        switch stage {
        case .s1: ias = min(features.vax ? 52 : 48, Self.kernelVABits)
        case .s2: ias = features.oas
        }
        let sizes = features.pageTableSizes(pageSize: env.pageSize, ias: ias)
        if env.shouldFail() { return .failure(.ENOMEM) }  // alloc_io_pgtable_ops
        let tag: UInt32
        let instance = iommuInstance(dev)
        if stage == .s1 {
            // xa_alloc in a full range is EBUSY
            guard let a = allocate(&asids, bits: features.asidBits) else { return .failure(.EBUSY) }
            tag = a
        } else {
            var used = vmids[instance] ?? []
            defer { vmids[instance] = used }
            guard let v = allocate(&used, bits: features.vmidBits) else { return .failure(.ENOSPC) }
            tag = v
        }
        let domain = SMMUv3PagingDomain(driver: self, stage: stage, nestParent: flags == HWPTFlag.nestParent,
                                        instance: instance, tag: tag, pgsizeBitmap: sizes.bitmap,
                                        ias: sizes.ias, dirty: flags & HWPTFlag.dirtyTracking != 0)
        return .success(domain)
    }

    /// VA_BITS of the modelled arm64 kernel (the 7.2 arm64 config has CONFIG_ARM64_VA_BITS=52).
    static let kernelVABits = 52

    func domainAllocPaging(_ dev: PhysicalDevice) -> Result<IOMMUDomain, Errno> {
        domainAllocPagingFlags(dev, flags: 0, userData: nil)
    }

    /// No `domain_alloc_nested`: nested domains come only from a vIOMMU.
    var hasDomainAllocNested: Bool { false }

    func domainAllocNested(_ dev: PhysicalDevice, parent: IOMMUDomain, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        .failure(.EOPNOTSUPP)
    }

    /// `arm_smmu_get_viommu_size`: FEAT_NESTING, no CMDQ_FORCE_SYNC, and either a CANWBS
    /// master or S2FWB; then only the ARM_SMMUV3 type (no implementation ops).
    func viommuSize(_ dev: PhysicalDevice, type: UInt32) -> Int? {
        if !features.nesting || features.forceSync { return 0 }
        if !canWBS && !features.s2fwb { return 0 }
        return type == Self.viommuType ? 1 : 0
    }

    /// `arm_vsmmu_init`: the parent must be on the vIOMMU's SMMU (EINVAL); the vIOMMU takes the
    /// parent's VMID.
    func viommuInit(_ viommu: VIOMMUObject, parent: IOMMUDomain, userData: UserData?, ctx: ModelContext) -> Errno? {
        guard let s2 = parent as? SMMUv3PagingDomain, s2.instance == viommu.iommuInstance else { return .EINVAL }
        viommu.ops = ArmVSMMU(driver: self, s2Parent: s2)
        return nil
    }

    func iommuInstance(_ dev: PhysicalDevice) -> Int { dev.isMock ? 0 : dev.spec.iommuInstance }

    /// `arm_smmu_get_resv_regions`: the software MSI window (the IORT adds no RMRs here).
    func reservedRegions(_ dev: PhysicalDevice) -> [ModelDevice.ReservedRegion] {
        [ModelDevice.ReservedRegion(start: Self.msiIOVABase, length: Self.msiIOVALength, type: .swMSI)]
    }

    var userPasidTable: Bool { true }
}

// MARK: - Profiles

extension ModelProfile {
    /// An Arm SMMUv3 with these ID registers; `canWBS` marks the devices' root complexes with
    /// the IORT CANWBS flag (which lets a vIOMMU exist without IDR3.FWB).
    public static func armSMMUv3(registers: SMMUv3Registers, canWBS: Bool, name: String) -> ModelProfile {
        ModelProfile(hardware: .armSMMUv3(registers, canWBS: canWBS), name: name)
    }

    /// QEMU 11.1's emulated SMMUv3 (`virt,iommu=smmuv3`): both stages, 44-bit OAS, 4K/16K/64K
    /// granules, no FWB, no HTTU, no ATS; with the IORT upgraded to CANWBS as the arm lane does.
    public static let qemuSMMUv3 = armSMMUv3(
        registers: SMMUv3Registers(idr0: 0x0d44_101b, idr1: 0x0273_0010, idr3: 0x0000_1414, idr5: 0x0000_0074,
                                   iidr: 0, aidr: 1),
        canWBS: true, name: "qemu-smmuv3")

    /// Arm's Fixed Virtual Platform (FVP Base) SMMUv3 with its default `pci.pci_smmuv3.mmu.SMMU_*`
    /// parameters (IDR0 0x080fe6bf, IDR1 0x0e739d10, IDR3 0x14, IDR5 0x1005d, AIDR 1, as bare-metal
    /// SMMUv3 tests on the FVP assert them; IDR2, IDR4 and IIDR were not recorded and read 0):
    /// both stages, coherent walks, HTTU with dirty state, ATS and PRI, 2-level stream tables,
    /// 48-bit OAS, no FWB; its firmware is taken as not CANWBS, so no vIOMMU.
    public static let fvpSMMUv3 = armSMMUv3(
        registers: SMMUv3Registers(idr0: 0x080f_e6bf, idr1: 0x0e73_9d10, idr3: 0x14, idr5: 0x1_005d, iidr: 0, aidr: 1),
        canWBS: false, name: "fvp-smmuv3")

    /// gem5's default SMMUv3: both stages, 48-bit OAS, 4K/64K granules, no FWB, no coherent
    /// access (so the kernel refuses to bind its devices to iommufd), no CANWBS.
    public static let gem5SMMUv3 = armSMMUv3(
        registers: SMMUv3Registers(idr0: 0x094c_100f, idr1: 0x00e0_0000, idr3: 0, idr5: 0x55, iidr: 0, aidr: 0),
        canWBS: false, name: "gem5-smmuv3")
}
