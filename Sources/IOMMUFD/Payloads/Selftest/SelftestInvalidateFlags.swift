/// Flags of the mock invalidation entries (`IOMMU_TEST_INVALIDATE_FLAG_*`).
public struct SelftestInvalidateFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// ALL: clear every slot and ignore the index.
    public static let all = SelftestInvalidateFlags(rawValue: 1 << 0)
    public static let known: SelftestInvalidateFlags = [.all]
}
