// device.c: device objects (bind/unbind), the per-group state, attach / replace / detach of a
// device or one of its PASIDs to a HWPT or an IOAS (automatic domains), in-kernel accesses, and
// IOMMU_GET_HW_INFO.

/// `struct iommufd_attach`: what one PASID of a group is attached to, and by which devices.
final class AttachState {
    var hwpt: HWPTObject?
    /// `device_array`, by device id (ordered for deterministic walks).
    var devices: [(id: UInt32, idev: DeviceObject)] = []

    func contains(_ id: UInt32) -> Bool { devices.contains { $0.id == id } }
}

/// `struct iommufd_group`: per context and IOMMU group.
final class IOMMUFDGroup {
    let group: IOMMUGroup
    var refs = 1
    /// `pasid_attach`.
    var pasidAttach: [UInt32: AttachState] = [:]
    /// `sw_msi_start` (nil: PHYS_ADDR_MAX).
    var swMSIStart: UInt64?

    init(group: IOMMUGroup) { self.group = group }
}

/// `struct iommufd_device`: a device bound to the context.
final class DeviceObject: ModelObject {
    let dev: PhysicalDevice
    let igroup: IOMMUFDGroup
    var enforceCacheCoherency = false
    /// The vDEVICE presenting this device (it holds a users reference on the device).
    var vdev: VDeviceObject?
    var destroying = false

    init(ctx: ModelContext, dev: PhysicalDevice, igroup: IOMMUFDGroup) {
        self.dev = dev
        self.igroup = igroup
        super.init(ctx: ctx, type: .device)
    }

    /// `iommufd_device_pre_destroy` / `iommufd_device_remove_vdev`: a vDEVICE still presenting
    /// the device is destroyed and its id left as a tombstone.
    override func preDestroy() {
        destroying = true
        guard let vdev else { return }
        vdev.users += 1
        ctx.remove(vdev, id: vdev.id, wait: true, tombstone: true)
    }

    /// `iommufd_device_destroy`.
    override func destroy() {
        ctx.releaseDMAOwner(dev)
        ctx.putGroup(igroup)
        if !dev.isMock { ctx.putRef() }
    }
}

extension ModelContext {
    // MARK: Groups and ownership

    /// `iommufd_get_group`.
    func getGroup(_ dev: PhysicalDevice) -> Result<IOMMUFDGroup, Errno> {
        if let g = groups[dev.group.id], g.refs > 0 {
            g.refs += 1
            return .success(g)
        }
        if env.shouldFail() { return .failure(.ENOMEM) }
        let g = IOMMUFDGroup(group: dev.group)
        groups[dev.group.id] = g
        return .success(g)
    }

    /// `iommufd_put_group`.
    func putGroup(_ g: IOMMUFDGroup) {
        g.refs -= 1
        if g.refs == 0, groups[g.group.id] === g { groups[g.group.id] = nil }
    }

    /// `iommu_device_claim_dma_owner`: one context owns a group (EPERM for another).
    func claimDMAOwner(_ dev: PhysicalDevice) -> Errno? {
        let group = dev.group
        if group.ownerCount > 0 {
            if group.owner !== self { return .EPERM }
            group.ownerCount += 1
            return nil
        }
        if !group.pasidDomains.isEmpty { return .EBUSY }
        group.owner = self
        group.ownerCount = 1
        return nil
    }

    /// `iommu_device_release_dma_owner`.
    func releaseDMAOwner(_ dev: PhysicalDevice) {
        let group = dev.group
        if group.ownerCount > 0 { group.ownerCount -= 1 }
        if group.ownerCount == 0 {
            group.owner = nil
            group.pasidDomains.removeAll()
        }
    }

    // MARK: Bind

