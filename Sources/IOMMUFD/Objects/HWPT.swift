import CIOMMUFD

/// Flags of `IOMMU_HWPT_ALLOC` (`enum iommufd_hwpt_alloc_flags`).
public struct HWPTAllocFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// A stage-2 page table that nested (stage-1) HWPTs and vIOMMUs can be built on.
    public static let nestParent = HWPTAllocFlags(rawValue: IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue)
    /// The domain tracks dirty pages; needs the IOMMU's dirty capability.
    public static let dirtyTracking = HWPTAllocFlags(rawValue: IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue)
    /// `fault_id` names a fault queue that receives this HWPT's I/O page faults (set for you
    /// when a fault queue is passed).
    public static let faultIDValid = HWPTAllocFlags(rawValue: IOMMU_HWPT_FAULT_ID_VALID.rawValue)
    /// The HWPT may also be attached to PASIDs.
    public static let pasid = HWPTAllocFlags(rawValue: IOMMU_HWPT_ALLOC_PASID.rawValue)
}

/// Driver-specific data of a HWPT allocation: a type (`enum iommu_hwpt_data_type`) and the
/// bytes of its struct, as a payload builder produces them.
public struct HWPTData: Hashable, Sendable {
    public var type: UInt32
    public var bytes: [UInt8]
    public init(type: UInt32, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }
    public static let typeVTDStage1: UInt32 = IOMMU_HWPT_DATA_VTD_S1.rawValue
    public static let typeARMSMMUv3: UInt32 = IOMMU_HWPT_DATA_ARM_SMMUV3.rawValue
    public static let typeAMDGuest: UInt32 = IOMMU_HWPT_DATA_AMD_GUEST.rawValue
    /// The selftest mock's hwpt data type.
    public static let typeSelftest: UInt32 = 0xdead
}

/// A hardware page table: a domain the IOMMU walks for the devices attached to it.
public class HWPT: IOMMUFDObject, PageTableTarget {
    public var pageTableID: UInt32 { id }
    public let flags: HWPTAllocFlags
    /// The fault queue receiving this HWPT's I/O page faults, if any.
    public let faultQueue: FaultQueue?

    init(context: IOMMUFD, id: UInt32, kind: ObjectKind, flags: HWPTAllocFlags, faultQueue: FaultQueue?) {
        self.flags = flags
        self.faultQueue = faultQueue
        super.init(context: context, id: id, kind: kind)
    }
}

/// A paging HWPT: the IOMMU walks it directly (or as stage 2 beneath nested HWPTs when it was
/// allocated as a nest parent). It mirrors its IOAS.
public final class HWPTPaging: HWPT {
    public let ioas: IOAS

    init(context: IOMMUFD, id: UInt32, ioas: IOAS, flags: HWPTAllocFlags, faultQueue: FaultQueue?) {
        self.ioas = ioas
        super.init(context: context, id: id, kind: .hwptPaging, flags: flags, faultQueue: faultQueue)
    }

