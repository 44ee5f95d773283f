import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// vfio_compat.c (the legacy container calls on the iommufd fd) and the VFIO cdev of model
/// devices (device_cdev.c, vfio_main.c, vfio/iommufd.c): the selftests' iommufd and
/// vfio_compat_mock_domain fixtures, and the VFIO selftests' vfio_cdev fixture.
@Suite("vfio_compat.c and the VFIO cdev")
struct VFIOTests {
    // MARK: Compat without a compat IOAS

    @Test func simpleIoctls() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        #expect(try ctx.syscalls.ioctl(ctx.fd, .VFIO_GET_API_VERSION, value: 0, context: "") == 0)
        #expect(try ctx.vfioCheckExtension(3) == 1)
        #expect(try ctx.vfioCheckExtension(1) == 1)
        #expect(try ctx.vfioCheckExtension(9) == 1)
        #expect(try ctx.vfioCheckExtension(6) == 0)
        #expect(try ctx.vfioCheckExtension(10) == 0)
        #expect(try ctx.vfioCheckExtension(8) == 0)
        // DMA_CC needs the compat IOAS
        #expect(failure { _ = try ctx.vfioCheckExtension(4) } == .ENODEV)
        // DIRTY_PAGES is not emulated
        var arg = [UInt8](repeating: 0, count: 16)
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_DIRTY_PAGES, &arg) } == .ENOTTY)
    }

    @Test func unmapCmd() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        var cmd = vfio_iommu_type1_dma_unmap()
        cmd.iova = MOCK_APERTURE_START
        cmd.size = PAGE_SIZE
        cmd.argsz = 1
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_UNMAP_DMA, &cmd) } == .EINVAL)
        cmd.argsz = 24
        cmd.flags = 1 << 31
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_UNMAP_DMA, &cmd) } == .EINVAL)
        cmd.flags = 0
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_UNMAP_DMA, &cmd) } == .ENODEV)
    }

    @Test func mapCmd() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        let buffer = TestBuffer()
        var cmd = vfio_iommu_type1_dma_map()
        cmd.iova = MOCK_APERTURE_START
        cmd.size = PAGE_SIZE
        cmd.vaddr = buffer.address
        cmd.argsz = 1
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &cmd) } == .EINVAL)
        cmd.argsz = 32
        cmd.flags = 1 << 31
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &cmd) } == .EINVAL)
        // VADDR is not emulated
        cmd.flags = 4
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &cmd) } == .EINVAL)
        // Requires a compat IOAS
        cmd.flags = 3
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_MAP_DMA, &cmd) } == .ENODEV)
    }

    @Test func infoCmd() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        var cmd = vfio_iommu_type1_info()
        cmd.argsz = 1
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_GET_INFO, &cmd) } == .EINVAL)
        cmd.argsz = 24
        #expect(failure { try ctx.ioctl(.VFIO_IOMMU_GET_INFO, &cmd) } == .ENODEV)
    }

    @Test func setIOMMUCmd() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        #expect(failure { try ctx.vfioSetIOMMU(3) } == .ENODEV)
        #expect(failure { try ctx.vfioSetIOMMU(1) } == .ENODEV)
        #expect(failure { try ctx.vfioSetIOMMU(2) } == .EINVAL)
    }

    @Test func vfioIOAS() throws {
        let ctx = try IOMMUFD(backend: ModelBackend(profile: .selftest))
        #expect(failure { _ = try ctx.compatIOASID() } == .ENODEV)
        // An invalid id for SET
        var cmd = iommu_vfio_ioas(size: 12, ioas_id: 0, op: 1, __reserved: 0)
        #expect(failure { try ctx.ioctl(.IOMMU_VFIO_IOAS, &cmd) } == .ENOENT)
        let ioas = try ctx.allocIOAS()
        try ctx.setCompatIOAS(ioas)
        #expect(try ctx.compatIOASID() == ioas.id)
        try ctx.clearCompatIOAS()
        #expect(failure { _ = try ctx.compatIOASID() } == .ENODEV)
        // Bad op and reserved
        cmd.op = 3
        #expect(failure { try ctx.ioctl(.IOMMU_VFIO_IOAS, &cmd) } == .EOPNOTSUPP)
        cmd.op = 0
        cmd.__reserved = 1
        #expect(failure { try ctx.ioctl(.IOMMU_VFIO_IOAS, &cmd) } == .EOPNOTSUPP)
        // Destroying the compat IOAS forgets it
        try ctx.setCompatIOAS(ioas)
        try ioas.destroy()
        #expect(failure { _ = try ctx.compatIOASID() } == .ENODEV)
    }

    // MARK: vfio_compat_mock_domain

    final class CompatFixture {
        let f: IOASFixture
        init(version: UInt) throws {
            f = try IOASFixture(mockDomains: 1)
            try f.ctx.setCompatIOAS(f.ioas)
            try f.ctx.vfioSetIOMMU(version)
        }
    }

    @Test(arguments: [UInt(3), UInt(1)]) func optionHugePages(version: UInt) throws {
        let c = try CompatFixture(version: version)
        #expect(try c.f.ioas.hugePages() == (version == 3))
    }

    @Test(arguments: [UInt(3), UInt(1)]) func getInfo(version: UInt) throws {
        let c = try CompatFixture(version: version)
        let buffer = TestBuffer()
        let info = buffer.base
        func run(argsz: UInt32) throws {
            memset(info, 0, 24)
            info.storeBytes(of: argsz, as: UInt32.self)
            memset(info + Int(argsz), 0xaa, buffer.size - Int(argsz))
            var bytes = UnsafeMutableRawBufferPointer(start: info, count: buffer.size)
            let r = c.f.backend.ioctl(c.f.fd, .VFIO_IOMMU_GET_INFO, argument: bytes, buffers: [])
            #expect(r == .success(0))
            // Nothing past argsz is touched
            bytes = UnsafeMutableRawBufferPointer(start: info + Int(argsz), count: buffer.size - Int(argsz))
            #expect(bytes.allSatisfy { $0 == 0xaa })
        }
        // Pre-cap ABI
        try run(argsz: 16)
        #expect(info.load(fromByteOffset: 8, as: UInt64.self) != 0)
        #expect(info.load(fromByteOffset: 4, as: UInt32.self) == 3)
        // The cap chain size
        try run(argsz: 24)
        #expect(info.load(fromByteOffset: 4, as: UInt32.self) == 3)
        #expect(info.load(fromByteOffset: 16, as: UInt32.self) == 0)
        let caplen = info.load(as: UInt32.self)
        #expect(caplen > 24)
        // Every size: never a corrupted chain
        for argsz in 24..<caplen {
            try run(argsz: argsz)
            let capOffset = Int(info.load(fromByteOffset: 16, as: UInt32.self))
            if capOffset == 0 { continue }
            var cap = capOffset
            while true {
                let id = info.load(fromByteOffset: cap, as: UInt16.self)
                let next = Int(info.load(fromByteOffset: cap + 4, as: UInt32.self))
                switch id {
                case 1:
                    #expect(info.load(fromByteOffset: cap + 2, as: UInt16.self) == 1)
                    #expect(info.load(fromByteOffset: cap + 8, as: UInt32.self) == 1)
                    #expect(info.load(fromByteOffset: cap + 16, as: UInt64.self) == MOCK_APERTURE_START)
                    #expect(info.load(fromByteOffset: cap + 24, as: UInt64.self) == MOCK_APERTURE_LAST)
                case 3:
                    #expect(info.load(fromByteOffset: cap + 8, as: UInt32.self) == UInt32.max)
                default:
                    Issue.record("unknown cap \(id)")
                }
                if next == 0 { break }
                #expect(next > cap)
                cap = next
            }
        }
        // The page sizes: PAGE_SIZE granular
        #expect(info.load(fromByteOffset: 8, as: UInt64.self) & (PAGE_SIZE - 1) == 0)
    }

    @Test(arguments: [UInt(3), UInt(1)]) func map(version: UInt) throws {
        let c = try CompatFixture(version: version)
        let buffer = c.f.buffer
        let size = UInt64(buffer.size)
        try c.f.ctx.vfioMapDMA(userAddress: buffer.base, iova: MOCK_APERTURE_START, size: size)
        #expect(try c.f.ctx.vfioUnmapDMA(iova: MOCK_APERTURE_START, size: size) == size)
        // Unmap of empty is success
        #expect(try c.f.ctx.vfioUnmapDMA(iova: MOCK_APERTURE_START, size: size) == 0)
        // UNMAP_FLAG_ALL requires 0 iova/size
        try c.f.ctx.vfioMapDMA(userAddress: buffer.base, iova: MOCK_APERTURE_START, size: size)
        #expect(failure { _ = try c.f.ctx.vfioUnmapDMA(iova: MOCK_APERTURE_START, size: size, all: true) } == .EINVAL)
        #expect(try c.f.ctx.vfioUnmapDMA(iova: 0, size: 0, all: true) == size)
        // Small pages, unmapped in a shuffled order
        var iovas: [UInt64] = []
        for i in 0..<(size / PAGE_SIZE) {
            let iova = MOCK_APERTURE_START + i * PAGE_SIZE
            try c.f.ctx.vfioMapDMA(userAddress: buffer.at(i * PAGE_SIZE), iova: iova, size: PAGE_SIZE)
            iovas.append(iova)
        }
        iovas.shuffle()
        for iova in iovas { #expect(try c.f.ctx.vfioUnmapDMA(iova: iova, size: PAGE_SIZE) == PAGE_SIZE) }
        // The compat IOAS is checkable: DMA_CC is 0 (the mock domain does not enforce coherency)
        #expect(try c.f.ctx.vfioCheckExtension(4) == 0)
    }

    @Test(arguments: [UInt(3), UInt(1)]) func hugeMap(version: UInt) throws {
        let c = try CompatFixture(version: version)
        let bufSize = UInt64(4 << 20)
        let buf = TestBuffer(size: Int(bufSize))
        try c.f.ctx.vfioMapDMA(userAddress: buf.base, iova: MOCK_APERTURE_START, size: bufSize)
        let piece = bufSize / 16
        var iovas = (0..<16).map { MOCK_APERTURE_START + UInt64($0) * piece }
        iovas.shuffle()
        // type1 mode can cut up larger mappings, type1v2 always fails
        for iova in iovas {
            if version == 1 {
                #expect(try c.f.ctx.vfioUnmapDMA(iova: iova, size: piece) == piece)
            } else {
                #expect(failure { _ = try c.f.ctx.vfioUnmapDMA(iova: iova, size: piece) } == .ENOENT)
            }
        }
    }

    // MARK: The VFIO cdev of model devices

    static let devices = [
        ModelDevice(pciAddress: "0000:00:03.0", iommuGroup: 5, pasidWidth: 8, cdevName: "vfio0"),
        ModelDevice(pciAddress: "0000:00:04.0", iommuGroup: 6, cdevName: "vfio1"),
        ModelDevice(pciAddress: "0000:00:05.0", iommuGroup: 6, dirtyTracking: false, cdevName: "vfio2"),
    ]

    func makeBackend() -> ModelBackend { ModelBackend(profile: .selftest, devices: Self.devices) }

    @Test func cdevPaths() {
        let b = makeBackend()
        #expect(b.cdevPath(forPCIAddress: "0000:00:04.0") == "/dev/vfio/devices/vfio1")
        #expect(failure { _ = try VFIODevice(path: "/dev/vfio/devices/vfio9", backend: b) } == .ENOENT)
    }

    @Test func bind() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        #expect(dev.deviceID == 1)
        #expect(b.objects(fd: ctx.fd).map(\.type) == ["device"])
        // hw_info through the bound device: the mock IOMMU, PASID width 8
        let info = try dev.hwInfo()
        #expect(info.type == 0xfeed_beef && info.maxPASIDLog2 == 8)
    }

    @Test func getInfoWithoutBindFails() throws {
        let b = makeBackend()
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        #expect(failure { _ = try dev.info() } == .EINVAL)
        var attach = vfio_device_attach_iommufd_pt(argsz: 16, flags: 0, pt_id: 1, pasid: 0)
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach, context: "") } == .EINVAL)
        var detach = vfio_device_detach_iommufd_pt(argsz: 12, flags: 0, pasid: 0)
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach, context: "") } == .EINVAL)
    }

    @Test func bindBadIOMMUFDFails() throws {
        let b = makeBackend()
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        var cmd = vfio_device_bind_iommufd()
        cmd.argsz = 24
        // A negative fd: EINVAL; no such fd: EBADF; an fd that is not an iommufd: EBADFD
        cmd.iommufd = -2
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "") } == .EINVAL)
        cmd.iommufd = 12345
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "") } == .EBADF)
        cmd.iommufd = dev.fd
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "") } == Errno(77))
        // argsz below 16, unknown flags, trailing garbage
        let ctx = try IOMMUFD(backend: b)
        cmd.iommufd = ctx.fd
        cmd.argsz = 15
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "") } == .EINVAL)
        cmd.argsz = 24
        cmd.flags = 2
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "") } == .EINVAL)
        cmd.flags = 0
        var longer = WithFuture(cmd: cmd, future: 1)
        longer.cmd.argsz = 32
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &longer, context: "") } == .E2BIG)
        // A token on a device that is neither a VF nor a PF with VFs: EINVAL
        #expect(failure { try dev.bind(to: ctx, token: [UInt8](repeating: 1, count: 16)) } == .EINVAL)
        // The 16-byte (pre-token) struct works
        cmd.argsz = 16
        try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "")
        #expect(cmd.out_devid == 1)
    }

    @Test func repeatedBindFails() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        #expect(failure { try dev.bind(to: ctx) } == .EINVAL)
        // A second open of the cdev cannot bind while the first is bound
        let again = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        #expect(failure { try again.bind(to: ctx) } == .EINVAL)
    }

    @Test func attachDetachPT() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        let hwpt = try dev.attach(to: ioas)
        #expect(hwpt == 3)
        // Attaching again replaces
        let manual = try ctx.allocHWPT(device: dev, ioas: ioas)
        #expect(try dev.attach(to: manual) == manual.id)
        #expect(failure { try manual.destroy() } == .EBUSY)
        try dev.detach()
        try manual.destroy()
        // Detach of a detached device succeeds
        try dev.detach()
        // Device info
        let info = try dev.info()
        #expect(info.isPCI && info.supportsReset && info.regionCount == 9 && info.irqCount == 5)
        // The IOAS is busy while attached
        _ = try dev.attach(to: ioas)
        #expect(failure { try ioas.destroy() } == .EBUSY)
        // Closing the fd unbinds (detaching first)
        let fd = ctx.fd
        _ = fd
    }

    @Test func attachInvalidPTFails() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        // An unknown id: ENOENT; the device itself: EINVAL
        #expect(failure { _ = try dev.attach(to: IDTarget(id: 99, context: ctx)) } == .ENOENT)
        #expect(failure { _ = try dev.attach(to: IDTarget(id: dev.deviceID!, context: ctx)) } == .EINVAL)
        // argsz and flags
        var cmd = vfio_device_attach_iommufd_pt(argsz: 11, flags: 0, pt_id: 99, pasid: 0)
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd, context: "") } == .EINVAL)
        cmd.argsz = 16
        cmd.flags = 2
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd, context: "") } == .EINVAL)
        // PASID form needs argsz 16
        cmd.flags = 1
        cmd.argsz = 12
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd, context: "") } == .EINVAL)
        var detach = vfio_device_detach_iommufd_pt(argsz: 7, flags: 0, pasid: 0)
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach, context: "") } == .EINVAL)
        detach.argsz = 12
        detach.flags = 4
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach, context: "") } == .EINVAL)
        detach.flags = 1
        detach.argsz = 8
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach, context: "") } == .EINVAL)
    }

    @Test func pasidAttachOnTheCdev() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        let s2 = try ctx.allocHWPT(device: dev, ioas: ioas, flags: .pasid)
        _ = try dev.attach(to: s2)
        #expect(try dev.attach(pasid: 5, to: s2) == s2.id)
        // Attaching an attached PASID replaces it
        let other = try ctx.allocHWPT(device: dev, ioas: ioas, flags: .pasid)
        #expect(try dev.attach(pasid: 5, to: other) == other.id)
        // Beyond the device's 8-bit PASID space: EINVAL
        #expect(failure { _ = try dev.attach(pasid: 256, to: s2) } == .EINVAL)
        try dev.detach(pasid: 5)
        try dev.detach(pasid: 5)
        try other.destroy()
    }

    @Test func groupMembersShareOneHWPT() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let d1 = try VFIODevice(path: "/dev/vfio/devices/vfio1", backend: b)
        let d2 = try VFIODevice(path: "/dev/vfio/devices/vfio2", backend: b)
        try d1.bind(to: ctx)
        try d2.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        let h1 = try d1.attach(to: ioas)
        // The group is attached through d1's domain: d2 on the same IOAS reuses it
        let h2 = try d2.attach(to: ioas)
        #expect(h1 == h2)
        // A different HWPT for the second member: EINVAL
        try d2.detach()
        let manual = try ctx.allocHWPT(device: d2, ioas: ioas)
        #expect(failure { _ = try d2.attach(to: manual) } == .EINVAL)
        try manual.destroy()
    }

    @Test func groupOwnershipAcrossContexts() throws {
        let b = makeBackend()
        let ctx1 = try IOMMUFD(backend: b)
        let ctx2 = try IOMMUFD(backend: b)
        let d1 = try VFIODevice(path: "/dev/vfio/devices/vfio1", backend: b)
        try d1.bind(to: ctx1)
        let d2 = try VFIODevice(path: "/dev/vfio/devices/vfio2", backend: b)
        #expect(failure { try d2.bind(to: ctx2) } == .EPERM)
        try d2.bind(to: ctx1)
        // A dirty-tracking HWPT is refused for the member without the capability
        let ioas = try ctx1.allocIOAS()
        #expect(failure { _ = try ctx1.allocHWPT(device: d2, ioas: ioas, flags: .dirtyTracking) } == .EOPNOTSUPP)
        _ = try ctx1.allocHWPT(device: d1, ioas: ioas, flags: .dirtyTracking)
    }

    @Test func closingTheDeviceUnbinds() throws {
        let b = makeBackend()
        let ctx = try IOMMUFD(backend: b)
        let ioas = try ctx.allocIOAS()
        do {
            let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
            try dev.bind(to: ctx)
            _ = try dev.attach(to: ioas)
            #expect(b.objects(fd: ctx.fd).map(\.type) == ["ioas", "device", "hwpt_paging"])
        }
        // The automatic domain went away with the device
        #expect(b.objects(fd: ctx.fd).map(\.type) == ["ioas"])
        try ioas.destroy()
    }

    @Test func aBoundDeviceKeepsTheContext() throws {
        let b = makeBackend()
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        guard case .success(let fd) = b.open(path: "/dev/iommu", flags: O_RDWR) else { return }
        var cmd = vfio_device_bind_iommufd()
        cmd.argsz = 24
        cmd.iommufd = fd
        try dev.ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &cmd, context: "")
        // The iommufd fd is closed; the bound device keeps the context, and still works
        #expect(b.close(fd) == nil)
        #expect(b.openFileCount == 1)
        #expect(try dev.info().regionCount == 9)
        var attach = vfio_device_attach_iommufd_pt(argsz: 16, flags: 0, pt_id: 99, pasid: 0)
        #expect(failure { try dev.ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach, context: "") } == .ENOENT)
    }

    @Test func compatContainerThroughTheDevice() throws {
        // The legacy path: a compat IOAS set explicitly, the device attached to it.
        let b = makeBackend()
        let ctx = try IOMMUFD(path: "/dev/vfio/vfio", backend: b)
        let dev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try dev.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        try ctx.setCompatIOAS(ioas)
        _ = try dev.attach(to: ioas)
        try ctx.vfioSetIOMMU(3)
        let buffer = TestBuffer()
        try ctx.vfioMapDMA(userAddress: buffer.base, iova: MOCK_APERTURE_START, size: PAGE_SIZE)
        #expect(try ctx.vfioUnmapDMA(iova: MOCK_APERTURE_START, size: PAGE_SIZE) == PAGE_SIZE)
    }
}

