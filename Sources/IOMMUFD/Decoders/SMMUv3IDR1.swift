/// Arm SMMUv3 SMMU_IDR1 (offset 0x4): StreamID and SubstreamID widths, queue sizes, and
/// whether tables and queues are preset (embedded implementations).
public struct SMMUv3IDR1: RegisterDecoder {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let registerName = "SMMU_IDR1"
    public static let widthInBits = 32
    public var registerValue: UInt64 { UInt64(rawValue) }

    /// The SMMU_IDR1 fields, named for use in code (`SMMUv3IDR1.Fields.sidSize`).
    public enum Fields {
        public static let sidSize = RegisterField(
            "SIDSIZE", bits: 5, 0, name: "StreamID size",
            meaning: "StreamID width in bits (0-32); 0 means one stream.")
        public static let ssidSize = RegisterField(
            "SSIDSIZE", bits: 10, 6, name: "SubstreamID size",
            meaning: "SubstreamID (PASID) width in bits (0-20); 0 means no substreams.")
        public static let priqs = RegisterField(
            "PRIQS", bits: 15, 11, name: "PRI queue size",
            meaning: "log2 of the most PRI queue entries (at most 19).")
        public static let eventqs = RegisterField(
            "EVENTQS", bits: 20, 16, name: "Event queue size",
            meaning: "log2 of the most Event queue entries (at most 19).")
        public static let cmdqs = RegisterField(
            "CMDQS", bits: 25, 21, name: "Command queue size",
            meaning: "log2 of the most Command queue entries (at most 19; Linux needs > 6).")
        public static let attrPermsOvr = RegisterField(
            "ATTR_PERMS_OVR", bit: 26, name: "Attribute permissions override",
            meaning: "Incoming instruction/data, privilege and NS attributes can be overridden.")
        public static let attrTypesOvr = RegisterField(
            "ATTR_TYPES_OVR", bit: 27, name: "Attribute types override",
            meaning: "Incoming memory type, shareability and cache hints can be overridden.")
        public static let rel = RegisterField(
            "REL", bit: 28, name: "Relative base pointers",
            meaning: "Preset base registers hold offsets from the SMMU base, not addresses.")
        public static let queuesPreset = RegisterField(
            "QUEUES_PRESET", bit: 29, name: "Queue base addresses fixed",
            meaning: "Queue base registers are fixed by the implementation (Linux refuses this).")
        public static let tablesPreset = RegisterField(
            "TABLES_PRESET", bit: 30, name: "Table base addresses fixed",
            meaning: "Stream table base registers are fixed by the implementation (Linux refuses).")
        public static let ecmdq = RegisterField(
            "ECMDQ", bit: 31, name: "Enhanced Command queues",
            meaning: "Enhanced Command queue interfaces exist, described by SMMU_IDR6.")
    }

    public static let layout: [RegisterField] = [
        Fields.sidSize, Fields.ssidSize, Fields.priqs, Fields.eventqs, Fields.cmdqs,
        Fields.attrPermsOvr, Fields.attrTypesOvr, Fields.rel, Fields.queuesPreset,
        Fields.tablesPreset, Fields.ecmdq,
    ]

    /// SIDSIZE: StreamID bits.
    public var streamIDBits: Int { number(Fields.sidSize) }
    /// SSIDSIZE: SubstreamID (PASID) bits.
    public var substreamIDBits: Int { number(Fields.ssidSize) }
    /// PRIQS: log2 of PRI queue entries.
    public var priQueueSizeLog2: Int { number(Fields.priqs) }
    /// EVENTQS: log2 of Event queue entries.
    public var eventQueueSizeLog2: Int { number(Fields.eventqs) }
    /// CMDQS: log2 of Command queue entries.
    public var commandQueueSizeLog2: Int { number(Fields.cmdqs) }
    /// ATTR_PERMS_OVR
    public var attributePermissionsOverride: Bool { flag(Fields.attrPermsOvr) }
    /// ATTR_TYPES_OVR
    public var attributeTypesOverride: Bool { flag(Fields.attrTypesOvr) }
    /// REL
    public var relativeBasePointers: Bool { flag(Fields.rel) }
    /// QUEUES_PRESET
    public var queuesPreset: Bool { flag(Fields.queuesPreset) }
    /// TABLES_PRESET
    public var tablesPreset: Bool { flag(Fields.tablesPreset) }
    /// ECMDQ
    public var enhancedCommandQueues: Bool { flag(Fields.ecmdq) }

    /// Most Command queue entries.
    public var commandQueueEntries: Int { 1 << commandQueueSizeLog2 }
    /// Most Event queue entries.
    public var eventQueueEntries: Int { 1 << eventQueueSizeLog2 }
    /// Most PRI queue entries (meaningful only with IDR0.PRI).
    public var priQueueEntries: Int { 1 << priQueueSizeLog2 }
}
