import CIOMMUFD
import IOMMUFD

/// VFIO cdev rules (drivers/vfio/device_cdev.c) on a real device named on the command line.
let vfioDeviceCases: [TestCase] = [
    TestCase("device.cdev_gated_until_bind", .device, "every cdev ioctl but BIND fails with EINVAL until the device is bound", needs: [.device]) { t in
        let device = try t.ok("open the cdev") { try VFIODevice(path: t.target.devices[0].path, backend: t.target.backend) }
        try t.fails(.EINVAL, "VFIO_DEVICE_GET_INFO before BIND") { _ = try device.info() }
        var bind = vfio_device_bind_iommufd()
        bind.argsz = 24
        bind.iommufd = -2
        try t.fails(.EINVAL, "BIND with iommufd -2") { try device.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &bind) }
        bind.iommufd = t.ctx.fd
        bind.argsz = 15
        try t.fails(.EINVAL, "BIND with argsz 15") { try device.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &bind) }
        bind.argsz = 24
        bind.flags = 2
        try t.fails(.EINVAL, "BIND with unknown flag 2") { try device.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &bind) }
        try t.ok("BIND") { try device.bind(to: t.ctx) }
        let info = try t.ok("VFIO_DEVICE_GET_INFO after BIND") { try device.info() }
        try t.check(info.isPCI, "the device is PCI (flags \(hex(info.flags)))")
        try t.check(info.regionCount >= 7, "it has at least 7 regions (\(info.regionCount))")
        try t.fails(.EINVAL, "BIND a second time") { try device.bind(to: t.ctx) }
    },
    TestCase("device.attach_detach", .device, "a bound device attaches to an IOAS (auto domain), replaces, detaches; bad pt_id ENOENT", needs: [.device]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        try t.fails(.ENOENT, "ATTACH to pt_id U32_MAX") {
            var a = vfio_device_attach_iommufd_pt()
            a.argsz = 16
            a.pt_id = UInt32.max
            try device.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a)
        }
        let hwpt = try t.ok("ATTACH to the IOAS") { try device.attach(to: ioas) }
        try t.check(hwpt != ioas.id && hwpt != 0, "the kernel reports the automatic HWPT it attached (\(hwpt))")
        try t.fails(.EBUSY, "DESTROY the IOAS while attached") { try t.ctx.destroy(id: ioas.id) }
        let (_, alignment) = try ioas.iovaRanges()
        try t.check(alignment >= 1 && alignment <= 4096, "iova_alignment \(alignment) is at most PAGE_SIZE")
        let other = try t.ctx.allocIOAS()
        try t.ok("ATTACH again to another IOAS (replace)") { try device.attach(to: other) }
        try t.ok("DETACH") { try device.detach() }
        var bad = vfio_device_detach_iommufd_pt()
        bad.argsz = 12
        bad.flags = 2
        try t.fails(.EINVAL, "DETACH with unknown flag 2") { try device.ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &bad) }
    },
    TestCase("device.paging_hwpt", .device, "an explicit paging HWPT on the device's IOMMU attaches and mirrors the IOAS", needs: [.device]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        let hwpt = try t.ok("HWPT_ALLOC paging") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        try t.equal(try device.attach(to: hwpt), hwpt.id, "ATTACH reports the HWPT")
        let buffer = t.buffer(0x2000)
        try t.ok("MAP after attach") { try ioas.map(buffer, iova: 0x100000) }
        try t.equal(try ioas.unmap(iova: 0x100000, length: 0x2000), 0x2000, "UNMAP")
        try t.ok("DETACH") { try device.detach() }
    },
]
