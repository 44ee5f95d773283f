import CIOMMUFD

/// A VFIO device opened through its character device (`/dev/vfio/devices/vfioN`).
///
/// Until `bind(to:)` succeeds the kernel refuses every other call on the fd with EINVAL. Once
/// bound, the device is an object of the iommufd context (its `deviceID`), and it can be attached
/// to an IOAS or HWPT. Closing the fd (when this value goes away) detaches and unbinds it.
public final class VFIODevice: IOMMUDevice {
    public let path: String
    public let backend: any SyscallBackend
    /// The backend's file descriptor of the cdev.
    public let fd: Int32
    let syscalls: Syscalls

    /// The context the device is bound to, and its device id there.
    public private(set) var context: IOMMUFD?
    public private(set) var deviceID: UInt32?

    /// What the device (RID) is attached to, and the HWPT id the kernel reported.
    public private(set) var attachment: (target: any PageTableTarget, hwptID: UInt32)?
    /// PASID attachments by PASID.
    public private(set) var pasidAttachments: [UInt32: (target: any PageTableTarget, hwptID: UInt32)] = [:]

    /// Opens a VFIO cdev read-write (the kernel requires O_RDWR).
    public init(path: String, backend: any SyscallBackend = KernelBackend.shared) throws(IOMMUFDError) {
        self.path = path
        self.backend = backend
        self.syscalls = Syscalls(backend: backend)
        self.fd = try syscalls.open(path, flags: O_RDWR)
    }

    /// Opens the cdev of the PCI device at `pciAddress` (e.g. `0000:00:03.0`), found through
    /// `<sysfs>/bus/pci/devices/<BDF>/vfio-dev/vfioN`.
    public convenience init(pciAddress: String, sysfsRoot: String = "/sys", devRoot: String = "/dev",
                            backend: any SyscallBackend = KernelBackend.shared) throws(IOMMUFDError) {
        let path = try VFIODevice.cdevPath(pciAddress: pciAddress, sysfsRoot: sysfsRoot, devRoot: devRoot)
        try self.init(path: path, backend: backend)
    }

    /// The cdev path of a PCI device bound to a VFIO driver, as QEMU and the kernel's VFIO
    /// selftests find it. Throws ENODEV with a hint when the device has no VFIO cdev.
    public static func cdevPath(pciAddress: String, sysfsRoot: String = "/sys", devRoot: String = "/dev") throws(IOMMUFDError) -> String {
        let deviceDir = "\(sysfsRoot)/bus/pci/devices/\(pciAddress)"
        guard FileSystem.exists(deviceDir) else {
            throw IOMMUFDError(operation: "find VFIO cdev", errno: .ENOENT, context: pciAddress,
                               hint: "no PCI device \(pciAddress) in \(sysfsRoot)/bus/pci/devices (addresses look like 0000:00:03.0)")
        }
        guard let name = FileSystem.list("\(deviceDir)/vfio-dev")?.first(where: { $0.hasPrefix("vfio") }) else {
            let driver = FileSystem.readLink("\(deviceDir)/driver").map(FileSystem.baseName) ?? "no driver"
            throw IOMMUFDError(operation: "find VFIO cdev", errno: .ENODEV, context: pciAddress,
                               hint: "the device is bound to \(driver), not vfio-pci, or the kernel lacks CONFIG_VFIO_DEVICE_CDEV; scripts/vfio-bind \(pciAddress) binds it")
        }
        return "\(devRoot)/vfio/devices/\(name)"
    }

    deinit {
        _ = syscalls.close(fd)
        if let context, let deviceID { context.unregister(deviceID) }
    }

    /// Issues `request` on the cdev with a caller-built argument struct (for negative tests).
    @discardableResult
    public func ioctl<Argument>(_ request: IoctlRequest, _ argument: inout Argument, buffers: [IoctlBuffer] = [],
                                context: @autoclosure () -> String = "") throws(IOMMUFDError) -> Int {
        try syscalls.ioctl(fd, request, &argument, buffers: buffers, context: "\(path), " + context())
    }

    // MARK: Bind

