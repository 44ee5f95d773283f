import CIOMMUFD
import IOMMUFD

/// Raw `IOMMU_HWPT_ALLOC` with every field chosen by the caller (`data` nil: a NULL data_uptr);
/// returns the errno (nil on success) and out_hwpt_id. Used for the refusals only: what succeeds
/// is allocated through the library so that the context's ledger owns it.
func rawHWPTAlloc(_ ctx: IOMMUFD, devID: UInt32, ptID: UInt32, flags: UInt32 = 0, faultID: UInt32 = 0,
                  dataType: UInt32 = HWPTData.typeSelftest, data: [UInt8]? = selftestHWPTData().bytes,
                  dataLength: UInt32? = nil) -> (Errno?, UInt32) {
    var arg = iommu_hwpt_alloc()
    arg.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
    arg.flags = flags
    arg.dev_id = devID
    arg.pt_id = ptID
    arg.data_type = dataType
    arg.data_len = dataLength ?? UInt32(data?.count ?? 0)
    arg.fault_id = faultID
    var storage = data ?? []
    let errno: Errno? = storage.withUnsafeMutableBytes { raw in
        arg.data_uptr = data == nil ? 0 : UInt64(UInt(bitPattern: raw.baseAddress))
        let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hwpt_alloc>.offset(of: \.data_uptr)!,
                                 pointer: data == nil ? nil : raw.baseAddress, length: raw.count, direction: .input)
        do {
            try ctx.ioctl(.IOMMU_HWPT_ALLOC, &arg, buffers: [buffer])
            return nil
        } catch {
            return (error as? IOMMUFDError)?.errno
        }
    }
    return (errno, arg.out_hwpt_id)
}

extension CaseRun {
    /// A refused raw HWPT_ALLOC: the errno must be `errno`.
    func hwptAllocFails(_ errno: Errno, _ step: String, devID: UInt32, ptID: UInt32, flags: UInt32 = 0, faultID: UInt32 = 0,
                        dataType: UInt32 = HWPTData.typeSelftest, data: [UInt8]? = selftestHWPTData().bytes,
                        dataLength: UInt32? = nil) throws {
        let (got, _) = rawHWPTAlloc(ctx, devID: devID, ptID: ptID, flags: flags, faultID: faultID, dataType: dataType,
                                    data: data, dataLength: dataLength)
        try equal(got?.name ?? "success", errno.name, step)
    }

    /// An `IOMMU_HWPT_INVALIDATE` whose errno and written-back entry_num must be as given.
    func invalidates(_ id: UInt32, _ errno: Errno?, _ count: UInt32, _ step: String, type: UInt32 = MockIOMMU.invalidateType,
                     entryLength: UInt32, entryCount: UInt32, entries: [UInt8]?) throws {
        let (got, done) = rawInvalidate(ctx, id: id, type: type, entryLength: entryLength, entryCount: entryCount, entries: entries)
        try equal(got?.name ?? "success", errno?.name ?? "success", step)
        try equal(done, count, "\(step): entry_num written back")
    }

    /// The four mock IOTLB entries of a nested HWPT hold `values`.
    func iotlbs(_ hwpt: HWPTNested, _ values: [UInt32], _ when: String) throws {
        for (entry, value) in values.enumerated() {
            try ok("\(when): IOTLB entry \(entry) is \(hex(value))") { try ctx.testCheckIOTLB(hwpt: hwpt, entry: UInt32(entry), value: value) }
        }
    }

    /// The four mock device-cache entries behind a vIOMMU hold `values`.
    func devCaches(_ device: MockDevice, _ values: [UInt32], _ when: String) throws {
        for (entry, value) in values.enumerated() {
            try ok("\(when): cache entry \(entry) is \(hex(value))") { try device.checkCache(entry: UInt32(entry), value: value) }
        }
    }

