/// `struct iommu_vevent_arm_smmuv3` (32 bytes): one SMMUv3 event record forwarded to a
/// vEVENTQ, with the StreamID replaced by the device's vSID.
///
/// The kernel forwards only the eight record types in `EventType`, only for streams with a
/// vDEVICE, and only faults that did not arise at stage 2 (S2=0); stall faults go to the
/// fault queue instead. Reading never fails on content: unknown ids and bits stay in `words`.
public struct SMMUv3Event: VEventPayload {
    public static let size = 32
    /// `IOMMU_VEVENTQ_TYPE_ARM_SMMUV3`.
    public static let veventqType: UInt32 = 1
    static let name = "SMMUv3 event"

    /// The event record types a vEVENTQ carries.
    public enum EventType: UInt8, Hashable, Sendable, CaseIterable {
        /// C_BAD_STE: the STE is invalid or badly configured (e.g. a V=0 vSTE).
        case badSTE = 0x04
        /// F_STREAM_DISABLED: a transaction came from a disabled stream.
        case streamDisabled = 0x06
        /// C_BAD_SUBSTREAMID: the SubstreamID is out of range for the CD table.
        case badSubstreamID = 0x08
        /// C_BAD_CD: the CD is invalid or badly configured.
        case badCD = 0x0a
        /// F_TRANSLATION: no valid stage-1 translation for the address.
        case translationFault = 0x10
        /// F_ADDR_SIZE: an address is larger than the configured size allows.
        case addressSizeFault = 0x11
        /// F_ACCESS: the Access flag of the entry is clear.
        case accessFault = 0x12
        /// F_PERMISSION: the entry does not permit the access.
        case permissionFault = 0x13

        /// The spec's name, e.g. "F_TRANSLATION".
        public var mnemonic: String {
            switch self {
            case .badSTE: "C_BAD_STE"
            case .streamDisabled: "F_STREAM_DISABLED"
            case .badSubstreamID: "C_BAD_SUBSTREAMID"
            case .badCD: "C_BAD_CD"
            case .translationFault: "F_TRANSLATION"
            case .addressSizeFault: "F_ADDR_SIZE"
            case .accessFault: "F_ACCESS"
            case .permissionFault: "F_PERMISSION"
            }
        }
    }

    /// CLASS of a translation-related fault: which fetch or address faulted.
    public enum FaultClass: UInt8, Hashable, Sendable, CaseIterable {
        /// CD: fetching the Context Descriptor.
        case contextDescriptor = 0
        /// TTD: walking the translation tables.
        case translationTable = 1
        /// IN: the input address of the transaction itself.
        case inputAddress = 2
    }

    static let idField = PayloadBitField(7, 0)
    static let ssvField = PayloadBitField.bit(11)
    static let ssidField = PayloadBitField(31, 12)
    static let sidField = PayloadBitField(63, 32)
    static let stagField = PayloadBitField(15, 0)
    static let stallField = PayloadBitField.bit(31)
    static let pnuField = PayloadBitField.bit(33)
    static let indField = PayloadBitField.bit(34)
    static let rnwField = PayloadBitField.bit(35)
    static let s2Field = PayloadBitField.bit(39)
    static let classField = PayloadBitField(41, 40)
    static let ttrnwField = PayloadBitField.bit(44)
    static let ipaField = PayloadBitField(51, 12)

    /// The four dwords of the record.
    public private(set) var words: [UInt64]

    public init(words: [UInt64]) {
        var four = Array(words.prefix(4))
        four.append(contentsOf: repeatElement(0, count: 4 - four.count))
        self.words = four
    }

    /// A record as the kernel would forward it, for the model and for tests.
    public init(
        eventType: EventType, streamID: UInt32, substreamID: UInt32? = nil,
        stag: UInt16 = 0, stall: Bool = false, privileged: Bool = false,
        instruction: Bool = false, read: Bool = false, faultClass: FaultClass = .contextDescriptor,
        tableWalkRead: Bool = false, inputAddress: UInt64 = 0, ipa: UInt64 = 0
    ) throws(PayloadError) {
        var w0 = Self.idField.placed(UInt64(eventType.rawValue)) | Self.sidField.placed(UInt64(streamID))
        if let substreamID {
            try PayloadCheck.fits(UInt64(substreamID), bits: 20, payload: Self.name, field: "SubstreamID")
            w0 |= Self.ssvField.mask | Self.ssidField.placed(UInt64(substreamID))
        }
        try PayloadCheck.address(ipa, lowBit: 12, highBit: 51, payload: Self.name, field: "IPA")
        let w1 = Self.stagField.placed(UInt64(stag)) | Self.stallField.placed(stall)
            | Self.pnuField.placed(privileged) | Self.indField.placed(instruction)
            | Self.rnwField.placed(read) | Self.classField.placed(UInt64(faultClass.rawValue))
            | Self.ttrnwField.placed(tableWalkRead)
        self.init(words: [w0, w1, inputAddress, ipa])
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        var words: [UInt64] = []
        for _ in 0..<4 { words.append(reader.u64()) }
        self.init(words: words)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        for word in words { writer.u64(word) }
        return writer.bytes
    }

    /// Event ID, raw (bits 7:0).
    public var eventID: UInt8 { UInt8(Self.idField.extract(from: words[0])) }
    /// The named record type, or nil for an id the kernel does not forward.
    public var eventType: EventType? { EventType(rawValue: eventID) }
    /// SSV: `substreamID` is meaningful.
    public var substreamValid: Bool { Self.ssvField.isSet(in: words[0]) }
    /// SubstreamID (PASID) of the transaction, when `substreamValid`.
    public var substreamID: UInt32? {
        substreamValid ? UInt32(Self.ssidField.extract(from: words[0])) : nil
    }
    /// StreamID; on a vEVENTQ this is the vSID given at IOMMU_VDEVICE_ALLOC.
    public var streamID: UInt32 { UInt32(Self.sidField.extract(from: words[0])) }
    /// STAG: the stall tag that a CMD_RESUME names (stall faults only).
    public var stag: UInt16 { UInt16(Self.stagField.extract(from: words[1])) }
    /// Stall: the transaction is stalled awaiting a response.
    public var stall: Bool { Self.stallField.isSet(in: words[1]) }
    /// PnU: the access was privileged.
    public var privileged: Bool { Self.pnuField.isSet(in: words[1]) }
    /// InD: the access was an instruction fetch.
    public var instruction: Bool { Self.indField.isSet(in: words[1]) }
    /// RnW: the access was a read (false: a write).
    public var read: Bool { Self.rnwField.isSet(in: words[1]) }
    /// S2: the fault arose at stage 2 (such faults are not forwarded to a vEVENTQ).
    public var stage2: Bool { Self.s2Field.isSet(in: words[1]) }
    /// CLASS: for F_* faults, what was being fetched; nil for the reserved 0b11.
    public var faultClass: FaultClass? {
        FaultClass(rawValue: UInt8(Self.classField.extract(from: words[1])))
    }
    /// TTRnW: for a table-walk fault, the walk access was a read.
    public var tableWalkRead: Bool { Self.ttrnwField.isSet(in: words[1]) }
    /// InputAddr: the transaction's input address (dword 2).
    public var inputAddress: UInt64 { words[2] }
    /// IPA (bits 51:12 of dword 3): the intermediate address, for stage-2 faults.
    public var ipa: UInt64 { words[3] & Self.ipaField.mask }
}
