// hw_pagetable.c: HWPT objects (paging on an IOAS, nested on a nest parent or a vIOMMU), and
// the HWPT_ALLOC, SET_DIRTY_TRACKING, GET_DIRTY_BITMAP and INVALIDATE ioctls.

/// `enum iommufd_hwpt_alloc_flags`.
enum HWPTFlag {
    static let nestParent: UInt32 = 1
    static let dirtyTracking: UInt32 = 2
    static let faultIDValid: UInt32 = 4
    static let pasid: UInt32 = 8
}

/// `struct iommufd_hw_pagetable`.
class HWPTObject: ModelObject {
    var domain: IOMMUDomain?
    /// The fault queue (`hwpt->fault`), holding a users reference on it.
    var fault: FaultObject?
    /// `pasid_compat`: allocated with IOMMU_HWPT_ALLOC_PASID.
    var pasidCompat = false

    /// `__iommufd_hwpt_destroy`.
    func destroyCommon() {
        domain?.free()
        domain = nil
        if let fault {
            fault.users -= 1
            self.fault = nil
        }
    }
}

/// `struct iommufd_hwpt_paging`.
final class HWPTPagingObject: HWPTObject {
    unowned let ioas: IOASObject
    var autoDomain = false
    var enforceCacheCoherency = false
    var nestParent = false
    /// `hwpt_item` is on the IOAS's list (and the domain is in its io_pagetable).
    var onList = false

    init(ctx: ModelContext, ioas: IOASObject) {
        self.ioas = ioas
        super.init(ctx: ctx, type: .hwptPaging)
    }

    /// `iommufd_hwpt_paging_destroy`.
    override func destroy() {
        if onList {
            ioas.hwptList.removeAll { $0 === self }
            onList = false
            if let domain { ioas.iopt.removeDomain(domain) }
        }
        destroyCommon()
        ioas.users -= 1
    }

    /// `iommufd_hwpt_paging_abort`.
    override func abort() { destroy() }
}

/// `struct iommufd_hwpt_nested`.
final class HWPTNestedObject: HWPTObject {
    unowned let parent: HWPTPagingObject
    var viommu: VIOMMUObject?

    init(ctx: ModelContext, parent: HWPTPagingObject) {
        self.parent = parent
        super.init(ctx: ctx, type: .hwptNested)
    }

    /// `iommufd_hwpt_nested_destroy`: drops the reference on the vIOMMU, else on the parent.
    override func destroy() {
        destroyCommon()
        if let viommu { viommu.users -= 1 } else { parent.users -= 1 }
    }
}

extension ModelContext {
    /// `find_hwpt_paging`: a paging HWPT itself, or a nested HWPT's parent.
    func findHWPTPaging(_ hwpt: HWPTObject?) -> HWPTPagingObject? {
        switch hwpt {
        case let p as HWPTPagingObject: p
        case let n as HWPTNestedObject: n.parent
        default: nil
        }
    }