/// Device reserved regions (`iopt_table_enforce_dev_resv_regions`) with model devices.
@Suite("device reserved regions")
struct ReservedRegionTests {
    @Test func reservedRegionsShapeTheIOAS() throws {
        let window = ModelDevice.ReservedRegion(start: 0x0200_0000, length: 0x10_0000, type: .reserved)
        let relaxable = ModelDevice.ReservedRegion(start: 0x0300_0000, length: 0x1000, type: .directRelaxable)
        let dev = ModelDevice(pciAddress: "0000:00:03.0", reservedRegions: [window, relaxable], cdevName: "vfio0")
        let b = ModelBackend(profile: .selftest, devices: [dev])
        let ctx = try IOMMUFD(backend: b)
        let vdev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try vdev.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        let buffer = TestBuffer()
        // An area inside the region makes the attach fail with EADDRINUSE
        try ioas.map(userAddress: buffer.base, length: PAGE_SIZE, iova: 0x0200_0000)
        #expect(failure { _ = try vdev.attach(to: ioas) } == .EADDRINUSE)
        try ioas.unmapAll()
        _ = try vdev.attach(to: ioas)
        // The region is a hole in IOVA_RANGES (DIRECT_RELAXABLE is ignored)
        let ranges = try ioas.iovaRanges().ranges
        #expect(ranges == [IOVARange(start: MOCK_APERTURE_START, last: 0x01ff_ffff), IOVARange(start: 0x0210_0000, last: MOCK_APERTURE_LAST)])
        // Mapping into it: EINVAL; ALLOW_IOVAS over it: EADDRINUSE
        #expect(failure { try ioas.map(userAddress: buffer.base, length: PAGE_SIZE, iova: 0x0200_0000) } == .EINVAL)
        #expect(failure { try ioas.allowIOVAs([IOVARange(start: 0x01f0_0000, last: 0x0200_0fff)]) } == .EADDRINUSE)
        try ioas.map(userAddress: buffer.base, length: PAGE_SIZE, iova: 0x0300_0000)
        // Detach drops the reservation
        try vdev.detach()
        #expect(try ioas.iovaRanges().ranges == [IOVARange(start: 0, last: .max)])
    }

    @Test func swMSIBesideHardwareMSIIsRefused() throws {
        let dev = ModelDevice(pciAddress: "0000:00:03.0",
                              reservedRegions: [.x86MSI, ModelDevice.ReservedRegion(start: 0x0800_0000, length: 0x10_0000, type: .swMSI)],
                              cdevName: "vfio0")
        let b = ModelBackend(profile: .selftest, devices: [dev])
        let ctx = try IOMMUFD(backend: b)
        let vdev = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b)
        try vdev.bind(to: ctx)
        let ioas = try ctx.allocIOAS()
        #expect(failure { _ = try vdev.attach(to: ioas) } == .EINVAL)
        #expect(try ioas.iovaRanges().ranges == [IOVARange(start: 0, last: .max)])
    }
}