    /// Binds the device to an iommufd context (`VFIO_DEVICE_BIND_IOMMUFD`). After this the device
    /// blocks DMA until it is attached. `token` is the 16-byte VF token UUID, when the PF asks
    /// for one.
    public func bind(to context: IOMMUFD, token: [UInt8]? = nil) throws(IOMMUFDError) {
        precondition(context.backend === backend, "a device and its iommufd must share a backend")
        var arg = vfio_device_bind_iommufd()
        arg.argsz = UInt32(MemoryLayout<vfio_device_bind_iommufd>.size)
        arg.iommufd = context.fd
        var tokenBytes = token ?? []
        try tokenBytes.withMutableBytes { (bytes) throws(IOMMUFDError) in
            var buffers: [IoctlBuffer] = []
            if token != nil {
                arg.flags = UInt32(VFIO_DEVICE_BIND_FLAG_TOKEN)
                arg.token_uuid_ptr = UInt64(UInt(bitPattern: bytes.baseAddress))
                buffers.append(IoctlBuffer(fieldOffset: MemoryLayout<vfio_device_bind_iommufd>.offset(of: \.token_uuid_ptr)!,
                                           pointer: bytes.baseAddress, length: bytes.count, direction: .input))
            }
            try ioctl(.VFIO_DEVICE_BIND_IOMMUFD, &arg, buffers: buffers, context: "iommufd \(context.fd)")
        }
        self.context = context
        self.deviceID = arg.out_devid
        context.register(arg.out_devid, .device)
    }

    /// The bound device id, or a precondition failure with a message saying to bind first.
    public var boundID: UInt32 {
        guard let deviceID else { preconditionFailure("\(path) is not bound: call bind(to:) first") }
        return deviceID
    }

    public var boundContext: IOMMUFD {
        guard let context else { preconditionFailure("\(path) is not bound: call bind(to:) first") }
        return context
    }

    // MARK: Attach and detach

    /// Attaches the device (its RID) to an IOAS or HWPT (`VFIO_DEVICE_ATTACH_IOMMUFD_PT`); when
    /// already attached, the kernel replaces the page table atomically. Returns the HWPT id the
    /// kernel attached (for an IOAS, the automatic domain it chose).
    @discardableResult
    public func attach(to target: any PageTableTarget) throws(IOMMUFDError) -> UInt32 {
        var arg = vfio_device_attach_iommufd_pt()
        arg.argsz = UInt32(MemoryLayout<vfio_device_attach_iommufd_pt>.size)
        arg.pt_id = target.pageTableID
        try ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &arg, context: "pt_id \(target.pageTableID)")
        attachment = (target, arg.pt_id)
        return arg.pt_id
    }

    /// Attaches one PASID of the device to a HWPT allocated with the PASID flag.
    @discardableResult
    public func attach(pasid: UInt32, to target: any PageTableTarget) throws(IOMMUFDError) -> UInt32 {
        var arg = vfio_device_attach_iommufd_pt()
        arg.argsz = UInt32(MemoryLayout<vfio_device_attach_iommufd_pt>.size)
        arg.flags = UInt32(VFIO_DEVICE_ATTACH_PASID)
        arg.pt_id = target.pageTableID
        arg.pasid = pasid
        try ioctl(.VFIO_DEVICE_ATTACH_IOMMUFD_PT, &arg, context: "pasid \(pasid), pt_id \(target.pageTableID)")
        pasidAttachments[pasid] = (target, arg.pt_id)
        return arg.pt_id
    }

    /// Detaches the RID (`VFIO_DEVICE_DETACH_IOMMUFD_PT`): the device then blocks all DMA.
    public func detach() throws(IOMMUFDError) {
        var arg = vfio_device_detach_iommufd_pt()
        arg.argsz = UInt32(MemoryLayout<vfio_device_detach_iommufd_pt>.size)
        try ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &arg, context: "rid")
        attachment = nil
    }

    /// Detaches one PASID.
    public func detach(pasid: UInt32) throws(IOMMUFDError) {
        var arg = vfio_device_detach_iommufd_pt()
        arg.argsz = UInt32(MemoryLayout<vfio_device_detach_iommufd_pt>.size)
        arg.flags = UInt32(VFIO_DEVICE_DETACH_PASID)
        arg.pasid = pasid
        try ioctl(.VFIO_DEVICE_DETACH_IOMMUFD_PT, &arg, context: "pasid \(pasid)")
        pasidAttachments[pasid] = nil
    }

    // MARK: Device info and regions

    /// `VFIO_DEVICE_GET_INFO`: the device's bus type, reset support, region and IRQ counts.
    public func info() throws(IOMMUFDError) -> VFIODeviceInfo {
        var arg = vfio_device_info()
        arg.argsz = UInt32(MemoryLayout<vfio_device_info>.size)
        try ioctl(.VFIO_DEVICE_GET_INFO, &arg, context: "")
        return VFIODeviceInfo(flags: arg.flags, regionCount: arg.num_regions, irqCount: arg.num_irqs)
    }

    /// `VFIO_DEVICE_GET_REGION_INFO` of region `index` (0-5 are the PCI BARs, 7 config space).
    public func regionInfo(_ index: UInt32) throws(IOMMUFDError) -> VFIORegionInfo {
        var arg = vfio_region_info()
        arg.argsz = UInt32(MemoryLayout<vfio_region_info>.size)
        arg.index = index
        try ioctl(.VFIO_DEVICE_GET_REGION_INFO, &arg, context: "region \(index)")
        return VFIORegionInfo(index: index, flags: arg.flags, size: arg.size, offset: arg.offset)
    }

    /// Reads `count` bytes at `offset` inside region `index` (pread on the cdev at the region's
    /// offset); for regions that cannot be mapped, such as PCI config space (index 7).
    public func readRegion(_ index: UInt32, offset: UInt64, count: Int) throws(IOMMUFDError) -> [UInt8] {
        let region = try regionInfo(index)
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withMutableBytes { (raw) throws(IOMMUFDError) -> Int in
            switch backend.pread(fd, into: raw, offset: Int64(region.offset + offset)) {
            case .success(let n): return n
            case .failure(let errno):
                throw IOMMUFDError(operation: "pread", errno: errno, context: "\(path), region \(index), offset \(hex(offset)), \(count) bytes")
            }
        }
        return Array(bytes.prefix(got))
    }

    /// Writes `bytes` at `offset` inside region `index` (pwrite on the cdev).
    public func writeRegion(_ index: UInt32, offset: UInt64, bytes: [UInt8]) throws(IOMMUFDError) {
        let region = try regionInfo(index)
        _ = try bytes.withBytes { (raw) throws(IOMMUFDError) -> Int in
            switch backend.pwrite(fd, from: raw, offset: Int64(region.offset + offset)) {
            case .success(let n): return n
            case .failure(let errno):
                throw IOMMUFDError(operation: "pwrite", errno: errno, context: "\(path), region \(index), offset \(hex(offset)), \(bytes.count) bytes")
            }
        }
    }

    /// Sets Bus Master Enable in the PCI command register, without which a PCI device's DMA
    /// never reaches the IOMMU. vfio-pci leaves it to the user, as QEMU does for a guest.
    public func enablePCIBusMaster() throws(IOMMUFDError) {
        let configRegion: UInt32 = 7
        let command = try readRegion(configRegion, offset: 4, count: 2)
        guard command.count == 2 else {
            throw IOMMUFDError(operation: "pread", errno: .EIO, context: "\(path), PCI command register", hint: "short read of config space")
        }
        try writeRegion(configRegion, offset: 4, bytes: [command[0] | 0x04, command[1]])
    }

    /// Maps a region (a BAR) of the device into this process.
    public func mapRegion(_ index: UInt32) throws(IOMMUFDError) -> MappedRegion {
        let region = try regionInfo(index)
        switch backend.mmap(fd, length: Int(region.size), offset: Int(region.offset), writable: true) {
        case .success(let address):
            return MappedRegion(backend: backend, address: address, length: Int(region.size), region: region)
        case .failure(let errno):
            throw IOMMUFDError(operation: "mmap", errno: errno, context: "\(path), region \(index), size \(hex(region.size))")
        }
    }
}

