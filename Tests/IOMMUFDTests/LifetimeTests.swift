import CIOMMUFD
@testable import IOMMUFD
import Testing

/// Objects destroy themselves in the kernel's order, and anything left behind is visible.
@Suite("Object lifetimes")
struct LifetimeTests {
    @Test func droppedObjectsAreDestroyedChildBeforeParent() throws {
        let backend = RecordingBackend { request, raw, _ in
            switch request {
            case .IOMMU_IOAS_ALLOC: store(1, at: 8, in: raw)
            case .IOMMU_HWPT_ALLOC:
                let pt = raw.load(fromByteOffset: 12, as: UInt32.self)
                store(pt == 1 ? 2 : 3, at: 16, in: raw)
            default: break
            }
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        do {
            let device = FakeDevice(context: ctx, id: 40)
            let ioas = try ctx.allocIOAS()
            let parent = try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
            let nested = try ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: 0xdead, bytes: [0, 0, 0, 0]))
            #expect(ctx.liveObjects.map(\.id) == [1, 2, 3])
            withExtendedLifetime(nested) {}
        }
        let destroyed = backend.calls.filter { $0.request == .IOMMU_DESTROY }.map { $0.argument.u32(4) }
        #expect(destroyed == [3, 2, 1], "nested, then its parent, then the IOAS")
        #expect(ctx.liveObjects.isEmpty)
        #expect(ctx.cleanupFailures.isEmpty)
    }

    @Test func aRefusedAutomaticDestroyIsRecordedAndTheObjectStaysInTheLedger() throws {
        let backend = RecordingBackend { request, raw, _ in
            if request == .IOMMU_IOAS_ALLOC { store(4, at: 8, in: raw) }
            if request == .IOMMU_DESTROY { return .failure(.EBUSY) }
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        do { _ = try ctx.allocIOAS() }
        #expect(ctx.liveObjects.map(\.description) == ["ioas 4"])
        #expect(ctx.cleanupFailures.map(\.errno) == [.EBUSY])
    }

    @Test func explicitDestroyUnregistersAndTheContextClosesItsFdLast() throws {
        let backend = RecordingBackend { request, raw, _ in
            if request == .IOMMU_IOAS_ALLOC { store(1, at: 8, in: raw) }
            return .success(0)
        }
        var fd: Int32 = -1
        do {
            let ctx = try IOMMUFD(backend: backend)
            fd = ctx.fd
            let ioas = try ctx.allocIOAS()
            try ioas.destroy()
            #expect(ctx.liveObjects.isEmpty)
            #expect(backend.closed.isEmpty)
        }
        #expect(backend.closed == [fd])
    }
}
