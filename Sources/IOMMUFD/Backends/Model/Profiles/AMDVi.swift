// The AMD IOMMU driver (drivers/iommu/amd/iommu.c, iommufd.c, init.c) as iommufd sees it, driven
// by the EFR/EFR2 registers. Every device of the backend sits behind an IOMMU with these
// registers.
//
// What the kernel reads from state the model lacks is assumed: the CPU has no 5-level paging
// (LA57), SEV-SNP is not enabled on the host, the IVRS allows a 64-bit host address size and
// does not set HATDis, the IOMMU reports IOTLB support, the kernel uses its default (v1) page
// table, and there are no IVMD unity-map ranges (a device lists its own reserved regions).
//
// In 7.2 the AMD vIOMMU has only a `destroy` op: the guest-DTE nested domain code
// (nested.c `amd_iommu_alloc_domain_nested`) is not reachable from iommufd, so a nested HWPT
// on an AMD vIOMMU fails with EOPNOTSUPP like the kernel does.

/// uAPI numbers of the AMD driver.
enum AMDVi {
    /// IOMMU_HW_INFO_TYPE_AMD.
    static let hwInfoType: UInt32 = 4
    /// sizeof(struct iommu_hw_info_amd).
    static let hwInfoSize = 16
    /// AMD_IOMMU_PGSIZES: every power of two from 4 KiB to 2^51 but 512 GiB.
    static let v1PageSizes: UInt64 = (((UInt64(1) << 52) - 1) & ~((UInt64(1) << 12) - 1)) ^ (UInt64(1) << 39)
    /// The x86-64 (v2) table's page sizes.
    static let v2PageSizes: UInt64 = (1 << 12) | (1 << 21) | (1 << 30)
    /// MSI_RANGE_START..MSI_RANGE_END.
    static let msiRegion = ModelDevice.ReservedRegion(start: 0xfee0_0000, length: 0x10_0000, type: .msi)
    /// HT_RANGE_START..HT_RANGE_END.
    static let hyperTransportRegion = ModelDevice.ReservedRegion(start: 0xfd_0000_0000, length: 0x3_0000_0000, type: .reserved)
}

/// A `protection_domain` for paging: the AMD v1 (host) table or the v2 (x86-64) table. Neither
/// has `set_dev_pasid` (PASID attach of a paging domain: EOPNOTSUPP in the core).
final class AMDPagingDomain: IOMMUDomain {
    enum Format { case v1, v2 }
    let format: Format
    let nestParent: Bool

    init(driver: AMDIOMMUDriver, format: Format, nestParent: Bool, vaszLog2: Int, pgsizeBitmap: UInt64) {
        self.format = format
        self.nestParent = nestParent
        super.init(kind: .paging, driver: driver, pgsizeBitmap: pgsizeBitmap)
        apertureStart = 0
        apertureEnd = vaszLog2 >= 64 ? .max : (UInt64(1) << UInt64(vaszLog2)) - 1
    }

    /// `amd_iommu_attach_device`: a dirty-tracking domain needs EFR.HDSup (EINVAL).
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        let amd = unsafeDowncast(driver, to: AMDIOMMUDriver.self)
        if dev.attachedDomain === self { return nil }
        if hasDirtyOps && !amd.hostDirtySupported { return .EINVAL }
        dev.attachedDomain = self
        return nil
    }

    /// `amd_iommu_enforce_cache_coherency`: IOMMU_PTE_FC is always set.
    override func enforceCacheCoherency() -> Bool { true }
}

/// `amd_viommu_ops`: only `destroy` in 7.2.
final class AMDVIOMMUOps: VIOMMUDriverOps {
    func destroy(_ viommu: VIOMMUObject, ctx: ModelContext) {}
    var hasAllocDomainNested: Bool { false }
    func allocDomainNested(_ viommu: VIOMMUObject, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        .failure(.EOPNOTSUPP)
    }
    var hasCacheInvalidate: Bool { false }
    func cacheInvalidate(_ viommu: VIOMMUObject, array: inout UserDataArray, ctx: ModelContext) -> Errno? { .EOPNOTSUPP }
    func hwQueueSize(_ viommu: VIOMMUObject, type: UInt32) -> Int? { nil }
    func hwQueueInit(_ queue: HWQueueObject, index: UInt32, basePA: UInt64, ctx: ModelContext) -> Errno? { .EOPNOTSUPP }
    func hwQueueDestroy(_ queue: HWQueueObject, ctx: ModelContext) {}
}

