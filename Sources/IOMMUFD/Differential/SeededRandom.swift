/// A small, fast, reproducible random source (SplitMix64): the same seed gives the same call
/// sequence on every machine and every Swift version, which `SystemRandomNumberGenerator` and
/// the standard library's seeded-less APIs do not promise.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9e37_79b9_7f4a_7c15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { Int(next() % 100) < percent }

    /// A uniform value in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// One element, or nil for an empty collection.
    mutating func pick<C: Collection>(_ items: C) -> C.Element? where C.Index == Int {
        items.isEmpty ? nil : items[items.startIndex + Int(next() % UInt64(items.count))]
    }
}