    /// `iommufd_device_bind`: the IOMMU must offer cache coherency (EINVAL), the group must
    /// isolate MSIs unless unsafe interrupts are allowed (EPERM), and this context must be able
    /// to own the group. The device object is published at once (it holds the driver's ref).
    func deviceBind(_ dev: PhysicalDevice) -> Result<DeviceObject, Errno> {
        let driver = env.driver!
        if !driver.capable(dev, .cacheCoherency) { return .failure(.EINVAL) }
        let igroup: IOMMUFDGroup
        switch getGroup(dev) {
        case .success(let g): igroup = g
        case .failure(let e): return .failure(e)
        }
        if !dev.isMock && !driver.hasIsolatedMSI(dev) && !env.allowUnsafeInterrupts {
            putGroup(igroup)
            return .failure(.EPERM)
        }
        if let e = claimDMAOwner(dev) {
            putGroup(igroup)
            return .failure(e)
        }
        let idev: DeviceObject
        switch objectAlloc({ DeviceObject(ctx: self, dev: dev, igroup: igroup) }) {
        case .success(let o): idev = o
        case .failure(let e):
            releaseDMAOwner(dev)
            putGroup(igroup)
            return .failure(e)
        }
        if !dev.isMock { getRef() }
        idev.enforceCacheCoherency = driver.capable(dev, .enforceCacheCoherency)
        idev.users += 1  // the calling driver, until unbind
        finalize(idev)
        return .success(idev)
    }

    /// `iommufd_device_unbind`: destroy with REMOVE_WAIT (a vDEVICE becomes a tombstone).
    func deviceUnbind(_ idev: DeviceObject) {
        remove(idev, id: idev.id, wait: true)
    }

    // MARK: Attach helpers

    /// `iommufd_device_attach_reserved_iova`: the device's reserved regions go into the IOAS.
    private func attachReservedIOVA(_ idev: DeviceObject, _ paging: HWPTPagingObject) -> Errno? {
        var start = idev.igroup.swMSIStart
        let regions = env.driver.reservedRegions(idev.dev) + idev.dev.spec.reservedRegions
        if let e = paging.ioas.iopt.enforceDeviceReservedRegions(regions, owner: ObjectIdentifier(idev.dev),
                                                                 swMSIStart: &start, trackMSI: true) {
            return e
        }
        idev.igroup.swMSIStart = start
        return nil
    }

    /// `iommufd_hwpt_pasid_compat`: a RID attach to a non-PASID HWPT is refused while PASIDs are
    /// attached; a PASID attach needs a PASID HWPT and a PASID-compatible RID attachment.
    private func hwptPasidCompat(_ hwpt: HWPTObject, _ idev: DeviceObject, _ pasid: UInt32) -> Errno? {
        let igroup = idev.igroup
        if pasid == K.noPASID {
            if !hwpt.pasidCompat && igroup.pasidAttach.keys.contains(where: { $0 != K.noPASID }) { return .EINVAL }
        } else {
            if !hwpt.pasidCompat { return .EINVAL }
            if let rid = igroup.pasidAttach[K.noPASID], let h = rid.hwpt, !h.pasidCompat { return .EINVAL }
        }
        return nil
    }

    /// `iommufd_hwpt_compatible_device`: a fault-capable HWPT cannot serve a PCI VF with PRI.
    private func hwptCompatibleDevice(_ hwpt: HWPTObject, _ idev: DeviceObject) -> Bool {
        if hwpt.fault == nil || !idev.dev.spec.isPCI || idev.dev.isMock { return true }
        return !idev.dev.spec.isVirtualFunctionWithPRI
    }

    /// `iommufd_hwpt_attach_device`.
    private func hwptAttachDevice(_ hwpt: HWPTObject, _ idev: DeviceObject, _ pasid: UInt32) -> Errno? {
        if !hwptCompatibleDevice(hwpt, idev) { return .EINVAL }
        if let e = hwptPasidCompat(hwpt, idev, pasid) { return e }
        if env.shouldFail() { return .ENOMEM }  // the attach handle
        guard let domain = hwpt.domain else { return .EINVAL }
        if pasid == K.noPASID {
            return IOMMUCore.attachGroup(domain, idev.dev.group, env: env)
        }
        return IOMMUCore.attachDevicePasid(domain, idev.dev, pasid, env: env)
    }

    /// `iommufd_hwpt_detach_device`.
    private func hwptDetachDevice(_ hwpt: HWPTObject, _ idev: DeviceObject, _ pasid: UInt32) {
        if pasid == K.noPASID {
            IOMMUCore.detachGroup(idev.dev.group, env: env)
        } else {
            IOMMUCore.detachDevicePasid(hwpt.domain, idev.dev, pasid, env: env)
        }
        autoResponseFaults(hwpt, idev: idev, pasid: pasid)
    }

