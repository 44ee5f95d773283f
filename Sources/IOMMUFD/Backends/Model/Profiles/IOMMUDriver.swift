// The driver side of the model: what `struct iommu_ops`, `struct iommu_domain_ops` and
// `struct iommufd_viommu_ops` give the iommufd core (include/linux/iommu.h, iommufd.h). Each
// hardware profile (selftest mock, VT-d, SMMUv3, AMD) is one `ModelIOMMUDriver`; the core files
// (Main, IOAS, IOPageTable, HWPagetable, Device, VIOMMU, EventQueue) call only these hooks, as
// drivers/iommu/iommufd/ calls only the ops tables.

/// `enum iommu_cap`, as far as iommufd asks.
enum IOMMUCapability {
    case cacheCoherency
    case enforceCacheCoherency
    case dirtyTracking
    case pciATSSupported
}

/// A device as the IOMMU driver sees it (`struct device` + `dev->iommu`), shared by every
/// context of one backend. Mock devices made by IOMMU_TEST_OP_MOCK_DOMAIN are instances too.
final class PhysicalDevice {
    /// The public description (for mock devices, synthesised).
    let spec: ModelDevice
    /// The IOMMU group (backend wide).
    let group: IOMMUGroup
    /// `dev->iommu->max_pasids` (0 when the device or the IOMMU has no PASID).
    var maxPasids: UInt32
    /// Selftest mock flags (`MOCK_FLAGS_DEVICE_*`), 0 for PCI model devices.
    let mockFlags: UInt32
    let isMock: Bool
    /// The mock device cache behind a mock vIOMMU (`mock_dev.cache`).
    var mockCache: [UInt32] = Array(repeating: 0xbad_dad, count: 4)
    /// The vIOMMU and vdev_id the mock attach op recorded (`mock_dev.viommu`, `vdev_id`).
    weak var mockVIOMMU: VIOMMUObject?
    var mockVdevID: UInt64 = 0
    /// `mock_dev.pasid_1024_fake_error`.
    var pasid1024FakeError = false
    /// The domain the driver last attached (`mock_dev.domain`).
    weak var attachedDomain: IOMMUDomain?
    /// A mock device index (`mock_dev.id`), for names.
    let index: Int
    /// `vfio_device.open_count` of the cdev (opened once at a time).
    var vfioOpenCount = 0
    /// `mock_dev.iopf_refcount`.
    var iopfRefcount = 0

    init(spec: ModelDevice, group: IOMMUGroup, maxPasids: UInt32, mockFlags: UInt32 = 0, isMock: Bool = false, index: Int = 0) {
        self.spec = spec
        self.group = group
        self.maxPasids = maxPasids
        self.mockFlags = mockFlags
        self.isMock = isMock
        self.index = index
    }
}

/// `struct iommu_group`: the unit of DMA ownership. Backend wide.
final class IOMMUGroup {
    let id: Int
    var devices: [PhysicalDevice] = []
    /// `group->owner` / `owner_cnt` (iommu_device_claim_dma_owner): the context owning the group.
    weak var owner: ModelContext?
    var ownerCount = 0
    /// The group's attached domain per PASID (`group->domain`, `group->pasid_array`).
    var pasidDomains: [UInt32: IOMMUDomain] = [:]

    init(id: Int) { self.id = id }
}

/// An `iommu_domain`. Subclasses are the drivers' domains; the defaults are "op not provided".
class IOMMUDomain {
    enum Kind { case paging, nested, blocked }
    let kind: Kind
    /// The driver (`domain->owner`).
    unowned let driver: ModelIOMMUDriver
    /// `domain->pgsize_bitmap`.
    var pgsizeBitmap: UInt64
    /// `domain->geometry`.
    var apertureStart: UInt64 = 0
    var apertureEnd: UInt64 = .max
    /// `domain->dirty_ops != NULL`.
    var hasDirtyOps = false
    /// Dirty tracking switched on (`MOCK_DIRTY_TRACK` or the hardware's enable bit).
    var dirtyTracking = false
    /// Dirty PTEs, by index of `dirtyGranule`.
    var dirtyPTEs: Set<UInt64> = []
    /// The PTE size dirty bits are kept at (the mapping granule of the domain).
    var dirtyGranule: UInt64
    /// `domain->iommufd_hwpt`.
    weak var hwpt: HWPTObject?
    /// `domain->iopf_handler` was set (a fault queue receives this domain's faults).
    var iopfHandler = false

    init(kind: Kind, driver: ModelIOMMUDriver, pgsizeBitmap: UInt64) {
        self.kind = kind
        self.driver = driver
        self.pgsizeBitmap = pgsizeBitmap
        self.dirtyGranule = max(1, lowestBit(pgsizeBitmap))
    }

