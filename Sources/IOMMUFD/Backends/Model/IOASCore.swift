// ioas.c: the IOAS object and its ioctls (ALLOC, IOVA_RANGES, ALLOW_IOVAS, MAP, MAP_FILE, COPY,
// UNMAP, CHANGE_PROCESS) and the per-IOAS HUGE_PAGES option.

/// `struct iommufd_ioas`.
final class IOASObject: ModelObject {
    let iopt: IOPageTable
    /// `hwpt_list`: the paging HWPTs built on this IOAS, in creation order.
    var hwptList: [HWPTPagingObject] = []

    init(ctx: ModelContext) {
        iopt = IOPageTable(env: ctx.env)
        super.init(ctx: ctx, type: .ioas)
    }

    /// `iommufd_ioas_destroy`: unmap everything, drop the allowed and selftest-reserved ranges.
    override func destroy() {
        iopt.destroyTable()
    }
}

/// `iommu_ioas_map` flags.
enum MapFlag {
    static let fixedIOVA: UInt32 = 1
    static let writeable: UInt32 = 2
    static let readable: UInt32 = 4
    static let all: UInt32 = 7
}

extension ModelContext {
    /// `iommufd_ioas_alloc`.
    func ioasAlloc() -> Result<IOASObject, Errno> {
        objectAlloc { IOASObject(ctx: self) }
    }

