import CIOMMUFD
import Testing
@testable import IOMMUFD

/// Request numbers as literals (Linux 7.2; uapi-facts.md §1.2 and §2): every one is _IO(';', nr),
/// so the value is 0x3b00 | nr with no size or direction bits.
private let expectedIOMMUFD: [(String, UInt)] = [
    ("IOMMU_DESTROY", 0x3b80),
    ("IOMMU_IOAS_ALLOC", 0x3b81),
    ("IOMMU_IOAS_ALLOW_IOVAS", 0x3b82),
    ("IOMMU_IOAS_COPY", 0x3b83),
    ("IOMMU_IOAS_IOVA_RANGES", 0x3b84),
    ("IOMMU_IOAS_MAP", 0x3b85),
    ("IOMMU_IOAS_UNMAP", 0x3b86),
    ("IOMMU_OPTION", 0x3b87),
    ("IOMMU_VFIO_IOAS", 0x3b88),
    ("IOMMU_HWPT_ALLOC", 0x3b89),
    ("IOMMU_GET_HW_INFO", 0x3b8a),
    ("IOMMU_HWPT_SET_DIRTY_TRACKING", 0x3b8b),
    ("IOMMU_HWPT_GET_DIRTY_BITMAP", 0x3b8c),
    ("IOMMU_HWPT_INVALIDATE", 0x3b8d),
    ("IOMMU_FAULT_QUEUE_ALLOC", 0x3b8e),
    ("IOMMU_IOAS_MAP_FILE", 0x3b8f),
    ("IOMMU_VIOMMU_ALLOC", 0x3b90),
    ("IOMMU_VDEVICE_ALLOC", 0x3b91),
    ("IOMMU_IOAS_CHANGE_PROCESS", 0x3b92),
    ("IOMMU_VEVENTQ_ALLOC", 0x3b93),
    ("IOMMU_HW_QUEUE_ALLOC", 0x3b94),
]

private let expectedVFIO: [(String, UInt)] = [
    ("VFIO_GET_API_VERSION", 0x3b64),
    ("VFIO_CHECK_EXTENSION", 0x3b65),
    ("VFIO_SET_IOMMU", 0x3b66),
    ("VFIO_GROUP_GET_STATUS", 0x3b67),
    ("VFIO_GROUP_SET_CONTAINER", 0x3b68),
    ("VFIO_GROUP_UNSET_CONTAINER", 0x3b69),
    ("VFIO_GROUP_GET_DEVICE_FD", 0x3b6a),
    ("VFIO_DEVICE_GET_INFO", 0x3b6b),
    ("VFIO_DEVICE_GET_REGION_INFO", 0x3b6c),
    ("VFIO_DEVICE_RESET", 0x3b6f),
    ("VFIO_IOMMU_GET_INFO", 0x3b70),
    ("VFIO_DEVICE_GET_PCI_HOT_RESET_INFO", 0x3b70),
    ("VFIO_IOMMU_MAP_DMA", 0x3b71),
    ("VFIO_DEVICE_PCI_HOT_RESET", 0x3b71),
    ("VFIO_IOMMU_UNMAP_DMA", 0x3b72),
    ("VFIO_DEVICE_FEATURE", 0x3b75),
    ("VFIO_IOMMU_DIRTY_PAGES", 0x3b75),
    ("VFIO_DEVICE_BIND_IOMMUFD", 0x3b76),
    ("VFIO_DEVICE_ATTACH_IOMMUFD_PT", 0x3b77),
    ("VFIO_DEVICE_DETACH_IOMMUFD_PT", 0x3b78),
]

@Suite("ioctl request numbers (Linux 7.2)")
struct IoctlRequestTests {
    @Test func iommufdRequestValues() {
        #expect(IoctlRequest.IOMMU_DESTROY.value == 0x3b80)
        #expect(IoctlRequest.IOMMU_IOAS_ALLOC.value == 0x3b81)
        #expect(IoctlRequest.IOMMU_IOAS_ALLOW_IOVAS.value == 0x3b82)
        #expect(IoctlRequest.IOMMU_IOAS_COPY.value == 0x3b83)
        #expect(IoctlRequest.IOMMU_IOAS_IOVA_RANGES.value == 0x3b84)
        #expect(IoctlRequest.IOMMU_IOAS_MAP.value == 0x3b85)
        #expect(IoctlRequest.IOMMU_IOAS_UNMAP.value == 0x3b86)
        #expect(IoctlRequest.IOMMU_OPTION.value == 0x3b87)
        #expect(IoctlRequest.IOMMU_VFIO_IOAS.value == 0x3b88)
        #expect(IoctlRequest.IOMMU_HWPT_ALLOC.value == 0x3b89)
        #expect(IoctlRequest.IOMMU_GET_HW_INFO.value == 0x3b8a)
        #expect(IoctlRequest.IOMMU_HWPT_SET_DIRTY_TRACKING.value == 0x3b8b)
        #expect(IoctlRequest.IOMMU_HWPT_GET_DIRTY_BITMAP.value == 0x3b8c)
        #expect(IoctlRequest.IOMMU_HWPT_INVALIDATE.value == 0x3b8d)
        #expect(IoctlRequest.IOMMU_FAULT_QUEUE_ALLOC.value == 0x3b8e)
        #expect(IoctlRequest.IOMMU_IOAS_MAP_FILE.value == 0x3b8f)
        #expect(IoctlRequest.IOMMU_VIOMMU_ALLOC.value == 0x3b90)
        #expect(IoctlRequest.IOMMU_VDEVICE_ALLOC.value == 0x3b91)
        #expect(IoctlRequest.IOMMU_IOAS_CHANGE_PROCESS.value == 0x3b92)
        #expect(IoctlRequest.IOMMU_VEVENTQ_ALLOC.value == 0x3b93)
        #expect(IoctlRequest.IOMMU_HW_QUEUE_ALLOC.value == 0x3b94)
        // rust-vmm's binding tests IOAS_ALLOC as decimal 15233.
        #expect(IoctlRequest.IOMMU_IOAS_ALLOC.value == 15233)
    }