    /// `ops->attach_dev` (RID attach of a device).
    func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? { nil }
    /// `ops->set_dev_pasid` exists.
    var supportsSetDevPasid: Bool { false }
    /// `ops->set_dev_pasid`.
    func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? { .EOPNOTSUPP }
    /// `ops->cache_invalidate_user` exists (nested domains).
    var supportsCacheInvalidate: Bool { false }
    /// `ops->cache_invalidate_user`; updates `array.entryNum` to the count handled.
    func cacheInvalidateUser(_ array: inout UserDataArray) -> Errno? { .EOPNOTSUPP }
    /// `ops->enforce_cache_coherency`.
    func enforceCacheCoherency() -> Bool { false }
    /// `dirty_ops->set_dirty_tracking`.
    func setDirtyTracking(_ enable: Bool) -> Errno? {
        if !hasDirtyOps { return .EOPNOTSUPP }
        dirtyTracking = enable
        return nil
    }
    /// Called when the domain is freed (`ops->free`).
    func free() {}
}

/// A blocking domain whose attach and PASID attach always succeed: intel-iommu's and
/// amd-iommu's `blocking_domain` (writing a blocked context or DTE cannot fail).
final class AlwaysAttachingBlockedDomain: IOMMUDomain {
    init(driver: ModelIOMMUDriver) { super.init(kind: .blocked, driver: driver, pgsizeBitmap: 0) }

    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        dev.attachedDomain = self
        return nil
    }

    override var supportsSetDevPasid: Bool { true }
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? { nil }
}

/// A vIOMMU's driver part (`struct iommufd_viommu_ops`); `has...` says whether an op exists.
protocol VIOMMUDriverOps: AnyObject {
    func destroy(_ viommu: VIOMMUObject, ctx: ModelContext)
    var hasAllocDomainNested: Bool { get }
    /// `alloc_domain_nested`.
    func allocDomainNested(_ viommu: VIOMMUObject, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno>
    var hasCacheInvalidate: Bool { get }
    /// `cache_invalidate`; updates `array.entryNum` to the count handled.
    func cacheInvalidate(_ viommu: VIOMMUObject, array: inout UserDataArray, ctx: ModelContext) -> Errno?
    /// `get_hw_queue_size` (0: type not supported); nil when the HW queue ops are absent.
    func hwQueueSize(_ viommu: VIOMMUObject, type: UInt32) -> Int?
    /// `hw_queue_init_phys`.
    func hwQueueInit(_ queue: HWQueueObject, index: UInt32, basePA: UInt64, ctx: ModelContext) -> Errno?
    /// The queue's `destroy` op (set by a successful init).
    func hwQueueDestroy(_ queue: HWQueueObject, ctx: ModelContext)
}

/// One IOMMU driver (`struct iommu_ops`) behind a hardware profile.
protocol ModelIOMMUDriver: AnyObject {
    /// The profile this driver implements.
    var profile: ModelProfile { get }
    /// `ops->capable`.
    func capable(_ dev: PhysicalDevice, _ cap: IOMMUCapability) -> Bool
    /// Whether the device's group can isolate MSIs (`iommu_group_has_isolated_msi`).
    func hasIsolatedMSI(_ dev: PhysicalDevice) -> Bool
    /// `ops->hw_info` (nil: the driver has none, the core reports type NONE). `type` is the
    /// requested type in and the reported type out.
    func hwInfo(_ dev: PhysicalDevice, type: inout UInt32) -> Result<[UInt8], Errno>?
    /// Whether `ops->domain_alloc_paging_flags` exists.
    var hasDomainAllocPagingFlags: Bool { get }
    /// `ops->domain_alloc_paging_flags`.
    func domainAllocPagingFlags(_ dev: PhysicalDevice, flags: UInt32, userData: UserData?) -> Result<IOMMUDomain, Errno>
    /// `iommu_paging_domain_alloc` (drivers without the flags op).
    func domainAllocPaging(_ dev: PhysicalDevice) -> Result<IOMMUDomain, Errno>
    /// Whether `ops->domain_alloc_nested` exists.
    var hasDomainAllocNested: Bool { get }
    /// `ops->domain_alloc_nested`.
    func domainAllocNested(_ dev: PhysicalDevice, parent: IOMMUDomain, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno>
    /// `ops->get_viommu_size` (0: type not supported); nil when the driver has no vIOMMU.
    func viommuSize(_ dev: PhysicalDevice, type: UInt32) -> Int?
    /// `ops->viommu_init`: sets `viommu.ops` on success.
    func viommuInit(_ viommu: VIOMMUObject, parent: IOMMUDomain, userData: UserData?, ctx: ModelContext) -> Errno?
    /// The blocking domain (`ops->blocked_domain`).
    var blockedDomain: IOMMUDomain { get }
    /// The IOMMU instance a device sits behind (`__iommu_get_iommu_dev`).
    func iommuInstance(_ dev: PhysicalDevice) -> Int
    /// `iommu_device.max_pasids`.
    var maxPasids: UInt32 { get }
    /// The reserved regions the driver adds for a device (`ops->get_resv_regions`).
    func reservedRegions(_ dev: PhysicalDevice) -> [ModelDevice.ReservedRegion]
    /// `ops->user_pasid_table`: PASID faults without a PASID attachment go to the RID's nested domain.
    var userPasidTable: Bool { get }
}
