/// `struct iommu_viommu_invalidate_selftest` (12 bytes): one IOMMU_HWPT_INVALIDATE entry for
/// a mock vIOMMU: clear cache slot `cache_id` (0...3) of the device with virtual ID
/// `vdev_id`, or all its slots with ALL. The mock answers EOPNOTSUPP for unknown flags and
/// EINVAL for an index above 3 (even with ALL) or an unknown `vdev_id`.
public struct SelftestVIOMMUInvalidation: InvalidationEntry {
    public static let size = 12
    /// `IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST`.
    public static let invalidationDataType: UInt32 = 0xdeadbeef
    /// `IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID`.
    public static let invalidInvalidationDataType: UInt32 = 0xdadbeef
    /// `MOCK_DEV_CACHE_ID_MAX`.
    public static let maxCacheID: UInt32 = 3
    static let name = "selftest vIOMMU invalidation"

    public private(set) var flags: SelftestInvalidateFlags
    /// `vdev_id`: the virtual ID given at IOMMU_VDEVICE_ALLOC.
    public private(set) var virtualDeviceID: UInt32
    /// `cache_id`.
    public private(set) var cacheID: UInt32

    public init(virtualDeviceID: UInt32, cacheID: UInt32) throws(PayloadError) {
        self.init(uncheckedFlags: 0, virtualDeviceID: virtualDeviceID, cacheID: cacheID)
        if let first = problems.first { throw first }
    }

    /// Clears every cache slot of the device.
    public static func all(virtualDeviceID: UInt32) -> SelftestVIOMMUInvalidation {
        SelftestVIOMMUInvalidation(
            uncheckedFlags: SelftestInvalidateFlags.all.rawValue, virtualDeviceID: virtualDeviceID,
            cacheID: 0)
    }

    public init(uncheckedFlags flags: UInt32, virtualDeviceID: UInt32, cacheID: UInt32) {
        self.flags = SelftestInvalidateFlags(rawValue: flags)
        self.virtualDeviceID = virtualDeviceID
        self.cacheID = cacheID
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let flags = reader.u32()
        let device = reader.u32()
        let cache = reader.u32()
        self.init(uncheckedFlags: flags, virtualDeviceID: device, cacheID: cache)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(flags.rawValue)
        writer.u32(virtualDeviceID)
        writer.u32(cacheID)
        return writer.bytes
    }

    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        if flags.rawValue & ~SelftestInvalidateFlags.known.rawValue != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "flags", value: UInt64(flags.rawValue),
                reason: "has bits outside IOMMU_TEST_INVALIDATE_FLAG_ALL (EOPNOTSUPP)"))
        }
        if cacheID > Self.maxCacheID {
            found.append(PayloadError(
                payload: Self.name, field: "cache_id", value: UInt64(cacheID),
                reason: "is above \(Self.maxCacheID) (EINVAL)", valueFormat: .decimal))
        }
        return found
    }
}

extension SelftestVIOMMUInvalidation: ValidatedPayload {}
