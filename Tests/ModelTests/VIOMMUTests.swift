import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// viommu.c, eventq.c and the mock vIOMMU (selftests' `iommufd_viommu` fixture), the fault
/// queue, and PASID attach (the `iommufd_device_pasid` fixture).
@Suite("viommu.c and eventq.c")
struct VIOMMUTests {
    let VIOMMU_SELFTEST: UInt32 = 0xdead_beef
    let VEVENTQ_SELFTEST: UInt32 = 0xbeef_beef
    let HW_QUEUE_SELFTEST: UInt32 = 0xdead_beef

    /// The mock_viommu variant: a device, a nest parent, a vIOMMU and a nested HWPT on it.
    final class Fixture {
        let f: IOASFixture
        let dev: MockDevice
        let parent: UInt32
        let viommu: UInt32
        let nested: UInt32
        init() throws {
            f = try IOASFixture()
            dev = try f.ctx.addMockDevice(attachedTo: f.ioas)
            parent = try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id, flags: 1)
            var cmd = iommu_viommu_alloc()
            cmd.size = 40
            cmd.type = 0xdead_beef
            cmd.dev_id = dev.boundID
            cmd.hwpt_id = parent
            try f.ctx.ioctl(.IOMMU_VIOMMU_ALLOC, &cmd)
            viommu = cmd.out_viommu_id
            nested = try hwptAllocNested(f.ctx, devID: dev.boundID, parentID: viommu)
        }
        var ctx: IOMMUFD { f.ctx }
    }

    func viommuAlloc(_ ctx: IOMMUFD, devID: UInt32, hwptID: UInt32, type: UInt32, flags: UInt32 = 0,
                     data: UnsafeMutableRawPointer? = nil, dataLen: UInt32 = 0) throws -> UInt32 {
        var cmd = iommu_viommu_alloc()
        cmd.size = 40
        cmd.flags = flags
        cmd.type = type
        cmd.dev_id = devID
        cmd.hwpt_id = hwptID
        cmd.data_len = dataLen
        cmd.data_uptr = UInt64(UInt(bitPattern: data))
        try ctx.ioctl(.IOMMU_VIOMMU_ALLOC, &cmd)
        return cmd.out_viommu_id
    }

    func vdeviceAlloc(_ ctx: IOMMUFD, viommu: UInt32, devID: UInt32, virtID: UInt64) throws -> UInt32 {
        var cmd = iommu_vdevice_alloc(size: 24, viommu_id: viommu, dev_id: devID, out_vdevice_id: 0, virt_id: virtID)
        try ctx.ioctl(.IOMMU_VDEVICE_ALLOC, &cmd)
        return cmd.out_vdevice_id
    }

    func veventqAlloc(_ ctx: IOMMUFD, viommu: UInt32, type: UInt32, depth: UInt32) throws -> (id: UInt32, fd: Int32) {
        var cmd = iommu_veventq_alloc()
        cmd.size = 32
        cmd.viommu_id = viommu
        cmd.type = type
        cmd.veventq_depth = depth
        try ctx.ioctl(.IOMMU_VEVENTQ_ALLOC, &cmd)
        return (cmd.out_veventq_id, Int32(bitPattern: cmd.out_veventq_fd))
    }

    func triggerVEvents(_ ctx: IOMMUFD, devID: UInt32, _ n: Int) throws {
        for _ in 0..<n {
            try ctx.testCommand(.triggerVEvent) { $0.trigger_vevent.dev_id = devID }
        }
    }

    /// `_test_cmd_read_vevents`: EOVERFLOW on a LOST_EVENTS header or a sequence gap.
    func readVEvents(_ ctx: IOMMUFD, fd: Int32, _ n: Int, virtID: UInt32, prevSeq: inout Int) -> Errno? {
        var buf = [UInt8](repeating: 0, count: n * 12)
        let r = buf.withUnsafeMutableBytes { ctx.backend.read(fd, into: $0) }
        guard case .success(let bytes) = r, bytes > 0 else { return .EFAULT }
        for i in 0..<n {
            let flags = buf.u32(i * 12), seq = Int(buf.u32(i * 12 + 4))
            if flags & 1 != 0 || seq - prevSeq > 1 {
                prevSeq = seq
                return .EOVERFLOW
            }
            prevSeq = seq
            if buf.u32(i * 12 + 8) != virtID { return .EINVAL }
        }
        return nil
    }

    @Test func viommuAutoDestroy() throws {
        _ = try Fixture()
    }

    @Test func viommuNegativeTests() throws {
        let x = try Fixture()
        let devID = x.dev.boundID
        // hwpt_id 0
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: devID, hwptID: 0, type: VIOMMU_SELFTEST) } == .ENOENT)
        // not a nesting parent
        let hwpt = try hwptAlloc(x.ctx, devID: devID, ptID: x.f.ioas.id)
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: devID, hwptID: hwpt, type: VIOMMU_SELFTEST) } == .EINVAL)
        #expect(destroy(x.ctx, hwpt) == nil)
        // unsupported type, DEFAULT, flags
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: devID, hwptID: x.parent, type: 0xdead) } == .EOPNOTSUPP)
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: devID, hwptID: x.parent, type: 0) } == .EOPNOTSUPP)
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: devID, hwptID: x.parent, type: VIOMMU_SELFTEST, flags: 1) } == .EOPNOTSUPP)
        #expect(failure { _ = try viommuAlloc(x.ctx, devID: 99, hwptID: x.parent, type: VIOMMU_SELFTEST) } == .ENOENT)
        #expect(destroy(x.ctx, x.parent) == .EBUSY)
        #expect(destroy(x.ctx, x.viommu) == .EBUSY)
        // A failed vIOMMU alloc (through the ucmd path) leaves its id free
        let next = try viommuAlloc(x.ctx, devID: devID, hwptID: x.parent, type: VIOMMU_SELFTEST)
        #expect(next == hwpt)
    }

    @Test func viommuAllocNestedIOPF() throws {
        let x = try Fixture()
        let devID = x.dev.boundID
        let fault = try x.ctx.allocFaultQueue()
        #expect(failure { try hwptAllocNested(x.ctx, devID: devID, parentID: x.viommu, flags: 4, faultID: .max) } == .ENOENT)
        #expect(failure { try hwptAllocNested(x.ctx, devID: devID, parentID: x.viommu, flags: 4 | (1 << 31), faultID: fault.id) } == .EOPNOTSUPP)
        let iopf = try hwptAllocNested(x.ctx, devID: devID, parentID: x.viommu, flags: 4, faultID: fault.id)
        // Must allocate a vdevice before attaching to a nested hwpt of a vIOMMU
        #expect(failure { try x.dev.replace(with: IDTarget(id: iopf, context: x.ctx)) } == .ENOENT)
        let vdev = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x99)
        try x.dev.replace(with: IDTarget(id: iopf, context: x.ctx))
        #expect(destroy(x.ctx, iopf) == .EBUSY)
        try x.dev.triggerPageFault(pasid: 1, groupID: 2, permissions: 3, address: 0xdead_beaf)
        let faults = try fault.readFaults()
        #expect(faults.count == 1 && faults[0].groupID == 2 && faults[0].pasid == 1)
        #expect(faults[0].flags == [.pasidValid, .lastPage])
        try fault.respond(PageResponse(cookie: faults[0].cookie, code: .success))
        try x.dev.replace(with: x.f.ioas)
        #expect(destroy(x.ctx, iopf) == nil)
        #expect(destroy(x.ctx, vdev) == nil)
        try fault.destroy()
    }

    @Test func faultQueueReadWriteRules() throws {
        let f = try IOASFixture()
        let dev = try f.ctx.addMockDevice(attachedTo: f.ioas)
        let fault = try f.ctx.allocFaultQueue()
        let hwpt = try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id, flags: 4, faultID: fault.id)
        try dev.replace(with: IDTarget(id: hwpt, context: f.ctx))
        var buf = [UInt8](repeating: 0, count: 80)
        func read(_ n: Int) -> Result<Int, Errno> { buf.withUnsafeMutableBytes { f.backend.read(fault.fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<n])) } }
        func write(_ bytes: [UInt8]) -> Result<Int, Errno> { bytes.withUnsafeBytes { f.backend.write(fault.fd, from: $0) } }
        // Empty queue: 0 bytes; sizes not a multiple of 40: ESPIPE
        #expect(read(40) == .success(0))
        #expect(read(39) == .failure(.ESPIPE))
        // Two faults: a 40-byte read takes one group
        try dev.triggerPageFault(groupID: 1)
        try dev.triggerPageFault(groupID: 2)
        #expect(read(40) == .success(40))
        let cookie1 = buf.u32(36)
        #expect(buf.u32(4) == dev.boundID && buf.u32(12) == 1 && buf.u32(0) == 2)
        #expect(read(80) == .success(40))
        let cookie2 = buf.u32(36)
        #expect(cookie1 == 1 && cookie2 == 2)
        // Responses: whole 8-byte records; bad code or unknown cookie EINVAL
        #expect(write([1, 0, 0, 0]) == .failure(.ESPIPE))
        var resp = [UInt8](repeating: 0, count: 8)
        resp.put(0, u32: cookie1)
        resp.put(4, u32: 2)
        #expect(write(resp) == .failure(.EINVAL))
        resp.put(4, u32: 0)
        #expect(write(resp) == .success(8))
        #expect(write(resp) == .failure(.EINVAL))
        // A partial success reports the bytes done
        var two = resp
        two.put(0, u32: cookie2)
        two += resp
        #expect(write(two) == .success(8))
        // A fault on a HWPT without a fault queue is dropped
        try dev.replace(with: f.ioas)
        try dev.triggerPageFault()
        #expect(read(40) == .success(0))
        // Faults pending when the attachment goes away are answered for us
        try dev.replace(with: IDTarget(id: hwpt, context: f.ctx))
        try dev.triggerPageFault()
        try dev.replace(with: f.ioas)
        #expect(read(40) == .success(0))
        // A trigger on a non-mock device is EINVAL, an unknown device ENOENT
        #expect(failure { try f.ctx.testCommand(.triggerIOPF) { $0.trigger_iopf.dev_id = 999 } } == .ENOENT)
        // Flags of FAULT_QUEUE_ALLOC must be zero
        var cmd = iommu_fault_alloc(size: 16, flags: 1, out_fault_id: 0, out_fault_fd: 0)
        #expect(failure { try f.ctx.ioctl(.IOMMU_FAULT_QUEUE_ALLOC, &cmd) } == .EOPNOTSUPP)
        #expect(destroy(f.ctx, hwpt) == nil)
    }

    @Test func viommuAllocWithData() throws {
        let x = try Fixture()
        var data = (UInt32(0xbeef), UInt32(0), UInt64(0), UInt64(0))  // iommu_viommu_selftest
        let v = try withUnsafeMutableBytes(of: &data) {
            try viommuAlloc(x.ctx, devID: x.dev.boundID, hwptID: x.parent, type: VIOMMU_SELFTEST, data: $0.baseAddress, dataLen: 24)
        }
        #expect(data.1 == 0xbeef)
        let length = Int(data.3), offset = Int(data.2)
        #expect(length == 2 * Int(PAGE_SIZE) && offset == Int(PAGE_SIZE))
        // Offset and length cannot be changed
        let backend = x.ctx.backend
        #expect(backend.mmap(x.ctx.fd, length: length, offset: offset + Int(PAGE_SIZE), writable: true) == .failure(.ENXIO))
        #expect(backend.mmap(x.ctx.fd, length: length, offset: offset + 2 * Int(PAGE_SIZE), writable: true) == .failure(.ENXIO))
        #expect(backend.mmap(x.ctx.fd, length: length / 2, offset: offset, writable: true) == .failure(.ENXIO))
        #expect(backend.mmap(x.ctx.fd, length: length * 2, offset: offset, writable: true) == .failure(.ENXIO))
        // A correct mmap for a loopback test
        guard case .success(let p) = backend.mmap(x.ctx.fd, length: length, offset: offset, writable: true) else {
            Issue.record("mmap failed")
            return
        }
        #expect(p.load(as: UInt32.self) == 0xbeef)
        // The owner of the mmap region is busy
        #expect(destroy(x.ctx, v) == .EBUSY)
        #expect(backend.munmap(p, length: length) == nil)
        #expect(destroy(x.ctx, v) == nil)
        // A data_len below offsetofend(out_data): EINVAL
        #expect(failure {
            _ = try withUnsafeMutableBytes(of: &data) {
                try viommuAlloc(x.ctx, devID: x.dev.boundID, hwptID: x.parent, type: VIOMMU_SELFTEST, data: $0.baseAddress, dataLen: 4)
            }
        } == .EINVAL)
    }

    @Test func vdeviceAlloc() throws {
        let x = try Fixture()
        let devID = x.dev.boundID
        var prevSeq = -1
        // Must allocate a vdevice before attaching to a nested hwpt
        #expect(failure { try x.dev.replace(with: IDTarget(id: x.nested, context: x.ctx)) } == .ENOENT)
        // Depth bounds
        #expect(failure { _ = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: 0) } == .EINVAL)
        #expect(failure { _ = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: (1 << 19) + 1) } == .EINVAL)
        var q = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: 1 << 19)
        #expect(x.ctx.backend.close(q.fd) == nil)
        #expect(destroy(x.ctx, q.id) == nil)
        // A vEVENTQ with depth 2; a second of the same type: EEXIST
        q = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: 2)
        #expect(failure { _ = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: 2) } == .EEXIST)
        // Invalid read counts on an empty vEVENTQ
        var vbuf = [UInt8](repeating: 0, count: 64)
        func read(_ n: Int) -> Result<Int, Errno> {
            vbuf.withUnsafeMutableBytes { x.ctx.backend.read(q.fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<n])) }
        }
        #expect(read(0) == .failure(.EINVAL))
        #expect(read(7) == .failure(.EINVAL))
        // vdev 0x99, then 0x88
        var vdev = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x99)
        try x.dev.replace(with: IDTarget(id: x.nested, context: x.ctx))
        try triggerVEvents(x.ctx, devID: devID, 1)
        // Invalid read counts on a non-empty vEVENTQ: a header alone does not take the event
        #expect(read(0) == .failure(.EINVAL))
        #expect(read(8) == .failure(.EINVAL))
        #expect(readVEvents(x.ctx, fd: q.fd, 1, virtID: 0x99, prevSeq: &prevSeq) == nil)
        #expect(failure { _ = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x99) } == .EEXIST)
        try x.dev.replace(with: x.f.ioas)
        #expect(destroy(x.ctx, vdev) == nil)
        // Again with 0x88; three events overflow a depth of 2
        vdev = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x88)
        try x.dev.replace(with: IDTarget(id: x.nested, context: x.ctx))
        try triggerVEvents(x.ctx, devID: devID, 3)
        #expect(readVEvents(x.ctx, fd: q.fd, 3, virtID: 0x88, prevSeq: &prevSeq) == .EOVERFLOW)
        // The overflow is gone after the reads
        try triggerVEvents(x.ctx, devID: devID, 1)
        #expect(readVEvents(x.ctx, fd: q.fd, 1, virtID: 0x88, prevSeq: &prevSeq) == nil)
        #expect(x.ctx.backend.close(q.fd) == nil)
        try x.dev.replace(with: x.f.ioas)
        #expect(destroy(x.ctx, vdev) == nil)
        #expect(destroy(x.ctx, q.id) == nil)
        // Triggers without a vDEVICE: ENOENT; a duplicate virt_id: EEXIST; virt_id > ULONG_MAX
        // cannot be expressed on 64-bit.
        #expect(failure { try triggerVEvents(x.ctx, devID: devID, 1) } == .ENOENT)
        let other = try x.ctx.addMockDevice(attachedTo: x.f.ioas)
        _ = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x77)
        #expect(failure { _ = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: other.boundID, virtID: 0x77) } == .EEXIST)
        #expect(failure { _ = try vdeviceAlloc(x.ctx, viommu: 999, devID: devID, virtID: 1) } == .ENOENT)
        #expect(failure { _ = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: 999, virtID: 1) } == .ENOENT)
    }

    @Test func veventqSequenceAndLostEvents() throws {
        let x = try Fixture()
        let devID = x.dev.boundID
        let q = try veventqAlloc(x.ctx, viommu: x.viommu, type: VEVENTQ_SELFTEST, depth: 1)
        _ = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x42)
        try x.dev.replace(with: IDTarget(id: x.nested, context: x.ctx))
        // Events with no queue of that type: EOPNOTSUPP is what the report returns
        try triggerVEvents(x.ctx, devID: devID, 3)
        var buf = [UInt8](repeating: 0, count: 64)
        let r = buf.withUnsafeMutableBytes { x.ctx.backend.read(q.fd, into: $0) }
        // One event (seq 0) and one lost-events header (seq 2, the last one dropped)
        #expect(r == .success(20))
        #expect(buf.u32(0) == 0 && buf.u32(4) == 0 && buf.u32(8) == 0x42)
        #expect(buf.u32(12) == 1 && buf.u32(16) == 2)
        // A header-only buffer takes a lone lost header
        try triggerVEvents(x.ctx, devID: devID, 2)
        let r2 = buf.withUnsafeMutableBytes { x.ctx.backend.read(q.fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<12])) }
        #expect(r2 == .success(12))
        #expect(buf.u32(4) == 3)
        let r3 = buf.withUnsafeMutableBytes { x.ctx.backend.read(q.fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<8])) }
        #expect(r3 == .success(8))
        #expect(buf.u32(0) == 1 && buf.u32(4) == 4)
        // The veventq fd holds the queue: EBUSY until closed; reserved/flags: EOPNOTSUPP
        #expect(destroy(x.ctx, q.id) == .EBUSY)
        var cmd = iommu_veventq_alloc()
        cmd.size = 32
        cmd.viommu_id = x.viommu
        cmd.type = 7
        cmd.veventq_depth = 1
        cmd.__reserved = 1
        #expect(failure { try x.ctx.ioctl(.IOMMU_VEVENTQ_ALLOC, &cmd) } == .EOPNOTSUPP)
        cmd.__reserved = 0
        cmd.type = 0
        #expect(failure { try x.ctx.ioctl(.IOMMU_VEVENTQ_ALLOC, &cmd) } == .EOPNOTSUPP)
    }

    @Test func vdeviceCache() throws {
        let x = try Fixture()
        let devID = x.dev.boundID
        let vdev = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: devID, virtID: 0x99)
        func checkCache(_ entry: UInt32, _ value: UInt32) throws {
            try x.ctx.testCommand(.devCheckCache, id: devID) {
                $0.check_dev_cache.id = entry
                $0.check_dev_cache.cache = value
            }
        }
        for i: UInt32 in 0..<4 { try checkCache(i, 0xbad_dad) }
        // two {flags, vdev_id, cache_id}
        let inv = UnsafeMutablePointer<UInt32>.allocate(capacity: 6)
        inv.initialize(repeating: 0, count: 6)
        defer { inv.deallocate() }
        func set(_ values: [UInt32]) { for (i, v) in values.enumerated() { inv[i] = v } }
        do {
            let p = UnsafeMutableRawPointer(inv)
            var (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 0)
            #expect(e == nil && n == 0)
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdad_beef, entryLen: 12, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 13, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 1, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            inv[0] = 0xffff_ffff; inv[1] = 0x99
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == .EOPNOTSUPP && n == 0)
            inv[0] = 0
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: nil, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 0, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            inv[2] = 4
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            inv[1] = 0x9; inv[2] = 0
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == .EINVAL && n == 0)
            // The 1st works, the 2nd has bad flags
            set([0, 0x99, 0, 0xffff_ffff, 0x99, 1])
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 2)
            #expect(e == .EOPNOTSUPP && n == 1)
            try checkCache(0, 0)
            try checkCache(1, 0xbad_dad)
            // The 2nd has a bad cache_id
            set([0, 0x99, 0, 0, 0x99, 4])
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 2)
            #expect(e == .EINVAL && n == 1)
            // Invalidate the 2nd, then the 3rd and 4th, then all
            set([0, 0x99, 1, 0, 0, 0])
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == nil && n == 1)
            try checkCache(1, 0)
            try checkCache(2, 0xbad_dad)
            set([0, 0x99, 2, 0, 0x99, 3])
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 2)
            #expect(e == nil && n == 2)
            for i: UInt32 in 0..<4 { try checkCache(i, 0) }
            set([1, 0x99, 0, 0, 0, 0])
            (e, n) = hwptInvalidate(x.ctx, id: x.viommu, entries: p, type: 0xdead_beef, entryLen: 12, entryNum: 1)
            #expect(e == nil && n == 1)
            // A longer entry with a non-zero tail: E2BIG (the full-array copy)
            set([0, 0x99, 0, 0, 0, 0])
            var long = [UInt32](repeating: 0, count: 4)
            long[1] = 0x99
            long[3] = 1
            let e2 = long.withUnsafeMutableBytes { hwptInvalidate(x.ctx, id: x.viommu, entries: $0.baseAddress, type: 0xdead_beef, entryLen: 16, entryNum: 1).0 }
            #expect(e2 == .E2BIG)
        }
        #expect(destroy(x.ctx, vdev) == nil)
    }

    @Test func hwQueue() throws {
        let x = try Fixture()
        let v = x.viommu
        var iova = MOCK_APERTURE_START
        func alloc(type: UInt32, index: UInt32, iova: UInt64, length: UInt64) throws -> UInt32 {
            var cmd = iommu_hw_queue_alloc()
            cmd.size = 40
            cmd.viommu_id = v
            cmd.type = type
            cmd.index = index
            cmd.nesting_parent_iova = iova
            cmd.length = length
            try x.ctx.ioctl(.IOMMU_HW_QUEUE_ALLOC, &cmd)
            return cmd.out_hw_queue_id
        }
        #expect(failure { _ = try alloc(type: 0, index: 0, iova: iova, length: PAGE_SIZE) } == .EOPNOTSUPP)
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 0, iova: iova, length: 0) } == .EINVAL)
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 0, iova: .max, length: PAGE_SIZE) } == .EOVERFLOW)
        // Missing iova
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 0, iova: iova, length: PAGE_SIZE) } == .ENOENT)
        iova = try x.f.ioas.map(userAddress: x.f.buffer.base, length: PAGE_SIZE)
        let iova2 = try x.f.ioas.map(userAddress: x.f.buffer.at(PAGE_SIZE), length: PAGE_SIZE)
        // Must start from index 0; index MAX is EINVAL
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 1, iova: iova, length: PAGE_SIZE) } == .EIO)
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 2, iova: iova, length: PAGE_SIZE) } == .EINVAL)
        let q0 = try alloc(type: HW_QUEUE_SELFTEST, index: 0, iova: iova, length: PAGE_SIZE)
        #expect(failure { _ = try alloc(type: HW_QUEUE_SELFTEST, index: 0, iova: iova, length: PAGE_SIZE) } == .EEXIST)
        // The queue owns the IOVA: unmap is EBUSY; the 2nd page is free
        #expect(failure { try x.f.ioas.unmap(iova: iova, length: PAGE_SIZE) } == .EBUSY)
        try x.f.ioas.unmap(iova: iova2, length: PAGE_SIZE)
        // Index 1, unaligned
        let q1 = try alloc(type: HW_QUEUE_SELFTEST, index: 1, iova: iova + PAGE_SIZE / 2, length: PAGE_SIZE / 2)
        // q1 depends on q0
        #expect(destroy(x.ctx, q0) == .EBUSY)
        #expect(destroy(x.ctx, q1) == nil)
        #expect(destroy(x.ctx, q0) == nil)
        try x.f.ioas.unmap(iova: iova, length: PAGE_SIZE)
    }

    @Test func vdeviceTombstone() throws {
        let x = try Fixture()
        let vdev = try vdeviceAlloc(x.ctx, viommu: x.viommu, devID: x.dev.boundID, virtID: 0x99)
        try x.dev.destroy()
        #expect(destroy(x.ctx, vdev) == .ENOENT)
        #expect(x.ctx.backend is ModelBackend)
        #expect((x.ctx.backend as! ModelBackend).tombstones(fd: x.ctx.fd) == [vdev])
        // The tombstoned id is not reused
        let next = try x.ctx.allocIOAS()
        #expect(next.id != vdev)
    }

    // MARK: PASID (iommufd_device_pasid)

    @Test(arguments: [true, false]) func pasidAttach(pasidCapable: Bool) throws {
        let f = try IOASFixture()
        let dev = try f.ctx.addMockDevice(attachedTo: f.ioas, flags: .pasid)
        let noPasid = pasidCapable ? nil : try f.ctx.addMockDevice(attachedTo: f.ioas)
        let ctx = f.ctx
        let devID = dev.boundID
        func target(_ id: UInt32) -> IDTarget { IDTarget(id: id, context: ctx) }
        func check(_ pasid: UInt32, _ hwpt: UInt32) throws { try dev.checkPASID(pasid, attachedTo: hwpt) }
        var pasid: UInt32 = 100
        // Detaching a PASID that was never attached does not fail
        try dev.detach(pasid: pasid)
        let parent = try hwptAlloc(ctx, devID: devID, ptID: f.ioas.id, flags: 1)
        let nested0 = try hwptAllocNested(ctx, devID: devID, parentID: parent, flags: 8)
        let nested1 = try hwptAllocNested(ctx, devID: devID, parentID: parent, flags: 8)
        let fault = try ctx.allocFaultQueue()
        let iopf = try hwptAllocNested(ctx, devID: devID, parentID: parent, flags: 4 | 8, faultID: fault.id)
        let viommu = try viommuAlloc(ctx, devID: devID, hwptID: parent, type: VIOMMU_SELFTEST)
        _ = try hwptAllocNested(ctx, devID: devID, parentID: viommu, flags: 8)
        let s2 = try hwptAlloc(ctx, devID: devID, ptID: f.ioas.id, flags: 8)
        // RID on a non-PASID-compat domain: attaching a PASID fails
        try dev.replace(with: target(parent))
        #expect(failure { try dev.attach(pasid: pasid, to: target(s2)) } == .EINVAL)
        // RID on a PASID-compat domain: the PASID attach works, and the RID cannot go back
        try dev.replace(with: target(s2))
        try dev.attach(pasid: pasid, to: target(nested0))
        #expect(failure { try dev.replace(with: target(parent)) } == .EINVAL)
        try dev.detach(pasid: pasid)
        try check(pasid, 0)
        if let noPasid {
            // A PASID-compat domain can serve a device without PASIDs
            try noPasid.replace(with: target(nested0))
            try noPasid.replace(with: f.ioas)
            // but its PASIDs cannot be attached (its RID is on a non-PASID auto domain)
            #expect(failure { try noPasid.attach(pasid: pasid, to: target(parent)) } == .EINVAL)
            #expect(failure { try noPasid.attach(pasid: pasid, to: target(s2)) } == .EINVAL)
        }
        // A non-PASID hwpt on a PASID: EINVAL, nothing attached
        #expect(failure { try dev.attach(pasid: pasid, to: target(parent)) } == .EINVAL)
        try check(pasid, 0)
        // An IOAS on a PASID: the automatic domain is not PASID-compat, EINVAL
        #expect(failure { try dev.attach(pasid: pasid, to: f.ioas) } == .EINVAL)
        try check(pasid, 0)
        // s2 on pasid 100
        try dev.attach(pasid: pasid, to: target(s2))
        try check(pasid, s2)
        // Attach does not overwrite: EBUSY
        #expect(failure { try dev.attach(pasid: pasid, to: target(nested0)) } == .EBUSY)
        try dev.detach(pasid: pasid)
        try check(pasid, 0)
        try dev.attach(pasid: pasid, to: target(nested0))
        try check(pasid, nested0)
        #expect(failure { try dev.attach(pasid: pasid, to: target(nested0)) } == .EBUSY)
        try dev.detach(pasid: pasid)
        // Replace
        pasid = 200
        #expect(failure { try dev.replace(pasid: pasid, with: target(s2)) } == .EINVAL)
        try dev.attach(pasid: pasid, to: target(s2))
        try check(pasid, s2)
        #expect(failure { try dev.replace(pasid: pasid, with: f.ioas) } == .EINVAL)
        try check(pasid, s2)
        try dev.replace(pasid: pasid, with: target(nested0))
        try check(pasid, nested0)
        try dev.replace(pasid: pasid, with: target(nested1))
        try check(pasid, nested1)
        try dev.detach(pasid: pasid)
        // PASID 1024: the mock fails every second set_dev_pasid to test the rollback
        pasid = 1024
        try dev.attach(pasid: pasid, to: target(s2))
        try check(pasid, s2)
        #expect(failure { try dev.replace(pasid: pasid, with: target(nested0)) } == .ENOMEM)
        try check(pasid, s2)
        try dev.replace(pasid: pasid, with: target(nested0))
        try check(pasid, nested0)
        try dev.detach(pasid: pasid)
        // An IOPF-capable hwpt on pasid 2048 gets the PASID's faults
        pasid = 2048
        try dev.attach(pasid: pasid, to: target(iopf))
        try check(pasid, iopf)
        try dev.triggerPageFault(pasid: pasid, groupID: 2, permissions: 3, address: 0xdead_beaf)
        let faults = try fault.readFaults()
        #expect(faults.count == 1 && faults.first?.pasid == 2048)
        try fault.respond(PageResponse(cookie: faults[0].cookie, code: .success))
        try dev.replace(pasid: pasid, with: target(s2))
        try check(pasid, s2)
        try dev.detach(pasid: pasid)
        #expect(destroy(ctx, iopf) == nil)
        // PASID_CHECK_HWPT: a non-HWPT id is EINVAL, an unknown one ENOENT
        #expect(failure { try check(1, f.ioas.id) } == .EINVAL)
        #expect(failure { try check(1, 999) } == .ENOENT)
        // IOPF through a PASID
        try dev.replace(with: target(s2))
        try dev.destroy()
        try fault.destroy()
    }

    @Test func pasidBeyondTheDeviceWidth() throws {
        let f = try IOASFixture()
        let dev = try f.ctx.addMockDevice(attachedTo: f.ioas, flags: .pasid)
        let s2 = try hwptAlloc(f.ctx, devID: dev.boundID, ptID: f.ioas.id, flags: 8)
        try dev.replace(with: IDTarget(id: s2, context: f.ctx))
        #expect(failure { try dev.attach(pasid: 1 << 20, to: IDTarget(id: s2, context: f.ctx)) } == .EINVAL)
        try dev.attach(pasid: (1 << 20) - 1, to: IDTarget(id: s2, context: f.ctx))
        // A PASID attachment keeps the device: destroying the HWPT is EBUSY
        #expect(destroy(f.ctx, s2) == .EBUSY)
        try dev.detach(pasid: (1 << 20) - 1)
    }
}
