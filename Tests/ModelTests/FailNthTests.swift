import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// Fault injection (the kernel's iommufd_fail_nth.c): for n = 1, 2, ... the n-th internal
/// allocation of an operation fails; after every failure the context must be exactly as before
/// (same objects, same users counts, same areas, same fds), and the operation must then succeed.
@Suite("fail_nth")
struct FailNthTests {
    /// What must not change when an operation fails.
    struct Snapshot: Equatable {
        var objects: [ModelObjectInfo]
        var tombstones: [UInt32]
        var files: Int
        var areas: [UInt32: Int]
        var ranges: [UInt32: [IOVARange]]
    }

    static func snapshot(_ b: ModelBackend, _ ctx: IOMMUFD) -> Snapshot {
        let objects = b.objects(fd: ctx.fd)
        var areas: [UInt32: Int] = [:]
        var ranges: [UInt32: [IOVARange]] = [:]
        for o in objects where o.type == "ioas" {
            areas[o.id] = b.ioasStatistics(fd: ctx.fd, ioasID: o.id)?.areas
            var cmd = iommu_ioas_iova_ranges()
            var raw = [iommu_iova_range](repeating: iommu_iova_range(), count: 8)
            cmd.size = 32
            cmd.ioas_id = o.id
            cmd.num_iovas = 8
            raw.withUnsafeMutableBytes { bytes in
                cmd.allowed_iovas = UInt64(UInt(bitPattern: bytes.baseAddress))
                _ = failure { try ctx.ioctl(.IOMMU_IOAS_IOVA_RANGES, &cmd) }
            }
            ranges[o.id] = raw.prefix(Int(min(cmd.num_iovas, 8))).map { IOVARange(start: $0.start, last: $0.last) }
        }
        return Snapshot(objects: objects, tombstones: b.tombstones(fd: ctx.fd), files: b.openFileCount, areas: areas, ranges: ranges)
    }

    /// Runs each step of an operation, checking that a step failing with ENOMEM changed nothing.
    final class Stepper {
        let b: ModelBackend
        let ctx: IOMMUFD
        init(_ b: ModelBackend, _ ctx: IOMMUFD) {
            self.b = b
            self.ctx = ctx
        }

        @discardableResult
        func step<T>(_ what: String, _ body: () throws -> T) throws -> T {
            let before = FailNthTests.snapshot(b, ctx)
            do {
                return try body()
            } catch let e as IOMMUFDError {
                if e.errno == .ENOMEM {
                    #expect(FailNthTests.snapshot(b, ctx) == before, "\(what) left state behind")
                }
                throw e
            }
        }
    }

