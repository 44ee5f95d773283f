import CIOMMUFD

/// An I/O address space: the IOVA → memory map that page tables attached to it mirror.
///
/// Devices and HWPTs attached to an IOAS see every mapping made here. The kernel pins the mapped
/// pages and charges them to RLIMIT_MEMLOCK (or the user, per the rlimit mode).
public final class IOAS: IOMMUFDObject, PageTableTarget {
    init(context: IOMMUFD, id: UInt32) {
        super.init(context: context, id: id, kind: .ioas)
    }

    public var pageTableID: UInt32 { id }

    // MARK: Map and unmap

    /// Maps `length` bytes of this process's memory at `userAddress` (`IOMMU_IOAS_MAP`).
    ///
    /// With `iova` the mapping is placed exactly there (FIXED_IOVA); without, the kernel picks an
    /// address inside the allowed ranges, aligned to the mapping's size. Returns the IOVA used.
    @discardableResult
    public func map(userAddress: UnsafeRawPointer, length: UInt64, iova: UInt64? = nil,
                    permissions: MapPermissions = .readWrite) throws(IOMMUFDError) -> UInt64 {
        var flags = permissions.rawValue
        if iova != nil { flags |= IOMMU_IOAS_MAP_FIXED_IOVA.rawValue }
        var arg = iommu_ioas_map()
        arg.size = UInt32(MemoryLayout<iommu_ioas_map>.size)
        arg.flags = flags
        arg.ioas_id = id
        arg.user_va = UInt64(UInt(bitPattern: userAddress))
        arg.length = length
        arg.iova = iova ?? 0
        let memory = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_map>.offset(of: \.user_va)!,
                                 pointer: UnsafeMutableRawPointer(mutating: userAddress),
                                 length: Int(clamping: length), direction: .userMemory)
        try context.ioctl(.IOMMU_IOAS_MAP, &arg, buffers: [memory],
                          context: "ioas \(id), user_va \(hex(UInt(bitPattern: userAddress))), length \(hex(length)), iova \(iova.map { hex($0) } ?? "auto")")
        return arg.iova
    }

    /// Maps a whole buffer; see `map(userAddress:length:iova:permissions:)`.
    @discardableResult
    public func map(_ buffer: UnsafeMutableRawBufferPointer, iova: UInt64? = nil,
                    permissions: MapPermissions = .readWrite) throws(IOMMUFDError) -> UInt64 {
        try map(userAddress: UnsafeRawPointer(buffer.baseAddress!), length: UInt64(buffer.count),
                iova: iova, permissions: permissions)
    }

    /// Maps `length` bytes of a file (a memfd, or a dma-buf exported from a PCI BAR) starting at
    /// byte `offset` (`IOMMU_IOAS_MAP_FILE`). Mappings made this way survive `changeProcess()`.
    @discardableResult
    public func mapFile(fd fileDescriptor: Int32, offset: UInt64, length: UInt64, iova: UInt64? = nil,
                        permissions: MapPermissions = .readWrite) throws(IOMMUFDError) -> UInt64 {
        var flags = permissions.rawValue
        if iova != nil { flags |= IOMMU_IOAS_MAP_FIXED_IOVA.rawValue }
        var arg = iommu_ioas_map_file()
        arg.size = UInt32(MemoryLayout<iommu_ioas_map_file>.size)
        arg.flags = flags
        arg.ioas_id = id
        arg.fd = fileDescriptor
        arg.start = offset
        arg.length = length
        arg.iova = iova ?? 0
        try context.ioctl(.IOMMU_IOAS_MAP_FILE, &arg,
                          context: "ioas \(id), fd \(fileDescriptor), start \(hex(offset)), length \(hex(length)), iova \(iova.map { hex($0) } ?? "auto")")
        return arg.iova
    }

    /// Unmaps every area inside `[iova, iova + length)` (`IOMMU_IOAS_UNMAP`); returns the bytes
    /// unmapped. The kernel never splits an area: a range that cuts one fails with ENOENT.
    @discardableResult
    public func unmap(iova: UInt64, length: UInt64) throws(IOMMUFDError) -> UInt64 {
        var arg = iommu_ioas_unmap(size: UInt32(MemoryLayout<iommu_ioas_unmap>.size), ioas_id: id,
                                   iova: iova, length: length)
        try context.ioctl(.IOMMU_IOAS_UNMAP, &arg, context: "ioas \(id), iova \(hex(iova)), length \(hex(length))")
        return arg.length
    }

    /// Unmaps everything (iova 0, length `UInt64.max`); succeeds on an empty IOAS too.
    @discardableResult
    public func unmapAll() throws(IOMMUFDError) -> UInt64 {
        try unmap(iova: 0, length: .max)
    }

    /// Maps into this IOAS the pages that `source` maps at `[sourceIOVA, sourceIOVA + length)`
    /// (`IOMMU_IOAS_COPY`), without pinning them again. Returns the destination IOVA.
    @discardableResult
    public func copy(from source: IOAS, sourceIOVA: UInt64, length: UInt64, iova: UInt64? = nil,
                     permissions: MapPermissions = .readWrite) throws(IOMMUFDError) -> UInt64 {
        var flags = permissions.rawValue
        if iova != nil { flags |= IOMMU_IOAS_MAP_FIXED_IOVA.rawValue }
        var arg = iommu_ioas_copy(size: UInt32(MemoryLayout<iommu_ioas_copy>.size), flags: flags,
                                  dst_ioas_id: id, src_ioas_id: source.id, length: length,
                                  dst_iova: iova ?? 0, src_iova: sourceIOVA)
        try context.ioctl(.IOMMU_IOAS_COPY, &arg,
                          context: "dst ioas \(id), src ioas \(source.id), src_iova \(hex(sourceIOVA)), length \(hex(length)), dst_iova \(iova.map { hex($0) } ?? "auto")")
        return arg.dst_iova
    }

    // MARK: IOVA space

    /// Restricts automatic IOVA allocation to `ranges`, replacing any earlier list
    /// (`IOMMU_IOAS_ALLOW_IOVAS`). An empty list lifts the restriction.
    public func allowIOVAs(_ ranges: [IOVARange]) throws(IOMMUFDError) {
        var raw = ranges.map(\.raw)
        try raw.withMutableBytes { (bytes) throws(IOMMUFDError) in
            var arg = iommu_ioas_allow_iovas()
            arg.size = UInt32(MemoryLayout<iommu_ioas_allow_iovas>.size)
            arg.ioas_id = id
            arg.num_iovas = UInt32(ranges.count)
            arg.allowed_iovas = UInt64(UInt(bitPattern: bytes.baseAddress))
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_allow_iovas>.offset(of: \.allowed_iovas)!,
                                     pointer: bytes.baseAddress, length: bytes.count, direction: .input)
            try context.ioctl(.IOMMU_IOAS_ALLOW_IOVAS, &arg, buffers: [buffer],
                              context: "ioas \(id), \(ranges.count) ranges")
        }
    }

    /// The usable IOVA ranges (the holes between reserved regions) and the alignment every map
    /// must respect (`IOMMU_IOAS_IOVA_RANGES`). Grows its buffer and retries on EMSGSIZE.
    public func iovaRanges() throws(IOMMUFDError) -> (ranges: [IOVARange], alignment: UInt64) {
        var capacity = 4
        while true {
            var raw = [iommu_iova_range](repeating: iommu_iova_range(), count: capacity)
            var arg = iommu_ioas_iova_ranges()
            arg.size = UInt32(MemoryLayout<iommu_ioas_iova_ranges>.size)
            arg.ioas_id = id
            arg.num_iovas = UInt32(capacity)
            do {
                try raw.withMutableBytes { (bytes) throws(IOMMUFDError) in
                    arg.allowed_iovas = UInt64(UInt(bitPattern: bytes.baseAddress))
                    let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_iova_ranges>.offset(of: \.allowed_iovas)!,
                                             pointer: bytes.baseAddress, length: bytes.count, direction: .output)
                    try context.ioctl(.IOMMU_IOAS_IOVA_RANGES, &arg, buffers: [buffer],
                                      context: "ioas \(id), num_iovas \(capacity)")
                }
            } catch where error.errno == .EMSGSIZE && Int(arg.num_iovas) > capacity {
                capacity = Int(arg.num_iovas)
                continue
            }
            let count = min(Int(arg.num_iovas), capacity)
            return (raw.prefix(count).map(IOVARange.init), arg.out_iova_alignment)
        }
    }

    // MARK: Options

    /// Whether the kernel may map this IOAS with huge pages (`IOMMU_OPTION_HUGE_PAGES`, default
    /// on). Turning it off lets later unmaps split at page granularity on the page tables.
    public func setHugePages(_ enabled: Bool) throws(IOMMUFDError) {
        _ = try context.option(.hugePages, .set, objectID: id, value: enabled ? 1 : 0)
    }

    public func hugePages() throws(IOMMUFDError) -> Bool {
        try context.option(.hugePages, .get, objectID: id) != 0
    }
}

extension IOMMUFD {
    /// Allocates an empty IOAS (`IOMMU_IOAS_ALLOC`).
    public func allocIOAS() throws(IOMMUFDError) -> IOAS {
        var arg = iommu_ioas_alloc(size: UInt32(MemoryLayout<iommu_ioas_alloc>.size), flags: 0, out_ioas_id: 0)
        try ioctl(.IOMMU_IOAS_ALLOC, &arg)
        return IOAS(context: self, id: arg.out_ioas_id)
    }
}
