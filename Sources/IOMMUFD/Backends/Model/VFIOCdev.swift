// drivers/vfio/device_cdev.c, vfio_main.c (the access_granted gate), iommufd.c (physical
// bind/attach) and vfio_pci_core.c (GET_INFO): a model device opened as /dev/vfio/devices/vfioN.

/// VFIO device request numbers.
enum VFIODevNr {
    static let getInfo: UInt = 0x3b6b
    static let getRegionInfo: UInt = 0x3b6c
    static let reset: UInt = 0x3b6f
    static let bind: UInt = 0x3b76
    static let attach: UInt = 0x3b77
    static let detach: UInt = 0x3b78
}

/// `struct vfio_device_file` of a cdev open.
final class VFIODeviceFile {
    unowned let env: ModelEnv
    let device: PhysicalDevice
    /// `df->access_granted`: bound; every other ioctl is EINVAL until then.
    private(set) var accessGranted = false
    /// `df->iommufd`, holding a reference on the context.
    private var ctx: ModelContext?
    /// `vdev->iommufd_device`.
    private var idev: DeviceObject?
    /// `vdev->iommufd_attached`.
    private var attached = false
    /// `vdev->pasids`.
    private var pasids: Set<UInt32> = []

    init(env: ModelEnv, device: PhysicalDevice) {
        self.env = env
        self.device = device
    }

    func ioctl(_ cmd: UInt, memory: UserMemory) -> Result<Int, Errno> {
        if cmd == VFIODevNr.bind { return result(bind(memory)) }
        if !accessGranted { return .failure(.EINVAL) }
        switch cmd {
        case VFIODevNr.attach: return result(attachPT(memory))
        case VFIODevNr.detach: return result(detachPT(memory))
        case VFIODevNr.getInfo: return result(getInfo(memory))
        case VFIODevNr.getRegionInfo: return result(getRegionInfo(memory))
        case VFIODevNr.reset: return device.spec.resetWorks ? .success(0) : .failure(.EINVAL)
        default: return .failure(.ENOTTY)
        }
    }

    private func result(_ e: Errno?) -> Result<Int, Errno> {
        if let e { return .failure(e) }
        return .success(0)
    }

    /// `vfio_df_ioctl_bind_iommufd`: argsz >= 16 (EINVAL), trailing bytes zero (E2BIG), a
    /// non-negative iommufd and known flags (EINVAL), one bind per fd and one open device
    /// (EINVAL), a token only for SR-IOV devices (EINVAL), an iommufd fd (EBADF / EBADFD).
    private func bind(_ memory: UserMemory) -> Errno? {
        let argsz: UInt32
        switch memory.argU32(0) {
        case .success(let v): argsz = v
        case .failure(let e): return e
        }
        if argsz < UInt32(L.BindIOMMUFD.minSize) { return .EINVAL }
        return withUnsafeTemporaryAllocation(byteCount: L.BindIOMMUFD.size, alignment: 8) { raw -> Errno? in
            let k = KBuf(p: raw.baseAddress!, size: L.BindIOMMUFD.size)
            if let e = memory.copyStructFromUser(into: k, usize: Int(argsz)) { return e }
            let flags = k.u32(L.BindIOMMUFD.flags)
            let fd = k.s32(L.BindIOMMUFD.iommufd)
            if fd < 0 || flags & ~1 != 0 { return .EINVAL }
            if accessGranted { return .EINVAL }
            if flags & 1 != 0 {
                // vfio_df_check_token: the UUID is read, but a device that is neither a VF nor a
                // PF with VFs has no token to match.
                var uuid = [UInt8](repeating: 0, count: 16)
                let e = uuid.withUnsafeMutableBytes { memory.read(k.u64(L.BindIOMMUFD.tokenUptr), into: $0.baseAddress!, 16) }
                if let e { return e }
                return .EINVAL
            }
            let ctx: ModelContext
            switch env.contextFromFD(fd) {
            case .success(let c): ctx = c
            case .failure(let e): return e
            }
            ctx.getRef()
            // vfio_df_open: the cdev path opens a device once.
            if device.vfioOpenCount != 0 {
                ctx.putRef()
                return .EINVAL
            }
            device.vfioOpenCount += 1
            let idev: DeviceObject
            switch ctx.deviceBind(device) {
            case .success(let d): idev = d
            case .failure(let e):
                device.vfioOpenCount -= 1
                ctx.putRef()
                return e
            }
            self.ctx = ctx
            self.idev = idev
            k.set(L.BindIOMMUFD.outDevID, u32: idev.id)
            if memory.copyToArg(from: k, offset: L.BindIOMMUFD.outDevID, count: 4) != nil {
                unbind()
                return .EFAULT
            }
            accessGranted = true
            return nil
        }
    }

    /// `vfio_iommufd_physical_unbind` + `vfio_df_close`: PASIDs, then the RID, then the device.
    private func unbind() {
        guard let ctx, let idev else { return }
        for pasid in pasids.sorted() { ctx.deviceDetach(idev, pasid: pasid) }
        pasids.removeAll()
        if attached {
            ctx.deviceDetach(idev, pasid: K.noPASID)
            attached = false
        }
        ctx.deviceUnbind(idev)
        self.idev = nil
        self.ctx = nil
        device.vfioOpenCount -= 1
        ctx.putRef()
    }