    /// `iommufd_hwpt_replace_device`.
    private func hwptReplaceDevice(_ idev: DeviceObject, _ pasid: UInt32, _ hwpt: HWPTObject, _ old: HWPTObject) -> Errno? {
        if !hwptCompatibleDevice(hwpt, idev) { return .EINVAL }
        if let e = hwptPasidCompat(hwpt, idev, pasid) { return e }
        if env.shouldFail() { return .ENOMEM }
        guard let domain = hwpt.domain else { return .EINVAL }
        let rc = pasid == K.noPASID
            ? IOMMUCore.replaceGroup(idev.dev.group, domain, env: env)
            : IOMMUCore.replaceDevicePasid(domain, idev.dev, pasid, env: env)
        if let rc { return rc }
        autoResponseFaults(old, idev: idev, pasid: pasid)
        return nil
    }

    /// `iommufd_auto_response_faults`: pending faults of the old attachment are answered INVALID.
    func autoResponseFaults(_ hwpt: HWPTObject, idev: DeviceObject, pasid: UInt32) {
        guard let fault = hwpt.fault else { return }
        fault.dropGroups { $0.hwpt === hwpt && $0.idev === idev && $0.attachPasid == pasid }
    }

    /// `iommufd_hw_pagetable_attach`: the first device of a group attaches the group; the others
    /// must name the same HWPT (EINVAL); attaching twice is EBUSY.
    func hwptAttach(_ hwpt: HWPTObject, idev: DeviceObject, pasid: UInt32) -> Errno? {
        let paging = findHWPTPaging(hwpt)
        let attachResv = paging != nil && pasid == K.noPASID
        let igroup = idev.igroup
        let existing = igroup.pasidAttach[pasid]
        if existing == nil && (env.shouldFail() || env.shouldFail()) { return .ENOMEM }
        let attach = existing ?? AttachState()
        let old = attach.hwpt
        if attach.contains(idev.id) { return .EBUSY }
        if env.shouldFail() { return .ENOMEM }  // xa_insert into device_array
        if let old, old !== hwpt { return .EINVAL }
        if attachResv, let e = attachReservedIOVA(idev, paging!) { return e }
        if existing == nil {
            if let e = hwptAttachDevice(hwpt, idev, pasid) {
                if attachResv { paging!.ioas.iopt.removeReserved(owner: ObjectIdentifier(idev.dev)) }
                return e
            }
            attach.hwpt = hwpt
            igroup.pasidAttach[pasid] = attach
        }
        hwpt.users += 1
        attach.devices.append((idev.id, idev))
        return nil
    }

    /// `iommufd_hw_pagetable_detach`: returns the HWPT (after dropping the attach reference).
    @discardableResult
    func hwptDetach(idev: DeviceObject, pasid: UInt32, put: Bool = true) -> HWPTObject? {
        let igroup = idev.igroup
        guard let attach = igroup.pasidAttach[pasid], let hwpt = attach.hwpt else { return nil }
        let paging = findHWPTPaging(hwpt)
        attach.devices.removeAll { $0.id == idev.id }
        if attach.devices.isEmpty {
            hwptDetachDevice(hwpt, idev, pasid)
            igroup.pasidAttach[pasid] = nil
        }
        if let paging, pasid == K.noPASID { paging.ioas.iopt.removeReserved(owner: ObjectIdentifier(idev.dev)) }
        if put { hwptPut(hwpt) } else { hwpt.users -= 1 }
        return hwpt
    }

    /// `iommufd_hw_pagetable_put`: an automatic domain goes away with its last user.
    func hwptPut(_ hwpt: HWPTObject) {
        if let p = hwpt as? HWPTPagingObject, p.autoDomain {
            remove(p, id: p.id)
            return
        }
        hwpt.users -= 1
    }

    /// `iommufd_group_remove_reserved_iova`.
    private func groupRemoveReservedIOVA(_ igroup: IOMMUFDGroup, _ paging: HWPTPagingObject) {
        guard let attach = igroup.pasidAttach[K.noPASID] else { return }
        for d in attach.devices { paging.ioas.iopt.removeReserved(owner: ObjectIdentifier(d.idev.dev)) }
    }