/// The amd-iommu driver (`amd_iommu_ops`) for one EFR/EFR2 pair.
final class AMDIOMMUDriver: ModelIOMMUDriver {
    let profile: ModelProfile
    unowned let env: ModelEnv
    let registers: AMDFeatureRegisters
    private(set) lazy var blockedDomain: IOMMUDomain = AlwaysAttachingBlockedDomain(driver: self)

    init(profile: ModelProfile, env: ModelEnv, registers: AMDFeatureRegisters) {
        self.profile = profile
        self.env = env
        self.registers = registers
    }

    private var efr: AMDExtendedFeatures { registers.efr }

    /// `amd_iommu_hatdis`: EFR.HATS = 3 disables host (v1) translation.
    var hostTranslationDisabled: Bool { efr.hostAddressTranslationSizeCode == 3 }
    /// `amd_iommu_hpt_vasize`: (HATS + 3) * 9 + 21 bits, at most the IVRS limit (64).
    var hostVASize: Int { min(64, (efr.hostAddressTranslationSizeCode + 3) * 9 + 21) }
    /// `amd_iommu_v2_pgtbl_supported`: GIOSup and GTSup.
    var v2Supported: Bool { efr.guestIOProtection && efr.guestTranslation }
    /// `amd_iommu_pasid_supported`: v2 tables, PPRSup and EPHSup (no LA57, no SNP).
    var pasidSupported: Bool { v2Supported && efr.peripheralPageRequests && efr.enhancedPPRHandling }
    /// `amd_iommu_hd_support`: EFR.HDSup with host translation on.
    var hostDirtySupported: Bool { !hostTranslationDisabled && efr.hostDirty }
    /// `is_nest_parent_supported`: GTSup, GIOSup and EFR2.GCR3TRPMode.
    var nestParentSupported: Bool { efr.guestTranslation && efr.guestIOProtection && registers.efr2.gcr3TableRootPointerMode }

    /// `iommu->iommu.max_pasids`: 2^(PASmax+1) - 1 with GTSup.
    var maxPasids: UInt32 {
        efr.guestTranslation ? (UInt32(1) << UInt32(efr.pasidMaxField + 1)) - 1 : 0
    }

    /// `amd_iommu_capable`.
    func capable(_ dev: PhysicalDevice, _ cap: IOMMUCapability) -> Bool {
        switch cap {
        case .cacheCoherency, .enforceCacheCoherency: true
        case .dirtyTracking: hostDirtySupported
        case .pciATSSupported: !dev.isMock && dev.spec.isPCI && dev.spec.ats
        }
    }

    /// AMD interrupt remapping isolates MSIs.
    func hasIsolatedMSI(_ dev: PhysicalDevice) -> Bool { true }

