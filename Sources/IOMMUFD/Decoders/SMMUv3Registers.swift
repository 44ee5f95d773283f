/// An Arm SMMUv3's ID registers together, as `IOMMU_GET_HW_INFO` reports them
/// (`struct iommu_hw_info_arm_smmuv3`: IDR0-IDR5, IIDR, AIDR).
public struct SMMUv3Registers: Hashable, Sendable {
    public var idr0: SMMUv3IDR0
    public var idr1: SMMUv3IDR1
    public var idr2: SMMUv3IDR2
    public var idr3: SMMUv3IDR3
    public var idr4: SMMUv3IDR4
    public var idr5: SMMUv3IDR5
    public var iidr: SMMUv3IIDR
    public var aidr: SMMUv3AIDR

    /// Registers not given read as 0.
    public init(
        idr0: UInt32 = 0, idr1: UInt32 = 0, idr2: UInt32 = 0, idr3: UInt32 = 0,
        idr4: UInt32 = 0, idr5: UInt32 = 0, iidr: UInt32 = 0, aidr: UInt32 = 0
    ) {
        self.idr0 = SMMUv3IDR0(rawValue: idr0)
        self.idr1 = SMMUv3IDR1(rawValue: idr1)
        self.idr2 = SMMUv3IDR2(rawValue: idr2)
        self.idr3 = SMMUv3IDR3(rawValue: idr3)
        self.idr4 = SMMUv3IDR4(rawValue: idr4)
        self.idr5 = SMMUv3IDR5(rawValue: idr5)
        self.iidr = SMMUv3IIDR(rawValue: iidr)
        self.aidr = SMMUv3AIDR(rawValue: aidr)
    }

    /// From the hw_info array: `idr` holds IDR0 to IDR5 (missing entries read as 0).
    public init(idr: [UInt32], iidr: UInt32, aidr: UInt32) {
        func at(_ index: Int) -> UInt32 { index < idr.count ? idr[index] : 0 }
        self.init(
            idr0: at(0), idr1: at(1), idr2: at(2), idr3: at(3), idr4: at(4), idr5: at(5),
            iidr: iidr, aidr: aidr)
    }

    /// All eight registers in offset order, for tables.
    public var registers: [DecodedRegister] {
        [idr0.decoded, idr1.decoded, idr2.decoded, idr3.decoded, idr4.decoded, idr5.decoded,
         iidr.decoded, aidr.decoded]
    }

    /// The JSON keys of `registers`, in the same order.
    public static let registerKeys = ["idr0", "idr1", "idr2", "idr3", "idr4", "idr5", "iidr", "aidr"]

