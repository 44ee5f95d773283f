import CIOMMUFD
import IOMMUFD

/// Dirty tracking on a HWPT and the bitmap read (iommufd_hwpt_get_dirty_bitmap).
let dirtyCases: [TestCase] = [
    TestCase("dirty.enforce_capability", .dirty, "DIRTY_TRACKING needs the device's dirty capability (EOPNOTSUPP without)", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let noDirty = try t.ctx.addMockDevice(attachedTo: ioas, flags: .noDirty)
        try t.fails(.EOPNOTSUPP, "HWPT_ALLOC DIRTY_TRACKING for a NO_DIRTY device") {
            _ = try t.ctx.allocHWPT(device: noDirty, ioas: ioas, flags: .dirtyTracking)
        }
        let plain = try t.ctx.allocHWPT(device: noDirty, ioas: ioas)
        try t.fails(.EOPNOTSUPP, "SET_DIRTY_TRACKING on a HWPT without dirty ops") { try plain.setDirtyTracking(true) }
        var bad = iommu_hwpt_set_dirty_tracking(size: 16, flags: 2, hwpt_id: plain.id, __reserved: 0)
        try t.fails(.EOPNOTSUPP, "SET_DIRTY_TRACKING with flag 2") { try t.ctx.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &bad) }
    },
    TestCase("dirty.bitmap", .dirty, "pages a device dirtied show in the bitmap, are cleared by a read, and kept with NO_CLEAR", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        // 4 KiB PTEs only: with physically contiguous memory the kernel may map the buffer with
        // a larger PTE, whose one dirty bit then reports every 4 KiB page under it.
        try t.ok("HUGE_PAGES 0 on the IOAS") { try ioas.setHugePages(false) }
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let hwpt = try t.ok("HWPT_ALLOC DIRTY_TRACKING") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .dirtyTracking) }
        try t.ok("attach the device") { try device.replace(with: hwpt) }
        let base: UInt64 = 0x100_0000
        let buffer = t.buffer(0x10000)
        try t.ok("MAP 64 KiB") { try ioas.map(buffer, iova: base) }
        try t.ok("SET_DIRTY_TRACKING enable") { try hwpt.setDirtyTracking(true) }
        var pattern: [UInt64] = [0b10_0101]
        let dirtied = try t.ok("mark pages 0, 2 and 5 dirty") { try t.ctx.testSetDirty(hwpt: hwpt, iova: base, length: 0x10000, pageSize: 4096, bitmap: &pattern) }
        try t.equal(dirtied, 3, "pages marked")
        let kept = try t.ok("GET_DIRTY_BITMAP with NO_CLEAR") { try hwpt.dirtyBitmap(iova: base, length: 0x10000, pageSize: 4096, clear: false) }
        try t.equal(kept.dirtyPages, [base, base + 0x2000, base + 0x5000], "dirty pages")
        let read = try t.ok("GET_DIRTY_BITMAP") { try hwpt.dirtyBitmap(iova: base, length: 0x10000, pageSize: 4096) }
        try t.equal(read.dirtyPages, [base, base + 0x2000, base + 0x5000], "dirty pages again (NO_CLEAR kept them)")
        let after = try t.ok("GET_DIRTY_BITMAP after a clearing read") { try hwpt.dirtyBitmap(iova: base, length: 0x10000, pageSize: 4096) }
        try t.equal(after.dirtyPages, [], "no dirty page left")
        try t.fails(.EINVAL, "GET_DIRTY_BITMAP with page_size 0x800 misaligned length") {
            _ = try hwpt.dirtyBitmap(iova: base + 0x400, length: 0x10000, pageSize: 0x800)
        }
        try t.ok("SET_DIRTY_TRACKING disable") { try hwpt.setDirtyTracking(false) }
        try t.ok("detach") { try device.replace(with: ioas) }
    },
]

/// I/O page fault delivery through a fault queue (eventq.c).
let faultCases: [TestCase] = [
    TestCase("fault.iopf_round_trip", .fault, "a page fault reaches the queue of the HWPT the device is on and is answered", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        var flags = iommu_fault_alloc(size: 16, flags: 1, out_fault_id: 0, out_fault_fd: 0)
        try t.fails(.EOPNOTSUPP, "FAULT_QUEUE_ALLOC with flags 1") { try t.ctx.ioctl(.IOMMU_FAULT_QUEUE_ALLOC, &flags) }
        let queue = try t.ok("FAULT_QUEUE_ALLOC") { try t.ctx.allocFaultQueue() }
        let parent = try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        var badFault = iommu_hwpt_alloc()
        var data = selftestHWPTData().bytes
        try t.fails(.ENOENT, "nested HWPT with fault_id U32_MAX") {
            try data.withUnsafeMutableBytes { raw in
                badFault.size = 48
                badFault.flags = IOMMU_HWPT_FAULT_ID_VALID.rawValue
                badFault.dev_id = device.boundID
                badFault.pt_id = parent.id
                badFault.data_type = HWPTData.typeSelftest
                badFault.data_len = 8
                badFault.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
                badFault.fault_id = UInt32.max
                try t.ctx.ioctl(.IOMMU_HWPT_ALLOC, &badFault, buffers: [hwptData(raw)])
            }
        }
        let iopf = try t.ok("nested HWPT with the fault queue") {
            try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), faultQueue: queue)
        }
        try t.ok("attach the device to it") { try device.replace(with: iopf) }
        try t.fails(.EBUSY, "DESTROY the fault queue while a HWPT uses it") { try t.ctx.destroy(id: queue.id) }
        try t.ok("TRIGGER_IOPF") { try device.triggerPageFault(groupID: 2, permissions: 3, address: 0xdead_beaf) }
        let faults = try t.ok("read the fault queue") { try queue.readFaults() }
        try t.equal(faults.count, 1, "faults read")
        try t.equal(faults[0].deviceID, device.boundID, "fault dev_id")
        try t.equal(faults[0].groupID, 2, "fault grpid")
        try t.equal(faults[0].address & ~0xfff, 0xdead_b000, "fault addr page")
        try t.ok("write a SUCCESS response") { try queue.respond(PageResponse(cookie: faults[0].cookie, code: .success)) }
        try t.fails(.EINVAL, "respond again to the same cookie") { try queue.respond(PageResponse(cookie: faults[0].cookie, code: .success)) }
        try t.ok("detach") { try device.replace(with: ioas) }
    },
]