    /// `iommufd_ioas_alloc_ioctl`: flags must be 0; the id is answered before the IOAS is
    /// published, and a failed answer destroys it again.
    func ioasAllocIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u32(L.IOASAlloc.flags) != 0 { return .EOPNOTSUPP }
        let ioas: IOASObject
        switch ioasAlloc() {
        case .success(let o): ioas = o
        case .failure(let e): return e
        }
        k.set(L.IOASAlloc.outIOASID, u32: ioas.id)
        if let e = ucmd.respond(L.IOASAlloc.size) {
            abortAndDestroy(ioas)
            return e
        }
        finalize(ioas)
        return nil
    }

    /// `iommufd_ioas_iova_ranges`: the holes of the reserved ranges, as many as fit; the count
    /// is always written back, and EMSGSIZE says the array was too small.
    func ioasIOVARanges(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u32(L.IOVARanges.reserved) != 0 { return .EOPNOTSUPP }
        guard let ioas = getIOAS(k.u32(L.IOVARanges.ioasID)) else { return .ENOENT }
        let maxIOVAs = k.u32(L.IOVARanges.numIOVAs)
        let ranges = k.u64(L.IOVARanges.allowedIOVAs)
        var num: UInt32 = 0
        k.set(L.IOVARanges.outIOVAAlignment, u64: ioas.iopt.iovaAlignment)
        for hole in ioas.iopt.reservedHoles() {
            if num < maxIOVAs {
                var elm = (hole.start, hole.last)
                let e = withUnsafeBytes(of: &elm) { raw in
                    ucmd.memory.write(ranges &+ UInt64(num) * 16, from: raw.baseAddress!, 16)
                }
                if let e { return e }
            }
            num += 1
        }
        k.set(L.IOVARanges.numIOVAs, u32: num)
        if let e = ucmd.respond(L.IOVARanges.size) { return e }
        return num > maxIOVAs ? .EMSGSIZE : nil
    }

    /// `iommufd_ioas_load_iovas`: each range needs start < last and no overlap with the ranges
    /// before it in the list.
    private func loadIOVAs(_ memory: UserMemory, _ uptr: UInt64, _ num: UInt32) -> Result<[IOVAInterval], Errno> {
        var list: [IOVAInterval] = []
        for i in 0..<UInt64(num) {
            var range = (UInt64(0), UInt64(0))
            let e = withUnsafeMutableBytes(of: &range) { raw in
                memory.read(uptr &+ i * 16, into: raw.baseAddress!, 16)
            }
            if let e { return .failure(e) }
            let r = IOVAInterval(start: range.0, last: range.1)
            if r.start >= r.last { return .failure(.EINVAL) }
            if list.contains(where: { $0.start <= r.last && $0.last >= r.start }) { return .failure(.EINVAL) }
            if env.shouldFail() { return .failure(.ENOMEM) }
            list.append(r)
        }
        return .success(list)
    }

    /// `iommufd_ioas_allow_iovas`: replaces the whole allowed list, atomically.
    func ioasAllowIOVAs(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u32(L.AllowIOVAs.reserved) != 0 { return .EOPNOTSUPP }
        guard let ioas = getIOAS(k.u32(L.AllowIOVAs.ioasID)) else { return .ENOENT }
        switch loadIOVAs(ucmd.memory, k.u64(L.AllowIOVAs.allowedIOVAs), k.u32(L.AllowIOVAs.numIOVAs)) {
        case .success(let list): return ioas.iopt.setAllowIOVA(list)
        case .failure(let e): return e
        }
    }

    /// `conv_iommu_prot`: IOMMU_CACHE always, READ/WRITE from the map flags.
    @inline(__always)
    static func convProt(_ flags: UInt32) -> UInt32 {
        var prot = K.protCache
        if flags & MapFlag.writeable != 0 { prot |= K.protWrite }
        if flags & MapFlag.readable != 0 { prot |= K.protRead }
        return prot
    }

    /// `iommufd_ioas_map`: flags and reserved (EOPNOTSUPP), iova/length below ULONG_MAX
    /// (EOVERFLOW), READ or WRITE (EINVAL), the IOAS (ENOENT), then the io_pagetable rules.
    func ioasMap(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.Map.flags)
        if flags & ~MapFlag.all != 0 || k.u32(L.Map.reserved) != 0 { return .EOPNOTSUPP }
        let length = k.u64(L.Map.length)
        if k.u64(L.Map.iova) >= K.ULONG_MAX || length >= K.ULONG_MAX { return .EOVERFLOW }
        if flags & (MapFlag.writeable | MapFlag.readable) == 0 { return .EINVAL }
        guard let ioas = getIOAS(k.u32(L.Map.ioasID)) else { return .ENOENT }
        var iova = k.u64(L.Map.iova)
        if let e = ioas.iopt.mapUserPages(iova: &iova, uptr: k.u64(L.Map.userVA), length: length,
                                          prot: Self.convProt(flags), allocIOVA: flags & MapFlag.fixedIOVA == 0) {
            return e
        }
        k.set(L.Map.iova, u64: iova)
        return ucmd.respond(L.Map.size)
    }

    /// `iommufd_ioas_map_file`: like MAP (no reserved field), the pages come from a file.
    func ioasMapFile(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let flags = k.u32(L.MapFile.flags)
        if flags & ~MapFlag.all != 0 { return .EOPNOTSUPP }
        let length = k.u64(L.MapFile.length)
        if k.u64(L.MapFile.iova) >= K.ULONG_MAX || length >= K.ULONG_MAX { return .EOVERFLOW }
        if flags & (MapFlag.writeable | MapFlag.readable) == 0 { return .EINVAL }
        guard let ioas = getIOAS(k.u32(L.MapFile.ioasID)) else { return .ENOENT }
        var iova = k.u64(L.MapFile.iova)
        if let e = ioas.iopt.mapFilePages(iova: &iova, fd: k.s32(L.MapFile.fd), start: k.u64(L.MapFile.start), length: length,
                                          prot: Self.convProt(flags), allocIOVA: flags & MapFlag.fixedIOVA == 0) {
            return e
        }
        k.set(L.MapFile.iova, u64: iova)
        return ucmd.respond(L.MapFile.size)
    }

    /// `iommufd_ioas_copy`: the source range must be mapped without holes; each source area
    /// slice becomes one destination area, sharing the same pages.
    func ioasCopy(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if env.selftestCommands { syzConvertIOVA(k) }
        let flags = k.u32(L.Copy.flags)
        if flags & ~MapFlag.all != 0 { return .EOPNOTSUPP }
        let length = k.u64(L.Copy.length)
        if length >= K.ULONG_MAX || k.u64(L.Copy.srcIOVA) >= K.ULONG_MAX || k.u64(L.Copy.dstIOVA) >= K.ULONG_MAX {
            return .EOVERFLOW
        }
        if flags & (MapFlag.writeable | MapFlag.readable) == 0 { return .EINVAL }
        guard let src = getIOAS(k.u32(L.Copy.srcIOASID)) else { return .ENOENT }
        let slices: [PagesSlice]
        switch src.iopt.getPages(iova: k.u64(L.Copy.srcIOVA), length: length) {
        case .success(let s): slices = s
        case .failure(let e): return e
        }
        guard let dst = getIOAS(k.u32(L.Copy.dstIOASID)) else { return .ENOENT }
        var iova = k.u64(L.Copy.dstIOVA)
        if let e = dst.iopt.mapPages(slices, length: length, iova: &iova, prot: Self.convProt(flags),
                                     allocIOVA: flags & MapFlag.fixedIOVA == 0) {
            return e
        }
        k.set(L.Copy.dstIOVA, u64: iova)
        return ucmd.respond(L.Copy.size)
    }

    /// `iommufd_test_syz_conv_iova_id` (CONFIG_IOMMUFD_TEST): with MOCK_FLAGS_ACCESS_SYZ in the
    /// flags, src_iova is read as {nth area, offset} and turned into an IOVA (0 if no such area).
    private func syzConvertIOVA(_ k: KBuf) {
        var flags = k.u32(L.Copy.flags)
        guard flags & (1 << 16) != 0 else { return }
        flags &= ~(1 << 16)
        k.set(L.Copy.flags, u32: flags)
        guard let ioas = getIOAS(k.u32(L.Copy.srcIOASID)) else { return }
        let raw = k.u64(L.Copy.srcIOVA)
        var nth = raw & 0xffff_ffff
        let offset = raw >> 32
        var result: UInt64 = 0
        ioas.iopt.areas.forEach { a in
            if nth == 0 {
                result = a.start &+ offset
                return false
            }
            nth -= 1
            return true
        }
        k.set(L.Copy.srcIOVA, u64: result)
    }

    /// `iommufd_ioas_unmap`: iova 0 with length U64_MAX unmaps everything (even nothing);
    /// otherwise nothing unmapped is ENOENT. `length` returns the bytes unmapped.
    func ioasUnmap(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        guard let ioas = getIOAS(k.u32(L.Unmap.ioasID)) else { return .ENOENT }
        let iova = k.u64(L.Unmap.iova), length = k.u64(L.Unmap.length)
        let unmapped: UInt64
        if iova == 0 && length == .max {
            let (e, n) = ioas.iopt.unmapAll()
            if let e { return e }
            unmapped = n
        } else {
            if iova >= K.ULONG_MAX || length >= K.ULONG_MAX { return .EOVERFLOW }
            let (e, n) = ioas.iopt.unmapIOVA(iova, length)
            if let e { return e }
            if n == 0 { return .ENOENT }
            unmapped = n
        }
        k.set(L.Unmap.length, u64: unmapped)
        return ucmd.respond(L.Unmap.size)
    }

    /// `iommufd_ioas_change_process`: only file-backed maps can move to another process
    /// (EINVAL if any map came from a user VA). Accounting is not modelled.
    func ioasChangeProcess(_ ucmd: inout UCmd) -> Errno? {
        if ucmd.k.u32(L.ChangeProcess.reserved) != 0 { return .EOPNOTSUPP }
        var ioasCount = 0
        forEachObject { if $0.type == .ioas { ioasCount += 1 } }
        for _ in 0..<ioasCount where env.shouldFail() { return .ENOMEM }  // xa_store of the list
        var rc: Errno?
        forEachObject { obj in
            guard rc == nil, obj.type == .ioas else { return }
            unsafeDowncast(obj, to: IOASObject.self).iopt.areas.forEach { area in
                if AreaMeta.kind(area.meta) != .file {
                    rc = .EINVAL
                    return false
                }
                return true
            }
        }
        return rc
    }

    /// `iommufd_ioas_option`: HUGE_PAGES on the IOAS `object_id` (ENOENT for anything else).
    func ioasOption(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u16(L.Option.reserved) != 0 { return .EOPNOTSUPP }
        guard let ioas = getIOAS(k.u32(L.Option.objectID)) else { return .ENOENT }
        guard k.u32(L.Option.optionID) == 1 else { return .EOPNOTSUPP }
        switch k.u16(L.Option.op) {
        case 1:
            k.set(L.Option.val64, u64: ioas.iopt.disableLargePages ? 0 : 1)
            return nil
        case 0:
            switch k.u64(L.Option.val64) {
            case 0: return ioas.iopt.disableLargePagesOption()
            case 1:
                ioas.iopt.enableLargePages()
                return nil
            default: return .EINVAL
            }
        default:
            return .EOPNOTSUPP
        }
    }
}
