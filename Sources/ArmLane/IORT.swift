/// The ACPI IORT (IO Remapping Table) of an Arm machine, as far as the lane needs it: finding
/// every PCI root-complex node and setting CANWBS in its memory access flags, so that the
/// Linux 7.2 SMMUv3 driver allows `IOMMU_VIOMMU_ALLOC(ARM_SMMUV3)` on an SMMU without IDR3.FWB
/// (QEMU's). Layouts: ACPI table header (36 bytes), then `{u32 node count, u32 node offset,
/// u32 reserved}`; each node `{u8 type, u16 length, u8 revision, u32 id, u32 mapping count,
/// u32 mapping offset}` then its data; a root complex (type 2) starts its data with the memory
/// access properties `{u32 cache coherency, u8 hints, u16 reserved, u8 memory flags}`, so the
/// flags byte sits at node offset + 23 (include/acpi/actbl2.h).
struct IORTTable {
    static let rootComplexType: UInt8 = 2
    static let canWBS: UInt8 = 1 << 2
    static let memoryFlagsOffsetInNode = 23

    var bytes: [UInt8]

    struct Node: Hashable {
        var offset: Int
        var type: UInt8
        var length: Int
        var revision: UInt8
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 48, Array(bytes[0..<4]) == Array("IORT".utf8) else {
            throw LaneFailure("not an IORT (\(bytes.count) bytes, signature \(Array(bytes.prefix(4))))")
        }
        guard Int(u32(bytes, 4)) == bytes.count else {
            throw LaneFailure("IORT length field \(u32(bytes, 4)) but \(bytes.count) bytes")
        }
        self.bytes = bytes
    }

    var checksumIsValid: Bool { bytes.reduce(UInt8(0)) { $0 &+ $1 } == 0 }
    var oemRevision: UInt32 { u32(bytes, 24) }

    func nodes() throws -> [Node] {
        let count = Int(u32(bytes, 36))
        var offset = Int(u32(bytes, 40))
        var out: [Node] = []
        for i in 0..<count {
            guard offset + 16 <= bytes.count else { throw LaneFailure("IORT node \(i) at \(offset) runs past the table") }
            let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
            guard length >= 16, offset + length <= bytes.count else { throw LaneFailure("IORT node \(i) at \(offset): length \(length)") }
            out.append(Node(offset: offset, type: bytes[offset], length: length, revision: bytes[offset + 3]))
            offset += length
        }
        return out
    }

    /// The offsets of the memory-flags bytes of every root complex and whether CANWBS is set.
    func rootComplexFlags() throws -> [(offset: Int, flags: UInt8)] {
        try nodes().filter { $0.type == Self.rootComplexType && $0.length >= 24 }.map {
            ($0.offset + Self.memoryFlagsOffsetInNode, bytes[$0.offset + Self.memoryFlagsOffsetInNode])
        }
    }

    /// Sets CANWBS in every root complex, raises the OEM revision by one (the kernel only takes
    /// a newer table) and fixes the checksum. Returns what changed, one line each.
    mutating func setCANWBS() throws -> [String] {
        var changes: [String] = []
        let flags = try rootComplexFlags()
        guard !flags.isEmpty else { throw LaneFailure("the IORT has no PCI root complex node") }
        for (offset, value) in flags {
            bytes[offset] = value | Self.canWBS
            changes.append("root complex memory access flags at offset \(offset): \(hexString(value)) -> \(hexString(bytes[offset]))")
        }
        let revision = oemRevision &+ 1
        for i in 0..<4 { bytes[24 + i] = UInt8(truncatingIfNeeded: revision >> UInt32(8 * i)) }
        changes.append("OEM revision at offset 24: \(revision - 1) -> \(revision)")
        bytes[9] = 0
        bytes[9] = 0 &- bytes.reduce(UInt8(0)) { $0 &+ $1 }
        changes.append("checksum at offset 9: \(hexString(bytes[9]))")
        return changes
    }
}

func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
    UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
}
