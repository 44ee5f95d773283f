// io_pagetable.c: the IOVA -> pages map of one IOAS. Areas (never overlapping, never split by
// unmap), reserved ranges (owned by a domain, a device, or the selftest), allowed ranges, the
// attached domains and the iova_alignment they impose. Page contents are never copied: an area
// remembers where its pages come from (a user VA or a file offset), which is all the uAPI rules
// need. Function names follow the kernel's so each rule can be found in both.

/// Where an area's pages come from (`enum iopt_address_type`).
enum PagesKind: UInt64 {
    case user = 0
    case file = 1
    case dmabuf = 2
}

/// `AreaRecord.meta`: bits 0-1 the area's IOMMU_READ/WRITE, bit 2 `pages->writable`, bits 4-5
/// the pages kind, bits 8-63 the id of the `iopt_pages` (shared by copies of one map).
enum AreaMeta {
    @inline(__always)
    static func make(prot: UInt32, writable: Bool, kind: PagesKind, pagesID: UInt64) -> UInt64 {
        UInt64(prot & 3) | (writable ? 4 : 0) | (kind.rawValue << 4) | (pagesID << 8)
    }
    @inline(__always) static func prot(_ m: UInt64) -> UInt32 { UInt32(m & 3) }
    @inline(__always) static func writable(_ m: UInt64) -> Bool { m & 4 != 0 }
    @inline(__always) static func kind(_ m: UInt64) -> PagesKind { PagesKind(rawValue: (m >> 4) & 3) ?? .user }
    @inline(__always) static func pagesID(_ m: UInt64) -> UInt64 { m >> 8 }
}

/// One element of an `iopt_pages_list`: a slice of some pages to be mapped as one area.
struct PagesSlice {
    var kind: PagesKind
    /// The source address of the slice's first byte (user VA, or file offset).
    var addr: UInt64
    var length: UInt64
    var writable: Bool
    var pagesID: UInt64
}

/// A closed IOVA interval.
struct IOVAInterval: Equatable {
    var start: UInt64
    var last: UInt64
}

/// An entry of `reserved_itree`: `owner` is the domain or device that reserved it, nil for the
/// selftest's ADD_RESERVED (which the kernel records with a NULL owner).
struct ReservedInterval {
    var start: UInt64
    var last: UInt64
    var owner: ObjectIdentifier?
}

final class IOPageTable {
    unowned(unsafe) let env: ModelEnv
    let areas = AreaTree()
    /// `allowed_itree`, sorted by start (the loader rejects overlaps).
    @exclusivity(unchecked) private(set) var allowed: [IOVAInterval] = []
    /// `reserved_itree`, sorted by start; entries of different owners may overlap.
    @exclusivity(unchecked) private(set) var reserved: [ReservedInterval] = []
    /// `domains`, in xarray index order.
    @exclusivity(unchecked) private(set) var domains: [IOMMUDomain] = []
    /// `access_list`: the in-kernel accesses attached to this IOAS.
    @exclusivity(unchecked) var accesses: [AccessObject] = []
    /// `disable_large_pages`.
    @exclusivity(unchecked) private(set) var disableLargePages = false
    /// `iova_alignment`.
    @exclusivity(unchecked) private(set) var iovaAlignment: UInt64 = 1
    /// `area->num_accesses` / `num_locks`, by area start (only areas that have any).
    @exclusivity(unchecked) var areaAccess: [UInt64: (accesses: Int, locks: Int)] = [:]

    init(env: ModelEnv) {
        self.env = env
    }

    var pageSize: UInt64 { env.pageSize }

    // MARK: Interval helpers

    func reservedIntersects(_ start: UInt64, _ last: UInt64) -> Bool {
        for r in reserved where r.start <= last && r.last >= start { return true }
        return false
    }

    func allowedIntersects(_ start: UInt64, _ last: UInt64) -> Bool {
        for a in allowed where a.start <= last && a.last >= start { return true }
        return false
    }

    /// `interval_tree_for_each_span` used spans over sorted intervals, clipped to [first, last],
    /// adjacent intervals merged.
    static func usedSpans(_ intervals: [IOVAInterval], _ first: UInt64, _ last: UInt64) -> [IOVAInterval] {
        var out: [IOVAInterval] = []
        for i in intervals where i.last >= first && i.start <= last {
            let s = max(i.start, first), l = min(i.last, last)
            if var prev = out.last, prev.last == .max || prev.last + 1 >= s {
                prev.last = max(prev.last, l)
                out[out.count - 1] = prev
            } else {
                out.append(IOVAInterval(start: s, last: l))
            }
        }
        return out
    }

