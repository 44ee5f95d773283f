// vfio_compat.c: IOMMU_VFIO_IOAS and the legacy VFIO type1 container calls answered on the
// iommufd fd (numbers outside the iommufd table), all acting on the context's compat IOAS.

/// The VFIO legacy request numbers (`_IO(';', 100 + n)`).
enum VFIONr {
    static let getAPIVersion: UInt = 0x3b64
    static let checkExtension: UInt = 0x3b65
    static let setIOMMU: UInt = 0x3b66
    static let iommuGetInfo: UInt = 0x3b70
    static let mapDMA: UInt = 0x3b71
    static let unmapDMA: UInt = 0x3b72
    static let dirtyPages: UInt = 0x3b75
}

extension ModelContext {
    /// `get_compat_ioas`: ENODEV until a compat IOAS exists.
    func compatIOAS() -> Result<IOASObject, Errno> {
        guard let ioas = vfioIOAS, get(ioas.id, .ioas) === ioas else { return .failure(.ENODEV) }
        return .success(ioas)
    }

    /// `iommufd_vfio_compat_ioas_create` (a group joining the container): creates the compat
    /// IOAS unless one exists; refused in no-IOMMU mode.
    func compatIOASCreate() -> Errno? {
        let ioas: IOASObject
        switch ioasAlloc() {
        case .success(let o): ioas = o
        case .failure(let e): return e
        }
        if noIOMMUMode {
            abort(ioas)
            return .EINVAL
        }
        if case .success = compatIOAS() {
            abort(ioas)
            return nil
        }
        vfioIOAS = ioas
        finalize(ioas)
        return nil
    }

