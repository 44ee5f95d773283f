// selftest.c: IOMMU_TEST_CMD (only with CONFIG_IOMMUFD_TEST, i.e. the selftest profile): mock
// devices, reserved ranges, checks of the mock domains, dirty bits, IOPF and vEVENT triggers,
// PASID attach/replace/detach/check, and the in-kernel access test objects.

/// `struct selftest_obj` (TYPE_IDEV): a mock device bound and attached by MOCK_DOMAIN.
final class SelftestObject: ModelObject {
    var idev: DeviceObject?
    var mockDev: PhysicalDevice?

    init(ctx: ModelContext) { super.init(ctx: ctx, type: .selftest) }

    /// `iommufd_selftest_destroy`: detach the RID, unbind, remove the mock device.
    override func destroy() {
        if let idev {
            ctx.deviceDetach(idev, pasid: K.noPASID)
            ctx.deviceUnbind(idev)
        }
        if let mockDev { ctx.env.destroyMockDevice(mockDev) }
    }
}

/// `struct selftest_access`: an in-kernel access driven from userspace through its own fd.
final class SelftestAccess {
    unowned let ctx: ModelContext
    var access: AccessObject?
    var needsPin: Bool
    var items: [(iova: UInt64, length: UInt64, id: UInt32)] = []
    var nextID: UInt32 = 0

    init(ctx: ModelContext, needsPin: Bool) {
        self.ctx = ctx
        self.needsPin = needsPin
    }

    /// `iommufd_test_access_unmap`: drop the pins that intersect an unmapped range.
    func unmap(_ iova: UInt64, _ length: UInt64) {
        guard let access, let ioas = access.ioas else { return }
        let last = iova &+ length &- 1
        items.removeAll { item in
            if iova > item.iova &+ item.length &- 1 || last < item.iova { return false }
            ctx.accessUnpinUser(access, iova: item.iova, length: item.length, in: ioas)
            return true
        }
    }

    /// `iommufd_test_staccess_release`.
    func release() {
        guard let access else { return }
        unmap(0, K.ULONG_MAX)
        ctx.accessChangeIOAS(access, nil)
        ctx.remove(access, id: access.id, wait: true)
        self.access = nil
    }
}

extension ModelContext {
    private func selftestObject(_ id: UInt32) -> SelftestObject? {
        guard let o = get(id, .selftest) else { return nil }
        return unsafeDowncast(o, to: SelftestObject.self)
    }

