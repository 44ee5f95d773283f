// The selftest mock IOMMU driver (drivers/iommu/iommufd/selftest.c, `mock_ops`): 2 KiB pages
// (the AMDv1 page table format with an 11-bit granule), aperture [2^24, 2^31-1], hw_info type
// 0xfeedbeef, hwpt data 0xdead, mock nested domains with a 4-entry IOTLB, the mock vIOMMU
// (0xdeadbeef) with its device cache, mmap window, events and HW queues.

enum Mock {
    static let pageSize: UInt64 = 2048
    static let hugePageSize: UInt64 = 512 * 2048
    static let apertureStart: UInt64 = 1 << 24
    static let apertureLast: UInt64 = (1 << 31) - 1
    static let pasidWidth: UInt32 = 20
    static let hwInfoType: UInt32 = 0xfeed_beef
    static let hwInfoRegval: UInt32 = 0xdead_beef
    static let hwptDataType: UInt32 = 0xdead
    static let invalidateType: UInt32 = 0xdead_beef
    static let viommuType: UInt32 = 0xdead_beef
    static let veventqType: UInt32 = 0xbeef_beef
    static let hwQueueType: UInt32 = 0xdead_beef
    static let hwQueueMax: UInt32 = 2
    static let flagNoDirty: UInt32 = 1
    static let flagPASID: UInt32 = 4
    /// The default AMDv1-mock geometry: starting level 2 gives a 38-bit VA, and every power of
    /// two from 2^11 to 2^36 is a page size (`get_info` hides the top size).
    static let defaultPgsizeBitmap: UInt64 = ((1 << 37) - 1) & ~((1 << 11) - 1)
    static let topVALast: UInt64 = (1 << 38) - 1
}

/// The mock's domain ops: `mock_domain_nop_attach` and `mock_domain_set_dev_pasid_nop` are
/// shared by the blocking, paging and nested domains.
class MockDomain: IOMMUDomain {
    /// `mock_iommu_domain_nested.mock_viommu`.
    weak var mockVIOMMU: VIOMMUObject?

    /// `mock_domain_nop_attach`: a dirty-tracking domain refuses a NO_DIRTY device (EINVAL); a
    /// nested domain of a vIOMMU needs the device's vDEVICE (ENOENT).
    override func attachDev(_ dev: PhysicalDevice, old: IOMMUDomain?) -> Errno? {
        let flags = SelftestMockDriver.mockFlags(dev)
        if hasDirtyOps && flags & Mock.flagNoDirty != 0 { return .EINVAL }
        var newVIOMMU: VIOMMUObject?
        var vdevID: UInt64 = 0
        if kind == .nested, let v = mockVIOMMU {
            guard let id = v.vdevID(of: dev) else { return .ENOENT }
            newVIOMMU = v
            vdevID = id
        }
        if newVIOMMU !== dev.mockVIOMMU {
            dev.mockVIOMMU = newVIOMMU
            dev.mockVdevID = vdevID
        }
        if iopfHandler { dev.iopfRefcount += 1 }
        if let a = dev.attachedDomain, a.iopfHandler, dev.iopfRefcount > 0 { dev.iopfRefcount -= 1 }
        dev.attachedDomain = self
        return nil
    }

    override var supportsSetDevPasid: Bool { true }

    /// `mock_domain_set_dev_pasid_nop`: PASID 1024 fails every second non-blocking set (to test
    /// the core's rollback); the blocking domain resets that.
    override func setDevPasid(_ dev: PhysicalDevice, pasid: UInt32, old: IOMMUDomain?) -> Errno? {
        if pasid == 1024 {
            if kind == .blocked {
                dev.pasid1024FakeError = false
            } else if dev.pasid1024FakeError {
                dev.pasid1024FakeError = false
                return .ENOMEM
            } else {
                dev.pasid1024FakeError = true
            }
        }
        return nil
    }
}

/// `struct mock_iommu_domain_nested`.
final class MockNestedDomain: MockDomain {
    var iotlb: [UInt32]

    init(driver: ModelIOMMUDriver, iotlb: UInt32) {
        self.iotlb = Array(repeating: iotlb, count: 4)
        super.init(kind: .nested, driver: driver, pgsizeBitmap: 0)
    }

    override var supportsCacheInvalidate: Bool { true }