    /// `iommufd_hwpt_paging_alloc`: checks the flags, allocates the domain, optionally attaches
    /// the device, then adds the domain to the IOAS. The object is returned unfinalized.
    func hwptPagingAlloc(ioas: IOASObject, idev: DeviceObject, pasid: UInt32, flags: UInt32,
                         immediateAttach: Bool, userData: UserData?) -> Result<HWPTPagingObject, Errno> {
        let driver = env.driver!
        let validFlags = HWPTFlag.nestParent | HWPTFlag.dirtyTracking | HWPTFlag.faultIDValid | HWPTFlag.pasid
        if (flags != 0 || userData != nil) && !driver.hasDomainAllocPagingFlags { return .failure(.EOPNOTSUPP) }
        if flags & ~validFlags != 0 { return .failure(.EOPNOTSUPP) }
        if flags & HWPTFlag.dirtyTracking != 0 && !driver.capable(idev.dev, .dirtyTracking) { return .failure(.EOPNOTSUPP) }
        if flags & HWPTFlag.faultIDValid != 0 && flags & HWPTFlag.nestParent != 0 { return .failure(.EOPNOTSUPP) }

        let hwpt: HWPTPagingObject
        switch objectAlloc({ HWPTPagingObject(ctx: self, ioas: ioas) }) {
        case .success(let o): hwpt = o
        case .failure(let e): return .failure(e)
        }
        hwpt.pasidCompat = flags & HWPTFlag.pasid != 0
        ioas.users += 1
        hwpt.nestParent = flags & HWPTFlag.nestParent != 0

        let domainResult = driver.hasDomainAllocPagingFlags
            ? driver.domainAllocPagingFlags(idev.dev, flags: flags & ~HWPTFlag.faultIDValid, userData: userData)
            : driver.domainAllocPaging(idev.dev)
        switch domainResult {
        case .success(let d): hwpt.domain = d
        case .failure(let e):
            abortAndDestroy(hwpt)
            return .failure(e)
        }
        let domain = hwpt.domain!
        domain.hwpt = hwpt

        // The cache coherency mode is fixed before any map.
        if idev.enforceCacheCoherency {
            if !hwpt.enforceCacheCoherency { hwpt.enforceCacheCoherency = domain.enforceCacheCoherency() }
            if !hwpt.enforceCacheCoherency {
                abortAndDestroy(hwpt)
                return .failure(.EINVAL)
            }
        }
        if immediateAttach, let e = hwptAttach(hwpt, idev: idev, pasid: pasid) {
            abortAndDestroy(hwpt)
            return .failure(e)
        }
        if let e = ioas.iopt.addDomain(domain) {
            if immediateAttach { _ = hwptDetach(idev: idev, pasid: pasid, put: false) }
            abortAndDestroy(hwpt)
            return .failure(e)
        }
        ioas.hwptList.append(hwpt)
        hwpt.onList = true
        return .success(hwpt)
    }

    /// `iommufd_hwpt_nested_alloc`: a nested domain on a user-made nest parent of this driver.
    private func hwptNestedAlloc(parent: HWPTPagingObject, idev: DeviceObject, flags: UInt32,
                                 userData: UserData) -> Result<HWPTNestedObject, Errno> {
        let driver = env.driver!
        if flags & ~(HWPTFlag.faultIDValid | HWPTFlag.pasid) != 0 || userData.len == 0 || !driver.hasDomainAllocNested {
            return .failure(.EOPNOTSUPP)
        }
        if parent.autoDomain || !parent.nestParent || parent.domain?.driver !== driver { return .failure(.EINVAL) }
        let hwpt: HWPTNestedObject
        switch objectAlloc({ HWPTNestedObject(ctx: self, parent: parent) }) {
        case .success(let o): hwpt = o
        case .failure(let e): return .failure(e)
        }
        hwpt.pasidCompat = flags & HWPTFlag.pasid != 0
        parent.users += 1
        return install(driver.domainAllocNested(idev.dev, parent: parent.domain!, flags: flags & ~HWPTFlag.faultIDValid, userData: userData),
                       in: hwpt)
    }

    /// `iommufd_viommu_alloc_hwpt_nested`: a nested domain through a vIOMMU.
    private func viommuAllocHWPTNested(_ viommu: VIOMMUObject, flags: UInt32, userData: UserData) -> Result<HWPTNestedObject, Errno> {
        if flags & ~(HWPTFlag.faultIDValid | HWPTFlag.pasid) != 0 { return .failure(.EOPNOTSUPP) }
        if userData.len == 0 { return .failure(.EOPNOTSUPP) }
        guard let ops = viommu.ops, ops.hasAllocDomainNested else { return .failure(.EOPNOTSUPP) }
        let hwpt: HWPTNestedObject
        switch objectAlloc({ HWPTNestedObject(ctx: self, parent: viommu.hwpt) }) {
        case .success(let o): hwpt = o
        case .failure(let e): return .failure(e)
        }
        hwpt.pasidCompat = flags & HWPTFlag.pasid != 0
        hwpt.viommu = viommu
        viommu.users += 1
        return install(ops.allocDomainNested(viommu, flags: flags & ~HWPTFlag.faultIDValid, userData: userData), in: hwpt)
    }