    /// The holes of the reserved tree over [first, last] (IOVA_RANGES, the VFIO IOVA cap).
    func reservedHoles(_ first: UInt64 = 0, _ last: UInt64 = .max) -> [IOVAInterval] {
        let used = Self.usedSpans(reserved.map { IOVAInterval(start: $0.start, last: $0.last) }, first, last)
        var holes: [IOVAInterval] = []
        var cursor = first
        var done = false
        for u in used {
            if u.start > cursor { holes.append(IOVAInterval(start: cursor, last: u.start - 1)) }
            if u.last >= last { done = true; break }
            cursor = u.last + 1
        }
        if !done { holes.append(IOVAInterval(start: cursor, last: last)) }
        return holes
    }

    /// The next used interval (reserved or area) that intersects [cursor, last], extended over
    /// everything adjacent (the greedy span of `interval_tree_for_each_double_span`).
    private func nextUsed(_ cursor: UInt64, _ last: UInt64) -> IOVAInterval? {
        var best: IOVAInterval?
        for r in reserved where r.last >= cursor && r.start <= last {
            if best == nil || r.start < best!.start { best = IOVAInterval(start: r.start, last: r.last) }
        }
        if let a = areas.firstIntersecting(cursor, last), best == nil || a.start < best!.start {
            best = IOVAInterval(start: a.start, last: a.last)
        }
        guard var used = best else { return nil }
        used.start = max(used.start, cursor)
        // Extend across intervals that touch or overlap.
        var grew = true
        while grew && used.last < last {
            grew = false
            let probe = used.last + 1
            for r in reserved where r.start <= probe && r.last > used.last {
                used.last = r.last
                grew = true
            }
            if let a = areas.firstIntersecting(probe, probe), a.last > used.last {
                used.last = a.last
                grew = true
            }
        }
        return used
    }

    // MARK: IOVA allocation (iopt_alloc_iova)

    /// `__alloc_iova_check_range`: aligns `start` up and ORs in the page offset; the hole must
    /// then hold `length` bytes with `start` strictly below `last`.
    private static func checkRange(_ start: inout UInt64, _ last: UInt64, _ length: UInt64,
                                   _ alignment: UInt64, _ pageOffset: UInt64) -> Bool {
        let (sum, overflow) = start.addingReportingOverflow(alignment - 1)
        if overflow { return false }
        var aligned = sum & ~(alignment - 1)
        aligned |= pageOffset
        if aligned >= last || last - aligned < length - 1 { return false }
        start = aligned
        return true
    }

    /// `iopt_alloc_iova`: first fit, never IOVA 0, inside the allowed ranges, avoiding reserved
    /// ranges and areas. The alignment follows the source address (to keep huge pages usable).
    func allocIOVA(addr: UInt64, length: UInt64) -> Result<UInt64, Errno> {
        let pageOffset = addr % pageSize
        if length == 0 || length >= K.ULONG_MAX / 2 { return .failure(.EOVERFLOW) }
        var alignment = addr == 0 ? roundUpPowerOfTwo(length) : min(roundUpPowerOfTwo(length), lowestBit(addr))
        let maxAlignment = env.transparentHugePages ? env.hugePageSize : pageSize
        if alignment >= maxAlignment { alignment = maxAlignment }
        if alignment < iovaAlignment { return .failure(.EINVAL) }

        let lo = pageSize, hi = K.ULONG_MAX - pageSize
        let spans = allowed.isEmpty ? [IOVAInterval(start: lo, last: hi)] : Self.usedSpans(allowed, lo, hi)
        for span in spans {
            var start = span.start
            guard Self.checkRange(&start, span.last, length, alignment, pageOffset) else { continue }
            var cursor = start
            while true {
                let used = nextUsed(cursor, span.last)
                var holeLast: UInt64?
                if let u = used {
                    if u.start > cursor { holeLast = u.start - 1 }
                } else {
                    holeLast = span.last
                }
                if let holeLast {
                    var holeStart = cursor
                    if Self.checkRange(&holeStart, holeLast, length, alignment, pageOffset) {
                        return .success(holeStart)
                    }
                }
                guard let used, used.last < span.last else { break }
                cursor = used.last + 1
            }
        }
        return .failure(.ENOSPC)
    }

