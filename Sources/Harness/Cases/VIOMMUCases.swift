import CIOMMUFD
import IOMMUFD

/// The mock vIOMMU data (`iommu_viommu_selftest`: in_data, out_data, mmap offset and length).
func selftestVIOMMUData(_ value: UInt32) -> [UInt8] { u32Bytes(value, 0, 0, 0, 0, 0) }

/// vIOMMU, vDEVICE, vEVENTQ and HW queue (viommu.c, eventq.c) on the mock vIOMMU.
let viommuCases: [TestCase] = [
    TestCase("viommu.alloc_rules", .viommu, "vIOMMU needs a nest parent: hwpt 0 ENOENT, plain HWPT EINVAL, unknown type EOPNOTSUPP; it pins its parent", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let plain = try t.ctx.allocHWPT(device: device, ioas: ioas)
        func alloc(hwpt: UInt32, type: UInt32) throws {
            var a = iommu_viommu_alloc()
            a.size = 40
            a.type = type
            a.dev_id = device.boundID
            a.hwpt_id = hwpt
            try t.ctx.ioctl(.IOMMU_VIOMMU_ALLOC, &a)
            try t.ctx.destroy(id: a.out_viommu_id)
        }
        try t.fails(.ENOENT, "VIOMMU_ALLOC on hwpt 0") { try alloc(hwpt: 0, type: MockIOMMU.viommuType) }
        try t.fails(.EINVAL, "VIOMMU_ALLOC on a HWPT that is not a nest parent") { try alloc(hwpt: plain.id, type: MockIOMMU.viommuType) }
        try t.fails(.EOPNOTSUPP, "VIOMMU_ALLOC of type 0xdead") { try alloc(hwpt: parent.id, type: 0xdead) }
        try t.fails(.EOPNOTSUPP, "VIOMMU_ALLOC of type DEFAULT (0)") { try alloc(hwpt: parent.id, type: 0) }
        let viommu = try t.ok("VIOMMU_ALLOC selftest with in_data 0xcafe") {
            try t.ctx.allocVIOMMU(device: device, parent: parent, type: MockIOMMU.viommuType, data: selftestVIOMMUData(0xcafe))
        }
        try t.equal(load32(viommu.outputData, at: 4), 0xcafe, "out_data echoes in_data")
        try t.fails(.EBUSY, "DESTROY the parent under a vIOMMU") { try t.ctx.destroy(id: parent.id) }
    },
    TestCase("viommu.vdevice_and_events", .viommu, "vDEVICE rules, nested attach needs a vDEVICE, events carry the virt_id, overflow reports LOST_EVENTS", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let viommu = try t.ctx.allocVIOMMU(device: device, parent: parent, type: MockIOMMU.viommuType, data: selftestVIOMMUData(0))
        let nested = try t.ok("nested HWPT through the vIOMMU") { try viommu.allocNestedHWPT(device: device, data: selftestHWPTData()) }
        try t.fails(.ENOENT, "attach to the nested HWPT before a vDEVICE exists") { try device.replace(with: nested) }
        try t.fails(.EINVAL, "VEVENTQ_ALLOC depth 0") { _ = try viommu.allocEventQueue(type: MockIOMMU.veventqType, depth: 0) }
        try t.fails(.EOPNOTSUPP, "VEVENTQ_ALLOC type DEFAULT") { _ = try viommu.allocEventQueue(type: 0, depth: 2) }
        let queue = try t.ok("VEVENTQ_ALLOC depth 2") { try viommu.allocEventQueue(type: MockIOMMU.veventqType, depth: 2) }
        try t.fails(.EEXIST, "a second vEVENTQ of the same type") { _ = try viommu.allocEventQueue(type: MockIOMMU.veventqType, depth: 2) }
        var tooBig = iommu_vdevice_alloc()
        tooBig.size = 24
        tooBig.viommu_id = viommu.id
        tooBig.dev_id = device.boundID
        tooBig.virt_id = UInt64(UInt.max) // fits: only > ULONG_MAX fails, which 64-bit cannot express
        let vdevice = try t.ok("VDEVICE_ALLOC virt_id 0x99") { try viommu.allocVDevice(device: device, virtualID: 0x99) }
        try t.fails(.EEXIST, "a second vDEVICE for the same device") { _ = try viommu.allocVDevice(device: device, virtualID: 0x98) }
        try t.fails(.EBUSY, "DESTROY the vIOMMU while it has children") { try t.ctx.destroy(id: viommu.id) }
        try t.ok("attach to the nested HWPT") { try device.replace(with: nested) }
        try t.ok("TRIGGER_VEVENT") { try device.triggerVEvent() }
        let items = try t.ok("read the vEVENTQ") { try queue.read() }
        let events = items.compactMap { item -> [UInt8]? in if case .event(let record) = item { return record.payload } else { return nil } }
        try t.equal(events.count, 1, "events read")
        try t.equal(load32(events[0], at: 0), 0x99, "the event carries the virt_id")
        try t.ok("TRIGGER_VEVENT three times (depth 2)") { for _ in 0..<3 { try device.triggerVEvent() } }
        let overflow = try t.ok("read after the overflow") { try queue.read() }
        try t.check(overflow.contains { if case .lost = $0 { return true }; if case .gap = $0 { return true } else { return false } }, "a LOST_EVENTS header is reported (\(overflow))")
        try t.ok("detach") { try device.replace(with: ioas) }
        _ = (vdevice, tooBig)
    },
    TestCase("viommu.invalidate", .viommu, "vIOMMU invalidation reaches the mock device cache through the vDEVICE", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let viommu = try t.ctx.allocVIOMMU(device: device, parent: parent, type: MockIOMMU.viommuType, data: selftestVIOMMUData(0))
        let vdevice = try viommu.allocVDevice(device: device, virtualID: 0x42)
        try t.ok("device cache entry 0 starts at the default") { try device.checkCache(entry: 0, value: MockIOMMU.devCacheDefault) }
        let done = try t.ok("invalidate cache entry 0 of vdev 0x42") {
            try viommu.invalidate(InvalidationRequest(dataType: MockIOMMU.invalidateType, entryLength: 12, entries: [u32Bytes(0, 0x42, 0)]))
        }
        try t.equal(done, 1, "entries handled")
        try t.ok("device cache entry 0 is clear, entry 1 untouched") {
            try device.checkCache(entry: 0, value: 0)
            try device.checkCache(entry: 1, value: MockIOMMU.devCacheDefault)
        }
        let (errno, count) = rawInvalidate(t.ctx, id: viommu.id, type: MockIOMMU.invalidateType, entryLength: 12, entryCount: 1, entries: u32Bytes(0, 0x43, 0))
        try t.equal(errno?.name ?? "success", "EINVAL", "invalidate an unknown vdev id")
        try t.equal(count, 0, "entry_num after the failure")
        _ = vdevice
    },
]

