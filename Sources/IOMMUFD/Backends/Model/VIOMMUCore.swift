// viommu.c: vIOMMU, vDEVICE and HW queue objects and their ioctls; the vIOMMU's event report
// (driver.c `iommufd_viommu_report_event`) lives with the event queues in EventQueue.swift.

/// `struct iommufd_viommu`.
final class VIOMMUObject: ModelObject {
    let hwpt: HWPTPagingObject
    let viommuType: UInt32
    let iommuInstance: Int
    /// The driver's ops (set by `viommu_init`).
    var ops: VIOMMUDriverOps?
    /// `vdevs`: virt_id -> vDEVICE (nil: a reserved slot).
    var vdevs: [UInt64: VDeviceObject] = [:]
    /// `veventqs`, in creation order.
    var veventqs: [VEventQObject] = []
    /// Driver data (the mock's two pages and mmap offset, HW queues by index).
    var mockPages: UnsafeMutableRawPointer?
    var mmapOffset: UInt64 = 0
    var hwQueues: [HWQueueObject?] = []

    init(ctx: ModelContext, hwpt: HWPTPagingObject, type: UInt32, iommuInstance: Int) {
        self.hwpt = hwpt
        self.viommuType = type
        self.iommuInstance = iommuInstance
        super.init(ctx: ctx, type: .viommu)
    }

    /// `iommufd_viommu_destroy`.
    override func destroy() {
        ops?.destroy(self, ctx: ctx)
        hwpt.users -= 1
        vdevs.removeAll()
    }

    /// `iommufd_viommu_find_dev`.
    func findDevice(virtID: UInt64) -> PhysicalDevice? { vdevs[virtID]?.idev.dev }

    /// `iommufd_viommu_get_vdev_id`: ENOENT when the device has no vDEVICE here.
    func vdevID(of dev: PhysicalDevice) -> UInt64? {
        vdevs.first { $0.value.idev.dev === dev }?.key
    }
}

/// `struct iommufd_vdevice`.
final class VDeviceObject: ModelObject {
    let viommu: VIOMMUObject
    let idev: DeviceObject
    let virtID: UInt64

    init(ctx: ModelContext, viommu: VIOMMUObject, idev: DeviceObject, virtID: UInt64) {
        self.viommu = viommu
        self.idev = idev
        self.virtID = virtID
        super.init(ctx: ctx, type: .vdevice)
    }

    /// `iommufd_vdevice_abort`.
    override func abort() {
        if viommu.vdevs[virtID] === self { viommu.vdevs[virtID] = nil }
        viommu.users -= 1
        idev.vdev = nil
    }

    /// `iommufd_vdevice_destroy`: abort, then put the device reference.
    override func destroy() {
        abort()
        idev.users -= 1
    }
}

/// `struct iommufd_hw_queue`.
final class HWQueueObject: ModelObject {
    var viommu: VIOMMUObject?
    var access: AccessObject?
    var queueType: UInt32 = 0
    var length: UInt64 = 0
    var baseAddr: UInt64 = 0
    var index: UInt32 = 0
    /// Set by the driver's init: its destroy op runs on destroy.
    var driverInitialized = false
    /// The queue this one depends on (`iommufd_hw_queue_depend`).
    var prev: HWQueueObject?

    init(ctx: ModelContext) { super.init(ctx: ctx, type: .hwQueue) }

    /// `iommufd_hw_queue_destroy`.
    override func destroy() {
        if driverInitialized, let viommu { viommu.ops?.hwQueueDestroy(self, ctx: ctx) }
        if let access {
            ctx.accessChangeIOAS(access, nil)
            ctx.remove(access, id: access.id, wait: true)
            self.access = nil
        }
        viommu?.users -= 1
    }
}