    /// `iopt_check_iova`: a fixed IOVA must be aligned, must not overflow, must not touch
    /// reserved space (EINVAL) or an existing area (EEXIST).
    func checkIOVA(_ iova: UInt64, _ length: UInt64) -> Errno? {
        if iova & (iovaAlignment - 1) != 0 { return .EINVAL }
        let (last, overflow) = iova.addingReportingOverflow(length &- 1)
        if overflow { return .EOVERFLOW }
        if reservedIntersects(iova, last) { return .EINVAL }
        if areas.firstIntersecting(iova, last) != nil { return .EEXIST }
        return nil
    }

    // MARK: Map

    /// `iopt_map_pages` (with `iopt_alloc_area_pages`, `iopt_insert_area` and
    /// `iopt_fill_domains_pages`): one area per slice, all or nothing.
    func mapPages(_ slices: [PagesSlice], length: UInt64, iova: inout UInt64, prot: UInt32, allocIOVA alloc: Bool) -> Errno? {
        slices.withUnsafeBufferPointer { mapPages($0, length: length, iova: &iova, prot: prot, allocIOVA: alloc) }
    }

    /// `mapPages` over a buffer of slices (a single map passes one slice without allocating).
    func mapPages(_ slices: UnsafeBufferPointer<PagesSlice>, length: UInt64, iova: inout UInt64, prot: UInt32,
                  allocIOVA alloc: Bool) -> Errno? {
        for _ in slices where env.shouldFail() { return .ENOMEM }  // iopt_area_alloc
        if length & (iovaAlignment - 1) != 0 || length == 0 { return .EINVAL }
        if alloc {
            switch allocIOVA(addr: slices[0].addr, length: length) {
            case .success(let v): iova = v
            case .failure(let e): return e
            }
        } else if let e = checkIOVA(iova, length) {
            return e
        }
        // iopt_insert_area checks, per slice, before anything becomes visible.
        var cursor = iova
        for s in slices {
            if prot & K.protWrite != 0 && !s.writable { return .EPERM }
            if (s.addr % pageSize) & (iovaAlignment - 1) != 0 { return .EINVAL }
            let (_, o1) = cursor.addingReportingOverflow(s.length - 1)
            let (_, o2) = s.addr.addingReportingOverflow(s.length - 1)
            if o1 || o2 { return .EOVERFLOW }
            cursor &+= s.length
        }
        // Fill the domains: the first domain pins the pages (GUP), which is where a bad VA fails.
        if !domains.isEmpty {
            for s in slices {
                if let e = env.pin(kind: s.kind, addr: s.addr, length: s.length, write: s.writable, pagesID: s.pagesID) {
                    return e
                }
            }
        }
        cursor = iova
        for s in slices {
            env.retainPages(kind: s.kind, pagesID: s.pagesID)
            areas.insert(AreaRecord(start: cursor, last: cursor + (s.length - 1), addr: s.addr,
                                    meta: AreaMeta.make(prot: prot, writable: s.writable, kind: s.kind, pagesID: s.pagesID)))
            cursor &+= s.length
        }
        return nil
    }

    /// `iopt_map_user_pages`: a user VA range becomes one area (pinned only once a domain exists).
    func mapUserPages(iova: inout UInt64, uptr: UInt64, length: UInt64, prot: UInt32, allocIOVA alloc: Bool) -> Errno? {
        // iopt_alloc_user_pages
        let (_, overflow) = uptr.addingReportingOverflow(length)
        if overflow { return .EOVERFLOW }
        if length > K.ULONG_MAX - pageSize || length == 0 { return .EINVAL }
        if env.shouldFail() { return .ENOMEM }
        var slice = PagesSlice(kind: .user, addr: uptr, length: length, writable: prot & K.protWrite != 0,
                               pagesID: env.newPagesID())
        return withUnsafePointer(to: &slice) {
            mapPages(UnsafeBufferPointer(start: $0, count: 1), length: length, iova: &iova, prot: prot, allocIOVA: alloc)
        }
    }