    /// `mock_domain_cache_invalidate_user`: type 0xdeadbeef (EINVAL otherwise); each entry
    /// {flags ⊆ {ALL} (EOPNOTSUPP), iotlb_id <= 3 (EINVAL)}; stops at the first bad entry.
    override func cacheInvalidateUser(_ array: inout UserDataArray) -> Errno? {
        var processed: UInt32 = 0
        var rc: Errno?
        if array.type != Mock.invalidateType {
            rc = .EINVAL
        } else {
            var i: UInt32 = 0
            while i < array.entryNum {
                var entry: [UInt8] = []
                switch array.copyEntry(i, type: Mock.invalidateType, size: 8, minSize: 8) {
                case .success(let b): entry = b
                case .failure(let e): rc = e
                }
                if rc != nil { break }
                let flags = entry.u32(0), id = entry.u32(4)
                if flags & ~1 != 0 { rc = .EOPNOTSUPP; break }
                if id > 3 { rc = .EINVAL; break }
                if flags & 1 != 0 {
                    for j in 0..<4 { iotlb[j] = 0 }
                } else {
                    iotlb[Int(id)] = 0
                }
                processed += 1
                i += 1
            }
        }
        array.entryNum = processed
        return rc
    }
}

/// The mock paging domain (`struct mock_iommu_domain`, AMDv1-mock page table).
final class MockPagingDomain: MockDomain {
    /// MOCK_IOMMUPT_HUGE: userspace maps only 1 MiB pages.
    let huge: Bool

    init(driver: ModelIOMMUDriver, huge: Bool, pageSize: UInt64) {
        self.huge = huge
        super.init(kind: .paging, driver: driver, pgsizeBitmap: huge ? Mock.hugePageSize | pageSize : Mock.defaultPgsizeBitmap)
        if huge {
            apertureStart = 0
            apertureEnd = Mock.topVALast
            dirtyGranule = Mock.hugePageSize
        } else {
            apertureStart = Mock.apertureStart
            apertureEnd = Mock.apertureLast
            dirtyGranule = Mock.pageSize
        }
    }

    /// `mock_domain_set_dirty_tracking`.
    override func setDirtyTracking(_ enable: Bool) -> Errno? {
        if enable && !hasDirtyOps { return .EINVAL }
        dirtyTracking = enable
        return nil
    }
}

/// The mock IOMMU driver (`mock_ops`).
final class SelftestMockDriver: ModelIOMMUDriver {
    let profile: ModelProfile
    unowned let env: ModelEnv
    let maxPasids: UInt32 = 1 << Mock.pasidWidth
    private(set) lazy var blockedDomain: IOMMUDomain = MockDomain(kind: .blocked, driver: self, pgsizeBitmap: 0)

    init(profile: ModelProfile, env: ModelEnv) {
        self.profile = profile
        self.env = env
    }

    /// The `MOCK_FLAGS_DEVICE_*` of a device: a mock device's own, or derived from a PCI model
    /// device's description.
    static func mockFlags(_ dev: PhysicalDevice) -> UInt32 {
        if dev.isMock { return dev.mockFlags }
        return (dev.spec.dirtyTracking ? 0 : Mock.flagNoDirty) | (dev.spec.pasidWidth > 0 ? Mock.flagPASID : 0)
    }

    /// `mock_domain_capable`: cache coherency always, dirty tracking unless NO_DIRTY.
    func capable(_ dev: PhysicalDevice, _ cap: IOMMUCapability) -> Bool {
        switch cap {
        case .cacheCoherency: return true
        case .dirtyTracking: return Self.mockFlags(dev) & Mock.flagNoDirty == 0
        case .pciATSSupported: return !dev.isMock && dev.spec.ats
        case .enforceCacheCoherency: return false
        }
    }

    func hasIsolatedMSI(_ dev: PhysicalDevice) -> Bool { true }

    /// `mock_domain_hw_info`: DEFAULT or SELFTEST only; `{flags 0, test_reg 0xdeadbeef}`.
    func hwInfo(_ dev: PhysicalDevice, type: inout UInt32) -> Result<[UInt8], Errno>? {
        if type != 0 && type != Mock.hwInfoType { return .failure(.EOPNOTSUPP) }
        if env.shouldFail() { return .failure(.ENOMEM) }
        var data = [UInt8](repeating: 0, count: 8)
        data.put(4, u32: Mock.hwInfoRegval)
        type = Mock.hwInfoType
        return .success(data)
    }

    var hasDomainAllocPagingFlags: Bool { true }

