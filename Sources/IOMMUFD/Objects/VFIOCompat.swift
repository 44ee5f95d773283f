import CIOMMUFD

/// The VFIO type1 container API as iommufd emulates it (`CONFIG_IOMMUFD_VFIO_CONTAINER`): the
/// legacy calls go to the iommufd fd itself and act on the context's "compat IOAS".
extension IOMMUFD {
    /// `IOMMU_VFIO_IOAS` GET: the compat IOAS id (ENODEV when none exists yet).
    public func compatIOASID() throws(IOMMUFDError) -> UInt32 {
        var arg = iommu_vfio_ioas(size: UInt32(MemoryLayout<iommu_vfio_ioas>.size), ioas_id: 0,
                                  op: UInt16(IOMMU_VFIO_IOAS_GET.rawValue), __reserved: 0)
        try ioctl(.IOMMU_VFIO_IOAS, &arg, context: "op GET")
        return arg.ioas_id
    }

    /// `IOMMU_VFIO_IOAS` SET: makes `ioas` the one the legacy calls act on.
    public func setCompatIOAS(_ ioas: IOAS) throws(IOMMUFDError) {
        var arg = iommu_vfio_ioas(size: UInt32(MemoryLayout<iommu_vfio_ioas>.size), ioas_id: ioas.id,
                                  op: UInt16(IOMMU_VFIO_IOAS_SET.rawValue), __reserved: 0)
        try ioctl(.IOMMU_VFIO_IOAS, &arg, context: "op SET, ioas \(ioas.id)")
    }

    /// `IOMMU_VFIO_IOAS` CLEAR: forgets the compat IOAS (the IOAS itself stays).
    public func clearCompatIOAS() throws(IOMMUFDError) {
        var arg = iommu_vfio_ioas(size: UInt32(MemoryLayout<iommu_vfio_ioas>.size), ioas_id: 0,
                                  op: UInt16(IOMMU_VFIO_IOAS_CLEAR.rawValue), __reserved: 0)
        try ioctl(.IOMMU_VFIO_IOAS, &arg, context: "op CLEAR")
    }

    /// `VFIO_CHECK_EXTENSION` on the iommufd fd: 1 for TYPE1, TYPE1v2 and UNMAP_ALL.
    public func vfioCheckExtension(_ extensionID: UInt) throws(IOMMUFDError) -> Int {
        try syscalls.ioctl(fd, .VFIO_CHECK_EXTENSION, value: extensionID, context: "extension \(extensionID)")
    }

    /// `VFIO_SET_IOMMU` on the iommufd fd: TYPE1 (1) or TYPE1v2 (3).
    public func vfioSetIOMMU(_ type: UInt) throws(IOMMUFDError) {
        try syscalls.ioctl(fd, .VFIO_SET_IOMMU, value: type, context: "type \(type)")
    }

    /// `VFIO_IOMMU_MAP_DMA` into the compat IOAS (always at a fixed IOVA).
    public func vfioMapDMA(userAddress: UnsafeRawPointer, iova: UInt64, size: UInt64,
                           permissions: MapPermissions = .readWrite) throws(IOMMUFDError) {
        var arg = vfio_iommu_type1_dma_map()
        arg.argsz = UInt32(MemoryLayout<vfio_iommu_type1_dma_map>.size)
        arg.flags = (permissions.contains(.read) ? 1 : 0) | (permissions.contains(.write) ? 2 : 0)
        arg.vaddr = UInt64(UInt(bitPattern: userAddress))
        arg.iova = iova
        arg.size = size
        let memory = IoctlBuffer(fieldOffset: MemoryLayout<vfio_iommu_type1_dma_map>.offset(of: \.vaddr)!,
                                 pointer: UnsafeMutableRawPointer(mutating: userAddress),
                                 length: Int(clamping: size), direction: .userMemory)
        try ioctl(.VFIO_IOMMU_MAP_DMA, &arg, buffers: [memory], context: "iova \(hex(iova)), size \(hex(size))")
    }

    /// `VFIO_IOMMU_UNMAP_DMA` from the compat IOAS; returns the bytes unmapped. `all` unmaps
    /// everything (iova and size must then be 0).
    @discardableResult
    public func vfioUnmapDMA(iova: UInt64, size: UInt64, all: Bool = false) throws(IOMMUFDError) -> UInt64 {
        var arg = vfio_iommu_type1_dma_unmap()
        arg.argsz = UInt32(MemoryLayout<vfio_iommu_type1_dma_unmap>.size)
        arg.flags = all ? UInt32(VFIO_DMA_UNMAP_FLAG_ALL) : 0
        arg.iova = iova
        arg.size = size
        try ioctl(.VFIO_IOMMU_UNMAP_DMA, &arg, context: "iova \(hex(iova)), size \(hex(size))\(all ? ", ALL" : "")")
        return arg.size
    }
}