    /// For n = 1, 2, ...: a fresh context, `setup`, then `op` with the n-th allocation failing,
    /// until `op` runs without reaching n. Each failing step must leave the state as it was,
    /// and closing everything afterwards must release every context and fd (no leaks).
    @discardableResult
    func failNthLoop<State>(devices: [ModelDevice] = [], _ setup: (ModelBackend, IOMMUFD) throws -> State,
                            _ op: (Stepper, State) throws -> Void) throws -> Int {
        var n = 1
        while n < 1000 {
            let b = ModelBackend(profile: .selftest, devices: devices)
            var done = false
            do {
                let ctx = try IOMMUFD(backend: b)
                let state = try setup(b, ctx)
                b.failNth(n)
                let e = failure { try op(Stepper(b, ctx), state) }
                let fired = !b.failNthPending
                b.failNth(0)
                if e == nil && !fired { done = true }
                if let e { #expect(e == .ENOMEM, "n = \(n)") }
            }
            #expect(b.openFileCount == 0, "fds leaked at n = \(n)")
            #expect(b.liveContextCount == 0, "a context leaked at n = \(n)")
            if done { return n - 1 }
            n += 1
        }
        Issue.record("fail_nth did not converge")
        return n
    }

    @Test func basic() throws {
        let buffer = TestBuffer()
        let points = try failNthLoop({ _, ctx in try ctx.allocIOAS() }) { st, ioas in
            let ctx = st.ctx
            let other = try st.step("IOAS_ALLOC") { try ctx.allocIOAS() }
            try st.step("ALLOW_IOVAS") { try ioas.allowIOVAs([IOVARange(start: 0x100000, last: 0x1fffff), IOVARange(start: 0x400000, last: 0x4fffff)]) }
            let iova = try st.step("MAP") { try ioas.map(userAddress: buffer.base, length: PAGE_SIZE) }
            try st.step("COPY") { _ = try other.copy(from: ioas, sourceIOVA: iova, length: PAGE_SIZE) }
            try st.step("ADD_RESERVED") { try ctx.testAddReserved(ioas: other, start: 0x800000, length: PAGE_SIZE) }
            try st.step("UNMAP") { _ = try ioas.unmapAll() }
            try st.step("DESTROY") { try other.destroy() }
        }
        #expect(points > 3)
    }

    @Test func mapDomain() throws {
        let buffer = TestBuffer()
        let points = try failNthLoop({ _, ctx in try ctx.allocIOAS() }) { st, ioas in
            let dev = try st.step("MOCK_DOMAIN") { try st.ctx.addMockDevice(attachedTo: ioas) }
            let iova = try st.step("MAP") { try ioas.map(userAddress: buffer.base, length: 4 * PAGE_SIZE) }
            try st.step("UNMAP") { _ = try ioas.unmap(iova: iova, length: 4 * PAGE_SIZE) }
            try st.step("DESTROY") { try dev.destroy() }
        }
        #expect(points > 5)
    }

    @Test func mapFileDomain() throws {
        let mfd = MemFD()
        try failNthLoop({ _, ctx in try ctx.allocIOAS() }) { st, ioas in
            let dev = try st.step("MOCK_DOMAIN") { try st.ctx.addMockDevice(attachedTo: ioas) }
            let iova = try st.step("MAP_FILE") { try ioas.mapFile(fd: mfd.fd, offset: 0, length: 4 * PAGE_SIZE) }
            try st.step("UNMAP") { _ = try ioas.unmap(iova: iova, length: 4 * PAGE_SIZE) }
            try st.step("DESTROY") { try dev.destroy() }
        }
    }

    @Test func mapTwoDomains() throws {
        let buffer = TestBuffer()
        try failNthLoop({ _, ctx in try ctx.allocIOAS() }) { st, ioas in
            try st.step("OPTION") { try ioas.setHugePages(false) }
            let d1 = try st.step("MOCK_DOMAIN") { try st.ctx.addMockDevice(attachedTo: ioas) }
            let d2 = try st.step("MOCK_DOMAIN") { try st.ctx.addMockDevice(attachedTo: ioas) }
            let iova = try st.step("MAP") { try ioas.map(userAddress: buffer.base, length: 4 * PAGE_SIZE) }
            try st.step("UNMAP") { _ = try ioas.unmap(iova: iova, length: 4 * PAGE_SIZE) }
            try st.step("DESTROY") { try d2.destroy() }
            try st.step("DESTROY") { try d1.destroy() }
        }
    }

    @Test func hwptAndNested() throws {
        try failNthLoop({ _, ctx -> (IOAS, MockDevice) in
            let ioas = try ctx.allocIOAS()
            return (ioas, try ctx.addMockDevice(attachedTo: ioas))
        }) { st, s in
            let (ioas, dev) = s
            let ctx = st.ctx
            let parent = try st.step("HWPT_ALLOC") { try ctx.allocHWPT(device: dev, ioas: ioas, flags: .nestParent) }
            let fault = try st.step("FAULT_QUEUE_ALLOC") { try ctx.allocFaultQueue() }
            var data = SelftestHWPTData()
            let bytes = withUnsafeBytes(of: &data) { Array($0) }
            let nested = try st.step("HWPT_ALLOC nested") {
                try ctx.allocNestedHWPT(device: dev, parent: parent, data: HWPTData(type: 0xdead, bytes: bytes), faultQueue: fault)
            }
            try st.step("REPLACE") { _ = try dev.replace(with: nested) }
            try st.step("TRIGGER_IOPF") { try dev.triggerPageFault() }
            _ = try st.step("read") { try fault.readFaults() }
            try st.step("REPLACE") { _ = try dev.replace(with: ioas) }
            try st.step("DESTROY") { try nested.destroy() }
            try st.step("DESTROY") { try fault.destroy() }
            try st.step("DESTROY") { try parent.destroy() }
        }
    }

    @Test func viommuFamily() throws {
        let buffer = TestBuffer()
        try failNthLoop({ _, ctx -> (IOAS, MockDevice, HWPTPaging) in
            let ioas = try ctx.allocIOAS()
            let dev = try ctx.addMockDevice(attachedTo: ioas)
            return (ioas, dev, try ctx.allocHWPT(device: dev, ioas: ioas, flags: .nestParent))
        }) { st, s in
            let (ioas, dev, parent) = s
            let ctx = st.ctx
            let viommu = try st.step("VIOMMU_ALLOC") {
                try ctx.allocVIOMMU(device: dev, parent: parent, type: 0xdead_beef, data: [UInt8](repeating: 0, count: 24))
            }
            let vdev = try st.step("VDEVICE_ALLOC") { try viommu.allocVDevice(device: dev, virtualID: 0x33) }
            let q = try st.step("VEVENTQ_ALLOC") { try viommu.allocEventQueue(type: 0xbeef_beef, depth: 4) }
            var data = SelftestHWPTData()
            let bytes = withUnsafeBytes(of: &data) { Array($0) }
            let nested = try st.step("HWPT_ALLOC nested") { try viommu.allocNestedHWPT(device: dev, data: HWPTData(type: 0xdead, bytes: bytes)) }
            try st.step("REPLACE") { _ = try dev.replace(with: nested) }
            try st.step("TRIGGER_VEVENT") { try dev.triggerVEvent() }
            _ = try st.step("read") { try q.read() }
            let iova = try st.step("MAP") { try ioas.map(userAddress: buffer.base, length: PAGE_SIZE) }
            let hwq = try st.step("HW_QUEUE_ALLOC") { try viommu.allocHWQueue(type: 0xdead_beef, index: 0, iova: iova, length: PAGE_SIZE) }
            try st.step("DESTROY") { try hwq.destroy() }
            try st.step("UNMAP") { _ = try ioas.unmap(iova: iova, length: PAGE_SIZE) }
            try st.step("REPLACE") { _ = try dev.replace(with: ioas) }
            try st.step("DESTROY") { try nested.destroy() }
            try st.step("DESTROY") { try q.destroy() }
            try st.step("DESTROY") { try vdev.destroy() }
            try st.step("DESTROY") { try viommu.destroy() }
        }
    }

    @Test func device() throws {
        let devices = [ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: 10, cdevName: "vfio0")]
        try failNthLoop(devices: devices, { b, ctx -> (IOAS, VFIODevice) in
            (try ctx.allocIOAS(), try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: b))
        }) { st, s in
            let (ioas, dev) = s
            let ctx = st.ctx
            try st.step("BIND") { try dev.bind(to: ctx) }
            try st.step("ATTACH") { _ = try dev.attach(to: ioas) }
            let s2 = try st.step("HWPT_ALLOC") { try ctx.allocHWPT(device: dev, ioas: ioas, flags: .pasid) }
            try st.step("ATTACH replace") { _ = try dev.attach(to: s2) }
            try st.step("ATTACH pasid") { _ = try dev.attach(pasid: 7, to: s2) }
            try st.step("GET_HW_INFO") { _ = try dev.hwInfo() }
            try st.step("DETACH pasid") { try dev.detach(pasid: 7) }
            try st.step("DETACH") { try dev.detach() }
            try st.step("DESTROY") { try s2.destroy() }
        }
    }

    @Test func failNthDisarmed() throws {
        let b = ModelBackend(profile: .selftest)
        b.failNth(1)
        #expect(b.failNthPending)
        #expect(failure { _ = try IOMMUFD(backend: b) } == .ENOMEM)
        #expect(!b.failNthPending)
        _ = try IOMMUFD(backend: b)
    }
}