extension ModelContext {
    /// `iommufd_viommu_alloc_ioctl`: flags 0 and a type (EOPNOTSUPP), the device (ENOENT), a
    /// driver that knows the type (EOPNOTSUPP), a nest-parent HWPT (ENOENT / EINVAL).
    func viommuAllocIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let type = k.u32(L.VIOMMUAlloc.type)
        if k.u32(L.VIOMMUAlloc.flags) != 0 || type == 0 { return .EOPNOTSUPP }
        guard let idev = getDevice(k.u32(L.VIOMMUAlloc.devID)) else { return .ENOENT }
        let driver = env.driver!
        guard let size = driver.viommuSize(idev.dev, type: type), size > 0 else { return .EOPNOTSUPP }
        guard let o = get(k.u32(L.VIOMMUAlloc.hwptID), .hwptPaging) else { return .ENOENT }
        let hwpt = unsafeDowncast(o, to: HWPTPagingObject.self)
        if !hwpt.nestParent { return .EINVAL }
        let viommu: VIOMMUObject
        switch objectAllocUcmd(&ucmd, { VIOMMUObject(ctx: self, hwpt: hwpt, type: type, iommuInstance: driver.iommuInstance(idev.dev)) }) {
        case .success(let v): viommu = v
        case .failure(let e): return e
        }
        hwpt.users += 1
        let dataLen = k.u32(L.VIOMMUAlloc.dataLen)
        let userData = UserData(type: type, uptr: k.u64(L.VIOMMUAlloc.dataUptr), len: dataLen, memory: ucmd.memory)
        if let e = driver.viommuInit(viommu, parent: hwpt.domain!, userData: dataLen != 0 ? userData : nil, ctx: self) {
            return e
        }
        if viommu.ops == nil { return .EOPNOTSUPP }
        k.set(L.VIOMMUAlloc.outVIOMMUID, u32: viommu.id)
        return ucmd.respond(L.VIOMMUAlloc.size)
    }

    /// `iommufd_vdevice_alloc_ioctl`: virt_id must fit an unsigned long; the vIOMMU and device
    /// must exist (ENOENT) behind the same IOMMU (EINVAL); one vDEVICE per device and per
    /// virt_id (EEXIST). The vDEVICE keeps a reference on the device.
    func vdeviceAllocIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let virtID = k.u64(L.VDeviceAlloc.virtID)
        guard let vo = get(k.u32(L.VDeviceAlloc.viommuID), .viommu) else { return .ENOENT }
        let viommu = unsafeDowncast(vo, to: VIOMMUObject.self)
        guard let idev = getDevice(k.u32(L.VDeviceAlloc.devID)) else { return .ENOENT }
        if viommu.iommuInstance != env.driver.iommuInstance(idev.dev) { return .EINVAL }
        if idev.destroying { return .ENOENT }
        if idev.vdev != nil { return .EEXIST }
        let vdev: VDeviceObject
        switch objectAlloc({ VDeviceObject(ctx: self, viommu: viommu, idev: idev, virtID: virtID) }) {
        case .success(let v): vdev = v
        case .failure(let e): return e
        }
        viommu.users += 1
        idev.vdev = vdev
        if viommu.vdevs[virtID] != nil {
            abortAndDestroy(vdev)
            return .EEXIST
        }
        if env.shouldFail() {  // xa_insert
            abortAndDestroy(vdev)
            return .ENOMEM
        }
        viommu.vdevs[virtID] = vdev
        k.set(L.VDeviceAlloc.outVDeviceID, u32: vdev.id)
        if let e = ucmd.respond(L.VDeviceAlloc.size) {
            abortAndDestroy(vdev)
            return e
        }
        idev.users += 1  // the vDEVICE keeps its reference on the device
        finalize(vdev)
        return nil
    }

    /// `iommufd_hw_queue_alloc_ioctl`: flags 0 and a type (EOPNOTSUPP), a length (EINVAL) whose
    /// end does not overflow (EOVERFLOW); the queue memory is pinned from the parent's IOAS by an
    /// internal access (ENOENT if unmapped, EFAULT if not physically contiguous).
    func hwQueueAllocIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let type = k.u32(L.HWQueueAlloc.type)
        let length = k.u64(L.HWQueueAlloc.length), base = k.u64(L.HWQueueAlloc.iova)
        if k.u32(L.HWQueueAlloc.flags) != 0 || type == 0 { return .EOPNOTSUPP }
        if length == 0 { return .EINVAL }
        if base.addingReportingOverflow(length - 1).overflow { return .EOVERFLOW }
        guard let vo = get(k.u32(L.HWQueueAlloc.viommuID), .viommu) else { return .ENOENT }
        let viommu = unsafeDowncast(vo, to: VIOMMUObject.self)
        guard let ops = viommu.ops, let size = ops.hwQueueSize(viommu, type: type) else { return .EOPNOTSUPP }
        if size == 0 { return .EOPNOTSUPP }
        let queue: HWQueueObject
        switch objectAllocUcmd(&ucmd, { HWQueueObject(ctx: self) }) {
        case .success(let q): queue = q
        case .failure(let e): return e
        }
        // iommufd_hw_queue_alloc_phys
        let page = env.pageSize
        let aligned = base & ~(page - 1)
        let offset = base - aligned
        let (l1, o1) = offset.addingReportingOverflow(length)
        if o1 { return .ERANGE }
        let (l2, o2) = l1.addingReportingOverflow(page - 1)
        if o2 { return .ERANGE }
        let pinLength = (l2 / page) * page
        if env.shouldFail() { return .ENOMEM }  // the page array
        let access: AccessObject
        switch accessCreateInternal() {
        case .success(let a): access = a
        case .failure(let e): return e
        }
        if let e = accessChangeIOAS(access, viommu.hwpt.ioas) {
            remove(access, id: access.id, wait: true)
            return e
        }
        if let e = accessPin(access, iova: aligned, length: pinLength, write: false) {
            accessChangeIOAS(access, nil)
            remove(access, id: access.id, wait: true)
            return e
        }
        if !physicallyContiguous(ioas: viommu.hwpt.ioas, iova: aligned, length: pinLength) {
            accessChangeIOAS(access, nil)
            remove(access, id: access.id, wait: true)
            return .EFAULT
        }
        queue.viommu = viommu
        viommu.users += 1
        queue.access = access
        queue.queueType = type
        queue.length = length
        queue.baseAddr = base
        if let e = ops.hwQueueInit(queue, index: k.u32(L.HWQueueAlloc.index), basePA: base, ctx: self) { return e }
        k.set(L.HWQueueAlloc.outID, u32: queue.id)
        return ucmd.respond(L.HWQueueAlloc.size)
    }

    /// Whether the pages under [iova, iova + length) are physically contiguous, as far as this
    /// process can tell (/proc/self/pagemap when readable; otherwise assumed).
    private func physicallyContiguous(ioas: IOASObject, iova: UInt64, length: UInt64) -> Bool {
        let page = env.pageSize
        if length <= page { return true }
        var previous: UInt64?
        var cursor = iova
        while cursor < iova + length {
            guard let a = ioas.iopt.areas.firstIntersecting(cursor, cursor) else { return false }
            guard AreaMeta.kind(a.meta) == .user else { return true }
            let va = a.addr &+ (cursor - a.start)
            guard let pfn = HostMemory.pfn(va) else { return true }
            if let previous, pfn != previous + 1 { return false }
            previous = pfn
            cursor += page
        }
        return true
    }
}