    @Test func vfioRequestValues() {
        #expect(IoctlRequest.VFIO_GET_API_VERSION.value == 0x3b64)
        #expect(IoctlRequest.VFIO_CHECK_EXTENSION.value == 0x3b65)
        #expect(IoctlRequest.VFIO_SET_IOMMU.value == 0x3b66)
        #expect(IoctlRequest.VFIO_GROUP_GET_STATUS.value == 0x3b67)
        #expect(IoctlRequest.VFIO_GROUP_SET_CONTAINER.value == 0x3b68)
        #expect(IoctlRequest.VFIO_GROUP_UNSET_CONTAINER.value == 0x3b69)
        #expect(IoctlRequest.VFIO_GROUP_GET_DEVICE_FD.value == 0x3b6a)
        #expect(IoctlRequest.VFIO_DEVICE_GET_INFO.value == 0x3b6b)
        #expect(IoctlRequest.VFIO_DEVICE_GET_REGION_INFO.value == 0x3b6c)
        #expect(IoctlRequest.VFIO_DEVICE_RESET.value == 0x3b6f)
        #expect(IoctlRequest.VFIO_IOMMU_GET_INFO.value == 0x3b70)
        #expect(IoctlRequest.VFIO_DEVICE_GET_PCI_HOT_RESET_INFO.value == 0x3b70)
        #expect(IoctlRequest.VFIO_IOMMU_MAP_DMA.value == 0x3b71)
        #expect(IoctlRequest.VFIO_DEVICE_PCI_HOT_RESET.value == 0x3b71)
        #expect(IoctlRequest.VFIO_IOMMU_UNMAP_DMA.value == 0x3b72)
        #expect(IoctlRequest.VFIO_DEVICE_FEATURE.value == 0x3b75)
        #expect(IoctlRequest.VFIO_IOMMU_DIRTY_PAGES.value == 0x3b75)
        #expect(IoctlRequest.VFIO_DEVICE_BIND_IOMMUFD.value == 0x3b76)
        #expect(IoctlRequest.VFIO_DEVICE_ATTACH_IOMMUFD_PT.value == 0x3b77)
        #expect(IoctlRequest.VFIO_DEVICE_DETACH_IOMMUFD_PT.value == 0x3b78)
    }

    @Test func selftestRequestValue() {
        #expect(IoctlRequest.IOMMU_TEST_CMD.value == 0x3ba0)
        #expect(IoctlRequest.IOMMU_TEST_CMD.name == "IOMMU_TEST_CMD")
        #expect(IoctlRequest.allSelftest == [.IOMMU_TEST_CMD])
        #expect(IoctlRequest.IOMMU_TEST_CMD.nr == 0x80 + 32)
    }

    /// The CIOMMUFD_ enumerators the Swift constants are built from.
    @Test func shimEnumerators() {
        #expect(CIOMMUFD_IOMMUFD_TYPE == 0x3b)
        #expect(CIOMMUFD_VFIO_TYPE == 0x3b)
        #expect(CIOMMUFD_VFIO_BASE == 100)
        #expect(CIOMMUFD_IOMMU_DESTROY == 0x3b80)
        #expect(CIOMMUFD_IOMMU_IOAS_MAP == 0x3b85)
        #expect(CIOMMUFD_IOMMU_HW_QUEUE_ALLOC == 0x3b94)
        #expect(CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD == 0x3b76)
        #expect(CIOMMUFD_VFIO_IOMMU_MAP_DMA == 0x3b71)
        #expect(CIOMMUFD_IOMMU_TEST_CMD == 0x3ba0)
        #expect(IOMMUFD_CMD_BASE == 0x80)
        #expect(IOMMUFD_CMD_HW_QUEUE_ALLOC == 0x94)
    }

    @Test func allIOMMUFDHas21CommandsInNrOrder() {
        let all = IoctlRequest.allIOMMUFD
        #expect(all.count == 21)
        #expect(all.map(\.name) == expectedIOMMUFD.map(\.0))
        #expect(all.map(\.value) == expectedIOMMUFD.map(\.1))
        for (index, request) in all.enumerated() {
            #expect(Int(request.nr) == 0x80 + index, "\(request.name)")
            #expect(request.ioctlType == 0x3b, "\(request.name)")
            // _IO(): no size and no direction bits above the type byte.
            #expect(request.value >> 16 == 0, "\(request.name)")
        }
    }

