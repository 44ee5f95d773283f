/// Renders decoded registers, derived values and nesting verdicts as plain-text tables for a
/// terminal, wrapped to a maximum line width (100 columns by default).
public enum RegisterTable {
    /// One register: a heading with the raw value, then one row per field with its bit range,
    /// mnemonic, raw value and meaning. Fields wider than 16 bits show their value in hex.
    public static func render(_ register: DecodedRegister, width: Int = 100) -> String {
        let rows = register.fields.map { entry -> (bits: String, mnemonic: String, value: String, meaning: String) in
            let value = entry.field.width > 16
                ? JSONValue.hexString(entry.value) : String(entry.value)
            return (entry.field.bitRange, entry.field.mnemonic, value, entry.field.meaning)
        }
        let bitsWidth = max(4, rows.map(\.bits.count).max() ?? 0)
        let mnemonicWidth = max(5, rows.map(\.mnemonic.count).max() ?? 0)
        let valueWidth = max(5, rows.map(\.value.count).max() ?? 0)
        let meaningColumn = 2 + bitsWidth + 2 + mnemonicWidth + 2 + valueWidth + 2

        var heading = "\(register.name) = \(register.rawHex)"
        if register.unlistedBits != 0 {
            heading += "  (bits outside known fields: \(JSONValue.hexString(register.unlistedBits)))"
        }
        var lines = [heading]
        lines.append(
            "  " + pad("Bits", bitsWidth) + "  " + pad("Field", mnemonicWidth) + "  "
                + padLeft("Value", valueWidth) + "  Meaning")
        for row in rows {
            let prefix = "  " + pad(row.bits, bitsWidth) + "  " + pad(row.mnemonic, mnemonicWidth) + "  "
                + padLeft(row.value, valueWidth) + "  "
            lines += wrap(row.meaning, firstPrefix: prefix, indent: meaningColumn, width: width)
        }
        return lines.joined(separator: "\n")
    }

    /// Label-value rows under a heading ("Derived values"), values wrapped to `width`.
    public static func render(title: String, rows: [(label: String, text: String)], width: Int = 100) -> String {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        var lines = [title]
        for row in rows {
            let prefix = "  " + pad(row.label, labelWidth) + "  "
            lines += wrap(row.text, firstPrefix: prefix, indent: prefix.count, width: width)
        }
        return lines.joined(separator: "\n")
    }

    /// Derived values as label-value rows.
    public static func render(derived: [DerivedValue], width: Int = 100) -> String {
        render(title: "Derived values", rows: derived.map { ($0.label, $0.text) }, width: width)
    }

    /// The verdict's answers, then its reasons and notes as bulleted, wrapped sentences.
    public static func render(verdict: NestingVerdict, width: Int = 100) -> String {
        var text = render(title: "Nesting verdict (Linux 7.2 rules)", rows: verdict.answers, width: width)
        if !verdict.reasons.isEmpty {
            text += "\n  Reasons:"
            for reason in verdict.reasons {
                text += "\n" + wrap(reason, firstPrefix: "  - ", indent: 4, width: width).joined(separator: "\n")
            }
        }
        if !verdict.notes.isEmpty {
            text += "\n  Notes:"
            for note in verdict.notes {
                text += "\n" + wrap(note, firstPrefix: "  - ", indent: 4, width: width).joined(separator: "\n")
            }
        }
        return text
    }

    /// Splits `text` into lines of at most `width` columns at spaces: the first line starts
    /// with `firstPrefix`, later ones with `indent` spaces. A word longer than a line stays whole.
    static func wrap(_ text: String, firstPrefix: String, indent: Int, width: Int) -> [String] {
        var lines: [String] = []
        var current = firstPrefix
        var currentHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidateLength = current.count + (currentHasWord ? 1 : 0) + word.count
            if currentHasWord && candidateLength > width {
                lines.append(current)
                current = String(repeating: " ", count: indent)
                currentHasWord = false
            }
            current += (currentHasWord ? " " : "") + word
            currentHasWord = true
        }
        lines.append(current)
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
