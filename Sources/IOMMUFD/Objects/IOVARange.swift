import CIOMMUFD

/// An inclusive IOVA range, as the kernel's `struct iommu_iova_range` writes it (`last` is the
/// last usable byte, so a full 64-bit space is `0...UInt64.max`).
public struct IOVARange: Hashable, Sendable, CustomStringConvertible {
    public var start: UInt64
    public var last: UInt64

    public init(start: UInt64, last: UInt64) {
        self.start = start
        self.last = last
    }

    /// The range `[start, start + length)`; `length` must be at least 1.
    public init(start: UInt64, length: UInt64) {
        precondition(length > 0, "an IOVA range holds at least one byte")
        self.init(start: start, last: start &+ (length - 1))
    }

    public func contains(_ iova: UInt64) -> Bool { iova >= start && iova <= last }

    public var description: String { "[0x\(String(start, radix: 16)), 0x\(String(last, radix: 16))]" }

    var raw: iommu_iova_range { iommu_iova_range(start: start, last: last) }
    init(_ raw: iommu_iova_range) { self.init(start: raw.start, last: raw.last) }
}

/// Access rights of an IOAS mapping (`IOMMU_IOAS_MAP_READABLE` / `_WRITEABLE`).
public struct MapPermissions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let read = MapPermissions(rawValue: IOMMU_IOAS_MAP_READABLE.rawValue)
    public static let write = MapPermissions(rawValue: IOMMU_IOAS_MAP_WRITEABLE.rawValue)
    public static let readWrite: MapPermissions = [.read, .write]
}

/// `0x`-prefixed lower-case hex, as error contexts and reports print ids and addresses.
public func hex<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }
