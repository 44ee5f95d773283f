import IOMMUFD

/// Small formatting helpers (no Foundation in the library or the harness).
enum Text {
    /// `value` as lower-case hex digits, zero-padded to `digits`, without a prefix.
    static func hexDigits<T: BinaryInteger>(_ value: T, _ digits: Int) -> String {
        let body = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - body.count)) + body
    }

    /// `0x` and lower-case hex digits, zero-padded to `digits`.
    static func hex<T: BinaryInteger>(_ value: T, digits: Int = 0) -> String {
        "0x" + hexDigits(value, digits)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Splits `text` at spaces into lines of at most `width` columns: the first line starts with
    /// `prefix`, later ones with `indent` spaces. A word longer than a line stays whole.
    static func wrap(_ text: String, prefix: String, indent: Int, width: Int) -> [String] {
        var lines: [String] = []
        var current = prefix
        var hasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if hasWord && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                hasWord = false
            }
            current += (hasWord ? " " : "") + word
            hasWord = true
        }
        lines.append(current)
        return lines
    }

    /// Trims spaces, tabs and line ends from both ends.
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// A byte count for people: 64 KiB, 8 MiB, unlimited.
    static func bytes(_ value: UInt64) -> String {
        if value == UInt64.max { return "unlimited" }
        return ByteSize.text(value)
    }

    /// Joins a list in words: "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