    /// `iommufd_group_do_replace_reserved_iova`: moving to another IOAS reserves every group
    /// device's regions there first.
    private func groupDoReplaceReservedIOVA(_ igroup: IOMMUFDGroup, _ paging: HWPTPagingObject) -> Errno? {
        guard let attach = igroup.pasidAttach[K.noPASID] else { return nil }
        let oldPaging = findHWPTPaging(attach.hwpt)
        if oldPaging == nil || paging.ioas !== oldPaging!.ioas {
            for d in attach.devices {
                var ignore: UInt64?
                let regions = env.driver.reservedRegions(d.idev.dev) + d.idev.dev.spec.reservedRegions
                if let e = paging.ioas.iopt.enforceDeviceReservedRegions(regions, owner: ObjectIdentifier(d.idev.dev),
                                                                         swMSIStart: &ignore, trackMSI: false) {
                    groupRemoveReservedIOVA(igroup, paging)
                    return e
                }
            }
        }
        return nil
    }

    /// `iommufd_device_do_replace`: requires an existing attachment of this device (EINVAL);
    /// returns the old HWPT for the caller to put.
    private func doReplace(_ idev: DeviceObject, _ pasid: UInt32, _ hwpt: HWPTObject) -> Result<HWPTObject?, Errno> {
        let paging = findHWPTPaging(hwpt)
        let attachResv = paging != nil && pasid == K.noPASID
        let igroup = idev.igroup
        guard let attach = igroup.pasidAttach[pasid], let old = attach.hwpt else { return .failure(.EINVAL) }
        if !attach.contains(idev.id) { return .failure(.EINVAL) }
        if hwpt === old { return .success(nil) }
        if attachResv, let e = groupDoReplaceReservedIOVA(igroup, paging!) { return .failure(e) }
        if let e = hwptReplaceDevice(idev, pasid, hwpt, old) {
            if attachResv { groupRemoveReservedIOVA(igroup, paging!) }
            return .failure(e)
        }
        if let oldPaging = findHWPTPaging(old), pasid == K.noPASID, paging == nil || paging!.ioas !== oldPaging.ioas {
            groupRemoveReservedIOVA(igroup, oldPaging)
        }
        attach.hwpt = hwpt
        let n = attach.devices.count
        hwpt.users += n
        if n > 1 { old.users -= n - 1 }
        return .success(old)
    }

    private func doAttachOrReplace(_ idev: DeviceObject, _ pasid: UInt32, _ hwpt: HWPTObject, replace: Bool) -> Result<HWPTObject?, Errno> {
        if replace { return doReplace(idev, pasid, hwpt) }
        if let e = hwptAttach(hwpt, idev: idev, pasid: pasid) { return .failure(e) }
        return .success(nil)
    }

    /// `iommufd_device_auto_get_domain`: reuse an automatic domain of the IOAS that accepts the
    /// device (EINVAL means "incompatible, try the next"), or make a new one.
    private func autoGetDomain(_ idev: DeviceObject, _ pasid: UInt32, _ ioas: IOASObject, _ ptID: inout UInt32,
                               replace: Bool) -> Result<HWPTObject?, Errno> {
        for paging in ioas.hwptList where paging.autoDomain {
            switch doAttachOrReplace(idev, pasid, paging, replace: replace) {
            case .success(let destroy):
                ptID = paging.id
                return .success(destroy)
            case .failure(.EINVAL):
                continue
            case .failure(let e):
                return .failure(e)
            }
        }
        let paging: HWPTPagingObject
        switch hwptPagingAlloc(ioas: ioas, idev: idev, pasid: pasid, flags: 0, immediateAttach: !replace, userData: nil) {
        case .success(let p): paging = p
        case .failure(let e): return .failure(e)
        }
        var destroy: HWPTObject?
        if replace {
            switch doReplace(idev, pasid, paging) {
            case .success(let d): destroy = d
            case .failure(let e):
                abortAndDestroy(paging)
                return .failure(e)
            }
        }
        paging.autoDomain = true
        ptID = paging.id
        finalize(paging)
        return .success(destroy)
    }

    /// `iommufd_device_change_pt`: pt_id is a HWPT (attach/replace it) or an IOAS (automatic
    /// domain); other objects are EINVAL, unknown ids ENOENT.
    private func deviceChangePT(_ idev: DeviceObject, _ pasid: UInt32, _ ptID: inout UInt32, replace: Bool) -> Errno? {
        guard let pt = get(ptID) else { return .ENOENT }
        let destroy: HWPTObject?
        switch pt.type {
        case .hwptNested, .hwptPaging:
            switch doAttachOrReplace(idev, pasid, unsafeDowncast(pt, to: HWPTObject.self), replace: replace) {
            case .success(let d): destroy = d
            case .failure(let e): return e
            }
        case .ioas:
            switch autoGetDomain(idev, pasid, unsafeDowncast(pt, to: IOASObject.self), &ptID, replace: replace) {
            case .success(let d): destroy = d
            case .failure(let e): return e
            }
        default:
            return .EINVAL
        }
        if let destroy { hwptPut(destroy) }
        return nil
    }