/// What `VFIO_DEVICE_GET_INFO` reports.
public struct VFIODeviceInfo: Hashable, Sendable {
    public var flags: UInt32
    public var regionCount: UInt32
    public var irqCount: UInt32
    public var isPCI: Bool { flags & 2 != 0 }
    public var supportsReset: Bool { flags & 1 != 0 }
}

/// One VFIO region: where it sits in the device fd's offset space and how big it is.
public struct VFIORegionInfo: Hashable, Sendable {
    public var index: UInt32
    public var flags: UInt32
    public var size: UInt64
    public var offset: UInt64
    public var isReadable: Bool { flags & 1 != 0 }
    public var isWritable: Bool { flags & 2 != 0 }
    public var isMappable: Bool { flags & 4 != 0 }
}

/// A device region mapped into this process; unmapped when released.
public final class MappedRegion {
    let backend: any SyscallBackend
    public let address: UnsafeMutableRawPointer
    public let length: Int
    public let region: VFIORegionInfo

    init(backend: any SyscallBackend, address: UnsafeMutableRawPointer, length: Int, region: VFIORegionInfo) {
        self.backend = backend
        self.address = address
        self.length = length
        self.region = region
    }

    deinit { _ = backend.munmap(address, length: length) }

    /// A 32-bit MMIO read at byte `offset`.
    public func read32(_ offset: Int) -> UInt32 {
        precondition(offset + 4 <= length, "MMIO read past the region")
        return ciommufd_mmio_read32(address + offset)
    }

    public func write32(_ offset: Int, _ value: UInt32) {
        precondition(offset + 4 <= length, "MMIO write past the region")
        ciommufd_mmio_write32(address + offset, value)
    }

    public func read64(_ offset: Int) -> UInt64 {
        precondition(offset + 8 <= length, "MMIO read past the region")
        return ciommufd_mmio_read64(address + offset)
    }

    public func write64(_ offset: Int, _ value: UInt64) {
        precondition(offset + 8 <= length, "MMIO write past the region")
        ciommufd_mmio_write64(address + offset, value)
    }
}
