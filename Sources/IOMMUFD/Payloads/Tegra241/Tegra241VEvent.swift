/// `struct iommu_vevent_tegra241_cmdqv` (16 bytes): the 128-bit LVCMDQ_ERR_MAP of one
/// virtual interface, read and forwarded by the kernel when a guest-owned VCMDQ faults.
/// Bit n set means logical VCMDQ n of this vIOMMU has an error.
public struct Tegra241VEvent: VEventPayload {
    public static let size = 16
    /// `IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV`.
    public static let veventqType: UInt32 = 2
    static let name = "Tegra241 CMDQV vEVENT"

    /// `lvcmdq_err_map[0]`: logical VCMDQs 0-63.
    public private(set) var errorMapLow: UInt64
    /// `lvcmdq_err_map[1]`: logical VCMDQs 64-127.
    public private(set) var errorMapHigh: UInt64

    public init(errorMapLow: UInt64, errorMapHigh: UInt64 = 0) {
        self.errorMapLow = errorMapLow
        self.errorMapHigh = errorMapHigh
    }

    /// A map with the given logical queue indexes (0...127) marked as failed.
    public init(erroredQueues: [Int]) throws(PayloadError) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for index in erroredQueues {
            guard (0..<128).contains(index) else {
                throw PayloadError(
                    payload: Self.name, field: "lvcmdq_err_map", value: UInt64(bitPattern: Int64(index)),
                    reason: "is not a logical VCMDQ index 0...127", valueFormat: .decimal)
            }
            if index < 64 { low |= 1 << UInt64(index) } else { high |= 1 << UInt64(index - 64) }
        }
        self.init(errorMapLow: low, errorMapHigh: high)
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let low = reader.u64()
        let high = reader.u64()
        self.init(errorMapLow: low, errorMapHigh: high)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u64(errorMapLow)
        writer.u64(errorMapHigh)
        return writer.bytes
    }

    /// The logical VCMDQ indexes with an error, ascending.
    public var erroredQueues: [Int] {
        var indexes: [Int] = []
        for bit in 0..<64 where (errorMapLow >> UInt64(bit)) & 1 != 0 { indexes.append(bit) }
        for bit in 0..<64 where (errorMapHigh >> UInt64(bit)) & 1 != 0 { indexes.append(64 + bit) }
        return indexes
    }
}
