/// Reads register values written in hex, as people type them and as sysfs prints them
/// (`0x00d2008c22260286`, `d2008c22260286`, `0x0d44_101b`).
public enum HexNumber {
    /// Why text is not a register value.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { reason }
    }

    /// Parses hex digits with an optional `0x`/`0X` prefix and `_` separators, surrounding
    /// whitespace allowed; the value must fit in `bits` bits.
    public static func parse(_ text: String, bits: Int = 64) throws(ParseError) -> UInt64 {
        var digits = Substring(text.trimmingWhitespace)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        let cleaned = digits.filter { $0 != "_" }
        guard !cleaned.isEmpty else {
            throw ParseError(text: text, reason: "no hex digits (expected e.g. 0x1f or 1f)")
        }
        if let bad = cleaned.first(where: { !$0.isHexDigit }) {
            throw ParseError(text: text, reason: "'\(bad)' is not a hex digit")
        }
        let significant = cleaned.drop { $0 == "0" }
        guard significant.count <= 16, let value = UInt64(significant.isEmpty ? "0" : String(significant), radix: 16)
        else {
            throw ParseError(text: text, reason: "more than 64 bits")
        }
        if bits < 64 && value >> UInt64(bits) != 0 {
            throw ParseError(text: text, reason: "does not fit in a \(bits)-bit register")
        }
        return value
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
