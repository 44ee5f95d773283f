/// One field of a hardware register: its spec mnemonic, its bit range and what it means.
/// Decoders list their fields as these, so any register can be printed or serialized generically.
public struct RegisterField: Hashable, Sendable, CustomStringConvertible {
    /// The mnemonic the architecture spec gives the field (`SAGAW`, `S1P`, `GTSup`).
    public let mnemonic: String
    /// The lowest bit of the field (0-based).
    public let lowBit: Int
    /// The highest bit of the field, inclusive.
    public let highBit: Int
    /// The field's name spelled out, e.g. "Supported Adjusted Guest Address Widths".
    public let name: String
    /// One sentence on what the field's value means for software.
    public let meaning: String

    public init(_ mnemonic: String, bits highBit: Int, _ lowBit: Int, name: String, meaning: String) {
        precondition(lowBit >= 0 && highBit >= lowBit && highBit < 64, "bad bit range for \(mnemonic)")
        self.mnemonic = mnemonic
        self.lowBit = lowBit
        self.highBit = highBit
        self.name = name
        self.meaning = meaning
    }

    /// A one-bit field.
    public init(_ mnemonic: String, bit: Int, name: String, meaning: String) {
        self.init(mnemonic, bits: bit, bit, name: name, meaning: meaning)
    }

    public var width: Int { highBit - lowBit + 1 }
    public var isFlag: Bool { width == 1 }

    /// The field's bits in place within the register.
    public var mask: UInt64 { RegisterBits.mask(high: highBit, low: lowBit) }

    /// The field's raw value, shifted down to bit 0.
    public func extract(from registerValue: UInt64) -> UInt64 {
        RegisterBits.extract(registerValue, high: highBit, low: lowBit)
    }

    /// The bit range as the specs write it: `12:8`, or `7` for one bit.
    public var bitRange: String { isFlag ? "\(lowBit)" : "\(highBit):\(lowBit)" }

    public var description: String { "\(mnemonic)[\(bitRange)]" }
}

/// Bit extraction shared by all decoders.
public enum RegisterBits {
    /// Bits `high` down to `low` (inclusive) set, the rest clear.
    public static func mask(high: Int, low: Int) -> UInt64 {
        let width = high - low + 1
        let ones: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) - 1
        return ones << UInt64(low)
    }

    /// Bits `high:low` of `value`, shifted down to bit 0.
    public static func extract(_ value: UInt64, high: Int, low: Int) -> UInt64 {
        (value & mask(high: high, low: low)) >> UInt64(low)
    }
}

/// A register type that knows its field layout. Conformers supply the name, width, layout and
/// raw value; the generic views (`fields`, `decoded`, `json`, lookups by mnemonic) come free.
public protocol RegisterDecoder: Hashable, Sendable {
    /// The register's name as its spec writes it (`CAP_REG`, `SMMU_IDR0`, `EFR`).
    static var registerName: String { get }
    /// 32 or 64.
    static var widthInBits: Int { get }
    /// Every field the spec defines, from the lowest bit up. Reserved bits are left out.
    static var layout: [RegisterField] { get }
    /// The raw register value, zero-extended to 64 bits.
    var registerValue: UInt64 { get }
}

extension RegisterDecoder {
    /// Each field's mnemonic and raw value, from the lowest bit up.
    public var fields: [(mnemonic: String, value: UInt64)] {
        Self.layout.map { (mnemonic: $0.mnemonic, value: $0.extract(from: registerValue)) }
    }

    /// The register as a generic value, for tables and JSON.
    public var decoded: DecodedRegister {
        DecodedRegister(
            name: Self.registerName, widthInBits: Self.widthInBits, rawValue: registerValue,
            layout: Self.layout)
    }

    /// `{"MNEMONIC": raw field value, ...}` in layout order.
    public var json: JSONValue { decoded.json }

    /// The raw value of the field called `mnemonic`, or nil when the register has no such field.
    public subscript(mnemonic: String) -> UInt64? {
        Self.describe(mnemonic).map { $0.extract(from: registerValue) }
    }

    /// The description (bits, name, meaning) of the field called `mnemonic`.
    public static func describe(_ mnemonic: String) -> RegisterField? {
        layout.first { $0.mnemonic == mnemonic }
    }

    /// Bits the register reports that no listed field covers (reserved, or newer than this
    /// decoder). Non-zero is worth a look.
    public var unlistedBits: UInt64 { decoded.unlistedBits }

    func flag(_ field: RegisterField) -> Bool { field.extract(from: registerValue) != 0 }
    func number(_ field: RegisterField) -> Int { Int(field.extract(from: registerValue)) }
}

/// Any register, decoded: its name, raw value and field layout. The CLI prints these as tables
/// and reports embed their JSON.
public struct DecodedRegister: Hashable, Sendable {
    public var name: String
    public var widthInBits: Int
    public var rawValue: UInt64
    public var layout: [RegisterField]

    public init(name: String, widthInBits: Int, rawValue: UInt64, layout: [RegisterField]) {
        self.name = name
        self.widthInBits = widthInBits
        self.rawValue = rawValue
        self.layout = layout
    }

    /// Each field with its raw value, in layout order.
    public var fields: [(field: RegisterField, value: UInt64)] {
        layout.map { (field: $0, value: $0.extract(from: rawValue)) }
    }

    /// The raw value of the field called `mnemonic`.
    public func value(of mnemonic: String) -> UInt64? {
        layout.first { $0.mnemonic == mnemonic }?.extract(from: rawValue)
    }

    /// Set bits that no listed field covers (reserved, or defined by a newer spec revision).
    public var unlistedBits: UInt64 {
        let known = layout.reduce(UInt64(0)) { $0 | $1.mask }
        return rawValue & RegisterBits.mask(high: widthInBits - 1, low: 0) & ~known
    }

    /// The raw value in hex, padded to the register width (`0x00d2008c22260286`).
    public var rawHex: String { JSONValue.hexString(rawValue, digits: widthInBits / 4) }

    /// `{"MNEMONIC": raw field value, ...}` in layout order.
    public var json: JSONValue {
        .object(fields.map { (key: $0.field.mnemonic, value: JSONValue($0.value)) })
    }
}

/// A value computed from register fields (an address width in bits, a queue size in entries),
/// with a JSON key, a label and text for people.
public struct DerivedValue: Hashable, Sendable {
    /// The key in JSON output (camelCase).
    public var key: String
    /// A short label for tables.
    public var label: String
    public var json: JSONValue
    /// The value as a person reads it ("48-bit, 57-bit", "65536 entries").
    public var text: String

    public init(key: String, label: String, json: JSONValue, text: String) {
        self.key = key
        self.label = label
        self.json = json
        self.text = text
    }

    /// An object of `key: json` pairs, in order.
    public static func json(_ values: [DerivedValue]) -> JSONValue {
        .object(values.map { (key: $0.key, value: $0.json) })
    }
}

/// Byte sizes written the way page sizes are spoken: 4 KiB, 2 MiB, 1 GiB, 512 GiB, 256 TiB.
public enum ByteSize {
    public static func text(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && value % 1024 == 0 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(value) \(units[unit])"
    }
}
