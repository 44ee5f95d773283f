import CIOMMUFD
import IOMMUFD

/// The VFIO type1 container API as iommufd emulates it (vfio_compat.c).
let compatCases: [TestCase] = [
    TestCase("compat.no_compat_ioas", .compat, "before a compat IOAS exists: VFIO_IOAS GET and the legacy map calls give ENODEV") { t in
        try t.fails(.ENODEV, "IOMMU_VFIO_IOAS GET on an empty context") { _ = try t.ctx.compatIOASID() }
        let buffer = t.buffer(0x1000)
        try t.fails(.ENODEV, "VFIO_IOMMU_MAP_DMA") { try t.ctx.vfioMapDMA(userAddress: buffer.baseAddress!, iova: 0x100000, size: 0x1000) }
        try t.fails(.ENODEV, "VFIO_IOMMU_UNMAP_DMA") { try t.ctx.vfioUnmapDMA(iova: 0x100000, size: 0x1000) }
        try t.fails(.ENODEV, "VFIO_SET_IOMMU TYPE1v2") { try t.ctx.vfioSetIOMMU(3) }
    },
    TestCase("compat.check_extension", .compat, "CHECK_EXTENSION: TYPE1, TYPE1v2 and UNMAP_ALL are 1; NESTING and UPDATE_VADDR 0") { t in
        try t.equal(try t.ctx.vfioCheckExtension(1), 1, "VFIO_TYPE1_IOMMU")
        try t.equal(try t.ctx.vfioCheckExtension(3), 1, "VFIO_TYPE1v2_IOMMU")
        try t.equal(try t.ctx.vfioCheckExtension(9), 1, "VFIO_UNMAP_ALL")
        try t.equal(try t.ctx.vfioCheckExtension(6), 0, "reserved NESTING")
        try t.equal(try t.ctx.vfioCheckExtension(10), 0, "VFIO_UPDATE_VADDR")
    },
    TestCase("compat.vfio_ioas_ops", .compat, "IOMMU_VFIO_IOAS SET/GET/CLEAR; a bad id gives ENOENT, a bad op EOPNOTSUPP") { t in
        let ioas = try t.ctx.allocIOAS()
        var bad = iommu_vfio_ioas(size: 12, ioas_id: 0, op: UInt16(IOMMU_VFIO_IOAS_SET.rawValue), __reserved: 0)
        try t.fails(.ENOENT, "SET ioas id 0") { try t.ctx.ioctl(.IOMMU_VFIO_IOAS, &bad) }
        var op = iommu_vfio_ioas(size: 12, ioas_id: 0, op: 3, __reserved: 0)
        try t.fails(.EOPNOTSUPP, "op 3") { try t.ctx.ioctl(.IOMMU_VFIO_IOAS, &op) }
        try t.ok("SET") { try t.ctx.setCompatIOAS(ioas) }
        try t.equal(try t.ctx.compatIOASID(), ioas.id, "GET returns the IOAS set")
        try t.ok("CLEAR") { try t.ctx.clearCompatIOAS() }
        try t.fails(.ENODEV, "GET after CLEAR") { _ = try t.ctx.compatIOASID() }
    },
    TestCase("compat.map_unmap_dma", .compat, "type1 MAP_DMA/UNMAP_DMA on the compat IOAS; bad flags give EINVAL") { t in
        let ioas = try t.ctx.allocIOAS()
        try t.ok("IOMMU_VFIO_IOAS SET") { try t.ctx.setCompatIOAS(ioas) }
        try t.fails(.EINVAL, "VFIO_SET_IOMMU type 2 (SPAPR)") { try t.ctx.vfioSetIOMMU(2) }
        try t.ok("VFIO_SET_IOMMU TYPE1v2") { try t.ctx.vfioSetIOMMU(3) }
        let buffer = t.buffer(0x4000)
        try t.ok("MAP_DMA 16 KiB at 0x100000") { try t.ctx.vfioMapDMA(userAddress: buffer.baseAddress!, iova: 0x100000, size: 0x4000) }
        var vaddr = vfio_iommu_type1_dma_map()
        vaddr.argsz = 32
        vaddr.flags = 4
        vaddr.vaddr = UInt64(UInt(bitPattern: buffer.baseAddress))
        vaddr.iova = 0x200000
        vaddr.size = 0x1000
        try t.fails(.EINVAL, "MAP_DMA with FLAG_VADDR") { try t.ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &vaddr) }
        try t.fails(.EINVAL, "UNMAP_DMA ALL with a non-zero iova") { try t.ctx.vfioUnmapDMA(iova: 0x100000, size: 0, all: true) }
        try t.equal(try t.ctx.vfioUnmapDMA(iova: 0x100000, size: 0x4000), 0x4000, "UNMAP_DMA size written back")
    },
]