    /// The selftest's IOPF round trip: the fault raised on PASID 1 (grpid 2, read+write,
    /// 0xdeadbeaf) is read from `queue` and answered SUCCESS.
    func iopfRoundTrip(_ device: MockDevice, _ queue: FaultQueue) throws {
        try ok("TRIGGER_IOPF on PASID 1") { try device.triggerPageFault(pasid: 1, groupID: 2, permissions: 3, address: 0xdead_beaf) }
        let faults = try ok("read the fault queue") { try queue.readFaults() }
        try equal(faults.count, 1, "faults read")
        try equal(faults[0].deviceID, device.boundID, "fault dev_id")
        try ok("answer it SUCCESS") { try queue.respond(PageResponse(cookie: faults[0].cookie, code: .success)) }
    }
}

/// The mock vEVENTQ record: an 8-byte header, then the 4-byte virt_id.
private let veventRecord = 8 + 4

/// Parses one read of a vEVENTQ: the virt_ids of the events and whether an overflow showed.
private func veventSummary(_ items: [VEventStreamParser.Item]) -> (virtIDs: [UInt32], overflow: Bool, other: Bool) {
    var ids: [UInt32] = [], overflow = false, other = false
    for item in items {
        switch item {
        case .event(let record): ids.append(load32(record.payload, at: 0))
        case .gap, .lost: overflow = true
        default: other = true
        }
    }
    return (ids, overflow, other)
}

