@testable import IOMMUFD

/// A fixed-seed generator (SplitMix64), so randomized tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }

    mutating func bool() -> Bool { Bool.random(using: &self) }

    /// A value that is often 0, all-ones or a single bit, else random: edges get hit.
    mutating func edgy() -> UInt64 {
        switch UInt8.random(in: 0...5, using: &self) {
        case 0: return 0
        case 1: return .max
        case 2: return 1 << UInt64.random(in: 0...63, using: &self)
        default: return next()
        }
    }
}

/// Little-endian bytes of 64-bit words, the way the hand-computed images are written.
func leBytes(_ words: UInt64...) -> [UInt8] {
    var out: [UInt8] = []
    for word in words {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }
    return out
}

/// Little-endian bytes of 32-bit words.
func leBytes32(_ words: UInt32...) -> [UInt8] {
    var out: [UInt8] = []
    for word in words {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
    }
    return out
}

/// The error a throwing call raised, or nil.
func payloadError<T>(_ body: () throws(PayloadError) -> T) -> PayloadError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
