import CIOMMUFD

/// vIOMMU types (`enum iommu_viommu_type`, plus the selftest mock's).
public enum VIOMMUType: UInt32, Hashable, Sendable {
    case armSMMUv3 = 1
    case tegra241CMDQV = 2
    case selftest = 0xdead_beef
}

/// A virtual IOMMU instance (`IOMMU_VIOMMU_ALLOC`): the slice of a physical IOMMU that one VM
/// owns, built on a nest-parent HWPT (its stage 2). Nested HWPTs, vDEVICEs, event queues and HW
/// queues hang off it; on SMMUv3 it is the only way to a nested HWPT.
public final class VIOMMU: IOMMUFDObject {
    public let type: UInt32
    public let parent: HWPTPaging
    /// The bytes the driver wrote back into the type-specific data (e.g. Tegra241's mmap window).
    public let outputData: [UInt8]

    init(context: IOMMUFD, id: UInt32, type: UInt32, parent: HWPTPaging, outputData: [UInt8]) {
        self.type = type
        self.parent = parent
        self.outputData = outputData
        super.init(context: context, id: id, kind: .viommu)
    }

    /// Allocates a nested HWPT through this vIOMMU (SMMUv3: `data` is a vSTE).
    public func allocNestedHWPT(device: any IOMMUDevice, data: HWPTData, flags: HWPTAllocFlags = [],
                                faultQueue: FaultQueue? = nil) throws(IOMMUFDError) -> HWPTNested {
        let (id, used) = try context.hwptAlloc(device: device, ptID: self.id, flags: flags, faultQueue: faultQueue, data: data)
        return HWPTNested(context: context, id: id, parent: self, flags: used, faultQueue: faultQueue)
    }

    /// Presents `device` to the guest under `virtualID` (SMMUv3: the vSID; `IOMMU_VDEVICE_ALLOC`).
    public func allocVDevice(device: any IOMMUDevice, virtualID: UInt64) throws(IOMMUFDError) -> VDevice {
        var arg = iommu_vdevice_alloc()
        arg.size = UInt32(MemoryLayout<iommu_vdevice_alloc>.size)
        arg.viommu_id = id
        arg.dev_id = device.boundID
        arg.virt_id = virtualID
        try context.ioctl(.IOMMU_VDEVICE_ALLOC, &arg, context: "viommu \(id), dev_id \(device.boundID), virt_id \(hex(virtualID))")
        return VDevice(context: context, id: arg.out_vdevice_id, viommu: self, device: device, virtualID: virtualID)
    }

    /// Creates the queue that reports this vIOMMU's events for the guest (`IOMMU_VEVENTQ_ALLOC`).
    public func allocEventQueue(type: UInt32, depth: UInt32) throws(IOMMUFDError) -> EventQueue {
        var arg = iommu_veventq_alloc()
        arg.size = UInt32(MemoryLayout<iommu_veventq_alloc>.size)
        arg.viommu_id = id
        arg.type = type
        arg.veventq_depth = depth
        try context.ioctl(.IOMMU_VEVENTQ_ALLOC, &arg, context: "viommu \(id), type \(hex(type)), depth \(depth)")
        return EventQueue(context: context, id: arg.out_veventq_id, fd: Int32(bitPattern: arg.out_veventq_fd), viommu: self, type: type, depth: depth)
    }

    /// Gives the guest a hardware-accelerated queue backed by guest memory at `iova` in the
    /// parent's IOAS (`IOMMU_HW_QUEUE_ALLOC`; Tegra241 VCMDQs).
    public func allocHWQueue(type: UInt32, index: UInt32, iova: UInt64, length: UInt64) throws(IOMMUFDError) -> HWQueue {
        var arg = iommu_hw_queue_alloc()
        arg.size = UInt32(MemoryLayout<iommu_hw_queue_alloc>.size)
        arg.viommu_id = id
        arg.type = type
        arg.index = index
        arg.nesting_parent_iova = iova
        arg.length = length
        try context.ioctl(.IOMMU_HW_QUEUE_ALLOC, &arg, context: "viommu \(id), type \(hex(type)), index \(index), iova \(hex(iova)), length \(hex(length))")
        return HWQueue(context: context, id: arg.out_hw_queue_id, viommu: self, index: index)
    }

    /// Sends guest invalidation commands through the vIOMMU (`IOMMU_HWPT_INVALIDATE` with the
    /// vIOMMU's id; SMMUv3 commands carry vSIDs that the kernel translates). Returns the count
    /// handled.
    @discardableResult
    public func invalidate(_ request: InvalidationRequest) throws(IOMMUFDError) -> Int {
        try context.invalidate(objectID: id, request)
    }
}

/// A device as a vIOMMU presents it to the guest, under its virtual id (`IOMMU_VDEVICE_ALLOC`).
public final class VDevice: IOMMUFDObject {
    public let viommu: VIOMMU
    public let device: any IOMMUDevice
    public let virtualID: UInt64

    init(context: IOMMUFD, id: UInt32, viommu: VIOMMU, device: any IOMMUDevice, virtualID: UInt64) {
        self.viommu = viommu
        self.device = device
        self.virtualID = virtualID
        super.init(context: context, id: id, kind: .vdevice)
    }
}

/// A hardware queue a vIOMMU exposes to the guest (`IOMMU_HW_QUEUE_ALLOC`).
public final class HWQueue: IOMMUFDObject {
    public let viommu: VIOMMU
    public let index: UInt32

    init(context: IOMMUFD, id: UInt32, viommu: VIOMMU, index: UInt32) {
        self.viommu = viommu
        self.index = index
        super.init(context: context, id: id, kind: .hwQueue)
    }
}

extension IOMMUFD {
    /// `IOMMU_VIOMMU_ALLOC` of a vIOMMU of `type` for the IOMMU behind `device`, on the nest
    /// parent `parent`. `data` is the type-specific struct (in and out).
    public func allocVIOMMU(device: any IOMMUDevice, parent: HWPTPaging, type: UInt32,
                            data: [UInt8] = []) throws(IOMMUFDError) -> VIOMMU {
        var bytes = data
        var arg = iommu_viommu_alloc()
        arg.size = UInt32(MemoryLayout<iommu_viommu_alloc>.size)
        arg.type = type
        arg.dev_id = device.boundID
        arg.hwpt_id = parent.id
        try bytes.withMutableBytes { (raw) throws(IOMMUFDError) in
            var buffers: [IoctlBuffer] = []
            if !raw.isEmpty {
                arg.data_len = UInt32(raw.count)
                arg.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                buffers.append(IoctlBuffer(fieldOffset: MemoryLayout<iommu_viommu_alloc>.offset(of: \.data_uptr)!,
                                           pointer: raw.baseAddress, length: raw.count, direction: .inOut))
            }
            try ioctl(.IOMMU_VIOMMU_ALLOC, &arg, buffers: buffers,
                      context: "type \(hex(type)), dev_id \(device.boundID), hwpt_id \(parent.id), data_len \(raw.count)")
        }
        return VIOMMU(context: self, id: arg.out_viommu_id, type: type, parent: parent, outputData: bytes)
    }
}