    /// `mock_domain_alloc_paging_flags`: flags ⊆ {DIRTY, NEST_PARENT, PASID}, DIRTY only for a
    /// dirty-capable device, data type SELFTEST (or NONE) with `{iotlb, pagetable_type}`.
    func domainAllocPagingFlags(_ dev: PhysicalDevice, flags: UInt32, userData: UserData?) -> Result<IOMMUDomain, Errno> {
        let pagingFlags = HWPTFlag.dirtyTracking | HWPTFlag.nestParent | HWPTFlag.pasid
        let hasDirty = flags & HWPTFlag.dirtyTracking != 0
        if flags & ~pagingFlags != 0 || (hasDirty && Self.mockFlags(dev) & Mock.flagNoDirty != 0) { return .failure(.EOPNOTSUPP) }
        if let userData, userData.type != Mock.hwptDataType && userData.type != 0 { return .failure(.EOPNOTSUPP) }
        var pagetableType: UInt32 = 0
        if let userData {
            switch userData.copyStruct(type: Mock.hwptDataType, size: 8, minSize: 4) {
            case .success(let cfg): pagetableType = cfg.u32(4)
            case .failure(let e): return .failure(e)
            }
        }
        if env.shouldFail() { return .failure(.ENOMEM) }
        guard pagetableType <= 1 else { return .failure(.EOPNOTSUPP) }
        let domain = MockPagingDomain(driver: self, huge: pagetableType == 1, pageSize: env.pageSize)
        domain.hasDirtyOps = hasDirty
        return .success(domain)
    }

    func domainAllocPaging(_ dev: PhysicalDevice) -> Result<IOMMUDomain, Errno> {
        domainAllocPagingFlags(dev, flags: 0, userData: nil)
    }

    var hasDomainAllocNested: Bool { true }

    /// `__mock_domain_alloc_nested`: data type SELFTEST (EOPNOTSUPP), `iotlb` required.
    func allocNested(userData: UserData) -> Result<MockNestedDomain, Errno> {
        if userData.type != Mock.hwptDataType { return .failure(.EOPNOTSUPP) }
        let cfg: [UInt8]
        switch userData.copyStruct(type: Mock.hwptDataType, size: 8, minSize: 4) {
        case .success(let c): cfg = c
        case .failure(let e): return .failure(e)
        }
        if env.shouldFail() { return .failure(.ENOMEM) }
        return .success(MockNestedDomain(driver: self, iotlb: cfg.u32(0)))
    }

    /// `mock_domain_alloc_nested`: flags ⊆ {PASID}; the parent must be a paging domain.
    func domainAllocNested(_ dev: PhysicalDevice, parent: IOMMUDomain, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        if flags & ~HWPTFlag.pasid != 0 { return .failure(.EOPNOTSUPP) }
        if parent.kind != .paging { return .failure(.EINVAL) }
        return allocNested(userData: userData).map { $0 }
    }

    /// `mock_get_viommu_size`: only the selftest vIOMMU type.
    func viommuSize(_ dev: PhysicalDevice, type: UInt32) -> Int? {
        type == Mock.viommuType ? 1 : 0
    }

    /// `mock_viommu_init`: with data, two zeroed pages are exposed through an mmap window whose
    /// first word and `out_data` echo `in_data`.
    func viommuInit(_ viommu: VIOMMUObject, parent: IOMMUDomain, userData: UserData?, ctx: ModelContext) -> Errno? {
        if let userData {
            var data: [UInt8]
            switch userData.copyStruct(type: Mock.viommuType, size: 24, minSize: 8) {
            case .success(let d): data = d
            case .failure(let e): return e
            }
            let length = env.pageSize * 2
            if env.shouldFail() { return .ENOMEM }
            let pages = UnsafeMutableRawPointer.allocate(byteCount: Int(length), alignment: Int(env.pageSize))
            pages.initializeMemory(as: UInt8.self, repeating: 0, count: Int(length))
            // _iommufd_alloc_mmap: the lowest free range above the first page.
            if env.shouldFail() {
                pages.deallocate()
                return .ENOMEM
            }
            var offset = env.pageSize
            while ctx.mmaps.values.contains(where: { offset < $0.offset + $0.length && $0.offset < offset + length }) {
                offset = ctx.mmaps.values.filter { offset < $0.offset + $0.length && $0.offset < offset + length }
                    .map { $0.offset + $0.length }.max()!
            }
            ctx.mmaps[offset] = MMapEntry(owner: viommu, offset: offset, length: length, memory: pages)
            let inData = data.u32(0)
            pages.storeBytes(of: inData, as: UInt32.self)
            data.put(4, u32: inData)
            data.put(8, u64: offset)
            data.put(16, u64: length)
            if let e = userData.copyStructToUser(type: Mock.viommuType, bytes: data, minSize: 8) {
                ctx.mmaps[offset] = nil
                pages.deallocate()
                return e
            }
            viommu.mockPages = pages
            viommu.mmapOffset = offset
        }
        viommu.hwQueues = Array(repeating: nil, count: Int(Mock.hwQueueMax))
        viommu.ops = MockVIOMMUOps(driver: self)
        return nil
    }