    /// The end of both nested allocations: the driver's domain goes into the half-made HWPT; a
    /// failure, or a domain that is not nested (a driver bug the core refuses with EOPNOTSUPP),
    /// destroys the HWPT again so nothing is left half-made.
    private func install(_ allocated: Result<IOMMUDomain, Errno>, in hwpt: HWPTNestedObject) -> Result<HWPTNestedObject, Errno> {
        switch allocated {
        case .success(let d) where d.kind == .nested:
            hwpt.domain = d
            d.hwpt = hwpt
            return .success(hwpt)
        case .success(let d):
            hwpt.domain = d
            d.hwpt = hwpt
            abortAndDestroy(hwpt)
            return .failure(.EOPNOTSUPP)
        case .failure(let e):
            abortAndDestroy(hwpt)
            return .failure(e)
        }
    }

    /// `iommufd_hwpt_alloc`: data_type/data_len must agree (EINVAL); the device must exist
    /// (ENOENT); pt_id picks the kind: an IOAS gives a paging HWPT, a paging HWPT a nested one,
    /// a vIOMMU a nested one through it, anything else (or nothing) EINVAL.
    func hwptAllocIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.HWPTAlloc.flags)
        let dataType = k.u32(L.HWPTAlloc.dataType), dataLen = k.u32(L.HWPTAlloc.dataLen)
        let userData = UserData(type: dataType, uptr: k.u64(L.HWPTAlloc.dataUptr), len: dataLen, memory: ucmd.memory)
        if k.u32(L.HWPTAlloc.reserved) != 0 { return .EOPNOTSUPP }
        if (dataType == 0 && dataLen != 0) || (dataType != 0 && dataLen == 0) { return .EINVAL }
        guard let idev = getDevice(k.u32(L.HWPTAlloc.devID)) else { return .ENOENT }
        guard let pt = get(k.u32(L.HWPTAlloc.ptID)) else { return .EINVAL }

        let hwpt: HWPTObject
        switch pt.type {
        case .ioas:
            switch hwptPagingAlloc(ioas: unsafeDowncast(pt, to: IOASObject.self), idev: idev, pasid: K.noPASID, flags: flags,
                                   immediateAttach: false, userData: dataLen != 0 ? userData : nil) {
            case .success(let h): hwpt = h
            case .failure(let e): return e
            }
        case .hwptPaging:
            switch hwptNestedAlloc(parent: unsafeDowncast(pt, to: HWPTPagingObject.self), idev: idev, flags: flags, userData: userData) {
            case .success(let h): hwpt = h
            case .failure(let e): return e
            }
        case .viommu:
            let viommu = unsafeDowncast(pt, to: VIOMMUObject.self)
            if viommu.iommuInstance != env.driver.iommuInstance(idev.dev) { return .EINVAL }
            switch viommuAllocHWPTNested(viommu, flags: flags, userData: userData) {
            case .success(let h): hwpt = h
            case .failure(let e): return e
            }
        default:
            return .EINVAL
        }

        if flags & HWPTFlag.faultIDValid != 0 {
            guard let fo = get(k.u32(L.HWPTAlloc.faultID), .fault) else {
                abortAndDestroy(hwpt)
                return .ENOENT
            }
            let fault = unsafeDowncast(fo, to: FaultObject.self)
            hwpt.fault = fault
            hwpt.domain?.iopfHandler = true
            fault.users += 1
        }
        k.set(L.HWPTAlloc.outHWPTID, u32: hwpt.id)
        if let e = ucmd.respond(L.HWPTAlloc.size) {
            abortAndDestroy(hwpt)
            return e
        }
        finalize(hwpt)
        return nil
    }

    /// `iommufd_hwpt_set_dirty_tracking`: flags ⊆ {ENABLE}; the domain needs dirty ops.
    func hwptSetDirtyTracking(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.SetDirty.flags)
        if flags & ~1 != 0 { return .EOPNOTSUPP }
        guard let o = get(k.u32(L.SetDirty.hwptID), .hwptPaging) else { return .ENOENT }
        let hwpt = unsafeDowncast(o, to: HWPTPagingObject.self)
        guard let domain = hwpt.domain, domain.hasDirtyOps else { return .EOPNOTSUPP }
        let enable = flags & 1 != 0
        // iopt_set_dirty_tracking: clear stale dirty bits so tracking starts from a clean state.
        if enable { hwpt.ioas.iopt.clearDirty(domain: domain) }
        return domain.setDirtyTracking(enable)
    }

    /// `iommufd_hwpt_get_dirty_bitmap`: flags ⊆ {NO_CLEAR}, reserved 0, then the range rules.
    func hwptGetDirtyBitmap(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.GetDirty.flags)
        if flags & ~1 != 0 || k.u32(L.GetDirty.reserved) != 0 { return .EOPNOTSUPP }
        guard let o = get(k.u32(L.GetDirty.hwptID), .hwptPaging) else { return .ENOENT }
        let hwpt = unsafeDowncast(o, to: HWPTPagingObject.self)
        guard let domain = hwpt.domain else { return .EOPNOTSUPP }
        return hwpt.ioas.iopt.readAndClearDirty(domain: domain, flags: flags, iova: k.u64(L.GetDirty.iova),
                                                length: k.u64(L.GetDirty.length), bitmapPage: k.u64(L.GetDirty.pageSize),
                                                data: k.u64(L.GetDirty.data), memory: ucmd.memory)
    }

    /// `iommufd_hwpt_invalidate`: to a nested HWPT's domain or a vIOMMU's driver; `entry_num`
    /// is always written back with the number of entries handled.
    func hwptInvalidate(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        var array = UserDataArray(type: k.u32(L.Invalidate.dataType), uptr: k.u64(L.Invalidate.dataUptr),
                                  entryLen: k.u32(L.Invalidate.entryLen), entryNum: k.u32(L.Invalidate.entryNum),
                                  memory: ucmd.memory)
        var done: UInt32 = 0
        var rc: Errno?
        body: do {
            if k.u32(L.Invalidate.reserved) != 0 { rc = .EOPNOTSUPP; break body }
            if array.entryNum != 0 && (array.uptr == 0 || array.entryLen == 0 || UInt64(array.entryLen) > env.pageSize
                                       || array.entryNum > 1 << 19) {
                rc = .EINVAL
                break body
            }
            guard let pt = get(k.u32(L.Invalidate.hwptID)) else { rc = .ENOENT; break body }
            switch pt.type {
            case .hwptNested:
                let hwpt = unsafeDowncast(pt, to: HWPTNestedObject.self)
                guard let domain = hwpt.domain, domain.supportsCacheInvalidate else { rc = .EOPNOTSUPP; break body }
                rc = domain.cacheInvalidateUser(&array)
            case .viommu:
                let viommu = unsafeDowncast(pt, to: VIOMMUObject.self)
                guard let ops = viommu.ops, ops.hasCacheInvalidate else { rc = .EOPNOTSUPP; break body }
                rc = ops.cacheInvalidate(viommu, array: &array, ctx: self)
            default:
                rc = .EINVAL
                break body
            }
            done = array.entryNum
        }
        k.set(L.Invalidate.entryNum, u32: done)
        if ucmd.respond(L.Invalidate.size) != nil { return .EFAULT }
        return rc
    }
}