    /// `iommufd_device_attach`.
    func deviceAttach(_ idev: DeviceObject, pasid: UInt32, ptID: inout UInt32) -> Errno? {
        if let e = deviceChangePT(idev, pasid, &ptID, replace: false) { return e }
        idev.users += 1
        return nil
    }

    /// `iommufd_device_replace`.
    func deviceReplace(_ idev: DeviceObject, pasid: UInt32, ptID: inout UInt32) -> Errno? {
        deviceChangePT(idev, pasid, &ptID, replace: true)
    }

    /// `iommufd_device_detach`.
    func deviceDetach(_ idev: DeviceObject, pasid: UInt32) {
        if hwptDetach(idev: idev, pasid: pasid) != nil { idev.users -= 1 }
    }

    /// The HWPT a device's PASID (or RID) is attached to.
    func attachedHWPT(_ idev: DeviceObject, pasid: UInt32) -> HWPTObject? {
        guard let a = idev.igroup.pasidAttach[pasid], a.contains(idev.id) else { return nil }
        return a.hwpt
    }

    // MARK: GET_HW_INFO

    /// `iommufd_get_hw_info`: flags ⊆ {INPUT_TYPE} and reserved bytes 0 (EOPNOTSUPP); without
    /// INPUT_TYPE the requested type is DEFAULT; the driver's data is copied up to data_len, the
    /// rest of the user buffer zeroed, and data_len set to the kernel's length.
    func getHWInfo(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.HWInfo.flags)
        if flags & ~1 != 0 { return .EOPNOTSUPP }
        if k.u8(L.HWInfo.reserved) != 0 || k.u8(L.HWInfo.reserved + 1) != 0 || k.u8(L.HWInfo.reserved + 2) != 0 {
            return .EOPNOTSUPP
        }
        if flags & 1 == 0 { k.set(L.HWInfo.dataType, u32: 0) }
        guard let idev = getDevice(k.u32(L.HWInfo.devID)) else { return .ENOENT }
        let driver = env.driver!
        var type = k.u32(L.HWInfo.dataType)
        var data: [UInt8] = []
        if let result = driver.hwInfo(idev.dev, type: &type) {
            switch result {
            case .success(let d): data = d
            case .failure(let e): return e
            }
            if type == 0 { return .EOPNOTSUPP }
        } else {
            type = 0
        }
        k.set(L.HWInfo.dataType, u32: type)
        let userLen = Int(k.u32(L.HWInfo.dataLen))
        let uptr = k.u64(L.HWInfo.dataUptr)
        let copyLen = min(userLen, data.count)
        if copyLen > 0, let e = ucmd.memory.write(uptr, bytes: Array(data.prefix(copyLen))) { return e }
        if copyLen < userLen, let e = ucmd.memory.clear(uptr &+ UInt64(copyLen), userLen - copyLen) { return e }
        k.set(L.HWInfo.dataLen, u32: UInt32(data.count))
        var caps: UInt64 = 0
        if driver.capable(idev.dev, .dirtyTracking) { caps |= 1 }
        if !driver.capable(idev.dev, .pciATSSupported) { caps |= 8 }
        var log2: UInt8 = 0
        if idev.dev.maxPasids > 0 {
            log2 = UInt8(31 - idev.dev.maxPasids.leadingZeroBitCount)
            if idev.dev.spec.isPCI && !idev.dev.isMock {
                if idev.dev.spec.pasidExec { caps |= 2 }
                if idev.dev.spec.pasidPriv { caps |= 4 }
            }
        }
        k.set(L.HWInfo.capabilities, u64: caps)
        k.set(L.HWInfo.maxPasidLog2, u8: log2)
        return ucmd.respond(L.HWInfo.size)
    }
}

/// `struct iommufd_access` (in-kernel users of an IOAS; the model has the internal ones HW queues
/// make, and the selftest's user accesses).
final class AccessObject: ModelObject {
    var ioas: IOASObject?
    var iovaAlignment: UInt64
    let isInternal: Bool
    /// Pinned ranges (iova, length), to unpin on destroy.
    var pins: [(iova: UInt64, length: UInt64)] = []

