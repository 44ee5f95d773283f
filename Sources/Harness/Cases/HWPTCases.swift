import CIOMMUFD
import IOMMUFD

/// `IOMMU_HWPT_ALLOC` of paging HWPTs (hw_pagetable.c).
let hwptCases: [TestCase] = [
    TestCase("hwpt.alloc_checks", .hwpt, "HWPT_ALLOC: bad dev_id ENOENT, bad pt_id EINVAL, bad flags and data EOPNOTSUPP/EINVAL", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        func alloc(_ change: (inout iommu_hwpt_alloc) -> Void) throws {
            var a = iommu_hwpt_alloc()
            a.size = 48
            a.dev_id = device.boundID
            a.pt_id = ioas.id
            change(&a)
            try t.ctx.ioctl(.IOMMU_HWPT_ALLOC, &a)
            try t.ctx.destroy(id: a.out_hwpt_id)
        }
        try t.fails(.ENOENT, "dev_id = the IOAS id") { try alloc { $0.dev_id = ioas.id } }
        try t.fails(.EINVAL, "pt_id = the device id") { try alloc { $0.pt_id = device.boundID } }
        try t.fails(.EINVAL, "pt_id 0") { try alloc { $0.pt_id = 0 } }
        try t.fails(.EOPNOTSUPP, "NEST_PARENT | FAULT_ID_VALID") {
            try alloc { $0.flags = IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue | IOMMU_HWPT_FAULT_ID_VALID.rawValue }
        }
        try t.fails(.EOPNOTSUPP, "unknown flag 1<<7") { try alloc { $0.flags = 1 << 7 } }
        try t.fails(.EOPNOTSUPP, "__reserved 1") { try alloc { $0.__reserved = 1 } }
        try t.fails(.EINVAL, "data_type NONE with data_len 8") { try alloc { $0.data_len = 8 } }
        try t.fails(.EINVAL, "data_type SELFTEST with data_len 0") { try alloc { $0.data_type = HWPTData.typeSelftest } }
        try t.ok("a plain paging HWPT, then NEST_PARENT, then DIRTY_TRACKING") {
            try alloc { _ in }
            try alloc { $0.flags = IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue }
            try alloc { $0.flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING.rawValue }
        }
    },
    TestCase("hwpt.attach_follows_ioas", .hwpt, "a HWPT made on an IOAS mirrors its maps, and pins the IOAS", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let hwpt = try t.ctx.allocHWPT(device: device, ioas: ioas)
        try t.ok("attach the device to the HWPT") { try device.replace(with: hwpt) }
        let buffer = t.patterned(0x2000)
        try t.ok("MAP 8 KiB at 0x1000000") { try ioas.map(buffer, iova: 0x100_0000) }
        try t.ok("MD_CHECK_MAP through the HWPT") { try t.ctx.testCheckMap(id: hwpt.id, iova: 0x100_0000, length: 0x2000, userAddress: buffer.baseAddress!) }
        try t.fails(.EBUSY, "DESTROY the IOAS under a HWPT") { try t.ctx.destroy(id: ioas.id) }
        try t.ok("back to the IOAS") { try device.replace(with: ioas) }
    },
]

/// Nested HWPTs on a nest parent (the mock's `domain_alloc_nested`).
let nestedCases: [TestCase] = [
    TestCase("nested.alloc_rules", .nested, "nested HWPT: parent must be a nest parent, data checked, no nesting on nested, parent pinned", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let parent = try t.ok("HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
        let plain = try t.ok("HWPT_ALLOC without NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        let data = selftestHWPTData()
        try t.fails(.EOPNOTSUPP, "nested with data type 0xdead + 1") {
            _ = try t.ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: HWPTData.typeSelftest + 1, bytes: data.bytes))
        }
        try t.fails(.EINVAL, "nested with data shorter than iotlb") {
            _ = try t.ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: HWPTData.typeSelftest, bytes: [0, 0, 0]))
        }
        try t.fails(.EOPNOTSUPP, "nested with NEST_PARENT") {
            _ = try t.ctx.allocNestedHWPT(device: device, parent: parent, data: data, flags: .nestParent)
        }
        try t.fails(.EINVAL, "nested on a parent without NEST_PARENT") {
            _ = try t.ctx.allocNestedHWPT(device: device, parent: plain, data: data)
        }
        var nullData = iommu_hwpt_alloc()
        nullData.size = 48
        nullData.dev_id = device.boundID
        nullData.pt_id = parent.id
        nullData.data_type = HWPTData.typeSelftest
        nullData.data_len = 8
        try t.fails(.EFAULT, "nested with data_uptr NULL") { try t.ctx.ioctl(.IOMMU_HWPT_ALLOC, &nullData) }
        let nested = try t.ok("nested HWPT with selftest data") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: data) }
        for entry: UInt32 in 0...3 {
            try t.ok("IOTLB entry \(entry) starts at the default") { try t.ctx.testCheckIOTLB(hwpt: nested, entry: entry, value: MockIOMMU.iotlbDefault) }
        }
        var onNested = iommu_hwpt_alloc()
        onNested.size = 48
        onNested.dev_id = device.boundID
        onNested.pt_id = nested.id
        var bytes = data.bytes
        try t.fails(.EINVAL, "nested on a nested HWPT") {
            try bytes.withUnsafeMutableBytes { raw in
                onNested.data_type = HWPTData.typeSelftest
                onNested.data_len = 8
                onNested.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                try t.ctx.ioctl(.IOMMU_HWPT_ALLOC, &onNested, buffers: [hwptData(raw)])
            }
        }
        try t.fails(.EBUSY, "DESTROY the parent while a nested HWPT uses it") { try t.ctx.destroy(id: parent.id) }
        try t.ok("attach the device to the nested HWPT") { try device.replace(with: nested) }
        try t.fails(.EBUSY, "DESTROY the attached nested HWPT") { try t.ctx.destroy(id: nested.id) }
        try t.ok("detach back to the IOAS") { try device.replace(with: ioas) }
    },
]