    /// `iopt_map_file_pages`: like a user map, but the pages are the file's (MAP_FILE).
    func mapFilePages(iova: inout UInt64, fd: Int32, start: UInt64, length: UInt64, prot: UInt32, allocIOVA alloc: Bool) -> Errno? {
        if length == 0 { return .EINVAL }
        let (_, overflow) = start.addingReportingOverflow(length - 1)
        if overflow { return .EOVERFLOW }
        // dma_buf_get fails for every fd the model sees (no exporter), so this is a plain file.
        let pagesID = env.newPagesID()
        if let e = env.openFilePages(fd: fd, pagesID: pagesID) { return e }
        // iopt_alloc_pages
        if length > K.ULONG_MAX - pageSize || env.shouldFail() {
            env.dropFilePages(pagesID: pagesID)
            return length > K.ULONG_MAX - pageSize ? .EINVAL : .ENOMEM
        }
        let slice = PagesSlice(kind: .file, addr: start, length: length, writable: prot & K.protWrite != 0, pagesID: pagesID)
        let rc = mapPages([slice], length: length, iova: &iova, prot: prot, allocIOVA: alloc)
        env.dropFilePages(pagesID: pagesID)  // the areas hold their own references now
        return rc
    }

    // MARK: Copy (iopt_get_pages)

    /// `iopt_get_pages`: the slices covering [iova, iova + length), which must be mapped
    /// contiguously by areas (ENOENT at the first hole).
    func getPages(iova: UInt64, length: UInt64) -> Result<[PagesSlice], Errno> {
        if length == 0 { return .failure(.EINVAL) }
        let (lastIOVA, overflow) = iova.addingReportingOverflow(length - 1)
        if overflow { return .failure(.EOVERFLOW) }
        var out: [PagesSlice] = []
        var cur = iova
        var area = areas.firstIntersecting(iova, iova)
        var done = false
        while let a = area {
            if env.shouldFail() { return .failure(.ENOMEM) }
            let last = min(lastIOVA, a.last)
            out.append(PagesSlice(kind: AreaMeta.kind(a.meta), addr: a.addr &+ (cur - a.start), length: last - cur + 1,
                                  writable: AreaMeta.writable(a.meta), pagesID: AreaMeta.pagesID(a.meta)))
            if lastIOVA <= a.last { done = true; break }
            cur = a.last + 1
            guard let n = areas.firstIntersecting(cur, lastIOVA), n.start == cur else { break }
            area = n
        }
        return done ? .success(out) : .failure(.ENOENT)
    }

    // MARK: Unmap

    /// `iopt_unmap_iova_range`: removes whole areas inside [start, last] in IOVA order; an area
    /// that sticks out stops the walk with ENOENT (areas are never split), leaving what was
    /// already removed removed. Locked areas (HW queues) give EBUSY.
    func unmapRange(_ start: UInt64, _ last: UInt64) -> (Errno?, UInt64) {
        var unmapped: UInt64 = 0
        var cursor = start
        while let area = areas.firstIntersecting(cursor, last) {
            // Most io_pagetables have no in-kernel access: skip hashing the area then.
            let access = areaAccess.isEmpty ? nil : areaAccess[area.start]
            if let acc = access, acc.locks > 0 { return (.EBUSY, unmapped) }
            if area.start < cursor || area.last > last { return (.ENOENT, unmapped) }
            if let acc = access, acc.accesses > 0 {
                // iommufd_access_notify_unmap: user accesses drop their pins, then retry.
                env.notifyAccessesUnmap(self, area.start, area.length)
                if let again = areaAccess[area.start], again.accesses > 0 { return (.EBUSY, unmapped) }
            }
            areas.remove(start: area.start)
            unfillDomains(area)
            env.releasePages(kind: AreaMeta.kind(area.meta), pagesID: AreaMeta.pagesID(area.meta))
            unmapped &+= area.length
            if area.last >= last { break }
            cursor = area.last + 1
        }
        return (nil, unmapped)
    }

    /// `iopt_unmap_iova`: length 0 is EINVAL and the end must not overflow.
    func unmapIOVA(_ iova: UInt64, _ length: UInt64) -> (Errno?, UInt64) {
        if length == 0 { return (.EINVAL, 0) }
        let (last, overflow) = iova.addingReportingOverflow(length - 1)
        if overflow { return (.EOVERFLOW, 0) }
        return unmapRange(iova, last)
    }

    /// `iopt_unmap_all`: succeeds on an empty table.
    func unmapAll() -> (Errno?, UInt64) {
        unmapRange(0, K.ULONG_MAX)
    }