    /// The fd is closed (`vfio_df_unbind_iommufd`).
    func release() {
        if accessGranted {
            accessGranted = false
            unbind()
        }
    }

    /// `vfio_df_ioctl_attach_pt`: argsz >= 12 and flags ⊆ {PASID} (EINVAL); the PASID form needs
    /// argsz >= 16. Attaching an attached RID or PASID replaces it. pt_id returns the HWPT used.
    private func attachPT(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { raw -> Errno? in
            let k = KBuf(p: raw.baseAddress!, size: 16)
            if let e = memory.copyFromArg(into: k, count: L.AttachPT.minSize) { return e }
            let argsz = k.u32(0), flags = k.u32(L.AttachPT.flags)
            if argsz < UInt32(L.AttachPT.minSize) { return .EINVAL }
            if flags & ~1 != 0 { return .EINVAL }
            let isPasid = flags & 1 != 0
            if isPasid {
                if argsz < 16 { return .EINVAL }
                guard let p = memory.arg, memory.argCount >= 16 else { return .EFAULT }
                k.set(L.AttachPT.pasid, u32: p.loadUnaligned(fromByteOffset: L.AttachPT.pasid, as: UInt32.self))
            }
            guard let ctx, let idev else { return .EINVAL }
            var ptID = k.u32(L.AttachPT.ptID)
            if isPasid {
                let pasid = k.u32(L.AttachPT.pasid)
                if pasids.contains(pasid) {
                    if let e = ctx.deviceReplace(idev, pasid: pasid, ptID: &ptID) { return e }
                } else {
                    if env.shouldFail() { return .ENOMEM }  // ida_alloc_range
                    if let e = ctx.deviceAttach(idev, pasid: pasid, ptID: &ptID) { return e }
                    pasids.insert(pasid)
                }
            } else if attached {
                if let e = ctx.deviceReplace(idev, pasid: K.noPASID, ptID: &ptID) { return e }
            } else {
                if let e = ctx.deviceAttach(idev, pasid: K.noPASID, ptID: &ptID) { return e }
                attached = true
            }
            k.set(L.AttachPT.ptID, u32: ptID)
            if memory.copyToArg(from: k, offset: L.AttachPT.ptID, count: 4) != nil {
                if attached {
                    ctx.deviceDetach(idev, pasid: K.noPASID)
                    attached = false
                }
                return .EFAULT
            }
            return nil
        }
    }

    /// `vfio_df_ioctl_detach_pt`: argsz >= 8 and flags ⊆ {PASID} (EINVAL); the PASID form needs
    /// argsz >= 12. Detaching what is not attached succeeds.
    private func detachPT(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 12, alignment: 8) { raw -> Errno? in
            let k = KBuf(p: raw.baseAddress!, size: 12)
            if let e = memory.copyFromArg(into: k, count: L.DetachPT.minSize) { return e }
            let argsz = k.u32(0), flags = k.u32(L.DetachPT.flags)
            if argsz < UInt32(L.DetachPT.minSize) { return .EINVAL }
            if flags & ~1 != 0 { return .EINVAL }
            guard let ctx, let idev else { return .EINVAL }
            if flags & 1 != 0 {
                if argsz < 12 { return .EINVAL }
                guard let p = memory.arg, memory.argCount >= 12 else { return .EFAULT }
                let pasid = p.loadUnaligned(fromByteOffset: L.DetachPT.pasid, as: UInt32.self)
                if pasids.remove(pasid) != nil { ctx.deviceDetach(idev, pasid: pasid) }
            } else if attached {
                ctx.deviceDetach(idev, pasid: K.noPASID)
                attached = false
            }
            return nil
        }
    }

    /// `vfio_pci_ioctl_get_info`: a PCI device with 9 regions and 5 IRQ types, RESET when a
    /// reset works; min(argsz, 24) bytes written back.
    private func getInfo(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { raw -> Errno? in
            let k = KBuf(p: raw.baseAddress!, size: 24)
            if let e = memory.copyFromArg(into: k, count: L.DeviceInfo.minSize) { return e }
            let argsz = Int(k.u32(0))
            if argsz < L.DeviceInfo.minSize { return .EINVAL }
            var flags: UInt32 = device.spec.isPCI ? 2 : 0
            if device.spec.resetWorks { flags |= 1 }
            k.set(L.DeviceInfo.flags, u32: flags)
            k.set(L.DeviceInfo.numRegions, u32: 9)
            k.set(L.DeviceInfo.numIRQs, u32: 5)
            return memory.copyToArg(from: k, count: min(argsz, 24))
        }
    }

    /// `vfio_pci_ioctl_get_region_info`, for a device whose BARs the model does not implement:
    /// every BAR is empty, config space (region 7) is 4 KiB read/write.
    private func getRegionInfo(_ memory: UserMemory) -> Errno? {
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { raw -> Errno? in
            let k = KBuf(p: raw.baseAddress!, size: 32)
            if let e = memory.copyFromArg(into: k, count: 32) { return e }
            if k.u32(0) < 32 { return .EINVAL }
            let index = k.u32(8)
            if index >= 9 { return .EINVAL }
            k.set(4, u32: index == 7 ? 3 : 0)
            k.set(16, u64: index == 7 ? 4096 : 0)
            k.set(24, u64: UInt64(index) << 40)
            return memory.copyToArg(from: k, count: 32)
        }
    }
}