    /// `iommufd_vfio_ioas`: GET (ENODEV without one), SET (ENOENT for a non-IOAS), CLEAR.
    func vfioIOASIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u16(L.VFIOIOAS.reserved) != 0 { return .EOPNOTSUPP }
        switch k.u16(L.VFIOIOAS.op) {
        case 0:
            switch compatIOAS() {
            case .success(let ioas):
                k.set(L.VFIOIOAS.ioasID, u32: ioas.id)
                return ucmd.respond(L.VFIOIOAS.size)
            case .failure(let e):
                return e
            }
        case 1:
            guard let ioas = getIOAS(k.u32(L.VFIOIOAS.ioasID)) else { return .ENOENT }
            vfioIOAS = ioas
            return nil
        case 2:
            vfioIOAS = nil
            return nil
        default:
            return .EOPNOTSUPP
        }
    }

    /// `iommufd_vfio_ioctl`: the legacy container calls; other numbers are ENOTTY.
    /// `value` carries the integer argument of SET_IOMMU / CHECK_EXTENSION.
    func vfioCompatIoctl(_ cmd: UInt, memory: UserMemory, value: UInt?) -> Result<Int, Errno> {
        let intArg = value ?? UInt(bitPattern: memory.arg)
        switch cmd {
        case VFIONr.getAPIVersion:
            return .success(0)
        case VFIONr.setIOMMU:
            if let e = vfioSetIOMMU(intArg) { return .failure(e) }
            return .success(0)
        case VFIONr.checkExtension:
            return vfioCheckExtension(intArg)
        case VFIONr.iommuGetInfo:
            return vfioIOMMUGetInfo(memory)
        case VFIONr.mapDMA:
            if let e = vfioMapDMA(memory) { return .failure(e) }
            return .success(0)
        case VFIONr.unmapDMA:
            if let e = vfioUnmapDMA(memory) { return .failure(e) }
            return .success(0)
        default:
            return .failure(.ENOTTY)
        }
    }

    /// `iommufd_vfio_check_extension`: TYPE1, TYPE1v2 and UNMAP_ALL unless in no-IOMMU mode;
    /// DMA_CC only if every HWPT of the compat IOAS enforces coherency.
    private func vfioCheckExtension(_ type: UInt) -> Result<Int, Errno> {
        switch type {
        case 1, 3, 9:
            return .success(noIOMMUMode ? 0 : 1)
        case 8:
            return .success(env.vfioNoIOMMU ? 1 : 0)
        case 4:
            switch compatIOAS() {
            case .success(let ioas):
                return .success(ioas.hwptList.allSatisfy { $0.enforceCacheCoherency } ? 1 : 0)
            case .failure(let e):
                return .failure(e)
            }
        default:
            return .success(0)
        }
    }

    /// `iommufd_vfio_set_iommu`: only TYPE1 and TYPE1v2 (EINVAL); needs the compat IOAS
    /// (ENODEV); TYPE1 turns huge pages off so that partial unmaps work.
    private func vfioSetIOMMU(_ type: UInt) -> Errno? {
        if env.vfioNoIOMMU && type == 8 && noIOMMUMode {
            return env.capSysResource ? nil : .EPERM
        }
        if (type != 1 && type != 3) || noIOMMUMode { return .EINVAL }
        switch compatIOAS() {
        case .success(let ioas):
            return type == 1 ? ioas.iopt.disableLargePagesOption() : nil
        case .failure(let e):
            return e
        }
    }

    /// `iommufd_vfio_map_dma`: argsz >= 32 and flags ⊆ {READ, WRITE} (EINVAL); always at the
    /// given IOVA.
    private func vfioMapDMA(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { raw in
            let k = KBuf(p: raw.baseAddress!, size: 32)
            if let e = memory.copyFromArg(into: k, count: 32) { return e }
            let flags = k.u32(L.DMAMap.flags)
            if k.u32(0) < 32 || flags & ~3 != 0 { return .EINVAL }
            var prot = K.protCache
            if flags & 1 != 0 { prot |= K.protRead }
            if flags & 2 != 0 { prot |= K.protWrite }
            let ioas: IOASObject
            switch compatIOAS() {
            case .success(let o): ioas = o
            case .failure(let e): return e
            }
            var iova = k.u64(L.DMAMap.iova)
            return ioas.iopt.mapUserPages(iova: &iova, uptr: k.u64(L.DMAMap.vaddr), length: k.u64(L.DMAMap.mapSize),
                                          prot: prot, allocIOVA: false)
        }
    }

    /// `iommufd_vfio_unmap_dma`: flags ⊆ {ALL} (EINVAL); ALL needs iova = size = 0; with huge
    /// pages off (TYPE1) the range edges are cut first. The size unmapped is written back.
    private func vfioUnmapDMA(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { raw in
            let k = KBuf(p: raw.baseAddress!, size: 24)
            if let e = memory.copyFromArg(into: k, count: 24) { return e }
            let flags = k.u32(L.DMAUnmap.flags)
            if k.u32(0) < 24 || flags & ~2 != 0 { return .EINVAL }
            let ioas: IOASObject
            switch compatIOAS() {
            case .success(let o): ioas = o
            case .failure(let e): return e
            }
            let iova = k.u64(L.DMAUnmap.iova), size = k.u64(L.DMAUnmap.unmapSize)
            var rc: Errno?
            var unmapped: UInt64 = 0
            if flags & 2 != 0 {
                if iova != 0 || size != 0 { return .EINVAL }
                (rc, unmapped) = ioas.iopt.unmapAll()
            } else {
                if ioas.iopt.disableLargePages {
                    let cuts = iova != 0 ? [iova &+ size &- 1, iova &- 1] : [iova &+ size &- 1]
                    if let e = ioas.iopt.cutIOVA(cuts) { return e }
                }
                (rc, unmapped) = ioas.iopt.unmapIOVA(iova, size)
            }
            k.set(L.DMAUnmap.unmapSize, u64: unmapped)
            if memory.copyToArg(from: k, count: 24) != nil { rc = .EFAULT }
            return rc
        }
    }

    /// `iommufd_get_pagesizes`: the page sizes every domain supports (PAGE_SIZE granular), at
    /// least the IOVA alignment.
    private func vfioPageSizes(_ ioas: IOASObject) -> UInt64 {
        var bitmap = UInt64.max
        for d in ioas.iopt.domains { bitmap &= d.pgsizeBitmap }
        let page = env.pageSize
        if bitmap & (page - 1) != 0 {
            bitmap &= ~(page - 1)
            bitmap |= page
        }
        return max(bitmap, ioas.iopt.iovaAlignment)
    }

    /// `iommufd_vfio_iommu_get_info`: page sizes, then the DMA_AVAIL and IOVA_RANGE capabilities
    /// as far as argsz allows; argsz returns the size needed for all of them.
    private func vfioIOMMUGetInfo(_ memory: UserMemory) -> Result<Int, Errno> {
        return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { raw -> Result<Int, Errno> in
            let k = KBuf(p: raw.baseAddress!, size: 24)
            if let e = memory.copyFromArg(into: k, count: 16) { return .failure(e) }
            let argsz = Int(k.u32(0))
            if argsz < 16 { return .failure(.EINVAL) }
            let minsz = min(argsz, 24)
            let ioas: IOASObject
            switch compatIOAS() {
            case .success(let o): ioas = o
            case .failure(let e): return .failure(e)
            }
            var flags: UInt32 = 1  // VFIO_IOMMU_INFO_PGSIZES
            k.set(L.Type1Info.pgsizes, u64: vfioPageSizes(ioas))
            k.set(L.Type1Info.capOffset, u32: 0)

            // The two capabilities, as bytes: DMA_AVAIL (id 3, v1, avail U32_MAX), IOVA_RANGE (id 1, v1).
            var dmaAvail = [UInt8](repeating: 0, count: 12)
            dmaAvail.put(0, u32: 3 | (1 << 16))
            dmaAvail.put(8, u32: UInt32.max)
            let holes = ioas.iopt.reservedHoles()
            var iovaCap = [UInt8](repeating: 0, count: 16 + 16 * holes.count)
            iovaCap.put(0, u32: 1 | (1 << 16))
            iovaCap.put(8, u32: UInt32(holes.count))
            for (i, h) in holes.enumerated() {
                iovaCap.put(16 + 16 * i, u64: h.start)
                iovaCap.put(24 + 16 * i, u64: h.last)
            }
            var total = 24
            var lastCap: Int?
            for var cap in [dmaAvail, iovaCap] {
                let capSize = cap.count
                let avail = argsz > total ? argsz - total : 0
                if lastCap != nil, argsz >= total {
                    // Link the previous capability to this one.
                    var next = [UInt8](repeating: 0, count: 4)
                    next.put(0, u32: UInt32(total))
                    let e = next.withUnsafeBytes { memory.writeArg(offset: lastCap! + 4, bytes: $0) }
                    if let e { return .failure(e) }
                }
                if avail >= capSize {
                    cap.put(4, u32: 0)
                    let e = cap.withUnsafeBytes { memory.writeArg(offset: total, bytes: $0) }
                    if let e { return .failure(e) }
                } else if avail > 0 && capSize > 16 && cap[0] == 1 {
                    // The IOVA cap writes the ranges that fit even when the header does not.
                    var n = 0
                    while avail >= 16 + 16 * (n + 1) && n < holes.count { n += 1 }
                    if n > 0 {
                        let part = Array(cap[16..<(16 + 16 * n)])
                        let e = part.withUnsafeBytes { memory.writeArg(offset: total + 16, bytes: $0) }
                        if let e { return .failure(e) }
                    }
                }
                lastCap = total
                total += (capSize + 7) & ~7
            }
            if argsz >= total { k.set(L.Type1Info.capOffset, u32: 24) }
            k.set(0, u32: UInt32(total))
            flags |= 2  // VFIO_IOMMU_INFO_CAPS
            k.set(L.Type1Info.flags, u32: flags)
            if let e = memory.copyToArg(from: k, count: minsz) { return .failure(e) }
            return .success(0)
        }
    }
}