    func iommuInstance(_ dev: PhysicalDevice) -> Int { dev.isMock ? 0 : dev.spec.iommuInstance }

    func reservedRegions(_ dev: PhysicalDevice) -> [ModelDevice.ReservedRegion] { [] }

    var userPasidTable: Bool { true }
}

/// `mock_viommu_ops`.
final class MockVIOMMUOps: VIOMMUDriverOps {
    unowned let driver: SelftestMockDriver

    init(driver: SelftestMockDriver) { self.driver = driver }

    /// `mock_viommu_destroy`: the mmap window and pages go.
    func destroy(_ viommu: VIOMMUObject, ctx: ModelContext) {
        if let pages = viommu.mockPages {
            ctx.mmaps[viommu.mmapOffset] = nil
            pages.deallocate()
            viommu.mockPages = nil
        }
    }

    var hasAllocDomainNested: Bool { true }

    /// `mock_viommu_alloc_domain_nested`.
    func allocDomainNested(_ viommu: VIOMMUObject, flags: UInt32, userData: UserData) -> Result<IOMMUDomain, Errno> {
        if flags & ~HWPTFlag.pasid != 0 { return .failure(.EOPNOTSUPP) }
        return driver.allocNested(userData: userData).map { d in
            d.mockVIOMMU = viommu
            return d
        }
    }

    var hasCacheInvalidate: Bool { true }

    /// `mock_viommu_cache_invalidate`: an empty array of the right type succeeds; entries are
    /// {flags ⊆ {ALL} (EOPNOTSUPP), vdev_id of a vDEVICE (EINVAL), cache_id <= 3 (EINVAL)}, copied
    /// as a full array (so a longer entry with a non-zero tail is E2BIG).
    func cacheInvalidate(_ viommu: VIOMMUObject, array: inout UserDataArray, ctx: ModelContext) -> Errno? {
        if array.entryNum == 0 && array.type == Mock.invalidateType {
            array.entryNum = 0
            return nil
        }
        if ctx.env.shouldFail() { return .ENOMEM }
        let entries: [[UInt8]]
        switch array.copyAll(type: Mock.invalidateType, size: 12) {
        case .success(let e): entries = e
        case .failure(let e):
            array.entryNum = 0
            return e
        }
        var done: UInt32 = 0
        var rc: Errno?
        for entry in entries {
            let flags = entry.u32(0), vdevID = entry.u32(4), cacheID = entry.u32(8)
            if flags & ~1 != 0 { rc = .EOPNOTSUPP; break }
            if cacheID > 3 { rc = .EINVAL; break }
            guard let dev = viommu.findDevice(virtID: UInt64(vdevID)) else { rc = .EINVAL; break }
            if flags & 1 != 0 {
                for i in 0..<4 { dev.mockCache[i] = 0 }
            } else {
                dev.mockCache[Int(cacheID)] = 0
            }
            done += 1
        }
        array.entryNum = done
        return rc
    }

    /// `mock_viommu_get_hw_queue_size`.
    func hwQueueSize(_ viommu: VIOMMUObject, type: UInt32) -> Int? {
        type == Mock.hwQueueType ? 1 : 0
    }

    /// `mock_hw_queue_init_phys`: index < 2 (EINVAL), free (EEXIST), and index n needs n-1
    /// (EIO); a queue depends on the previous one (which then cannot be destroyed).
    func hwQueueInit(_ queue: HWQueueObject, index: UInt32, basePA: UInt64, ctx: ModelContext) -> Errno? {
        guard let viommu = queue.viommu else { return .EINVAL }
        if index >= Mock.hwQueueMax { return .EINVAL }
        if viommu.hwQueues[Int(index)] != nil { return .EEXIST }
        var prev: HWQueueObject?
        if index > 0 {
            prev = viommu.hwQueues[Int(index) - 1]
            if prev == nil { return .EIO }
        }
        if let prev {
            // iommufd_hw_queue_depend
            if prev === queue { return .EINVAL }
            prev.users += 1
        }
        queue.prev = prev
        queue.index = index
        viommu.hwQueues[Int(index)] = queue
        queue.driverInitialized = true
        return nil
    }

    /// `mock_hw_queue_destroy`.
    func hwQueueDestroy(_ queue: HWQueueObject, ctx: ModelContext) {
        guard let viommu = queue.viommu else { return }
        viommu.hwQueues[Int(queue.index)] = nil
        if let prev = queue.prev {
            prev.users -= 1
            queue.prev = nil
        }
    }
}