/// HWPT_ALLOC's `data_uptr` declared to the seam (so traces record the payload).
func hwptData(_ raw: UnsafeMutableRawBufferPointer) -> IoctlBuffer {
    IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_alloc>.offset(of: \.data_uptr)!, pointer: raw.baseAddress,
                length: raw.count, direction: .input)
}

/// Raw `IOMMU_HWPT_INVALIDATE`: returns the errno (nil on success) and entry_num as written back.
func rawInvalidate(_ ctx: IOMMUFD, id: UInt32, type: UInt32, entryLength: UInt32, entryCount: UInt32,
                   entries: [UInt8]?) -> (Errno?, UInt32) {
    var arg = iommu_hwpt_invalidate()
    arg.size = 32
    arg.hwpt_id = id
    arg.data_type = type
    arg.entry_len = entryLength
    arg.entry_num = entryCount
    var storage = entries ?? []
    let errno: Errno? = storage.withUnsafeMutableBytes { raw in
        arg.data_uptr = entries == nil ? 0 : UInt64(UInt(bitPattern: raw.baseAddress))
        let data = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_invalidate>.offset(of: \.data_uptr)!,
                               pointer: entries == nil ? nil : raw.baseAddress, length: raw.count, direction: .input)
        do {
            try ctx.ioctl(.IOMMU_HWPT_INVALIDATE, &arg, buffers: [data])
            return nil
        } catch {
            return (error as? IOMMUFDError)?.errno
        }
    }
    return (errno, arg.entry_num)
}

/// Selftest nested invalidation, entry by entry (the mock's `cache_invalidate_user`).
let invalidateCases: [TestCase] = [
    TestCase("invalidate.mock_nested", .invalidate, "invalidation targets nested HWPTs; entry checks stop at the first bad entry and report the count", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let nested = try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData())
        let type = MockIOMMU.invalidateType
        func expect(_ errno: Errno?, _ count: UInt32, _ step: String, id: UInt32? = nil, type: UInt32 = MockIOMMU.invalidateType,
                    entryLength: UInt32 = 8, entryCount: UInt32 = 1, entries: [UInt8]? = u32Bytes(0, 0)) throws {
            let (got, done) = rawInvalidate(t.ctx, id: id ?? nested.id, type: type, entryLength: entryLength, entryCount: entryCount, entries: entries)
            try t.equal(got?.name ?? "success", errno?.name ?? "success", step)
            try t.equal(done, count, "\(step): entry_num written back")
        }
        try expect(.EINVAL, 0, "invalidate the parent (paging) HWPT", id: parent.id)
        try expect(nil, 0, "entry_num 0 probes the type", entryCount: 0)
        try expect(.EINVAL, 0, "invalid data type", type: MockIOMMU.invalidateTypeInvalid)
        try expect(.EINVAL, 0, "entry_len 9 (sizeof + 1)", entryLength: 9, entries: u32Bytes(0, 0) + [0])
        try expect(.EINVAL, 0, "entry_len 1", entryLength: 1)
        try expect(.EINVAL, 0, "entry_len above PAGE_SIZE", entryLength: 4097, entries: [UInt8](repeating: 0, count: 4097))
        try expect(.EOPNOTSUPP, 0, "unknown entry flag", entries: u32Bytes(0xffff_ffff, 0))
        try expect(.EINVAL, 0, "NULL data_uptr with entries", entries: nil)
        try expect(.EINVAL, 0, "entry_len 0", entryLength: 0)
        try expect(.EINVAL, 0, "iotlb_id 4 is out of range", entries: u32Bytes(0, 4))
        try expect(.EOPNOTSUPP, 1, "second entry has a bad flag", entryCount: 2, entries: u32Bytes(0, 0, 0xffff_ffff, 1))
        try t.ok("entry 0 was invalidated, entry 1 was not") {
            try t.ctx.testCheckIOTLB(hwpt: nested, entry: 0, value: 0)
            try t.ctx.testCheckIOTLB(hwpt: nested, entry: 1, value: MockIOMMU.iotlbDefault)
        }
        let done = try t.ok("invalidate entries 2 and 3 through the typed API") {
            try nested.invalidate(InvalidationRequest(dataType: type, entryLength: 8, entries: [u32Bytes(0, 2), u32Bytes(0, 3)]))
        }
        try t.equal(done, 2, "entries handled")
        try t.ok("invalidate all (FLAG_ALL)") {
            try nested.invalidate(InvalidationRequest(dataType: type, entryLength: 8, entries: [u32Bytes(1, 0)]))
        }
        for entry: UInt32 in 0...3 {
            try t.ok("IOTLB entry \(entry) is clear") { try t.ctx.testCheckIOTLB(hwpt: nested, entry: entry, value: 0) }
        }
    },
]
