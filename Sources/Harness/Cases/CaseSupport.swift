import CIOMMUFD
import IOMMUFD

/// The bytes of a C argument struct.
func bytesOf<T>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}

/// Stores a little-endian u32 into a byte image (the `size` field of an argument, say).
func store32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
}

func load32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
}

/// Every iommufd command with its kernel struct size and minimum size (facts §1.2), for the
/// dispatch rules that apply to all of them.
let commandSizes: [(request: IoctlRequest, size: Int, minSize: Int)] = [
    (.IOMMU_DESTROY, 8, 8), (.IOMMU_IOAS_ALLOC, 12, 12), (.IOMMU_IOAS_ALLOW_IOVAS, 24, 24),
    (.IOMMU_IOAS_COPY, 40, 40), (.IOMMU_IOAS_IOVA_RANGES, 32, 32), (.IOMMU_IOAS_MAP, 40, 40),
    (.IOMMU_IOAS_UNMAP, 24, 24), (.IOMMU_OPTION, 24, 24), (.IOMMU_VFIO_IOAS, 12, 12),
    (.IOMMU_HWPT_ALLOC, 48, 24), (.IOMMU_GET_HW_INFO, 40, 32), (.IOMMU_HWPT_SET_DIRTY_TRACKING, 16, 16),
    (.IOMMU_HWPT_GET_DIRTY_BITMAP, 48, 48), (.IOMMU_HWPT_INVALIDATE, 32, 32), (.IOMMU_FAULT_QUEUE_ALLOC, 16, 16),
    (.IOMMU_IOAS_MAP_FILE, 40, 40), (.IOMMU_VIOMMU_ALLOC, 40, 24), (.IOMMU_VDEVICE_ALLOC, 24, 24),
    (.IOMMU_IOAS_CHANGE_PROCESS, 8, 8), (.IOMMU_VEVENTQ_ALLOC, 32, 28), (.IOMMU_HW_QUEUE_ALLOC, 40, 40),
]

/// The whole case catalogue, in the order it runs.
let allCases: [TestCase] = dispatchCases + optionCases + ioasCases + compatCases + mockDeviceCases
    + hwInfoCases + hwptCases + nestedCases + invalidateCases + dirtyCases + faultCases + viommuCases
    + pasidCases + vfioDeviceCases + vendorCases + vtdNestedCases + smmuv3Cases + dmaCases
    + parityDispatchCases + parityIOASCases + parityAccessCases + parityMockDomainCases
    + parityCompatCases + parityCompatMockCases + parityDirtyCases + parityVIOMMUCases + parityDmabufCases
    + parityPASIDCases + parityVIOMMUDetailCases + parityMmapCases

extension CaseRun {
    /// A mapping-sized buffer with a recognisable pattern.
    func patterned(_ length: Int, seed: UInt8 = 0x5a) -> UnsafeMutableRawBufferPointer {
        let buffer = buffer(length)
        for i in 0..<length { buffer[i] = seed &+ UInt8(truncatingIfNeeded: i &* 7) }
        return buffer
    }
}