    /// Values computed from the fields, in a fixed order.
    public var derived: [DerivedValue] {
        let granules = idr5.granules
        let formats: String
        switch idr0.translationTableFormats {
        case 1: formats = "AArch32 LPAE"
        case 2: formats = "AArch64"
        case 3: formats = "AArch32 LPAE and AArch64"
        default: formats = "none (reserved)"
        }
        let httuText = ["none", "Access flag", "Access flag and Dirty state",
                        "Access flag, Dirty state and table Access flag"][idr0.hardwareTableUpdate]
        let stallText = ["stall and terminate", "terminate only", "stall forced", "reserved"][idr0.stallModel]
        let endianText = ["mixed", "reserved", "little-endian", "big-endian"][idr0.tableEndianness]
        var values: [DerivedValue] = [
            DerivedValue(
                key: "architectureVersion", label: "Architecture",
                json: .string(aidr.architectureVersion), text: aidr.architectureVersion),
            DerivedValue(
                key: "stages", label: "Translation stages",
                json: .array((idr0.stage1 ? ["S1"] : []) + (idr0.stage2 ? ["S2"] : [])),
                text: stagesText),
            DerivedValue(
                key: "tableFormats", label: "Table formats", json: .string(formats), text: formats),
            DerivedValue(
                key: "oasBits", label: "Output address size",
                json: JSONValue(idr5.outputAddressBits), text: "\(idr5.outputAddressBits) bits"),
        ]
        if let vaBits = idr5.virtualAddressBits {
            values.append(DerivedValue(
                key: "vaBits", label: "Input (VA) address size", json: JSONValue(vaBits), text: "\(vaBits) bits"))
        } else {
            values.append(DerivedValue(
                key: "vaBits", label: "Input (VA) address size", json: .null, text: "reserved VAX value"))
        }
        values += [
            DerivedValue(
                key: "granules", label: "Translation granules",
                json: .array(granules.map { JSONValue($0) }),
                text: granules.isEmpty ? "none" : granules.map(ByteSize.text).joined(separator: ", ")),
            DerivedValue(
                key: "sidBits", label: "StreamID width",
                json: JSONValue(idr1.streamIDBits), text: "\(idr1.streamIDBits) bits"),
            DerivedValue(
                key: "ssidBits", label: "SubstreamID (PASID) width",
                json: JSONValue(idr1.substreamIDBits), text: "\(idr1.substreamIDBits) bits"),
            DerivedValue(
                key: "asidBits", label: "ASID width", json: JSONValue(idr0.asidBits), text: "\(idr0.asidBits) bits"),
            DerivedValue(
                key: "vmidBits", label: "VMID width", json: JSONValue(idr0.vmidBits), text: "\(idr0.vmidBits) bits"),
            DerivedValue(
                key: "cmdqEntries", label: "Command queue entries",
                json: JSONValue(idr1.commandQueueEntries), text: "\(idr1.commandQueueEntries)"),
            DerivedValue(
                key: "eventqEntries", label: "Event queue entries",
                json: JSONValue(idr1.eventQueueEntries), text: "\(idr1.eventQueueEntries)"),
            DerivedValue(
                key: "priqEntries", label: "PRI queue entries",
                json: idr0.pageRequestInterface ? JSONValue(idr1.priQueueEntries) : .null,
                text: idr0.pageRequestInterface ? "\(idr1.priQueueEntries)" : "none (no PRI)"),
            DerivedValue(
                key: "streamTable", label: "Stream table",
                json: .string(idr0.streamTableLevels == 1 ? "2-level" : "linear"),
                text: idr0.streamTableLevels == 1 ? "linear or 2-level" : "linear only"),
            DerivedValue(
                key: "hardwareUpdate", label: "Hardware table updates (HTTU)",
                json: .string(httuText), text: httuText),
            DerivedValue(key: "stallModel", label: "Stall model", json: .string(stallText), text: stallText),
            DerivedValue(key: "tableEndianness", label: "Table endianness", json: .string(endianText), text: endianText),
        ]
        let implementer = JSONValue.hexString(UInt64(iidr.implementer), digits: 3)
        let product = iidr.productName ?? "product \(JSONValue.hexString(UInt64(iidr.productID), digits: 3))"
        values.append(DerivedValue(
            key: "implementation", label: "Implementation",
            json: [
                "implementer": .string(implementer),
                "product": iidr.productName.map { .string($0) } ?? .null,
                "revision": .string(iidr.revisionText),
            ],
            text: iidr.rawValue == 0
                ? "not reported (SMMU_IIDR is 0)" : "\(product) \(iidr.revisionText), implementer \(implementer)"))
        return values
    }

    private var stagesText: String {
        switch (idr0.stage1, idr0.stage2) {
        case (true, true): return "stage 1 and stage 2"
        case (true, false): return "stage 1 only"
        case (false, true): return "stage 2 only"
        case (false, false): return "none"
        }
    }

    /// What the kernel would allow this SMMU for nesting, vIOMMUs and dirty tracking.
    /// `canWBS`: the device is marked CANWBS by firmware (a per-device property).
    public func nestingVerdict(canWBS: Bool = false) -> NestingVerdict {
        NestingVerdict.smmuv3(self, canWBS: canWBS)
    }

    /// `{"raw": {...}, "idr0": {...}, ..., "aidr": {...}, "derived": {...}, "nesting": {...}}`.
    public func json(canWBS: Bool = false) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            (key: "raw", value: .object(zip(Self.registerKeys, registers).map {
                (key: $0.0, value: .string($0.1.rawHex))
            }))
        ]
        for (key, register) in zip(Self.registerKeys, registers) {
            pairs.append((key: key, value: register.json))
        }
        pairs.append((key: "derived", value: DerivedValue.json(derived)))
        pairs.append((key: "nesting", value: nestingVerdict(canWBS: canWBS).json))
        return .object(pairs)
    }
}