    /// Starts or stops dirty tracking (`IOMMU_HWPT_SET_DIRTY_TRACKING`).
    public func setDirtyTracking(_ enabled: Bool) throws(IOMMUFDError) {
        var arg = iommu_hwpt_set_dirty_tracking()
        arg.size = UInt32(MemoryLayout<iommu_hwpt_set_dirty_tracking>.size)
        arg.flags = enabled ? IOMMU_HWPT_DIRTY_TRACKING_ENABLE.rawValue : 0
        arg.hwpt_id = id
        try context.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &arg, context: "hwpt \(id), \(enabled ? "enable" : "disable")")
    }

    /// Reads (and by default clears) the dirty bits of `[iova, iova + length)` at `pageSize`
    /// granularity (`IOMMU_HWPT_GET_DIRTY_BITMAP`).
    public func dirtyBitmap(iova: UInt64, length: UInt64, pageSize: UInt64, clear: Bool = true) throws(IOMMUFDError) -> DirtyBitmap {
        precondition(pageSize > 0, "page size must be non-zero")
        let pages = (length + pageSize - 1) / pageSize
        var words = [UInt64](repeating: 0, count: Int((pages + 63) / 64))
        var arg = iommu_hwpt_get_dirty_bitmap()
        arg.size = UInt32(MemoryLayout<iommu_hwpt_get_dirty_bitmap>.size)
        arg.hwpt_id = id
        arg.flags = clear ? 0 : IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR.rawValue
        arg.iova = iova
        arg.length = length
        arg.page_size = pageSize
        try words.withMutableBytes { (bytes) throws(IOMMUFDError) in
            arg.data = UInt64(UInt(bitPattern: bytes.baseAddress))
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_get_dirty_bitmap>.offset(of: \.data)!,
                                     pointer: bytes.baseAddress, length: bytes.count, direction: .output)
            try context.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &arg, buffers: [buffer],
                              context: "hwpt \(id), iova \(hex(iova)), length \(hex(length)), page_size \(hex(pageSize))")
        }
        return DirtyBitmap(iova: iova, pageSize: pageSize, pageCount: pages, words: words)
    }
}

/// A dirty bitmap: bit n covers the page at `iova + n * pageSize`.
public struct DirtyBitmap: Hashable, Sendable {
    public var iova: UInt64
    public var pageSize: UInt64
    public var pageCount: UInt64
    public var words: [UInt64]

    public func isDirty(_ address: UInt64) -> Bool {
        guard address >= iova else { return false }
        let page = (address - iova) / pageSize
        guard page < pageCount else { return false }
        return words[Int(page / 64)] >> (page % 64) & 1 == 1
    }

    /// The IOVAs of the dirty pages, in order.
    public var dirtyPages: [UInt64] {
        var pages: [UInt64] = []
        for page in 0..<pageCount where (words[Int(page / 64)] >> (page % 64)) & 1 == 1 {
            pages.append(iova + page * pageSize)
        }
        return pages
    }
}

/// A nested HWPT: a stage-1 table owned by a guest, walked by the IOMMU on top of a nest parent
/// (VT-d) or through a vIOMMU (SMMUv3). Its parent stays alive as long as it does.
public final class HWPTNested: HWPT {
    /// The nest-parent HWPT or the vIOMMU it was allocated on.
    public let parent: IOMMUFDObject

    init(context: IOMMUFD, id: UInt32, parent: IOMMUFDObject, flags: HWPTAllocFlags, faultQueue: FaultQueue?) {
        self.parent = parent
        super.init(context: context, id: id, kind: .hwptNested, flags: flags, faultQueue: faultQueue)
    }

    /// Sends stage-1 cache invalidations (`IOMMU_HWPT_INVALIDATE` with this HWPT's id); returns
    /// how many entries the kernel handled.
    @discardableResult
    public func invalidate(_ request: InvalidationRequest) throws(IOMMUFDError) -> Int {
        try context.invalidate(objectID: id, request)
    }
}

/// An array of invalidation entries of one type (`iommu_hwpt_invalidate_data_type`).
public struct InvalidationRequest: Hashable, Sendable {
    public var dataType: UInt32
    public var entryLength: UInt32
    public var entries: [[UInt8]]
    public init(dataType: UInt32, entryLength: UInt32, entries: [[UInt8]]) {
        self.dataType = dataType
        self.entryLength = entryLength
        self.entries = entries
    }
    public static let typeVTDStage1: UInt32 = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1.rawValue
    public static let typeARMSMMUv3: UInt32 = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3.rawValue
}

extension IOMMUFD {
    /// `IOMMU_HWPT_ALLOC` of a paging HWPT on `ioas` for `device`. With `.nestParent` it becomes
    /// a stage-2 table that nested HWPTs and vIOMMUs build on.
    public func allocHWPT(device: any IOMMUDevice, ioas: IOAS, flags: HWPTAllocFlags = [],
                          faultQueue: FaultQueue? = nil, data: HWPTData? = nil) throws(IOMMUFDError) -> HWPTPaging {
        let (id, used) = try hwptAlloc(device: device, ptID: ioas.id, flags: flags, faultQueue: faultQueue, data: data)
        return HWPTPaging(context: self, id: id, ioas: ioas, flags: used, faultQueue: faultQueue)
    }

