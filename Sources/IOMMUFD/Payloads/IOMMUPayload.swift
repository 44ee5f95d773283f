/// A value with the exact little-endian byte image of one kernel uAPI struct.
///
/// `bytes` is always `size` long. `init(bytes:)` reads such an image back; for payloads that
/// user space sends it refuses what the typed fields cannot hold (see each type's `problems`),
/// and each such type also has an `init(uncheckedBytes:)` that keeps any content.
public protocol IOMMUPayload: Hashable, Sendable {
    /// sizeof() of the kernel struct.
    static var size: Int { get }
    /// The struct as the kernel reads or writes it.
    var bytes: [UInt8] { get }
    init(bytes: [UInt8]) throws(PayloadError)
}

/// A payload user space sends, with the kernel's refusals listed as `problems`: the strict
/// `init(bytes:)` reads any bytes and then refuses the first problem, so one rule list serves the
/// builder, the decoder and the model.
public protocol ValidatedPayload: IOMMUPayload {
    /// Reads the bytes, checking only their length.
    init(uncheckedBytes bytes: [UInt8]) throws(PayloadError)
    /// What the kernel would refuse (or silently drop) in this value, first problem first.
    var problems: [PayloadError] { get }
}

extension ValidatedPayload {
    public init(bytes: [UInt8]) throws(PayloadError) {
        try self.init(uncheckedBytes: bytes)
        if let first = problems.first { throw first }
    }
}

/// Driver data for `IOMMU_HWPT_ALLOC` (`data_type`, `data_len`, `data_uptr`).
public protocol HWPTAllocationData: IOMMUPayload {
    /// The `enum iommu_hwpt_data_type` value that names this struct.
    static var hwptDataType: UInt32 { get }
}

/// One element of the array that `IOMMU_HWPT_INVALIDATE` takes (`data_type`, `entry_len`).
public protocol InvalidationEntry: IOMMUPayload {
    /// The `enum iommu_hwpt_invalidate_data_type` value that names this struct.
    static var invalidationDataType: UInt32 { get }
}

/// The payload that follows a vEVENT header on a vEVENTQ of one type.
public protocol VEventPayload: IOMMUPayload {
    /// The `enum iommu_veventq_type` value of a queue that carries this record.
    static var veventqType: UInt32 { get }
}

extension IOMMUPayload {
    /// The bytes of several payloads back to back, as an ioctl array argument.
    public static func concatenated(_ items: [Self]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.count * size)
        for item in items { out.append(contentsOf: item.bytes) }
        return out
    }
}