/// The `iommufd_viommu` tests that walk vDEVICE, vEVENTQ, vIOMMU invalidation and IOPF step by
/// step, and `iommufd_ioas.alloc_hwpt_nested` whole.
let parityVIOMMUDetailCases: [TestCase] = [
    TestCase("parity.vdevice_alloc", .viommu, "vDEVICE and vEVENTQ: attach needs a vDEVICE, depth bounds, one queue per type, short reads, one vDEVICE per device, overflow then recovery", needs: [.selftest]) { t in
        var noViommu = iommu_vdevice_alloc()
        noViommu.size = UInt32(MemoryLayout<iommu_vdevice_alloc>.size)
        noViommu.virt_id = 0x99
        try t.fails(.ENOENT, "no_viommu: VDEVICE_ALLOC on vIOMMU 0, device 0") { try t.ctx.ioctl(.IOMMU_VDEVICE_ALLOC, &noViommu) }

        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let ioas = fixture.ioas, device = fixture.device, viommu = fixture.viommu, nested = fixture.nested
        let type = MockIOMMU.veventqType
        try t.fails(.ENOENT, "attach to the nested HWPT with no vDEVICE") { try device.replace(with: nested) }
        try t.fails(.EINVAL, "VEVENTQ_ALLOC depth 0") { _ = try viommu.allocEventQueue(type: type, depth: 0) }
        try t.fails(.EINVAL, "VEVENTQ_ALLOC depth 2^19 + 1") { _ = try viommu.allocEventQueue(type: type, depth: (1 << 19) + 1) }
        let deepest = try t.ok("VEVENTQ_ALLOC depth 2^19") { try viommu.allocEventQueue(type: type, depth: 1 << 19) }
        try t.ok("close and DESTROY it") { try deepest.destroy() }
        let queue = try t.ok("VEVENTQ_ALLOC depth 2") { try viommu.allocEventQueue(type: type, depth: 2) }
        try t.fails(.EEXIST, "a second vEVENTQ of the same type") { _ = try viommu.allocEventQueue(type: type, depth: 2) }
        try t.fails(.EINVAL, "read 0 bytes of the empty queue") { _ = try queue.read(bufferSize: 0) }
        try t.fails(.EINVAL, "read less than a header from the empty queue") { _ = try queue.read(bufferSize: 7) }

        let first = try t.ok("VDEVICE_ALLOC virt_id 0x99") { try viommu.allocVDevice(device: device, virtualID: 0x99) }
        try t.ok("attach to the nested HWPT") { try device.replace(with: nested) }
        try t.ok("TRIGGER_VEVENT once") { try device.triggerVEvent() }
        try t.fails(.EINVAL, "read 0 bytes of the queue holding one event") { _ = try queue.read(bufferSize: 0) }
        try t.fails(.EINVAL, "read a header's worth when the record does not fit") { _ = try queue.read(bufferSize: 8) }
        let one = veventSummary(try t.ok("read one record") { try queue.read(bufferSize: veventRecord) })
        try t.check(one.virtIDs == [0x99] && !one.overflow && !one.other, "one event for virt_id 0x99, in sequence (\(one))")
        try t.fails(.EEXIST, "VDEVICE_ALLOC 0x99 again for the same device") { _ = try viommu.allocVDevice(device: device, virtualID: 0x99) }
        try t.ok("back to the IOAS") { try device.replace(with: ioas) }
        try t.ok("DESTROY the vDEVICE") { try first.destroy() }

        let second = try t.ok("VDEVICE_ALLOC virt_id 0x88") { try viommu.allocVDevice(device: device, virtualID: 0x88) }
        try t.ok("attach to the nested HWPT") { try device.replace(with: nested) }
        try t.ok("TRIGGER_VEVENT three times (depth 2)") { for _ in 0..<3 { try device.triggerVEvent() } }
        let full = veventSummary(try t.ok("read three records' worth") { try queue.read(bufferSize: 3 * veventRecord) })
        try t.check(full.overflow, "the read reports the overflow (\(full))")
        try t.check(full.virtIDs.allSatisfy { $0 == 0x88 }, "the events carry virt_id 0x88 (\(full.virtIDs))")
        try t.ok("TRIGGER_VEVENT once more") { try device.triggerVEvent() }
        let after = veventSummary(try t.ok("read one record") { try queue.read(bufferSize: veventRecord) })
        try t.check(after.virtIDs == [0x88] && !after.overflow && !after.other, "one event for 0x88, in sequence: the overflow is over (\(after))")
        try t.ok("close the vEVENTQ fd, back to the IOAS, DESTROY the vDEVICE then the vEVENTQ") {
            try device.replace(with: ioas)
            try second.destroy()
            try queue.destroy()
        }
    },
    TestCase("parity.vdevice_cache", .viommu, "vIOMMU invalidation of the mock device cache: argument checks, per-entry errors with entry_num, every entry's value after each batch", needs: [.selftest]) { t in
        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let device = fixture.device, viommu = fixture.viommu
        let vdevice = try t.ok("VDEVICE_ALLOC virt_id 0x99") { try viommu.allocVDevice(device: device, virtualID: 0x99) }
        let fresh = MockIOMMU.devCacheDefault
        try t.devCaches(device, [fresh, fresh, fresh, fresh], "at the start")
        func entry(flags: UInt32 = 0, vdev: UInt32 = 0x99, cache: UInt32 = 0) -> [UInt8] { u32Bytes(flags, vdev, cache) }
        func invalidate(_ errno: Errno?, _ count: UInt32, _ step: String, type: UInt32 = MockIOMMU.invalidateType,
                        entryLength: UInt32 = 12, entryCount: UInt32 = 1, entries: [UInt8]? = nil) throws {
            try t.invalidates(viommu.id, errno, count, step, type: type, entryLength: entryLength, entryCount: entryCount,
                              entries: entries ?? u32Bytes(0, 0, 0, 0, 0, 0))
        }
        try invalidate(nil, 0, "entry_num 0 probes the data type", entryCount: 0)
        try invalidate(.EINVAL, 0, "the selftest's invalid data type", type: MockIOMMU.invalidateTypeInvalid)
        try invalidate(.EINVAL, 0, "entry_len 13 (one more than the struct)", entryLength: 13)
        try invalidate(.EINVAL, 0, "entry_len 1", entryLength: 1)
        try invalidate(.EOPNOTSUPP, 0, "flags 0xffffffff", entries: entry(flags: 0xffff_ffff))
        try t.invalidates(viommu.id, .EINVAL, 0, "NULL data_uptr with one entry", entryLength: 12, entryCount: 1, entries: nil)
        try invalidate(.EINVAL, 0, "entry_len 0 with one entry", entryLength: 0, entries: entry())
        try invalidate(.EINVAL, 0, "cache_id 4 (above MOCK_DEV_CACHE_ID_MAX)", entries: entry(cache: 4))
        try invalidate(.EINVAL, 0, "vdev_id 0x9 has no vDEVICE", entries: entry(vdev: 0x9))

        try invalidate(.EOPNOTSUPP, 1, "entry 0 clears cache 0, entry 1 has flags 0xffffffff", entryCount: 2,
                       entries: entry(cache: 0) + entry(flags: 0xffff_ffff, cache: 1))
        try t.devCaches(device, [0, fresh, fresh, fresh], "after the batch stopped by a bad flag")
        try invalidate(.EINVAL, 1, "entry 0 clears cache 0, entry 1 names cache 4", entryCount: 2,
                       entries: entry(cache: 0) + entry(cache: 4))
        try t.devCaches(device, [0, fresh, fresh, fresh], "after the batch stopped by a bad cache_id")
        try invalidate(nil, 1, "clear cache 1", entries: entry(cache: 1))
        try t.devCaches(device, [0, 0, fresh, fresh], "after clearing cache 1")
        try invalidate(nil, 2, "clear caches 2 and 3", entryCount: 2, entries: entry(cache: 2) + entry(cache: 3))
        try t.devCaches(device, [0, 0, 0, 0], "after clearing caches 2 and 3")
        try invalidate(nil, 1, "FLAG_ALL for vdev 0x99", entries: entry(flags: 1))
        try t.devCaches(device, [0, 0, 0, 0], "after FLAG_ALL")
        try t.ok("DESTROY the vDEVICE") { try vdevice.destroy() }
    },
    TestCase("parity.viommu_alloc_nested_iopf", .viommu, "an IOPF-capable nested HWPT made through a vIOMMU: fault_id and flag refusals, attach needs a vDEVICE, busy while attached, fault round trip", needs: [.selftest]) { t in
        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let ioas = fixture.ioas, device = fixture.device, viommu = fixture.viommu
        let queue = try t.ok("FAULT_QUEUE_ALLOC") { try t.ctx.allocFaultQueue() }
        let faultValid = IOMMU_HWPT_FAULT_ID_VALID.rawValue
        try t.hwptAllocFails(.ENOENT, "nested HWPT on the vIOMMU with fault_id U32_MAX", devID: device.boundID, ptID: viommu.id,
                             flags: faultValid, faultID: UInt32.max)
        try t.hwptAllocFails(.EOPNOTSUPP, "nested HWPT on the vIOMMU with FAULT_ID_VALID and bit 31", devID: device.boundID,
                             ptID: viommu.id, flags: faultValid | (1 << 31), faultID: queue.id)
        let iopf = try t.ok("nested HWPT on the vIOMMU with the fault queue") {
            try viommu.allocNestedHWPT(device: device, data: selftestHWPTData(), faultQueue: queue)
        }
        try t.fails(.ENOENT, "attach to it before a vDEVICE exists") { try device.replace(with: iopf) }
        let vdevice = try t.ok("VDEVICE_ALLOC virt_id 0x99") { try viommu.allocVDevice(device: device, virtualID: 0x99) }
        try t.ok("attach to the IOPF-capable nested HWPT") { try device.replace(with: iopf) }
        try t.fails(.EBUSY, "DESTROY it while attached") { try iopf.destroy() }
        try t.iopfRoundTrip(device, queue)
        try t.ok("back to the IOAS, DESTROY the nested HWPT, close and DESTROY the fault queue") {
            try device.replace(with: ioas)
            try iopf.destroy()
            try queue.destroy()
        }
        _ = vdevice
    },
    TestCase("parity.alloc_hwpt_nested", .nested, "nested HWPTs on a nest parent: allocation refusals, invalidation checks and every IOTLB entry after each batch, replace across two nested and an IOPF-capable HWPT", needs: [.selftest]) { t in
        let variants = try t.ioasVariants()
        let data = selftestHWPTData().bytes
        // no_domain: there is no device, so every id given is 0.
        try t.hwptAllocFails(.ENOENT, "no domain: HWPT_ALLOC with dev_id 0", devID: 0, ptID: variants[0].ioas.id, dataType: 0, data: nil)
        try t.hwptAllocFails(.ENOENT, "no domain: nested HWPT_ALLOC with dev_id 0 and pt_id 0", devID: 0, ptID: 0)
        try t.fails(.ENOENT, "no domain: MOCK_DOMAIN_REPLACE of stdev 0") {
            try t.ctx.testCommand(.mockDomainReplace, id: 0) { $0.mock_domain_replace.pt_id = 0 }
        }

        let ioas = variants[1].ioas, device = variants[1].device!
        let dev = device.boundID
        try t.hwptAllocFails(.ENOENT, "HWPT_ALLOC with the IOAS id as dev_id", devID: ioas.id, ptID: dev, dataType: 0, data: nil)
        try t.hwptAllocFails(.EINVAL, "HWPT_ALLOC with the device id as pt_id", devID: dev, ptID: dev, dataType: 0, data: nil)
        try t.hwptAllocFails(.EOPNOTSUPP, "HWPT_ALLOC NEST_PARENT | FAULT_ID_VALID", devID: dev, ptID: ioas.id,
                             flags: IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue | IOMMU_HWPT_FAULT_ID_VALID.rawValue, dataType: 0, data: nil)
        let parent = try t.ok("HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
        let plain = try t.ok("HWPT_ALLOC without NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        try t.hwptAllocFails(.EINVAL, "nested with data type NONE", devID: dev, ptID: parent.id, dataType: 0)
        try t.hwptAllocFails(.EOPNOTSUPP, "nested with data type SELFTEST + 1", devID: dev, ptID: parent.id, dataType: HWPTData.typeSelftest + 1)
        try t.hwptAllocFails(.EINVAL, "nested with data_len 3 (short of iotlb)", devID: dev, ptID: parent.id, dataLength: 3)
        try t.hwptAllocFails(.EFAULT, "nested with a NULL data_uptr", devID: dev, ptID: parent.id, data: nil, dataLength: UInt32(data.count))
        try t.hwptAllocFails(.EOPNOTSUPP, "nested with NEST_PARENT", devID: dev, ptID: parent.id, flags: IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue)
        try t.hwptAllocFails(.EINVAL, "nested on a HWPT that is not a nest parent", devID: dev, ptID: plain.id)

        let queue = try t.ok("FAULT_QUEUE_ALLOC") { try t.ctx.allocFaultQueue() }
        let nested0 = try t.ok("nested HWPT 0") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData()) }
        let nested1 = try t.ok("nested HWPT 1 on the same parent") { try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData()) }
        try t.hwptAllocFails(.ENOENT, "IOPF nested HWPT with fault_id U32_MAX", devID: dev, ptID: parent.id,
                             flags: IOMMU_HWPT_FAULT_ID_VALID.rawValue, faultID: UInt32.max)
        let iopf = try t.ok("IOPF nested HWPT with the fault queue") {
            try t.ctx.allocNestedHWPT(device: device, parent: parent, data: selftestHWPTData(), faultQueue: queue)
        }
        let fresh = MockIOMMU.iotlbDefault
        try t.iotlbs(nested0, [fresh, fresh, fresh, fresh], "nested 0 at the start")
        try t.iotlbs(nested1, [fresh, fresh, fresh, fresh], "nested 1 at the start")
        try t.hwptAllocFails(.EINVAL, "nested on a nested HWPT", devID: dev, ptID: nested0.id)
        try t.fails(.EBUSY, "DESTROY the parent under nested HWPTs") { try parent.destroy() }

        func entry(flags: UInt32 = 0, iotlb: UInt32 = 0) -> [UInt8] { u32Bytes(flags, iotlb) }
        func invalidate(_ errno: Errno?, _ count: UInt32, _ step: String, id: UInt32? = nil, type: UInt32 = MockIOMMU.invalidateType,
                        entryLength: UInt32 = 8, entryCount: UInt32 = 1, entries: [UInt8]? = nil) throws {
            try t.invalidates(id ?? nested0.id, errno, count, step, type: type, entryLength: entryLength, entryCount: entryCount,
                              entries: entries ?? u32Bytes(0, 0, 0, 0))
        }
        try invalidate(.EINVAL, 0, "invalidate the nest parent", id: parent.id)
        try invalidate(nil, 0, "entry_num 0 probes the data type", entryCount: 0)
        try invalidate(.EINVAL, 0, "the selftest's invalid data type", type: MockIOMMU.invalidateTypeInvalid)
        try invalidate(.EINVAL, 0, "entry_len 9 (one more than the struct)", entryLength: 9)
        try invalidate(.EINVAL, 0, "entry_len 1", entryLength: 1)
        try invalidate(.EINVAL, 0, "entry_len PAGE_SIZE + 1", entryLength: 4097, entries: [UInt8](repeating: 0, count: 4097))
        try invalidate(.EINVAL, 0, "entry_num 2^19 + 1", entryCount: (1 << 19) + 1)
        try invalidate(.EOPNOTSUPP, 0, "flags 0xffffffff", entries: entry(flags: 0xffff_ffff))
        try t.invalidates(nested0.id, .EINVAL, 0, "NULL data_uptr with one entry", entryLength: 8, entryCount: 1, entries: nil)
        try invalidate(.EINVAL, 0, "entry_len 0 with one entry", entryLength: 0, entries: entry())
        try invalidate(.EINVAL, 0, "iotlb_id 4 (above MOCK_NESTED_DOMAIN_IOTLB_ID_MAX)", entries: entry(iotlb: 4))

        try invalidate(.EOPNOTSUPP, 1, "entry 0 clears IOTLB 0, entry 1 has flags 0xffffffff", entryCount: 2,
                       entries: entry(iotlb: 0) + entry(flags: 0xffff_ffff, iotlb: 1))
        try t.iotlbs(nested0, [0, fresh, fresh, fresh], "after the batch stopped by a bad flag")
        try invalidate(.EINVAL, 1, "entry 0 clears IOTLB 0, entry 1 names IOTLB 4", entryCount: 2,
                       entries: entry(iotlb: 0) + entry(iotlb: 4))
        try t.iotlbs(nested0, [0, fresh, fresh, fresh], "after the batch stopped by a bad iotlb_id")
        try invalidate(nil, 1, "clear IOTLB 1", entries: entry(iotlb: 1))
        try t.iotlbs(nested0, [0, 0, fresh, fresh], "after clearing IOTLB 1")
        try invalidate(nil, 2, "clear IOTLBs 2 and 3", entryCount: 2, entries: entry(iotlb: 2) + entry(iotlb: 3))
        try t.iotlbs(nested0, [0, 0, 0, 0], "after clearing IOTLBs 2 and 3")
        try invalidate(nil, 1, "FLAG_ALL on nested 1", id: nested1.id, entries: entry(flags: 1))
        try t.iotlbs(nested1, [0, 0, 0, 0], "nested 1 after FLAG_ALL")

        try t.ok("attach to nested 0") { try device.replace(with: nested0) }
        try t.fails(.EBUSY, "DESTROY nested 0 while attached") { try nested0.destroy() }
        try t.ok("replace nested 0 with nested 1") { try device.replace(with: nested1) }
        try t.fails(.EBUSY, "DESTROY nested 1 while attached") { try nested1.destroy() }
        try t.ok("DESTROY nested 0, now free") { try nested0.destroy() }
        try t.ok("replace nested 1 with the IOPF nested HWPT") { try device.replace(with: iopf) }
        try t.fails(.EBUSY, "DESTROY the IOPF nested HWPT while attached") { try iopf.destroy() }
        try t.iopfRoundTrip(device, queue)
        try t.ok("replace it with the nest parent, DESTROY nested 1 and the IOPF HWPT") {
            try device.replace(with: parent)
            try nested1.destroy()
            try iopf.destroy()
        }
        try t.ok("back to the IOAS, DESTROY the parent, the plain HWPT and the fault queue") {
            try device.replace(with: ioas)
            try parent.destroy()
            try plain.destroy()
            try queue.destroy()
        }
    },
]