    /// Forget the domains' PTEs (and their dirty bits) of a removed area.
    private func unfillDomains(_ area: AreaRecord) {
        for d in domains where !d.dirtyPTEs.isEmpty {
            let g = d.dirtyGranule
            let first = area.start / g, last = area.last / g
            if last - first < UInt64(d.dirtyPTEs.count) {
                for i in first...last { d.dirtyPTEs.remove(i) }
            } else {
                d.dirtyPTEs = d.dirtyPTEs.filter { $0 < first || $0 > last }
            }
        }
    }

    // MARK: Allowed and reserved

    /// `iopt_set_allow_iova`: swap in the new list unless a range touches reserved space.
    func setAllowIOVA(_ list: [IOVAInterval]) -> Errno? {
        for a in list where reservedIntersects(a.start, a.last) { return .EADDRINUSE }
        allowed = list.sorted { $0.start < $1.start }
        return nil
    }

    /// `iopt_reserve_iova`: reserved space may not cover an area or an allowed range.
    func reserveIOVA(_ start: UInt64, _ last: UInt64, owner: ObjectIdentifier?) -> Errno? {
        if areas.firstIntersecting(start, last) != nil || allowedIntersects(start, last) { return .EADDRINUSE }
        if env.shouldFail() { return .ENOMEM }
        let entry = ReservedInterval(start: start, last: last, owner: owner)
        let at = reserved.firstIndex { $0.start > start } ?? reserved.count
        reserved.insert(entry, at: at)
        return nil
    }

    /// `iopt_remove_reserved_iova`: drops everything `owner` reserved.
    func removeReserved(owner: ObjectIdentifier?) {
        reserved.removeAll { $0.owner == owner }
    }

    // MARK: Domains

    /// `iopt_check_iova_alignment`: every area must already conform to a stricter alignment.
    func checkIOVAAlignment(_ newAlignment: UInt64) -> Errno? {
        let mask = newAlignment - 1
        var bad = false
        areas.forEach { a in
            if a.start & mask != 0 || a.length & mask != 0 || (a.addr % pageSize) & mask != 0 {
                bad = true
                return false
            }
            return true
        }
        if bad { return .EADDRINUSE }
        for access in accesses where access.iovaAlignment > newAlignment { return .EADDRINUSE }
        return nil
    }

    /// `iopt_table_add_domain`: raises iova_alignment to the domain's smallest page (never above
    /// PAGE_SIZE), reserves what lies outside its aperture, and fills it with every area.
    func addDomain(_ domain: IOMMUDomain) -> Errno? {
        if domains.contains(where: { $0 === domain }) { return .EEXIST }
        let newAlignment = max(lowestBit(domain.pgsizeBitmap), iovaAlignment)
        if newAlignment > pageSize { return .EINVAL }
        if newAlignment != iovaAlignment, let e = checkIOVAAlignment(newAlignment) { return e }
        let owner = ObjectIdentifier(domain)
        if domain.apertureStart != 0, let e = reserveIOVA(0, domain.apertureStart - 1, owner: owner) {
            removeReserved(owner: owner)
            return e
        }
        if domain.apertureEnd != K.ULONG_MAX, let e = reserveIOVA(domain.apertureEnd + 1, K.ULONG_MAX, owner: owner) {
            removeReserved(owner: owner)
            return e
        }
        if env.shouldFail() {  // xa_reserve
            removeReserved(owner: owner)
            return .ENOMEM
        }
        // iopt_fill_domain: the first domain pins every area's pages.
        if domains.isEmpty {
            var failure: Errno?
            areas.forEach { a in
                if let e = env.pin(kind: AreaMeta.kind(a.meta), addr: a.addr, length: a.length,
                                   write: AreaMeta.writable(a.meta), pagesID: AreaMeta.pagesID(a.meta)) {
                    failure = e
                    return false
                }
                return true
            }
            if let failure {
                removeReserved(owner: owner)
                return failure
            }
        }
        iovaAlignment = newAlignment
        domains.append(domain)
        return nil
    }

    /// `iopt_table_remove_domain`: the tail entry moves into the hole (the xarray stays dense).
    func removeDomain(_ domain: IOMMUDomain) {
        guard let index = domains.firstIndex(where: { $0 === domain }) else { return }
        let tail = domains.removeLast()
        if index < domains.count { domains[index] = tail }
        removeReserved(owner: ObjectIdentifier(domain))
        _ = calculateIOVAAlignment()
    }

