/// An AMD IOMMU's EFR and EFR2 together, as `IOMMU_GET_HW_INFO` reports them
/// (`struct iommu_hw_info_amd`).
public struct AMDFeatureRegisters: Hashable, Sendable {
    public var efr: AMDExtendedFeatures
    public var efr2: AMDExtendedFeatures2

    public init(efr: UInt64, efr2: UInt64 = 0) {
        self.efr = AMDExtendedFeatures(rawValue: efr)
        self.efr2 = AMDExtendedFeatures2(rawValue: efr2)
    }

    /// Both registers, EFR first, for tables.
    public var registers: [DecodedRegister] { [efr.decoded, efr2.decoded] }

    /// Values computed from the fields, in a fixed order.
    public var derived: [DerivedValue] {
        let hostLevels = efr.hostPageTableLevels
        let guestLevels = efr.guestPageTableLevels
        return [
            DerivedValue(
                key: "hostPageTableLevels", label: "Host (v1) table levels",
                json: hostLevels.map { JSONValue($0) } ?? .null,
                text: hostLevels.map { "\($0)" } ?? "none (HATS=3: Linux disables host translation)"),
            DerivedValue(
                key: "guestPageTableLevels", label: "Guest (v2) table levels",
                json: efr.guestTranslation ? (guestLevels.map { JSONValue($0) } ?? .null) : .null,
                text: efr.guestTranslation ? (guestLevels.map { "\($0)" } ?? "reserved GATS value") : "none (no GTSup)"),
            DerivedValue(
                key: "pasidBits", label: "PASID width",
                json: JSONValue(efr.guestTranslation ? efr.pasidBits : 0),
                text: efr.guestTranslation ? "\(efr.pasidBits) bits" : "none (no GTSup)"),
            DerivedValue(
                key: "interruptRemapEntries", label: "Interrupt remapping entries",
                json: JSONValue(efr2.interruptRemapEntries), text: "\(efr2.interruptRemapEntries)"),
        ]
    }

    /// What the kernel would allow this IOMMU for nesting and dirty tracking.
    public var nestingVerdict: NestingVerdict { NestingVerdict.amd(self) }

    /// `{"raw": {...}, "efr": {...}, "efr2": {...}, "derived": {...}, "nesting": {...}}`.
    public var json: JSONValue {
        [
            "raw": ["efr": .string(efr.decoded.rawHex), "efr2": .string(efr2.decoded.rawHex)],
            "efr": efr.json,
            "efr2": efr2.json,
            "derived": DerivedValue.json(derived),
            "nesting": nestingVerdict.json,
        ]
    }
}