    @Test func allVFIOInNrOrder() {
        let all = IoctlRequest.allVFIO
        #expect(all.count == 20)
        #expect(all.map(\.name) == expectedVFIO.map(\.0))
        #expect(all.map(\.value) == expectedVFIO.map(\.1))
        #expect(all.map(\.nr) == all.map(\.nr).sorted())
        for request in all {
            #expect(request.ioctlType == 0x3b && request.nr >= 100, "\(request.name)")
        }
    }

    @Test func namesAreUniqueAndMatchTheKernel() {
        let all = IoctlRequest.all
        #expect(all.count == 21 + 20 + 1)
        #expect(Set(all.map(\.name)).count == all.count)
        for request in all {
            #expect(request.description == request.name)
            #expect(request.name.hasPrefix("IOMMU_") || request.name.hasPrefix("VFIO_"))
        }
    }

    @Test func lookupByName() {
        for (name, value) in expectedIOMMUFD + expectedVFIO + [("IOMMU_TEST_CMD", 0x3ba0)] {
            #expect(IoctlRequest.named(name)?.value == value, "\(name)")
        }
        #expect(IoctlRequest.named("IOMMU_IOAS_NOIOMMU_GET_PA") == nil)
        #expect(IoctlRequest.named("iommu_ioas_map") == nil)
    }

    @Test func lookupByValue() {
        for (name, value) in expectedIOMMUFD {
            #expect(IoctlRequest.forValue(value)?.name == name)
            #expect(IoctlRequest.allForValue(value).count == 1)
        }
        #expect(IoctlRequest.forValue(0x3ba0) == .IOMMU_TEST_CMD)
        #expect(IoctlRequest.forValue(0x3b76) == .VFIO_DEVICE_BIND_IOMMUFD)
        // VFIO reuses numbers across fd types.
        #expect(IoctlRequest.forValue(0x3b70) == .VFIO_IOMMU_GET_INFO)
        #expect(IoctlRequest.allForValue(0x3b70) == [.VFIO_IOMMU_GET_INFO, .VFIO_DEVICE_GET_PCI_HOT_RESET_INFO])
        #expect(IoctlRequest.forValue(0x3b71) == .VFIO_IOMMU_MAP_DMA)
        #expect(IoctlRequest.allForValue(0x3b71) == [.VFIO_IOMMU_MAP_DMA, .VFIO_DEVICE_PCI_HOT_RESET])
        #expect(IoctlRequest.forValue(0x3b75) == .VFIO_DEVICE_FEATURE)
        #expect(IoctlRequest.allForValue(0x3b75) == [.VFIO_DEVICE_FEATURE, .VFIO_IOMMU_DIRTY_PAGES])
        // 0x3b95 is IOMMU_IOAS_NOIOMMU_GET_PA in a tree newer than 7.2; 0x3b7f is unused.
        #expect(IoctlRequest.forValue(0x3b95) == nil)
        #expect(IoctlRequest.forValue(0x3b7f) == nil)
        // An _IOWR encoding of IOAS_MAP is a different number (the kernel answers ENOTTY).
        #expect(IoctlRequest.forValue(0xc028_3b85) == nil)
    }
}

@Suite("argument struct helpers")
struct StructSizeTests {
    @Test func zeroedIsAllZeroBytes() {
        let map: iommu_ioas_map = zeroed()
        withUnsafeBytes(of: map) { bytes in
            #expect(bytes.count == 40)
            #expect(bytes.allSatisfy { $0 == 0 })
        }
        let info: iommu_hw_info = zeroed()
        #expect(info.out_data_type == 0 && info.out_capabilities == 0)
        let cmd: iommu_test_cmd = zeroed()
        withUnsafeBytes(of: cmd) { bytes in #expect(bytes.allSatisfy { $0 == 0 }) }
    }

    @Test func sizedMatchesTheStructSize() {
        #expect(sized(iommu_destroy.self) == 8)
        #expect(sized(iommu_hwpt_alloc.self) == 48)
        #expect(sized(iommu_hw_info.self) == 40)
        #expect(sized(vfio_device_bind_iommufd.self) == 24)
        #expect(sized(vfio_device_feature.self) == 8)
        #expect(sized(iommu_test_cmd.self) == 72)
    }

    @Test func argumentStructBuiltInSwift() {
        var map: iommu_ioas_map = zeroed()
        map.size = sized(iommu_ioas_map.self)
        map.flags = IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | IOMMU_IOAS_MAP_READABLE.rawValue
        map.iova = 0x1000
        withUnsafeBytes(of: map) { bytes in
            #expect(bytes.load(fromByteOffset: 0, as: UInt32.self) == 40)
            #expect(bytes.load(fromByteOffset: 4, as: UInt32.self) == 5)
            #expect(bytes.load(fromByteOffset: 32, as: UInt64.self) == 0x1000)
        }
    }
}
