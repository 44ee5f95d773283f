/// Why a payload value cannot be encoded, or why bytes cannot be read back as a payload.
///
/// Every error names the payload, the field (by its spec mnemonic), the offending value and
/// the reason, so a message alone tells the user what to change.
public struct PayloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// How `value` is shown in `description`.
    public enum ValueFormat: Hashable, Sendable {
        /// Addresses, masks and register fields: `0x1234`.
        case hexadecimal
        /// Counts and lengths: `17`.
        case decimal
    }

    /// The payload, e.g. "SMMUv3 vSTE".
    public var payload: String
    /// The field, by its spec mnemonic where there is one, e.g. "S1ContextPtr".
    public var field: String
    /// The value that cannot be held.
    public var value: UInt64
    /// Why it cannot be held, phrased to follow the value ("is not 64-byte aligned ...").
    public var reason: String
    public var valueFormat: ValueFormat

    public init(
        payload: String, field: String, value: UInt64, reason: String,
        valueFormat: ValueFormat = .hexadecimal
    ) {
        self.payload = payload
        self.field = field
        self.value = value
        self.reason = reason
        self.valueFormat = valueFormat
    }

    public var description: String {
        let shown: String
        switch valueFormat {
        case .hexadecimal: shown = "0x" + String(value, radix: 16)
        case .decimal: shown = String(value)
        }
        return "\(payload) field \(field): \(shown) \(reason)"
    }

    /// A byte buffer whose length is not the struct's exact size.
    static func wrongSize(_ payload: String, expected: Int, got: Int) -> PayloadError {
        PayloadError(
            payload: payload, field: "size", value: UInt64(got),
            reason: "bytes given; the struct is exactly \(expected) bytes",
            valueFormat: .decimal)
    }
}