    /// `iopt_calculate_iova_alignment`: the largest of PAGE_SIZE (large pages off), each domain's
    /// smallest page and each access's alignment; raising it requires the areas to conform.
    func calculateIOVAAlignment() -> Errno? {
        var newAlignment: UInt64 = disableLargePages ? pageSize : 1
        for d in domains { newAlignment = max(newAlignment, lowestBit(d.pgsizeBitmap)) }
        for a in accesses { newAlignment = max(newAlignment, a.iovaAlignment) }
        if newAlignment > iovaAlignment, let e = checkIOVAAlignment(newAlignment) { return e }
        iovaAlignment = newAlignment
        return nil
    }

    /// `iopt_enable_large_pages`.
    func enableLargePages() {
        disableLargePages = false
        _ = calculateIOVAAlignment()
    }

    /// `iopt_disable_large_pages`: refused (EINVAL) once domains hold mappings.
    func disableLargePagesOption() -> Errno? {
        if disableLargePages { return nil }
        if !domains.isEmpty && !areas.isEmpty { return .EINVAL }
        disableLargePages = true
        if let e = calculateIOVAAlignment() {
            disableLargePages = false
            return e
        }
        return nil
    }

    /// `iopt_add_access`.
    func addAccess(_ access: AccessObject) -> Errno? {
        if env.shouldFail() { return .ENOMEM }
        accesses.append(access)
        if let e = calculateIOVAAlignment() {
            accesses.removeAll { $0 === access }
            return e
        }
        return nil
    }

    /// `iopt_remove_access`.
    func removeAccess(_ access: AccessObject) {
        accesses.removeAll { $0 === access }
        _ = calculateIOVAAlignment()
    }

    // MARK: VFIO type1 splitting (iopt_cut_iova)

    /// `iopt_area_split`: poke a hole boundary after `iova` (VFIO TYPE1 partial unmaps).
    private func areaSplit(_ area: AreaRecord, at iova: UInt64) -> Errno? {
        if iova == area.start || iova == area.last { return nil }
        if AreaMeta.kind(area.meta) == .dmabuf { return .EOPNOTSUPP }
        let newStart = iova + 1
        let startByte = area.addr &+ (newStart - area.start)
        if newStart & (iovaAlignment - 1) != 0 || startByte & (iovaAlignment - 1) != 0 { return .EINVAL }
        if env.shouldFail() || env.shouldFail() { return .ENOMEM }
        if let acc = areaAccess[area.start], acc.accesses > 0 { return .EINVAL }
        if !domains.isEmpty && !disableLargePages { return .EINVAL }
        areas.remove(start: area.start)
        areas.insert(AreaRecord(start: area.start, last: iova, addr: area.addr, meta: area.meta))
        areas.insert(AreaRecord(start: newStart, last: area.last, addr: startByte, meta: area.meta))
        env.retainPages(kind: AreaMeta.kind(area.meta), pagesID: AreaMeta.pagesID(area.meta))
        return nil
    }

    /// `iopt_cut_iova`.
    func cutIOVA(_ iovas: [UInt64]) -> Errno? {
        for iova in iovas {
            guard let area = areas.firstIntersecting(iova, iova) else { continue }
            if let e = areaSplit(area, at: iova) { return e }
        }
        return nil
    }

    // MARK: Device reserved regions

    /// `iopt_table_enforce_dev_resv_regions`: every reserved region of the device except
    /// DIRECT_RELAXABLE, with at most one SW_MSI and never SW_MSI beside HW MSI.
    func enforceDeviceReservedRegions(_ regions: [ModelDevice.ReservedRegion], owner: ObjectIdentifier,
                                      swMSIStart: inout UInt64?, trackMSI: Bool) -> Errno? {
        var hwMSI = 0, swMSI = 0
        for region in regions where region.type != .directRelaxable && region.length > 0 {
            if trackMSI && region.type == .msi { hwMSI += 1 }
            if trackMSI && region.type == .swMSI {
                swMSIStart = region.start
                swMSI += 1
            }
            if let e = reserveIOVA(region.start, region.start &+ region.length &- 1, owner: owner) {
                removeReserved(owner: owner)
                return e
            }
        }
        if (swMSI > 0 && hwMSI > 0) || swMSI > 1 {
            removeReserved(owner: owner)
            return .EINVAL
        }
        return nil
    }

