import CIOMMUFD
@testable import IOMMUFD
import Testing

/// The README's API tour, call for call, on a recording backend: it must compile against the
/// public API and put the calls on the wire in the order the README describes.
@Suite("README tour")
struct ReadmeTourTests {
    @Test func theTourRunsAsWritten() throws {
        let backend = RecordingBackend { request, raw, buffers in
            switch request {
            case .VFIO_DEVICE_BIND_IOMMUFD: store(1, at: 12, in: raw)
            case .IOMMU_GET_HW_INFO:
                store(1, at: 24, in: raw)  // INTEL_VTD
                store(24, at: 12, in: raw)
                if let data = buffers.first?.pointer {
                    data.storeBytes(of: UInt64(0x00d2_008c_2226_0286), toByteOffset: 8, as: UInt64.self)
                    data.storeBytes(of: UInt64(0x4800_80f0_0f4a), toByteOffset: 16, as: UInt64.self)
                }
            case .IOMMU_IOAS_ALLOC: store(2, at: 8, in: raw)
            case .IOMMU_HWPT_ALLOC: store(raw.load(fromByteOffset: 12, as: UInt32.self) + 10, at: 16, in: raw)
            case .IOMMU_VIOMMU_ALLOC: store(20, at: 20, in: raw)
            case .IOMMU_VDEVICE_ALLOC: store(21, at: 12, in: raw)
            case .IOMMU_VEVENTQ_ALLOC: store(22, at: 20, in: raw); store(60, at: 24, in: raw)
            default: break
            }
            return .success(0)
        }
        let guestMemory = UnsafeMutableRawBufferPointer.allocate(byteCount: 0x20_0000, alignment: 4096)
        defer { guestMemory.deallocate() }
        let guestPGD: UInt64 = 0x8000_1000
        let cdTableIPA: UInt64 = 0x8000_2000

        let iommufd = try IOMMUFD(backend: backend)
        let device = try VFIODevice(path: "/dev/vfio/devices/vfio0", backend: backend)
        try device.bind(to: iommufd)
        let info = try device.hwInfo()
        var reasons: [String] = []
        if case .intelVTD(_, let cap, let ecap) = info.data {
            let verdict = NestingVerdict.vtd(cap: VTDCapability(rawValue: cap), ecap: VTDExtendedCapability(rawValue: ecap))
            reasons = verdict.reasons
        }
        #expect(reasons.contains("VT-d ecap.NEST=0: this IOMMU cannot nest"))

        let ioas = try iommufd.allocIOAS()
        try ioas.map(guestMemory, iova: 0x8000_0000)
        let parent = try iommufd.allocHWPT(device: device, ioas: ioas, flags: .nestParent)

        let s1 = try VTDStage1Config(pageTableAddress: guestPGD, addressWidth: .fourLevel)
        let nested = try iommufd.allocNestedHWPT(device: device, parent: parent,
                                                 data: HWPTData(type: HWPTData.typeVTDStage1, bytes: s1.bytes))
        try device.attach(to: nested)
        try nested.invalidate(InvalidationRequest(dataType: InvalidationRequest.typeVTDStage1, entryLength: 24,
                                                  entries: [VTDStage1Invalidation.all.bytes]))

        let viommu = try iommufd.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue)
        let vdevice = try viommu.allocVDevice(device: device, virtualID: 0x10)
        let events = try viommu.allocEventQueue(type: 1, depth: 64)
        let vste = try SMMUv3VSTE.translate(contextDescriptorTable: cdTableIPA)
        let s1hwpt = try viommu.allocNestedHWPT(device: device, data: HWPTData(type: HWPTData.typeARMSMMUv3, bytes: vste.bytes))
        try device.attach(to: s1hwpt)
        try viommu.invalidate(InvalidationRequest(dataType: InvalidationRequest.typeARMSMMUv3, entryLength: 16,
                                                  entries: [try SMMUv3Command(.tlbiNHAll).bytes]))
        #expect(try events.read().isEmpty)

        let requests = backend.calls.map(\.request.name)
        #expect(requests == [
            "VFIO_DEVICE_BIND_IOMMUFD", "IOMMU_GET_HW_INFO", "IOMMU_IOAS_ALLOC", "IOMMU_IOAS_MAP", "IOMMU_HWPT_ALLOC",
            "IOMMU_HWPT_ALLOC", "VFIO_DEVICE_ATTACH_IOMMUFD_PT", "IOMMU_HWPT_INVALIDATE", "IOMMU_VIOMMU_ALLOC",
            "IOMMU_VDEVICE_ALLOC", "IOMMU_VEVENTQ_ALLOC", "IOMMU_HWPT_ALLOC", "VFIO_DEVICE_ATTACH_IOMMUFD_PT",
            "IOMMU_HWPT_INVALIDATE",
        ])
        withExtendedLifetime(vdevice) {}
    }
}