    /// `amd_iommufd_hw_info`: DEFAULT or AMD; `{efr, efr2}`.
    func hwInfo(_ dev: PhysicalDevice, type: inout UInt32) -> Result<[UInt8], Errno>? {
        if type != 0 && type != AMDVi.hwInfoType { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        var data = [UInt8](repeating: 0, count: AMDVi.hwInfoSize)
        data.put(0, u64: efr.rawValue)
        data.put(8, u64: registers.efr2.rawValue)
        type = AMDVi.hwInfoType
        return .success(data)
    }

    var hasDomainAllocPagingFlags: Bool { true }

    /// `amd_iommu_domain_alloc_paging_flags`: flags ⊆ {DIRTY, PASID, NEST_PARENT} and no user
    /// data (EOPNOTSUPP). DIRTY and/or NEST_PARENT make a v1 table (DIRTY needs HDSup,
    /// NEST_PARENT `is_nest_parent_supported`); PASID alone a v2 table (needs PASID support);
    /// no flags the default v1, else v2; any other combination EOPNOTSUPP.
    func domainAllocPagingFlags(_ dev: PhysicalDevice, flags: UInt32, userData: UserData?) -> Result<IOMMUDomain, Errno> {
        let supported = HWPTFlag.dirtyTracking | HWPTFlag.pasid | HWPTFlag.nestParent
        if flags & ~supported != 0 || userData != nil { return .failure(.EOPNOTSUPP) }
        let dirty = flags & HWPTFlag.dirtyTracking != 0
        let nestParent = flags & HWPTFlag.nestParent != 0
        switch flags {
        case HWPTFlag.dirtyTracking, HWPTFlag.nestParent, HWPTFlag.dirtyTracking | HWPTFlag.nestParent:
            if dirty && !hostDirtySupported { return .failure(.EOPNOTSUPP) }
            if nestParent && !nestParentSupported { return .failure(.EOPNOTSUPP) }
            return allocV1(dirty: dirty, nestParent: nestParent)
        case HWPTFlag.pasid:
            if !pasidSupported { return .failure(.EOPNOTSUPP) }
            return allocV2()
        case 0:
            let v1 = allocV1(dirty: false, nestParent: false)
            if case .failure(.EOPNOTSUPP) = v1 { return allocV2() }
            return v1
        default:
            return .failure(.EOPNOTSUPP)
        }
    }

    /// `amd_iommu_domain_alloc_paging_v1`: needs host translation (EOPNOTSUPP).
    private func allocV1(dirty: Bool, nestParent: Bool) -> Result<IOMMUDomain, Errno> {
        if hostTranslationDisabled { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        let vasz = hostVASize
        let pgsize = AMDVi.v1PageSizes & (vasz - 1 >= 64 ? .max : (UInt64(1) << UInt64(vasz - 1)) - 1)
        let domain = AMDPagingDomain(driver: self, format: .v1, nestParent: nestParent, vaszLog2: vasz, pgsizeBitmap: pgsize)
        domain.hasDirtyOps = dirty
        return .success(domain)
    }

    /// `amd_iommu_domain_alloc_paging_v2`: needs v2 tables (EOPNOTSUPP); 4-level, 47-bit.
    private func allocV2() -> Result<IOMMUDomain, Errno> {
        if !v2Supported { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        return .success(AMDPagingDomain(driver: self, format: .v2, nestParent: false, vaszLog2: 47, pgsizeBitmap: AMDVi.v2PageSizes))
    }

    func domainAllocPaging(_ dev: PhysicalDevice) -> Result<IOMMUDomain, Errno> {
        domainAllocPagingFlags(dev, flags: 0, userData: nil)
    }

    /// No `domain_alloc_nested`: nesting goes through the vIOMMU.
    var hasDomainAllocNested: Bool { false }

    func domainAllocNested(_ dev: PhysicalDevice, parent: IOMMUDomain, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        .failure(.EOPNOTSUPP)
    }

    /// `amd_iommufd_get_viommu_size`: the same size whatever the type (the core has already
    /// refused DEFAULT).
    func viommuSize(_ dev: PhysicalDevice, type: UInt32) -> Int? { 1 }

    /// `amd_iommufd_viommu_init`: always succeeds.
    func viommuInit(_ viommu: VIOMMUObject, parent: IOMMUDomain, userData: UserData?, ctx: ModelContext) -> Errno? {
        viommu.ops = AMDVIOMMUOps()
        return nil
    }

    func iommuInstance(_ dev: PhysicalDevice) -> Int { dev.isMock ? 0 : dev.spec.iommuInstance }

    /// `amd_iommu_get_resv_regions`: the MSI window, and the HyperTransport range unless
    /// EFR2.HTRangeIgnore.
    func reservedRegions(_ dev: PhysicalDevice) -> [ModelDevice.ReservedRegion] {
        registers.efr2.hyperTransportRangeIgnore ? [AMDVi.msiRegion] : [AMDVi.msiRegion, AMDVi.hyperTransportRegion]
    }

    var userPasidTable: Bool { false }
}

extension ModelProfile {
    /// An AMD IOMMU with these registers.
    public static func amd(efr: UInt64, efr2: UInt64 = 0, name: String) -> ModelProfile {
        ModelProfile(hardware: .amd(AMDFeatureRegisters(efr: efr, efr2: efr2)), name: name)
    }

    /// An AMD EPYC host's IOMMU (the probe fixtures' AMD host, EFR 0x246577efa2254afa, EFR2 0):
    /// v1 and v2 tables and PASIDs, but no HDSup (no dirty tracking) and no GCR3TRPMode (no nest
    /// parent, so no vIOMMU).
    public static let amdEPYC = ModelProfile.amd(efr: 0x2465_77ef_a225_4afa, efr2: 0, name: "amd-epyc")
}