    // MARK: Dirty tracking

    /// `iommufd_check_iova_range` for GET_DIRTY_BITMAP.
    func checkDirtyRange(iova: UInt64, length: UInt64, pageSize bitmapPage: UInt64) -> Errno? {
        let (lastIOVA, overflow) = iova.addingReportingOverflow(length &- 1)
        if overflow { return .EOVERFLOW }
        let pg = iovaAlignment
        if iova & (pg - 1) != 0 || (lastIOVA &+ 1) & (pg - 1) != 0 { return .EINVAL }
        if bitmapPage == 0 { return .EINVAL }
        if iova & (bitmapPage &- 1) != 0 || (lastIOVA &+ 1) & (bitmapPage &- 1) != 0 { return .EINVAL }
        return nil
    }

    /// `iopt_read_and_clear_dirty_data`: for the mapped runs inside the range, report the
    /// domain's dirty PTEs into the user bitmap (bit n = iova + n * page_size) and clear them
    /// unless NO_CLEAR. Faults on the bitmap are swallowed, as `iova_bitmap_for_each`'s are.
    func readAndClearDirty(domain: IOMMUDomain, flags: UInt32, iova: UInt64, length: UInt64,
                           bitmapPage: UInt64, data: UInt64, memory: UserMemory) -> Errno? {
        if let e = checkDirtyRange(iova: iova, length: length, pageSize: bitmapPage) { return e }
        if !domain.hasDirtyOps { return .EOPNOTSUPP }
        if env.shouldFail() { return .ENOMEM }  // iova_bitmap_alloc
        let lastIOVA = iova &+ length &- 1
        let noClear = flags & 1 != 0
        let g = domain.dirtyGranule
        var dirtyRanges: [(UInt64, UInt64)] = []
        // Walk the contiguous areas from iova (iopt_for_each_contig_area).
        var cursor = iova
        var area = areas.firstIntersecting(iova, iova)
        while let a = area {
            let runLast = min(lastIOVA, a.last)
            if !domain.dirtyPTEs.isEmpty {
                let first = cursor / g, last = runLast / g
                let candidates: [UInt64]
                if last - first < UInt64(domain.dirtyPTEs.count) {
                    candidates = (first...last).filter { domain.dirtyPTEs.contains($0) }
                } else {
                    candidates = domain.dirtyPTEs.filter { $0 >= first && $0 <= last }.sorted()
                }
                for pte in candidates {
                    let s = max(pte * g, cursor), l = min(pte * g + g - 1, runLast)
                    dirtyRanges.append((s, l))
                    if !noClear { domain.dirtyPTEs.remove(pte) }
                }
            }
            if runLast >= lastIOVA { break }
            cursor = a.last + 1
            guard let n = areas.firstIntersecting(cursor, cursor), n.start == cursor else { break }
            area = n
        }
        // iova_bitmap_set: OR the bits into the user's bitmap.
        for (s, l) in dirtyRanges {
            let firstBit = (s - iova) / bitmapPage, lastBit = (l - iova) / bitmapPage
            var bit = firstBit
            while bit <= lastBit {
                let byteAddr = data &+ bit / 8
                guard let p = memory.check(byteAddr, 1) else { return nil }
                let b = p.load(as: UInt8.self)
                p.storeBytes(of: b | UInt8(1 << (bit % 8)), as: UInt8.self)
                bit += 1
            }
        }
        return nil
    }

    /// `iopt_clear_dirty_data`: clears every dirty bit before tracking starts.
    func clearDirty(domain: IOMMUDomain) {
        domain.dirtyPTEs.removeAll()
    }

    /// Marks the PTE that maps `iova` dirty (the mock's `set_dirty`); false if nothing maps it.
    @discardableResult
    func setDirty(domain: IOMMUDomain, iova: UInt64) -> Bool {
        guard areas.firstIntersecting(iova, iova) != nil else { return false }
        domain.dirtyPTEs.insert(iova / domain.dirtyGranule)
        return true
    }

    // MARK: Teardown

    /// `iopt_destroy_table` after unmap-all: drop everything that remains.
    func destroyTable() {
        _ = unmapAll()
        reserved.removeAll()
        allowed.removeAll()
    }
}
