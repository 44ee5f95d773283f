import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// hw_pagetable.c and device.c with the selftest mock driver: HWPT allocation rules, nesting,
/// invalidation, replace, GET_HW_INFO, dirty tracking (selftests: alloc_hwpt_nested,
/// hwpt_attach, get_hw_info, iommufd_mock_domain replace/alloc_hwpt, iommufd_dirty_tracking).
@Suite("hw_pagetable.c and device.c")
struct HWPTTests {
    let DATA_SELFTEST: UInt32 = 0xdead
    let INV_SELFTEST: UInt32 = 0xdead_beef
    let INV_SELFTEST_INVALID: UInt32 = 0xdad_beef
    let IOTLB_DEFAULT: UInt32 = 0xbad_beef

    @Test func allocHWPTNestedWithoutDevice() throws {
        let f = try IOASFixture()
        #expect(failure { try hwptAlloc(f.ctx, devID: 0, ptID: f.ioas.id) } == .ENOENT)
        #expect(failure { try hwptAllocNested(f.ctx, devID: 0, parentID: 0) } == .ENOENT)
    }

    @Test func allocHWPTNested() throws {
        let f = try IOASFixture(mockDomains: 1)
        let dev = f.device!
        let devID = dev.boundID
        // Negative tests: a bad dev_id, a pt_id that is a device, NEST_PARENT | FAULT_ID_VALID
        #expect(failure { try hwptAlloc(f.ctx, devID: f.ioas.id, ptID: devID) } == .ENOENT)
        #expect(failure { try hwptAlloc(f.ctx, devID: devID, ptID: devID) } == .EINVAL)
        #expect(failure { try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, flags: 1 | 4) } == .EOPNOTSUPP)
        let parent = try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, flags: 1)
        let parentNotWork = try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id)
        // Negative nested tests
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, dataType: 0) } == .EINVAL)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, dataType: DATA_SELFTEST + 1) } == .EOPNOTSUPP)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, dataLen: 3) } == .EINVAL)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, nullData: true) } == .EFAULT)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, flags: 1) } == .EOPNOTSUPP)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parentNotWork) } == .EINVAL)
        // A payload longer than the kernel's struct: EINVAL (never E2BIG for driver data)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, dataLen: 9) } == .EINVAL)

        // Two nested hwpts sharing one parent, and one with a fault queue
        let fault = try f.ctx.allocFaultQueue()
        let nested0 = try hwptAllocNested(f.ctx, devID: devID, parentID: parent)
        let nested1 = try hwptAllocNested(f.ctx, devID: devID, parentID: parent)
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: parent, flags: 4, faultID: .max) } == .ENOENT)
        let iopf = try hwptAllocNested(f.ctx, devID: devID, parentID: parent, flags: 4, faultID: fault.id)
        try checkIOTLBAll(f.ctx, nested0, IOTLB_DEFAULT)
        try checkIOTLBAll(f.ctx, nested1, IOTLB_DEFAULT)

        // A nested hwpt on top of a nested hwpt
        #expect(failure { try hwptAllocNested(f.ctx, devID: devID, parentID: nested0) } == .EINVAL)
        // The parent cannot be freed now
        #expect(destroy(f.ctx, parent) == .EBUSY)

        // two iommu_hwpt_invalidate_selftest
        let inv = UnsafeMutablePointer<UInt32>.allocate(capacity: 4)
        inv.initialize(repeating: 0, count: 4)
        defer { inv.deallocate() }
        do {
            let p = UnsafeMutableRawPointer(inv)
            // hwpt_invalidate does not support a parent hwpt
            var (e, n) = hwptInvalidate(f.ctx, id: parent, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // Check data_type by passing a zero-length array
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 0)
            #expect(e == nil && n == 0)
            // Invalid data_type
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST_INVALID, entryLen: 8, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // Structure size sanity
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 9, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 1, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // entry_len is bounded by PAGE_SIZE, entry_num by 2^19
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: UInt32(PAGE_SIZE) + 1, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: (1 << 19) + 1)
            #expect(e == .EINVAL && n == 0)
            // Invalid flag
            inv[0] = 0xffff_ffff
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == .EOPNOTSUPP && n == 0)
            // Invalid data_uptr / entry_len when the array is not empty
            inv[0] = 0
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: nil, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 0, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // Invalid iotlb_id
            inv[1] = 4
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // The 1st entry works, the 2nd has bad flags: entry_num says 1
            inv[0] = 0; inv[1] = 0; inv[2] = 0xffff_ffff; inv[3] = 1
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 2)
            #expect(e == .EOPNOTSUPP && n == 1)
            try checkIOTLB(f.ctx, nested0, 0, 0)
            try checkIOTLB(f.ctx, nested0, 1, IOTLB_DEFAULT)
            // The 2nd has a bad iotlb_id
            inv[2] = 0; inv[3] = 4
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 2)
            #expect(e == .EINVAL && n == 1)
            // Invalidate the 2nd, then the 3rd and 4th
            inv[0] = 0; inv[1] = 1
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == nil && n == 1)
            try checkIOTLB(f.ctx, nested0, 1, 0)
            try checkIOTLB(f.ctx, nested0, 2, IOTLB_DEFAULT)
            inv[0] = 0; inv[1] = 2; inv[2] = 0; inv[3] = 3
            (e, n) = hwptInvalidate(f.ctx, id: nested0, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 2)
            #expect(e == nil && n == 2)
            try checkIOTLBAll(f.ctx, nested0, 0)
            // Invalidate all of nested1
            inv[0] = 1
            (e, n) = hwptInvalidate(f.ctx, id: nested1, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == nil && n == 1)
            try checkIOTLBAll(f.ctx, nested1, 0)
            // Unknown id: ENOENT; reserved: EOPNOTSUPP
            (e, n) = hwptInvalidate(f.ctx, id: 999, entries: p, type: INV_SELFTEST, entryLen: 8, entryNum: 1)
            #expect(e == .ENOENT && n == 0)
        }
        // MD_CHECK_IOTLB: a paging HWPT is ENOENT, an entry past 3 EINVAL
        #expect(failure { try checkIOTLB(f.ctx, parent, 0, 0) } == .ENOENT)
        #expect(failure { try checkIOTLB(f.ctx, nested0, 4, 0) } == .EINVAL)

        // Attach the device to nested0: it becomes busy; switch to nested1
        try dev.replace(with: IDTarget(id: nested0, context: f.ctx))
        #expect(destroy(f.ctx, nested0) == .EBUSY)
        try dev.replace(with: IDTarget(id: nested1, context: f.ctx))
        #expect(destroy(f.ctx, nested1) == .EBUSY)
        #expect(destroy(f.ctx, nested0) == nil)
        // Switch to the iopf hwpt and trigger a fault
        try dev.replace(with: IDTarget(id: iopf, context: f.ctx))
        #expect(destroy(f.ctx, iopf) == .EBUSY)
        try dev.triggerPageFault(pasid: 1, groupID: 2, permissions: 3, address: 0xdead_beaf)
        let faults = try fault.readFaults()
        #expect(faults.count == 1)
        #expect(faults.first?.deviceID == devID)
        #expect(faults.first?.address == 0xdead_beaf)
        try fault.respond(PageResponse(cookie: faults[0].cookie, code: .success))
        // Back to the parent, then the IOAS
        try dev.replace(with: IDTarget(id: parent, context: f.ctx))
        #expect(destroy(f.ctx, nested1) == nil)
        #expect(destroy(f.ctx, iopf) == nil)
        try dev.replace(with: f.ioas)
        #expect(destroy(f.ctx, parent) == nil)
        #expect(destroy(f.ctx, parentNotWork) == nil)
        // The fault queue's fd holds it: EBUSY until closed
        #expect(destroy(f.ctx, fault.id) == .EBUSY)
        try fault.destroy()
    }

    @Test func hwptAttach() throws {
        // A device attached directly to a hwpt
        let f = try IOASFixture(mockDomains: 1)
        let dev2 = try f.ctx.addMockDevice(attachedTo: IDTarget(id: f.device!.attachedHWPTID, context: f.ctx))
        #expect(dev2.attachedHWPTID == f.device!.attachedHWPTID)
        // Without a domain, the hwpt id is unknown
        let g = try IOASFixture()
        #expect(failure { _ = try g.ctx.addMockDevice(attachedTo: IDTarget(id: 0, context: g.ctx)) } == .ENOENT)
        // A mock device on a non-pt object: EINVAL
        let q = try g.ctx.allocFaultQueue()
        #expect(failure { _ = try g.ctx.addMockDevice(attachedTo: IDTarget(id: q.id, context: g.ctx)) } == .EINVAL)
    }

    @Test func mockDeviceIDsComeInKernelOrder() throws {
        let f = try IOASFixture()
        let dev = try f.ctx.addMockDevice(attachedTo: f.ioas)
        // selftest object, then the device, then the automatic domain
        #expect(dev.id == 2)
        #expect(dev.boundID == 3)
        #expect(dev.attachedHWPTID == 4)
        // A second device reuses the automatic domain
        let dev2 = try f.ctx.addMockDevice(attachedTo: f.ioas)
        #expect(dev2.attachedHWPTID == 4)
        #expect(dev2.id == 5 && dev2.boundID == 6)
        // Unknown device flags: EINVAL, and nothing is left
        #expect(failure { _ = try f.ctx.addMockDevice(attachedTo: f.ioas, flags: MockDeviceFlags(rawValue: 2)) } == .EINVAL)
        #expect(f.backend.objects(fd: f.fd).map(\.id) == [1, 2, 3, 4, 5, 6])
    }

    @Test func getHWInfo() throws {
        let f = try IOASFixture(mockDomains: 1, pasidCapable: true)
        let devID = f.device!.boundID
        func hwInfo(_ id: UInt32, type: UInt32? = nil, bufferLength: Int) -> (Errno?, HWInfo?) {
            var info: HWInfo?
            let e = failure { info = try f.ctx.hwInfo(deviceID: id, inputType: type, bufferLength: bufferLength) }
            return (e, info)
        }
        // A zero-size buffer
        var (e, info) = hwInfo(devID, bufferLength: 0)
        #expect(e == nil && info?.type == 0xfeed_beef && info?.kernelDataLength == 8)
        // The exact size
        (e, info) = hwInfo(devID, bufferLength: 8)
        #expect(info?.data == .selftest(flags: 0, testReg: 0xdead_beef))
        // A wrong type, and the right one
        (e, _) = hwInfo(devID, type: 0xfeed_beef + 1, bufferLength: 8)
        #expect(e == .EOPNOTSUPP)
        (e, info) = hwInfo(devID, type: 0xfeed_beef, bufferLength: 8)
        #expect(e == nil && info?.type == 0xfeed_beef)
        // A larger buffer: the tail is zeroed
        var larger = [UInt8](repeating: 0xaa, count: 16)
        var cmd = iommu_hw_info()
        cmd.size = 40
        cmd.dev_id = devID
        cmd.data_len = 16
        try larger.withUnsafeMutableBytes { raw in
            cmd.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
            try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd)
        }
        #expect(Array(larger[8...]) == [UInt8](repeating: 0, count: 8))
        #expect(larger.u32(4) == 0xdead_beef)
        #expect(cmd.data_len == 8)
        // A smaller buffer: only the fields inside it
        var small = [UInt8](repeating: 0xaa, count: 8)
        cmd.data_len = 4
        try small.withUnsafeMutableBytes { raw in
            cmd.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
            try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd)
        }
        #expect(small == [0, 0, 0, 0, 0xaa, 0xaa, 0xaa, 0xaa])
        // PASID width and capabilities: dirty tracking, no ATS
        #expect(hwInfo(devID, bufferLength: 8).1?.maxPASIDLog2 == 0)
        #expect(hwInfo(f.pasidDevice!.boundID, bufferLength: 8).1?.maxPASIDLog2 == 20)
        #expect(hwInfo(devID, bufferLength: 8).1?.capabilities == [.dirtyTracking, .pciATSNotSupported])
        // Flags and reserved bytes
        cmd.flags = 2
        #expect(failure { try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd) } == .EOPNOTSUPP)
        cmd.flags = 0
        cmd.__reserved.1 = 1
        #expect(failure { try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd) } == .EOPNOTSUPP)
        cmd.__reserved.1 = 0
        // Without INPUT_TYPE the requested type is ignored
        cmd.in_data_type = 77
        try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd)
        #expect(cmd.out_data_type == 0xfeed_beef)
        // A non-device id
        #expect(hwInfo(f.ioas.id, bufferLength: 8).0 == .ENOENT)
        // data_uptr NULL with data_len: EFAULT
        cmd.data_len = 8
        cmd.data_uptr = 0
        #expect(failure { try f.ctx.ioctl(.IOMMU_GET_HW_INFO, &cmd) } == .EFAULT)
    }

    @Test(arguments: [1, 2]) func mockDomainReplace(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        let ioas2 = try f.ctx.allocIOAS()
        let hwpt0 = f.devices[0].attachedHWPTID
        try f.devices[0].replace(with: ioas2)
        // Replacing the IOAS frees the prior automatic HWPT when nothing else uses it
        if domains == 1 {
            #expect(failure { try f.devices[0].replace(with: IDTarget(id: hwpt0, context: f.ctx)) } == .ENOENT)
        }
        try f.devices[0].replace(with: ioas2)
        if domains >= 2 {
            let hwpt1 = f.devices[1].attachedHWPTID
            try f.devices[0].replace(with: IDTarget(id: hwpt1, context: f.ctx))
            try f.devices[0].replace(with: IDTarget(id: hwpt1, context: f.ctx))
            try f.devices[0].replace(with: IDTarget(id: hwpt0, context: f.ctx))
        }
        try f.devices[0].replace(with: f.ioas)
        try ioas2.destroy()
    }

    @Test(arguments: [1, 2]) func mockDomainAllocHWPT(domains: Int) throws {
        let f = try IOASFixture(mockDomains: domains)
        for dev in f.devices {
            #expect(failure { try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id, flags: ~UInt32(1)) } == .EOPNOTSUPP)
            let h0 = try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id)
            let h1 = try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id, flags: 1)
            // A hw_pagetable rotation
            try dev.replace(with: IDTarget(id: h0, context: f.ctx))
            #expect(destroy(f.ctx, h0) == .EBUSY)
            try dev.replace(with: IDTarget(id: h1, context: f.ctx))
            #expect(destroy(f.ctx, h1) == .EBUSY)
            try dev.replace(with: f.ioas)
            #expect(destroy(f.ctx, h1) == nil)
            let d = try f.ctx.addMockDevice(attachedTo: IDTarget(id: h0, context: f.ctx))
            try d.destroy()
            #expect(destroy(f.ctx, h0) == nil)
        }
    }

    @Test func replaceNeedsAnAttachment() throws {
        let f = try IOASFixture(mockDomains: 1)
        // Replace to an unknown id: ENOENT; to a non-pt object: EINVAL
        #expect(failure { try f.device!.replace(with: IDTarget(id: 999, context: f.ctx)) } == .ENOENT)
        #expect(failure { try f.device!.replace(with: IDTarget(id: f.device!.id, context: f.ctx)) } == .EINVAL)
        // A stdev that does not exist
        #expect(failure { try f.ctx.testCommand(.mockDomainReplace, id: 77) { $0.mock_domain_replace.pt_id = f.ioas.id } } == .ENOENT)
    }

    @Test func hwptDataForPagingAndHugePages() throws {
        let f = try IOASFixture(mockDomains: 1)
        let devID = f.device!.boundID
        var data = SelftestHWPTData(iotlb: 0, pagetableType: 1)
        // A huge-page mock domain: alignment PAGE_SIZE, aperture the whole 38-bit space
        let huge = try withUnsafeMutableBytes(of: &data) {
            try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, dataType: DATA_SELFTEST, data: $0.baseAddress, dataLen: 8)
        }
        _ = huge
        #expect(try f.ioas.iovaRanges().alignment == PAGE_SIZE)
        // An unknown page table type: EOPNOTSUPP; another data type: EOPNOTSUPP
        data.pagetableType = 2
        #expect(failure {
            _ = try withUnsafeMutableBytes(of: &data) {
                try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, dataType: DATA_SELFTEST, data: $0.baseAddress, dataLen: 8)
            }
        } == .EOPNOTSUPP)
        #expect(failure {
            _ = try withUnsafeMutableBytes(of: &data) {
                try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, dataType: 1, data: $0.baseAddress, dataLen: 8)
            }
        } == .EOPNOTSUPP)
        // NONE with a length, a type without: EINVAL; reserved: EOPNOTSUPP
        #expect(failure { try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, dataType: 0, dataLen: 8) } == .EINVAL)
        #expect(failure { try hwptAlloc(f.ctx, devID: devID, ptID: f.ioas.id, dataType: DATA_SELFTEST, dataLen: 0) } == .EINVAL)
        var cmd = iommu_hwpt_alloc()
        cmd.size = 48
        cmd.dev_id = devID
        cmd.pt_id = f.ioas.id
        cmd.__reserved = 1
        #expect(failure { try f.ctx.ioctl(.IOMMU_HWPT_ALLOC, &cmd) } == .EOPNOTSUPP)
        // A bad pt_id is EINVAL, not ENOENT
        cmd.__reserved = 0
        cmd.pt_id = 999
        #expect(failure { try f.ctx.ioctl(.IOMMU_HWPT_ALLOC, &cmd) } == .EINVAL)
        // The old 24-byte struct still works (fault_id and data are zero)
        cmd.pt_id = f.ioas.id
        cmd.size = 24
        try f.ctx.ioctl(.IOMMU_HWPT_ALLOC, &cmd)
    }

    // MARK: Dirty tracking (the iommufd_dirty_tracking fixture)

    final class DirtyFixture {
        let f: IOASFixture
        let idev: MockDevice
        let buffer: TestBuffer
        init(bufferSize: Int) throws {
            f = try IOASFixture()
            // The page size fed into the page tables must be the one the dirty logic expects.
            try f.ioas.setHugePages(false)
            idev = try f.ctx.addMockDevice(attachedTo: f.ioas)
            buffer = TestBuffer(size: bufferSize)
        }
    }

    @Test func enforceDirty() throws {
        let d = try DirtyFixture(bufferSize: 8192)
        let hwpt = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id, flags: 2)
        let dev = try d.f.ctx.addMockDevice(attachedTo: IDTarget(id: hwpt, context: d.f.ctx))
        #expect(failure { _ = try d.f.ctx.addMockDevice(attachedTo: IDTarget(id: hwpt, context: d.f.ctx), flags: .noDirty) } == .EINVAL)
        try dev.destroy()
        #expect(destroy(d.f.ctx, hwpt) == nil)
        // The device cannot track dirty pages
        let ioas = try d.f.ctx.allocIOAS()
        let nd = try d.f.ctx.addMockDevice(attachedTo: ioas, flags: .noDirty)
        #expect(failure { try hwptAlloc(d.f.ctx, devID: nd.boundID, ptID: ioas.id, flags: 2) } == .EOPNOTSUPP)
        #expect(try nd.hwInfo().capabilities.contains(.dirtyTracking) == false)
    }

    @Test func setDirtyTracking() throws {
        let d = try DirtyFixture(bufferSize: 8192)
        let hwpt = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id, flags: 2)
        let paging = HWPTPagingHandle(ctx: d.f.ctx, id: hwpt)
        try paging.setDirty(true)
        try paging.setDirty(false)
        // Unknown flags; a HWPT without dirty ops
        var cmd = iommu_hwpt_set_dirty_tracking()
        cmd.size = 16
        cmd.hwpt_id = hwpt
        cmd.flags = 2
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd) } == .EOPNOTSUPP)
        let plain = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id)
        cmd.hwpt_id = plain
        cmd.flags = 1
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd) } == .EOPNOTSUPP)
        cmd.hwpt_id = d.f.ioas.id
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd) } == .ENOENT)
    }

    @Test func pasidSetDirtyTracking() throws {
        let d = try DirtyFixture(bufferSize: 8192)
        let hwpt = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id, flags: 8 | 2)
        let dev = try d.f.ctx.addMockDevice(attachedTo: IDTarget(id: hwpt, context: d.f.ctx), flags: .pasid)
        try dev.attach(pasid: 100, to: IDTarget(id: hwpt, context: d.f.ctx))
        let paging = HWPTPagingHandle(ctx: d.f.ctx, id: hwpt)
        try paging.setDirty(true)
        try paging.setDirty(false)
        try dev.detach(pasid: 100)
        try dev.destroy()
        // The device does not support dirty tracking
        let ioas = try d.f.ctx.allocIOAS()
        let nd = try d.f.ctx.addMockDevice(attachedTo: ioas, flags: [.pasid, .noDirty])
        #expect(failure { try hwptAlloc(d.f.ctx, devID: nd.boundID, ptID: ioas.id, flags: 8 | 2) } == .EOPNOTSUPP)
    }

    @Test func deviceDirtyCapability() throws {
        let d = try DirtyFixture(bufferSize: 8192)
        let hwpt = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id)
        let dev = try d.f.ctx.addMockDevice(attachedTo: IDTarget(id: hwpt, context: d.f.ctx))
        #expect(try d.idev.hwInfo().capabilities.contains(.dirtyTracking))
        try dev.destroy()
    }

    /// `_test_mock_dirty_bitmaps`: mark every other PTE dirty through the mock, then read the
    /// bitmap twice (the second read sees nothing unless NO_CLEAR).
    private func mockDirtyBitmaps(_ ctx: IOMMUFD, hwpt: UInt32, length: UInt64, iova: UInt64, pageSize: UInt64,
                                  pteSize: UInt64, bitmapOffset: Int, noClear: Bool) throws {
        let npte = pteSize / pageSize, pteset = 2 * npte
        let nbits = length / pageSize
        let nr = max(1, nbits / pteset)
        let bytes = Int((nbits + 7) / 8)
        let storage = TestBuffer(size: bytes + Int(PAGE_SIZE) * 2)
        let bitmap = storage.at(UInt64(bitmapOffset))
        func bit(_ i: UInt64) -> Bool { bitmap.load(fromByteOffset: Int(i / 8), as: UInt8.self) >> (i % 8) & 1 == 1 }
        memset(bitmap, 0, bytes)
        var i: UInt64 = 0
        while i < nbits {
            bitmap.storeBytes(of: bitmap.load(fromByteOffset: Int(i / 8), as: UInt8.self) | UInt8(1 << (i % 8)), toByteOffset: Int(i / 8), as: UInt8.self)
            i += pteset
        }
        var cmd = testCmd(.dirty, id: hwpt)
        cmd.dirty.iova = iova
        cmd.dirty.length = length
        cmd.dirty.page_size = pageSize
        cmd.dirty.uptr = UInt64(UInt(bitPattern: bitmap))
        try ctx.ioctl(.IOMMU_TEST_CMD, &cmd)
        #expect(cmd.dirty.out_nr_dirty == nr)
        // Expect all even PTEs dirty in the user bitmap
        func read() throws {
            memset(bitmap, 0, bytes)
            var get = iommu_hwpt_get_dirty_bitmap()
            get.size = 48
            get.hwpt_id = hwpt
            get.flags = noClear ? 1 : 0
            get.iova = iova
            get.length = length
            get.page_size = pageSize
            get.data = UInt64(UInt(bitPattern: bitmap))
            try ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get)
        }
        try read()
        i = 0
        while i < nbits {
            for j in 0..<pteset where i + j < nbits { #expect(bit(i + j) == (j < npte), "bit \(i + j)") }
            i += pteset
        }
        // Read already: all zero, unless NO_CLEAR
        try read()
        i = 0
        while i < nbits {
            for j in 0..<pteset where i + j < nbits { #expect(bit(i + j) == (j < npte && noClear)) }
            i += pteset
        }
    }

    @Test(arguments: [(UInt64(8192), false), (UInt64(128 * 1024), false), (UInt64(320 * 1024), false),
                      (UInt64(4 << 20), true)])
    func getDirtyBitmap(size: UInt64, huge: Bool) throws {
        for noClear in [false, true] {
            let d = try DirtyFixture(bufferSize: Int(size))
            try d.f.ioas.map(userAddress: d.buffer.base, length: size, iova: MOCK_APERTURE_START)
            var data = SelftestHWPTData(iotlb: 0, pagetableType: huge ? 1 : 0)
            let hwpt = try withUnsafeMutableBytes(of: &data) {
                try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id, flags: 2, dataType: DATA_SELFTEST,
                              data: $0.baseAddress, dataLen: 8)
            }
            try HWPTPagingHandle(ctx: d.f.ctx, id: hwpt).setDirty(true)
            let pte = huge ? 512 * MOCK_PAGE_SIZE : MOCK_PAGE_SIZE
            for offset in [0, Int(MOCK_PAGE_SIZE), 0xff1] {
                try mockDirtyBitmaps(d.f.ctx, hwpt: hwpt, length: size, iova: MOCK_APERTURE_START, pageSize: MOCK_PAGE_SIZE,
                                     pteSize: pte, bitmapOffset: offset, noClear: noClear)
            }
            #expect(destroy(d.f.ctx, hwpt) == nil)
        }
    }

    @Test func dirtyBitmapArgumentRules() throws {
        let d = try DirtyFixture(bufferSize: 8192)
        try d.f.ioas.map(userAddress: d.buffer.base, length: 8192, iova: MOCK_APERTURE_START)
        let hwpt = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id, flags: 2)
        var bitmap: UInt64 = 0
        var get = iommu_hwpt_get_dirty_bitmap()
        get.size = 48
        get.hwpt_id = hwpt
        get.iova = MOCK_APERTURE_START
        get.length = 8192
        get.page_size = MOCK_PAGE_SIZE
        get.data = withUnsafeMutablePointer(to: &bitmap) { UInt64(UInt(bitPattern: $0)) }
        try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get)
        get.flags = 2
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EOPNOTSUPP)
        get.flags = 0
        get.__reserved = 1
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EOPNOTSUPP)
        get.__reserved = 0
        get.page_size = 0
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EINVAL)
        get.page_size = 8192
        get.iova = MOCK_APERTURE_START + 4096
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EINVAL)
        get.iova = MOCK_APERTURE_START + 1
        get.page_size = 1
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EINVAL)
        get.iova = .max - 10
        get.length = 100
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EOVERFLOW)
        // A HWPT without dirty ops
        let plain = try hwptAlloc(d.f.ctx, devID: d.idev.boundID, ptID: d.f.ioas.id)
        get.hwpt_id = plain
        get.iova = MOCK_APERTURE_START
        get.length = 8192
        get.page_size = MOCK_PAGE_SIZE
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_HWPT_GET_DIRTY_BITMAP, &get) } == .EOPNOTSUPP)
        // IOMMU_TEST_OP_DIRTY needs tracking on
        var cmd = testCmd(.dirty, id: hwpt)
        cmd.dirty.iova = MOCK_APERTURE_START
        cmd.dirty.length = 8192
        cmd.dirty.page_size = MOCK_PAGE_SIZE
        cmd.dirty.uptr = get.data
        #expect(failure { try d.f.ctx.ioctl(.IOMMU_TEST_CMD, &cmd) } == .EINVAL)
    }
}

/// A page table target named only by its id (for ids obtained through raw calls).
final class IDTarget: PageTableTarget {
    let pageTableID: UInt32
    let context: IOMMUFD
    init(id: UInt32, context: IOMMUFD) {
        pageTableID = id
        self.context = context
    }
}

/// IOMMU_HWPT_SET_DIRTY_TRACKING on a raw HWPT id.
struct HWPTPagingHandle {
    let ctx: IOMMUFD
    let id: UInt32
    func setDirty(_ enable: Bool) throws {
        var cmd = iommu_hwpt_set_dirty_tracking()
        cmd.size = 16
        cmd.flags = enable ? 1 : 0
        cmd.hwpt_id = id
        try ctx.ioctl(.IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd)
    }
}