    init(ctx: ModelContext, isInternal: Bool, iovaAlignment: UInt64) {
        self.isInternal = isInternal
        self.iovaAlignment = iovaAlignment
        super.init(ctx: ctx, type: .access)
    }

    /// `iommufd_access_destroy_object`: detach from the IOAS.
    override func destroy() {
        ctx.accessChangeIOAS(self, nil)
        if !isInternal { ctx.putRef() }
    }
}

extension ModelContext {
    /// `iommufd_access_change_ioas`.
    @discardableResult
    func accessChangeIOAS(_ access: AccessObject, _ new: IOASObject?) -> Errno? {
        let cur = access.ioas
        if cur === new { return nil }
        if let new {
            if let e = new.iopt.addAccess(access) { return e }
            new.users += 1
        }
        if let cur {
            for p in access.pins { accessUnpin(access, iova: p.iova, length: p.length, in: cur) }
            access.pins.removeAll()
            cur.iopt.removeAccess(access)
            cur.users -= 1
        }
        access.ioas = new
        return nil
    }

    /// `iommufd_access_create_internal`.
    func accessCreateInternal() -> Result<AccessObject, Errno> {
        switch objectAlloc({ AccessObject(ctx: self, isInternal: true, iovaAlignment: env.pageSize) }) {
        case .success(let a):
            a.users += 1  // the calling driver
            finalize(a)
            return .success(a)
        case .failure(let e):
            return .failure(e)
        }
    }

    /// `iommufd_access_pin_pages`: the range must be mapped contiguously and page aligned at the
    /// area edges; an internal pin locks the areas (unmap answers EBUSY).
    func accessPin(_ access: AccessObject, iova: UInt64, length: UInt64, write: Bool) -> Errno? {
        if length == 0 { return .EINVAL }
        let (lastIOVA, overflow) = iova.addingReportingOverflow(length - 1)
        if overflow { return .EOVERFLOW }
        guard let ioas = access.ioas else { return .ENOENT }
        let iopt = ioas.iopt
        var touched: [AreaRecord] = []
        var cursor = iova
        var area = iopt.areas.firstIntersecting(iova, iova)
        var done = false
        while let a = area {
            let startByte = a.addr &+ (cursor - a.start)
            let contigDone = lastIOVA <= a.last
            if startByte % env.pageSize != 0 || (!contigDone && (a.addr &+ (a.last - a.start)) % env.pageSize != env.pageSize - 1) {
                return .EINVAL
            }
            if write ? AreaMeta.prot(a.meta) & K.protWrite == 0 : AreaMeta.prot(a.meta) & K.protRead == 0 { return .EPERM }
            if write && !AreaMeta.writable(a.meta) { return .EPERM }
            if AreaMeta.kind(a.meta) == .dmabuf { return .EINVAL }
            touched.append(a)
            if contigDone { done = true; break }
            cursor = a.last + 1
            guard let n = iopt.areas.firstIntersecting(cursor, lastIOVA), n.start == cursor else { break }
            area = n
        }
        if !done { return .ENOENT }
        for a in touched {
            if let e = env.pin(kind: AreaMeta.kind(a.meta), addr: a.addr, length: a.length, write: write,
                               pagesID: AreaMeta.pagesID(a.meta)) { return e }
        }
        for a in touched {
            var acc = iopt.areaAccess[a.start] ?? (0, 0)
            acc.accesses += 1
            if access.isInternal { acc.locks += 1 }
            iopt.areaAccess[a.start] = acc
        }
        access.pins.append((iova, length))
        return nil
    }

    /// `iommufd_access_unpin_pages`.
    func accessUnpin(_ access: AccessObject, iova: UInt64, length: UInt64, in ioas: IOASObject) {
        let iopt = ioas.iopt
        let lastIOVA = iova &+ length &- 1
        iopt.areas.forEach(intersecting: iova, lastIOVA) { a in
            if var acc = iopt.areaAccess[a.start] {
                acc.accesses -= 1
                if access.isInternal { acc.locks -= 1 }
                if acc.accesses == 0 && acc.locks == 0 {
                    iopt.areaAccess[a.start] = nil
                } else {
                    iopt.areaAccess[a.start] = acc
                }
            }
            return true
        }
    }
}
