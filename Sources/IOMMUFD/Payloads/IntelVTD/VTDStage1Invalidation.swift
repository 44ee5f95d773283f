/// `struct iommu_hwpt_vtd_s1_invalidate` (24 bytes): one entry of an IOMMU_HWPT_INVALIDATE
/// array on a VT-d nested HWPT, naming the stage-1 range whose IOTLB and paging-structure
/// caches to flush (the device TLB follows automatically when ATS is on).
///
/// The kernel (`intel_nested_cache_invalidate_user`) refuses unknown flags or a non-zero
/// `__reserved` with EOPNOTSUPP, and a misaligned address or `npages == U64_MAX` with a
/// non-zero address with EINVAL. This builder also refuses `npages == 0` and a range that
/// runs past 2^64: the kernel accepts both and flushes a range the caller did not mean.
public struct VTDStage1Invalidation: InvalidationEntry {
    public static let size = 24
    /// `IOMMU_HWPT_INVALIDATE_DATA_VTD_S1`.
    public static let invalidationDataType: UInt32 = 0
    static let name = "VT-d stage-1 invalidation"

    /// `enum iommu_hwpt_vtd_s1_invalidate_flags`.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// LEAF: only leaf entries changed, so paging-structure caches may be kept (IH hint).
        public static let leaf = Flags(rawValue: 1 << 0)
        public static let known: Flags = [.leaf]
    }

    /// `addr`: first stage-1 input address of the range, 4 KiB aligned.
    public private(set) var address: UInt64
    /// `npages`: number of 4 KiB pages; `UInt64.max` with address 0 means everything.
    public private(set) var pageCount: UInt64
    public private(set) var flags: Flags
    /// `__reserved`, must be 0.
    public private(set) var reserved: UInt32

    /// Flush every cached stage-1 translation of the HWPT (addr 0, npages U64_MAX).
    public static let all = VTDStage1Invalidation(
        uncheckedAddress: 0, pageCount: .max, flags: 0)

    /// True when this entry is the "everything" form.
    public var isAll: Bool { address == 0 && pageCount == .max }

    /// Invalidates `pageCount` 4 KiB pages from `address`; `leafOnly` sets the LEAF flag.
    public init(address: UInt64, pageCount: UInt64, leafOnly: Bool = false) throws(PayloadError) {
        self.init(
            uncheckedAddress: address, pageCount: pageCount,
            flags: leafOnly ? Flags.leaf.rawValue : 0)
        if let first = problems.first { throw first }
    }

    public init(uncheckedAddress address: UInt64, pageCount: UInt64, flags: UInt32, reserved: UInt32 = 0) {
        self.address = address
        self.pageCount = pageCount
        self.flags = Flags(rawValue: flags)
        self.reserved = reserved
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let address = reader.u64()
        let count = reader.u64()
        let flags = reader.u32()
        let reserved = reader.u32()
        self.init(uncheckedAddress: address, pageCount: count, flags: flags, reserved: reserved)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u64(address)
        writer.u64(pageCount)
        writer.u32(flags.rawValue)
        writer.u32(reserved)
        return writer.bytes
    }

    /// Everything the builder refuses. The first four are also the kernel's own refusals.
    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        let unknown = flags.rawValue & ~Flags.known.rawValue
        if unknown != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "flags", value: UInt64(flags.rawValue),
                reason: "has bits outside LEAF (EOPNOTSUPP)"))
        }
        if reserved != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "__reserved", value: UInt64(reserved),
                reason: "must be 0 (EOPNOTSUPP)"))
        }
        if address & 0xFFF != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "addr", value: address,
                reason: "is not 4 KiB aligned (EINVAL)"))
        }
        if pageCount == .max && address != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "addr", value: address,
                reason: "must be 0 when npages is U64_MAX (EINVAL)"))
        }
        if pageCount == 0 {
            found.append(PayloadError(
                payload: Self.name, field: "npages", value: 0,
                reason: "names no page (the kernel computes an end below the start and flushes a wide range)",
                valueFormat: .decimal))
        } else if pageCount != .max {
            let (lastPageOffset, offsetOverflow) = (pageCount - 1).multipliedReportingOverflow(by: 4096)
            let (lastPage, pageOverflow) = address.addingReportingOverflow(lastPageOffset)
            let (_, endOverflow) = lastPage.addingReportingOverflow(0xFFF)
            if offsetOverflow || pageOverflow || endOverflow {
                found.append(PayloadError(
                    payload: Self.name, field: "npages", value: pageCount,
                    reason: "runs the range past 2^64 from addr 0x\(String(address, radix: 16))",
                    valueFormat: .decimal))
            }
        }
        return found
    }
}

extension VTDStage1Invalidation: ValidatedPayload {}
