import Testing
@testable import IOMMUFD

/// Checks one imported C struct against literal numbers from the Linux 7.2 headers.
///
/// Stored fields and tuple elements (C arrays) are measured with `MemoryLayout.offset(of:)`.
/// Members of anonymous unions are imported as computed properties, for which `offset(of:)` is
/// nil; those are found by storing a byte pattern through the key path into a zeroed struct and
/// searching for it. Flexible array members are not imported at all and are
/// checked only by layout_asserts.c.
struct Layout<T> {
    private var checked: Set<String> = []
    private let location: SourceLocation

    init(_: T.Type, size: Int, alignment: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        location = sourceLocation
        #expect(MemoryLayout<T>.size == size, "sizeof(\(T.self))", sourceLocation: sourceLocation)
        #expect(MemoryLayout<T>.alignment == alignment, "_Alignof(\(T.self))", sourceLocation: sourceLocation)
    }

    /// A stored field (or an element of a stored tuple): `offset(of:)` must answer.
    mutating func field<V>(_ name: String, _ keyPath: WritableKeyPath<T, V>, offset: Int, size: Int,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let got = MemoryLayout<T>.offset(of: keyPath)
        #expect(got == offset, "offsetof(\(T.self), \(name))", sourceLocation: sourceLocation)
        #expect(MemoryLayout<V>.size == size, "sizeof(\(T.self).\(name))", sourceLocation: sourceLocation)
        checked.insert(name)
    }

    /// A member of an anonymous union, or a field inside such a member: located by probing.
    mutating func unionMember<V>(_ name: String, _ keyPath: WritableKeyPath<T, V>,
                                                  offset: Int, size: Int,
                                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let got = MemoryLayout<T>.offset(of: keyPath) ?? Self.probeOffset(keyPath)
        #expect(got == offset, "offsetof(\(T.self), \(name))", sourceLocation: sourceLocation)
        #expect(MemoryLayout<V>.size == size, "sizeof(\(T.self).\(name))", sourceLocation: sourceLocation)
        checked.insert(name)
    }

    /// Every stored property Swift sees must have been checked (anonymous unions are not listed
    /// by Mirror; their members go through `unionMember`).
    func finish() {
        let value: T = zeroed()
        let stored = Set(Mirror(reflecting: value).children.compactMap(\.label))
        let missed = stored.subtracting(checked)
        #expect(missed.isEmpty, "fields of \(T.self) not checked: \(missed.sorted())", sourceLocation: location)
    }

    /// Where bytes stored through `keyPath` land in a zeroed `T`. The accessors of an anonymous
    /// union member copy a whole member struct, padding included, and padding bytes are not kept
    /// zero by Swift; so a distinctive byte pattern is stored and its first bytes (the member's
    /// first field, never padding) are searched for, rather than the first non-zero byte.
    static func probeOffset<V>(_ keyPath: WritableKeyPath<T, V>) -> Int? {
        var value: T = zeroed()
        let size = MemoryLayout<V>.size
        let pattern = (0..<size).map { UInt8(truncatingIfNeeded: 0xC5 &+ $0 &* 0x3B) }
        let patterned: V = pattern.withUnsafeBytes { bytes in
            withUnsafeTemporaryAllocation(byteCount: size, alignment: MemoryLayout<V>.alignment) { buffer in
                buffer.copyMemory(from: bytes)
                return buffer.baseAddress!.load(as: V.self)
            }
        }
        value[keyPath: keyPath] = patterned
        let needle = Array(pattern.prefix(4))
        return withUnsafeBytes(of: &value) { bytes in
            let haystack = Array(bytes)
            guard haystack.count >= needle.count else { return nil }
            return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<$0 + needle.count]) == needle }
        }
    }
}

/// The integer value of an imported C constant: a macro or anonymous-enum constant...
func value<I: BinaryInteger>(_ x: I) -> Int64 { Int64(x) }

/// ...or an enumerator of a named C enum (imported as a RawRepresentable struct).
func value<E: RawRepresentable>(_ x: E) -> Int64 where E.RawValue: BinaryInteger { Int64(x.rawValue) }

/// One constant against its 7.2 value.
func expectConstant(_ name: String, _ got: Int64, _ want: Int64,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got == want, "\(name)", sourceLocation: sourceLocation)
}