    /// `IOMMU_HWPT_ALLOC` of a nested HWPT on a nest-parent HWPT (VT-d: `data` is a stage-1
    /// config, `VTDStage1Config`).
    public func allocNestedHWPT(device: any IOMMUDevice, parent: HWPTPaging, data: HWPTData,
                                flags: HWPTAllocFlags = [], faultQueue: FaultQueue? = nil) throws(IOMMUFDError) -> HWPTNested {
        let (id, used) = try hwptAlloc(device: device, ptID: parent.id, flags: flags, faultQueue: faultQueue, data: data)
        return HWPTNested(context: self, id: id, parent: parent, flags: used, faultQueue: faultQueue)
    }

    func hwptAlloc(device: any IOMMUDevice, ptID: UInt32, flags: HWPTAllocFlags, faultQueue: FaultQueue?,
                   data: HWPTData?) throws(IOMMUFDError) -> (UInt32, HWPTAllocFlags) {
        var flags = flags
        var arg = iommu_hwpt_alloc()
        arg.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
        arg.dev_id = device.boundID
        arg.pt_id = ptID
        if let faultQueue {
            flags.insert(.faultIDValid)
            arg.fault_id = faultQueue.id
        }
        arg.flags = flags.rawValue
        var bytes = data?.bytes ?? []
        try bytes.withMutableBytes { (raw) throws(IOMMUFDError) in
            var buffers: [IoctlBuffer] = []
            if let data {
                arg.data_type = data.type
                arg.data_len = UInt32(raw.count)
                arg.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                buffers.append(IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_alloc>.offset(of: \.data_uptr)!,
                                           pointer: raw.baseAddress, length: raw.count, direction: .input))
            }
            try ioctl(.IOMMU_HWPT_ALLOC, &arg, buffers: buffers,
                      context: "dev_id \(device.boundID), pt_id \(ptID), flags \(hex(flags.rawValue))"
                        + (data.map { ", data_type \(hex($0.type)), data_len \($0.bytes.count)" } ?? "")
                        + (faultQueue.map { ", fault_id \($0.id)" } ?? ""))
        }
        return (arg.out_hwpt_id, flags)
    }

    /// `IOMMU_HWPT_INVALIDATE` on a nested HWPT or a vIOMMU.
    func invalidate(objectID: UInt32, _ request: InvalidationRequest) throws(IOMMUFDError) -> Int {
        var flat: [UInt8] = []
        flat.reserveCapacity(request.entries.count * Int(request.entryLength))
        for entry in request.entries {
            precondition(entry.count == Int(request.entryLength), "every entry must be entryLength bytes")
            flat.append(contentsOf: entry)
        }
        var arg = iommu_hwpt_invalidate()
        arg.size = UInt32(MemoryLayout<iommu_hwpt_invalidate>.size)
        arg.hwpt_id = objectID
        arg.data_type = request.dataType
        arg.entry_len = request.entryLength
        arg.entry_num = UInt32(request.entries.count)
        do {
            try flat.withMutableBytes { (raw) throws(IOMMUFDError) in
                arg.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_invalidate>.offset(of: \.data_uptr)!,
                                         pointer: raw.baseAddress, length: raw.count, direction: .input)
                try ioctl(.IOMMU_HWPT_INVALIDATE, &arg, buffers: [buffer],
                          context: "id \(objectID), data_type \(hex(request.dataType)), entry_len \(request.entryLength), entry_num \(request.entries.count)")
            }
        } catch {
            var failure = error
            failure.entriesHandled = Int(arg.entry_num)
            failure.context += " (entries handled: \(arg.entry_num))"
            throw failure
        }
        return Int(arg.entry_num)
    }
}
