/// A contiguous run of bits in a 64-bit hardware word, named by its high and low bit as the
/// specs write them (`[51:6]`).
struct PayloadBitField: Hashable, Sendable {
    let low: Int
    let width: Int

    /// Bits `high` down to `low`, inclusive.
    init(_ high: Int, _ low: Int) {
        precondition(high >= low && high < 64 && low >= 0)
        self.low = low
        self.width = high - low + 1
    }

    /// A single bit.
    static func bit(_ index: Int) -> PayloadBitField { PayloadBitField(index, index) }

    var high: Int { low + width - 1 }

    /// The largest value the field can hold.
    var maxValue: UInt64 { width == 64 ? UInt64.max : (UInt64(1) << UInt64(width)) - 1 }

    /// The field's bits in place.
    var mask: UInt64 { maxValue << UInt64(low) }

    /// The field's value, shifted down.
    func extract(from word: UInt64) -> UInt64 { (word >> UInt64(low)) & maxValue }

    func isSet(in word: UInt64) -> Bool { extract(from: word) != 0 }

    /// `value` shifted into place; the caller has checked that it fits.
    func placed(_ value: UInt64) -> UInt64 {
        precondition(value <= maxValue, "value does not fit the field")
        return value << UInt64(low)
    }

    func placed(_ flag: Bool) -> UInt64 { flag ? mask : 0 }
}

/// Range checks that builders share; each throws a `PayloadError` naming the field.
enum PayloadCheck {
    /// `value` must fit in `bits` bits.
    static func fits(
        _ value: UInt64, bits: Int, payload: String, field: String
    ) throws(PayloadError) {
        let maxValue = bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1
        guard value <= maxValue else {
            throw PayloadError(
                payload: payload, field: field, value: value,
                reason: "does not fit in \(bits) bits (largest is 0x\(String(maxValue, radix: 16)))")
        }
    }

    /// An address field that holds bits `[highBit:lowBit]`: the low bits must be zero and the
    /// address must lie below 2^(highBit+1).
    static func address(
        _ value: UInt64, lowBit: Int, highBit: Int, payload: String, field: String
    ) throws(PayloadError) {
        let lowMask = (UInt64(1) << UInt64(lowBit)) - 1
        guard value & lowMask == 0 else {
            throw PayloadError(
                payload: payload, field: field, value: value,
                reason: "is not \(1 << lowBit)-byte aligned (the low \(lowBit) bits are not part of the field)")
        }
        if highBit < 63 {
            guard value >> UInt64(highBit + 1) == 0 else {
                throw PayloadError(
                    payload: payload, field: field, value: value,
                    reason: "is not below 2^\(highBit + 1) (the field holds address bits \(highBit):\(lowBit))")
            }
        }
    }
}