/// PASID attach rules (device.c) on PASID-capable mock devices.
let pasidCases: [TestCase] = [
    TestCase("pasid.attach_rules", .pasid, "PASID attach needs PASID-capable HWPTs on the PASID and on the RID; detach and replace", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas, flags: .pasid)
        try t.ok("detach a PASID that was never attached") { try device.detach(pasid: 100) }
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let nested = try t.ok("nested HWPT with PASID") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), flags: .pasid) }
        let stage2 = try t.ok("paging HWPT with PASID") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .pasid) }
        try t.ok("RID onto the nest parent (not PASID-compatible)") { try device.replace(with: parent) }
        try t.fails(.EINVAL, "attach PASID 100 while the RID's HWPT is not PASID-compatible") { try device.attach(pasid: 100, to: stage2) }
        try t.ok("RID onto the PASID-compatible HWPT") { try device.replace(with: stage2) }
        try t.ok("attach PASID 100 to the nested HWPT") { try device.attach(pasid: 100, to: nested) }
        try t.ok("PASID 100 is on it") { try device.checkPASID(100, attachedTo: nested.id) }
        try t.fails(.EINVAL, "move the RID to a non-PASID HWPT while a PASID is attached") { try device.replace(with: parent) }
        try t.fails(.EBUSY, "DESTROY the HWPT a PASID uses") { try t.ctx.destroy(id: nested.id) }
        try t.ok("replace PASID 100 onto the paging HWPT") { try device.replace(pasid: 100, with: stage2) }
        try t.ok("PASID 100 moved") { try device.checkPASID(100, attachedTo: stage2.id) }
        try t.ok("detach PASID 100") { try device.detach(pasid: 100) }
        try t.ok("PASID 100 is detached") { try device.checkPASID(100, attachedTo: 0) }
        try t.ok("RID back to the IOAS") { try device.replace(with: ioas) }
    },
]