    /// `iommufd_test`: one op per call; unknown ops are EOPNOTSUPP.
    func selftestIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let id = k.u32(L.TestCmd.id)
        switch k.u32(L.TestCmd.op) {
        case 1: return testAddReserved(id, k.u64(L.TestCmd.arStart), k.u64(L.TestCmd.arLength))
        case 2, 12: return testMockDomain(&ucmd)
        case 10: return testMockDomainReplace(&ucmd)
        case 3: return testCheckMap(id, k.u64(L.TestCmd.cmIOVA), k.u64(L.TestCmd.cmLength), k.u64(L.TestCmd.cmUptr))
        case 4: return testCheckRefs(k.u64(L.TestCmd.crUptr), k.u64(L.TestCmd.crLength), k.u32(L.TestCmd.crRefs))
        case 14: return testCheckIOTLB(id, k.u32(L.TestCmd.chkID), k.u32(L.TestCmd.chkValue))
        case 16: return testCheckDevCache(id, k.u32(L.TestCmd.chkID), k.u32(L.TestCmd.chkValue))
        case 5: return testCreateAccess(&ucmd)
        case 11: return testAccessReplaceIOAS(Int32(bitPattern: id), k.u32(L.TestCmd.ptID16))
        case 7: return testAccessPages(&ucmd)
        case 8: return testAccessRW(&ucmd)
        case 6: return testDestroyAccessPages(Int32(bitPattern: id), k.u32(L.TestCmd.ptID16))
        case 9:
            // Protect _batch_init(): at least one unsigned long and a u32.
            return k.u32(L.TestCmd.u) < 12 ? .EINVAL : nil
        case 13: return testDirty(&ucmd)
        case 15: return testTriggerIOPF(k)
        case 17: return testTriggerVEvent(k)
        case 18: return testPasidAttach(&ucmd)
        case 19: return testPasidReplace(&ucmd)
        case 20:
            guard let sobj = selftestObject(id), let idev = sobj.idev else { return .ENOENT }
            deviceDetach(idev, pasid: k.u32(L.TestCmd.pasid))
            return nil
        case 21: return testPasidCheckHWPT(id, k.u32(L.TestCmd.pasid), k.u32(L.TestCmd.pasidPtID))
        default:
            // DMABUF_GET / DMABUF_REVOKE are not modelled (no dma-buf exporter): documented limit.
            return .EOPNOTSUPP
        }
    }

    /// `iommufd_test_add_reserved`: a selftest-owned reserved range (EINVAL for length 0,
    /// EOVERFLOW for a wrapping end, EADDRINUSE over areas or allowed ranges).
    private func testAddReserved(_ ioasID: UInt32, _ start: UInt64, _ length: UInt64) -> Errno? {
        if length == 0 { return .EINVAL }
        let (last, o) = start.addingReportingOverflow(length - 1)
        if o { return .EOVERFLOW }
        guard let ioas = getIOAS(ioasID) else { return .ENOENT }
        return ioas.iopt.reserveIOVA(start, last, owner: nil)
    }

    /// `iommufd_test_mock_domain`: a selftest object, a mock device bound to this context and
    /// attached to `id` (an IOAS or HWPT). Ids come in that order: stdev, idev, (auto) hwpt.
    private func testMockDomain(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let sobj: SelftestObject
        switch objectAlloc({ SelftestObject(ctx: self) }) {
        case .success(let o): sobj = o
        case .failure(let e): return e
        }
        let devFlags = k.u32(L.TestCmd.op) == 12 ? k.u32(L.TestCmd.mdDevFlags) : 0
        if devFlags & ~(Mock.flagNoDirty | Mock.flagPASID) != 0 {
            abort(sobj)
            return .EINVAL
        }
        if env.shouldFail() {
            abort(sobj)
            return .ENOMEM
        }
        let mdev = env.createMockDevice(flags: devFlags)
        let idev: DeviceObject
        switch deviceBind(mdev) {
        case .success(let d): idev = d
        case .failure(let e):
            env.destroyMockDevice(mdev)
            abort(sobj)
            return e
        }
        var ptID = k.u32(L.TestCmd.id)
        if let e = deviceAttach(idev, pasid: K.noPASID, ptID: &ptID) {
            deviceUnbind(idev)
            env.destroyMockDevice(mdev)
            abort(sobj)
            return e
        }
        sobj.idev = idev
        sobj.mockDev = mdev
        k.set(L.TestCmd.mdHWPTID, u32: ptID)
        k.set(L.TestCmd.mdStdevID, u32: sobj.id)
        k.set(L.TestCmd.mdIdevID, u32: idev.id)
        if let e = ucmd.respond(L.TestCmd.size) {
            deviceDetach(idev, pasid: K.noPASID)
            deviceUnbind(idev)
            env.destroyMockDevice(mdev)
            abort(sobj)
            return e
        }
        finalize(sobj)
        return nil
    }

    /// `iommufd_test_mock_domain_replace`.
    private func testMockDomainReplace(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        guard let sobj = selftestObject(k.u32(L.TestCmd.id)), let idev = sobj.idev else { return .ENOENT }
        var ptID = k.u32(L.TestCmd.ptID16)
        if let e = deviceReplace(idev, pasid: K.noPASID, ptID: &ptID) { return e }
        k.set(L.TestCmd.ptID16, u32: ptID)
        return ucmd.respond(L.TestCmd.size)
    }

    /// `get_md_pagetable`: a paging HWPT (ENOENT) whose domain is a mock paging domain (EINVAL).
    private func mockPagingHWPT(_ id: UInt32) -> Result<HWPTPagingObject, Errno> {
        guard let o = get(id, .hwptPaging) else { return .failure(.ENOENT) }
        let hwpt = unsafeDowncast(o, to: HWPTPagingObject.self)
        guard hwpt.domain is MockPagingDomain else { return .failure(.EINVAL) }
        return .success(hwpt)
    }

    /// `iommufd_test_md_check_pa`: every domain page of [iova, iova + length) maps the same
    /// physical page (and offset) as `uptr` does.
    private func testCheckMap(_ id: UInt32, _ iovaIn: UInt64, _ lengthIn: UInt64, _ uptrIn: UInt64) -> Errno? {
        let hwpt: HWPTPagingObject
        switch mockPagingHWPT(id) {
        case .success(let h): hwpt = h
        case .failure(let e): return e
        }
        let pageSize = lowestBit(hwpt.domain!.pgsizeBitmap)
        if iovaIn % pageSize != 0 || lengthIn % pageSize != 0 || uptrIn % pageSize != 0
            || uptrIn.addingReportingOverflow(lengthIn).overflow {
            return .EINVAL
        }
        let page = env.pageSize
        var iova = iovaIn, uptr = uptrIn, length = lengthIn
        while length > 0 {
            if !HostMemory.isMapped(uptr & ~(page - 1), 1, writable: false) { return .EFAULT }
            guard let area = hwpt.ioas.iopt.areas.firstIntersecting(iova, iova) else { return .EINVAL }
            let source = area.addr &+ (iova - area.start)
            if source % page != uptr % page { return .EINVAL }
            if !samePage(kind: AreaMeta.kind(area.meta), pagesID: AreaMeta.pagesID(area.meta), source: source, uptr: uptr) {
                return .EINVAL
            }
            iova += pageSize
            uptr += pageSize
            length -= pageSize
        }
        return nil
    }

    /// Whether the page under `uptr` is the page the area maps at `source`.
    private func samePage(kind: PagesKind, pagesID: UInt64, source: UInt64, uptr: UInt64) -> Bool {
        let page = env.pageSize
        switch kind {
        case .user:
            if source & ~(page - 1) == uptr & ~(page - 1) { return true }
            if let a = HostMemory.pfn(source), let b = HostMemory.pfn(uptr) { return a == b }
            if let a = HostMemory.fileBacking(source), let b = HostMemory.fileBacking(uptr) { return a == b }
            return false
        case .file:
            guard let fd = env.fileFD(pagesID: pagesID), let b = HostMemory.fileBacking(uptr) else { return false }
            guard let id = HostMemory.fileIdentity(fd) else { return false }
            return id.dev == b.dev && id.ino == b.ino && b.offset == source & ~(page - 1)
        case .dmabuf:
            return false
        }
    }

    /// `iommufd_test_md_check_refs`: the pin count of each page under `uptr`. The model counts
    /// the distinct pinned page sets (maps, not copies) of this context that cover the page:
    /// user areas over its address, file areas (MAP_FILE) over the file page it maps.
    private func testCheckRefs(_ uptr: UInt64, _ length: UInt64, _ refs: UInt32) -> Errno? {
        let page = env.pageSize
        if length % page != 0 || uptr % page != 0 || uptr.addingReportingOverflow(length).overflow { return .EINVAL }
        var va = uptr
        while va < uptr + length {
            if !HostMemory.isMapped(va, 1, writable: false) { return .EFAULT }
            if pinCount(va) != refs { return .EIO }
            va += page
        }
        return nil
    }

    /// The number of pinned `iopt_pages` that hold the page at `va`: user pages by address, file
    /// pages (memfd_pin_folios) by the file and offset `va` maps, whatever address they were
    /// mapped from.
    private func pinCount(_ va: UInt64) -> UInt32 {
        var ids = Set<UInt64>()
        // The file page under va, looked up once, on the first pinned file area.
        var backing: FileBacking??
        forEachObject { obj in
            guard obj.type == .ioas else { return }
            let iopt = unsafeDowncast(obj, to: IOASObject.self).iopt
            iopt.areas.forEach { a in
                let pinned = !iopt.domains.isEmpty || (iopt.areaAccess[a.start]?.accesses ?? 0) > 0
                guard pinned else { return true }
                // Whole pages are pinned: from the page holding addr (a user address or a file
                // offset) to the one holding addr + length - 1, so an area starting mid-page
                // pins that page too.
                let first = a.addr & ~(env.pageSize - 1)
                func covers(_ x: UInt64) -> Bool { x >= first && x - first < a.length + (a.addr - first) }
                switch AreaMeta.kind(a.meta) {
                case .user:
                    if covers(va) { ids.insert(AreaMeta.pagesID(a.meta)) }
                case .file:
                    if backing == nil { backing = .some(HostMemory.fileBacking(va)) }
                    guard let b = backing!, let fd = env.fileFD(pagesID: AreaMeta.pagesID(a.meta)),
                          let file = HostMemory.fileIdentity(fd), file.dev == b.dev, file.ino == b.ino else { return true }
                    if covers(b.offset) { ids.insert(AreaMeta.pagesID(a.meta)) }
                case .dmabuf:
                    break
                }
                return true
            }
        }
        return UInt32(ids.count)
    }

    /// `iommufd_test_md_check_iotlb`.
    private func testCheckIOTLB(_ id: UInt32, _ entry: UInt32, _ value: UInt32) -> Errno? {
        guard let o = get(id, .hwptNested) else { return .ENOENT }
        guard let nested = unsafeDowncast(o, to: HWPTNestedObject.self).domain as? MockNestedDomain else { return .EINVAL }
        if entry > 3 || nested.iotlb[Int(entry)] != value { return .EINVAL }
        return nil
    }

    /// `iommufd_test_dev_check_cache`.
    private func testCheckDevCache(_ id: UInt32, _ entry: UInt32, _ value: UInt32) -> Errno? {
        guard let idev = getDevice(id) else { return .ENOENT }
        if entry > 3 || idev.dev.mockCache[Int(entry)] != value { return .EINVAL }
        return nil
    }

    /// `iommufd_test_dirty`: sets the dirty bit of every page whose bit is set in the user
    /// bitmap; the domain must track dirty pages (EINVAL).
    private func testDirty(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let iova = k.u64(L.TestCmd.dIOVA), length = k.u64(L.TestCmd.dLength)
        let pageSize = k.u64(L.TestCmd.dPageSize), uptr = k.u64(L.TestCmd.dUptr)
        if pageSize == 0 || length == 0 || iova % pageSize != 0 || length % pageSize != 0 || uptr == 0 { return .EINVAL }
        let max = length / pageSize
        if max > (16 << 20) * 8 { return .EOVERFLOW }
        let hwpt: HWPTPagingObject
        switch mockPagingHWPT(k.u32(L.TestCmd.id)) {
        case .success(let h): hwpt = h
        case .failure(let e): return e
        }
        guard let domain = hwpt.domain, domain.dirtyTracking, domain.hasDirtyOps else { return .EINVAL }
        if env.shouldFail() { return .ENOMEM }
        let bitmap: [UInt8]
        switch ucmd.memory.readBytes(uptr, Int((max + 7) / 8)) {
        case .success(let b): bitmap = b
        case .failure(let e): return e
        }
        var count: UInt64 = 0
        for i in 0..<max where bitmap[Int(i / 8)] >> (i % 8) & 1 != 0 {
            hwpt.ioas.iopt.setDirty(domain: domain, iova: iova + i * pageSize)
            count += 1
        }
        k.set(L.TestCmd.dOutNr, u64: count)
        return ucmd.respond(L.TestCmd.size)
    }

    /// `iommufd_test_trigger_iopf`: a one-fault group from a mock device (EINVAL otherwise).
    private func testTriggerIOPF(_ k: KBuf) -> Errno? {
        guard let idev = getDevice(k.u32(L.TestCmd.ipDevID)) else { return .ENOENT }
        if !idev.dev.isMock { return .EINVAL }
        let pasid = k.u32(L.TestCmd.ipPasid)
        var flags: UInt32 = 2  // LAST_PAGE
        if pasid != K.noPASID { flags |= 1 }  // PASID_VALID
        reportDeviceFault(idev, FaultRecord(flags: flags, pasid: pasid, groupID: k.u32(L.TestCmd.ipGrpID),
                                            perm: k.u32(L.TestCmd.ipPerm), addr: k.u64(L.TestCmd.ipAddr)))
        return nil
    }

    /// `iommufd_test_trigger_vevent`: needs the device attached through a vIOMMU with a vDEVICE
    /// (ENOENT); the event carries the virt_id.
    private func testTriggerVEvent(_ k: KBuf) -> Errno? {
        guard let idev = getDevice(k.u32(L.TestCmd.ipDevID)) else { return .ENOENT }
        guard let viommu = idev.dev.mockVIOMMU, idev.dev.mockVdevID != 0 else { return .ENOENT }
        var data = [UInt8](repeating: 0, count: 4)
        data.put(0, u32: UInt32(truncatingIfNeeded: idev.dev.mockVdevID))
        return viommuReportEvent(viommu, type: Mock.veventqType, data: data)
    }

    /// `iommufd_test_pasid_attach`.
    private func testPasidAttach(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        guard let sobj = selftestObject(k.u32(L.TestCmd.id)), let idev = sobj.idev else { return .ENOENT }
        let pasid = k.u32(L.TestCmd.pasid)
        var ptID = k.u32(L.TestCmd.pasidPtID)
        if let e = deviceAttach(idev, pasid: pasid, ptID: &ptID) { return e }
        k.set(L.TestCmd.pasidPtID, u32: ptID)
        if let e = ucmd.respond(L.TestCmd.size) {
            deviceDetach(idev, pasid: pasid)
            return e
        }
        return nil
    }

    /// `iommufd_test_pasid_replace`.
    private func testPasidReplace(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        guard let sobj = selftestObject(k.u32(L.TestCmd.id)), let idev = sobj.idev else { return .ENOENT }
        var ptID = k.u32(L.TestCmd.pasidPtID)
        if let e = deviceReplace(idev, pasid: k.u32(L.TestCmd.pasid), ptID: &ptID) { return e }
        k.set(L.TestCmd.pasidPtID, u32: ptID)
        return ucmd.respond(L.TestCmd.size)
    }

    /// `iommufd_test_pasid_check_hwpt`: hwpt_id 0 checks the PASID is detached.
    private func testPasidCheckHWPT(_ id: UInt32, _ pasid: UInt32, _ hwptID: UInt32) -> Errno? {
        guard let sobj = selftestObject(id), let mdev = sobj.mockDev else { return .ENOENT }
        let attached = IOMMUCore.attachedDomain(mdev, pasid: pasid)
        if hwptID == 0 { return attached == nil ? nil : .EINVAL }
        guard let o = get(hwptID) else { return .ENOENT }
        guard o.type == .hwptPaging || o.type == .hwptNested else { return .EINVAL }
        return attached === unsafeDowncast(o, to: HWPTObject.self).domain ? nil : .EINVAL
    }

    // MARK: Accesses

    private func selftestAccess(_ fd: Int32) -> SelftestAccess? {
        if case .access(let a)? = env.file(fd), a.ctx === self { return a }
        return nil
    }

    /// `iommufd_test_create_access`: an access on `id` (an IOAS) behind a new fd.
    private func testCreateAccess(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.TestCmd.caFlags)
        if flags & ~1 != 0 { return .EOPNOTSUPP }
        if env.shouldFail() { return .ENOMEM }
        let staccess = SelftestAccess(ctx: self, needsPin: flags & 1 != 0)
        let access: AccessObject
        switch objectAlloc({ AccessObject(ctx: self, isInternal: false, iovaAlignment: flags & 1 != 0 ? self.env.pageSize : 1) }) {
        case .success(let a): access = a
        case .failure(let e): return e
        }
        access.users += 1
        getRef()
        finalize(access)
        guard let ioas = getIOAS(k.u32(L.TestCmd.id)) else {
            remove(access, id: access.id, wait: true)
            return .ENOENT
        }
        if let e = accessChangeIOAS(access, ioas) {
            remove(access, id: access.id, wait: true)
            return e
        }
        staccess.access = access
        let fd = env.install(.access(staccess))
        k.set(L.TestCmd.caOutFD, u32: UInt32(bitPattern: fd))
        if let e = ucmd.respond(L.TestCmd.size) {
            _ = env.close(fd)
            return e
        }
        return nil
    }

    /// `iommufd_test_access_replace_ioas`.
    private func testAccessReplaceIOAS(_ fd: Int32, _ ioasID: UInt32) -> Errno? {
        guard let s = selftestAccess(fd), let access = s.access else { return .EBADFD }
        if access.ioas == nil { return .ENOENT }
        guard let ioas = getIOAS(ioasID) else { return .ENOENT }
        if access.ioas === ioas { return nil }
        s.unmap(0, K.ULONG_MAX)
        return accessChangeIOAS(access, ioas)
    }

    /// `iommufd_test_access_pages`: pin through a pinning access and record the item.
    private func testAccessPages(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let length = k.u64(L.TestCmd.apLength), flags = k.u32(L.TestCmd.apFlags)
        if length > 16 << 20 { return .ENOMEM }
        if flags & ~(1 | (1 << 16)) != 0 { return .EOPNOTSUPP }
        guard let s = selftestAccess(Int32(bitPattern: k.u32(L.TestCmd.id))), let access = s.access else { return .EBADFD }
        if !s.needsPin { return .EOPNOTSUPP }
        let iova = k.u64(L.TestCmd.apIOVA)
        if env.shouldFail() { return .ENOMEM }
        if let e = accessPinUser(access, iova: iova, length: length, write: flags & 1 != 0) { return e }
        // iommufd_test_check_pages: the pinned pages must be the ones under uptr (EBADE).
        let uptr = k.u64(L.TestCmd.apUptr)
        if uptr != 0, let ioas = access.ioas {
            let page = env.pageSize
            let first = iova & ~(page - 1)
            let end = (iova &+ length &+ page &- 1) & ~(page - 1)
            var va = uptr &- (iova - first)
            var cur = first
            while cur < end {
                let probe = max(cur, iova)
                var rc: Errno?
                if !HostMemory.isMapped(va, 1, writable: false) {
                    rc = .EFAULT
                } else if let a = ioas.iopt.areas.firstIntersecting(probe, probe) {
                    let source = (a.addr &+ (probe - a.start)) & ~(page - 1)
                    if !samePage(kind: AreaMeta.kind(a.meta), pagesID: AreaMeta.pagesID(a.meta), source: source, uptr: va) {
                        rc = .EBADE
                    }
                }
                if let rc {
                    accessUnpinUser(access, iova: iova, length: length, in: ioas)
                    return rc
                }
                cur += page
                va &+= page
            }
        }
        let item = (iova: iova, length: length, id: s.nextID)
        s.nextID += 1
        s.items.append(item)
        k.set(L.TestCmd.apOutID, u32: item.id)
        if let e = ucmd.respond(L.TestCmd.size) {
            s.items.removeLast()
            if let ioas = access.ioas { accessUnpinUser(access, iova: iova, length: length, in: ioas) }
            return e
        }
        return nil
    }

    /// `iommufd_test_access_item_destroy`.
    private func testDestroyAccessPages(_ fd: Int32, _ itemID: UInt32) -> Errno? {
        guard let s = selftestAccess(fd), let access = s.access else { return .EBADFD }
        guard let i = s.items.firstIndex(where: { $0.id == itemID }) else { return .ENOENT }
        let item = s.items.remove(at: i)
        if let ioas = access.ioas { accessUnpinUser(access, iova: item.iova, length: item.length, in: ioas) }
        return nil
    }

    /// `iommufd_test_access_rw` / `iommufd_access_rw`: copy between the IOAS and a user buffer.
    private func testAccessRW(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let length = k.u64(L.TestCmd.rwLength), flags = k.u32(L.TestCmd.rwFlags)
        let iova = k.u64(L.TestCmd.rwIOVA), ubuf = k.u64(L.TestCmd.rwUptr)
        if length > 16 << 20 { return .ENOMEM }
        if flags & ~(1 | 4 | (1 << 16)) != 0 { return .EOPNOTSUPP }
        guard let s = selftestAccess(Int32(bitPattern: k.u32(L.TestCmd.id))), let access = s.access else { return .EBADFD }
        if env.shouldFail() { return .ENOMEM }
        let write = flags & 1 != 0
        var tmp = [UInt8](repeating: 0, count: Int(length))
        if write {
            let e = tmp.withUnsafeMutableBytes { ucmd.memory.read(ubuf, into: $0.baseAddress!, Int(length)) }
            if let e { return e }
        }
        if length == 0 { return .EINVAL }
        let (lastIOVA, o) = iova.addingReportingOverflow(length - 1)
        if o { return .EOVERFLOW }
        guard let ioas = access.ioas else { return .ENOENT }
        var cursor = iova
        var done = 0
        var area = ioas.iopt.areas.firstIntersecting(iova, iova)
        var complete = false
        while let a = area {
            let last = min(lastIOVA, a.last)
            let bytes = Int(last - cursor + 1)
            if write ? AreaMeta.prot(a.meta) & K.protWrite == 0 : AreaMeta.prot(a.meta) & K.protRead == 0 { return .EPERM }
            if write && !AreaMeta.writable(a.meta) { return .EPERM }
            let source = a.addr &+ (cursor - a.start)
            let e = tmp.withUnsafeMutableBytes { buf -> Errno? in
                HostMemory.copy(kind: AreaMeta.kind(a.meta), fd: env.fileFD(pagesID: AreaMeta.pagesID(a.meta)), source: source,
                                buffer: buf.baseAddress! + done, count: bytes, toSource: write)
            }
            if let e { return e }
            done += bytes
            if lastIOVA <= a.last { complete = true; break }
            cursor = a.last + 1
            guard let n = ioas.iopt.areas.firstIntersecting(cursor, lastIOVA), n.start == cursor else { break }
            area = n
        }
        if !complete { return .ENOENT }
        if !write {
            let e = tmp.withUnsafeBytes { ucmd.memory.write(ubuf, from: $0.baseAddress!, Int(length)) }
            if let e { return e }
        }
        return nil
    }

    /// `iommufd_access_pin_pages` for a user access (notified, not locking).
    func accessPinUser(_ access: AccessObject, iova: UInt64, length: UInt64, write: Bool) -> Errno? {
        accessPin(access, iova: iova, length: length, write: write)
    }

    func accessUnpinUser(_ access: AccessObject, iova: UInt64, length: UInt64, in ioas: IOASObject) {
        accessUnpin(access, iova: iova, length: length, in: ioas)
        if let i = access.pins.firstIndex(where: { $0.iova == iova && $0.length == length }) { access.pins.remove(at: i) }
    }
}
