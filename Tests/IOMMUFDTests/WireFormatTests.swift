import CIOMMUFD
@testable import IOMMUFD
import Testing

/// What the typed API sends: the kernel's request numbers, the newest struct sizes, the fields
/// in place, and pointers declared as buffers for backends that cannot share memory.
@Suite("Typed API on the wire")
struct WireFormatTests {
    /// Answers IOAS_ALLOC with id 7 and echoes everything else.
    static func allocating() -> RecordingBackend {
        RecordingBackend { request, raw, _ in
            if request == .IOMMU_IOAS_ALLOC { store(7, at: 8, in: raw) }
            if request == .IOMMU_HWPT_ALLOC { store(9, at: 16, in: raw) }
            return .success(0)
        }
    }

    @Test func ioasAllocSendsSize12AndReturnsTheKernelsID() throws {
        let backend = Self.allocating()
        let ctx = try IOMMUFD(backend: backend)
        let ioas = try ctx.allocIOAS()
        #expect(ioas.id == 7)
        let call = try #require(backend.calls.first)
        #expect(call.request.value == 0x3b81)
        #expect(call.argument.count == 12)
        #expect(call.argument.u32(0) == 12)
        #expect(ctx.liveObjects.map(\.id) == [7])
    }

    @Test func fixedMapSetsFixedReadWriteAndDeclaresUserMemory() throws {
        let backend = Self.allocating()
        let ctx = try IOMMUFD(backend: backend)
        let ioas = try ctx.allocIOAS()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 0x2000, alignment: 4096)
        defer { memory.deallocate() }
        try ioas.map(memory, iova: 0x100000)
        let call = try #require(backend.calls.last)
        #expect(call.request == .IOMMU_IOAS_MAP)
        #expect(call.argument.u32(0) == 40)
        #expect(call.argument.u32(4) == 0x7, "FIXED_IOVA | WRITEABLE | READABLE")
        #expect(call.argument.u32(8) == 7)
        #expect(call.argument.u64(16) == UInt64(UInt(bitPattern: memory.baseAddress)))
        #expect(call.argument.u64(24) == 0x2000)
        #expect(call.argument.u64(32) == 0x100000)
        #expect(call.buffers.first?.offset == 16)
        #expect(call.buffers.first?.direction == .userMemory)
    }

    @Test func automaticMapLeavesFixedClearAndReturnsTheChosenIOVA() throws {
        let backend = RecordingBackend { request, raw, _ in
            if request == .IOMMU_IOAS_ALLOC { store(1, at: 8, in: raw) }
            if request == .IOMMU_IOAS_MAP { raw.storeBytes(of: UInt64(0x4000_0000), toByteOffset: 32, as: UInt64.self) }
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        let ioas = try ctx.allocIOAS()
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 0x1000, alignment: 4096)
        defer { memory.deallocate() }
        let iova = try ioas.map(memory, permissions: .read)
        #expect(iova == 0x4000_0000)
        #expect(backend.calls.last?.argument.u32(4) == IOMMU_IOAS_MAP_READABLE.rawValue)
    }

    @Test func hwptAllocWithDataAndFaultQueueFillsEveryField() throws {
        let backend = RecordingBackend { request, raw, _ in
            switch request {
            case .IOMMU_IOAS_ALLOC: store(1, at: 8, in: raw)
            case .IOMMU_FAULT_QUEUE_ALLOC: store(2, at: 8, in: raw); store(50, at: 12, in: raw)
            case .IOMMU_HWPT_ALLOC: store(3, at: 16, in: raw)
            default: break
            }
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        let device = FakeDevice(context: ctx, id: 40)
        let ioas = try ctx.allocIOAS()
        let queue = try ctx.allocFaultQueue()
        let parent = try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent, faultQueue: nil)
        let config = try VTDStage1Config(pageTableAddress: 0x1000, addressWidth: .fourLevel)
        let nested = try ctx.allocNestedHWPT(device: device, parent: parent,
                                             data: HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes), faultQueue: queue)
        let call = try #require(backend.calls.last)
        #expect(call.request == .IOMMU_HWPT_ALLOC)
        #expect(call.argument.count == 48)
        #expect(call.argument.u32(4) == IOMMU_HWPT_FAULT_ID_VALID.rawValue)
        #expect(call.argument.u32(8) == 40)
        #expect(call.argument.u32(12) == parent.id)
        #expect(call.argument.u32(24) == 1, "IOMMU_HWPT_DATA_VTD_S1")
        #expect(call.argument.u32(28) == 24)
        #expect(call.argument.u32(40) == 2, "fault_id")
        #expect(call.buffers.map(\.offset) == [32])
        #expect(nested.flags.contains(.faultIDValid))
    }

    @Test func invalidationFailureCarriesEntriesHandled() throws {
        let backend = RecordingBackend { request, raw, _ in
            switch request {
            case .IOMMU_IOAS_ALLOC: store(1, at: 8, in: raw)
            case .IOMMU_HWPT_ALLOC: store(5, at: 16, in: raw)
            case .IOMMU_HWPT_INVALIDATE:
                store(1, at: 24, in: raw)
                return .failure(.EOPNOTSUPP)
            default: break
            }
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        let device = FakeDevice(context: ctx, id: 40)
        let ioas = try ctx.allocIOAS()
        let parent = try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        let nested = try ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: 0xdead, bytes: [0, 0, 0, 0, 0, 0, 0, 0]))
        let error = #expect(throws: IOMMUFDError.self) {
            try nested.invalidate(InvalidationRequest(dataType: 0, entryLength: 24, entries: [VTDStage1Invalidation.all.bytes, VTDStage1Invalidation.all.bytes]))
        }
        #expect(error?.errno == .EOPNOTSUPP)
        #expect(error?.entriesHandled == 1)
        #expect(error?.description.contains("IOMMU_HWPT_INVALIDATE") == true)
        let call = try #require(backend.calls.last)
        #expect(call.argument.u32(20) == 24, "entry_len")
        #expect(call.argument.u32(24) == 2, "entry_num sent")
    }

    @Test func iovaRangesGrowsTheArrayOnEMSGSIZE() throws {
        let backend = RecordingBackend { request, raw, buffers in
            if request == .IOMMU_IOAS_ALLOC { store(1, at: 8, in: raw); return .success(0) }
            guard request == .IOMMU_IOAS_IOVA_RANGES else { return .success(0) }
            let capacity = raw.load(fromByteOffset: 8, as: UInt32.self)
            store(6, at: 8, in: raw)
            guard capacity >= 6, let out = buffers.first?.pointer else { return .failure(.EMSGSIZE) }
            for i in 0..<6 {
                out.storeBytes(of: UInt64(i * 0x10000), toByteOffset: i * 16, as: UInt64.self)
                out.storeBytes(of: UInt64(i * 0x10000 + 0xfff), toByteOffset: i * 16 + 8, as: UInt64.self)
            }
            raw.storeBytes(of: UInt64(4096), toByteOffset: 24, as: UInt64.self)
            return .success(0)
        }
        let ctx = try IOMMUFD(backend: backend)
        let (ranges, alignment) = try ctx.allocIOAS().iovaRanges()
        #expect(ranges.count == 6)
        #expect(ranges[5] == IOVARange(start: 0x50000, last: 0x50fff))
        #expect(alignment == 4096)
        #expect(backend.calls.filter { $0.request == .IOMMU_IOAS_IOVA_RANGES }.count == 2)
    }
}

/// A bound device stand-in: only its id matters on the wire.
final class FakeDevice: IOMMUDevice {
    let boundContext: IOMMUFD
    let boundID: UInt32
    init(context: IOMMUFD, id: UInt32) {
        boundContext = context
        boundID = id
    }
}
