/// An SMMUv3 stage-1 Context Descriptor (64 bytes, 8 dwords) for AArch64 translation tables.
///
/// For a nested stage 1 the guest, not the kernel, owns the CD table: a vSTE's S1ContextPtr
/// points at guest memory (an IOVA of the nesting parent), and the SMMU reads CDs from there.
/// This builder writes the fields a stage-1 CD for one TTB0 table needs (dword 0, TTB0 in
/// dword 1, MAIR in dword 3); every other bit is zero, and reading back refuses bits outside
/// these fields, since the typed view could not show them.
public struct SMMUv3ContextDescriptor: IOMMUPayload {
    public static let size = 64
    static let name = "SMMUv3 CD"

    /// CD.TG0: the translation granule of the TTB0 table.
    public enum TG0: UInt8, Hashable, Sendable, CaseIterable {
        case granule4K = 0
        case granule64K = 1
        case granule16K = 2
    }

    /// CD.IPS: the intermediate physical address size stage 1 may output.
    public enum IPS: UInt8, Hashable, Sendable, CaseIterable {
        case bits32 = 0, bits36 = 1, bits40 = 2, bits42 = 3, bits44 = 4, bits48 = 5, bits52 = 6
    }

    static let t0szField = PayloadBitField(5, 0)
    static let tg0Field = PayloadBitField(7, 6)
    static let ir0Field = PayloadBitField(9, 8)
    static let or0Field = PayloadBitField(11, 10)
    static let sh0Field = PayloadBitField(13, 12)
    static let epd0Field = PayloadBitField.bit(14)
    static let endiField = PayloadBitField.bit(15)
    static let epd1Field = PayloadBitField.bit(30)
    static let vField = PayloadBitField.bit(31)
    static let ipsField = PayloadBitField(34, 32)
    static let aa64Field = PayloadBitField.bit(41)
    static let hdField = PayloadBitField.bit(42)
    static let haField = PayloadBitField.bit(43)
    static let sField = PayloadBitField.bit(44)
    static let rField = PayloadBitField.bit(45)
    static let aField = PayloadBitField.bit(46)
    static let asetField = PayloadBitField.bit(47)
    static let asidField = PayloadBitField(63, 48)
    static let ttb0Field = PayloadBitField(51, 4)

    /// The dword-0 bits this type models.
    static let modelledWord0: UInt64 = [
        t0szField, tg0Field, ir0Field, or0Field, sh0Field, epd0Field, endiField, epd1Field,
        vField, ipsField, aa64Field, hdField, haField, sField, rField, aField, asetField,
        asidField,
    ].reduce(0) { $0 | $1.mask }

    /// The eight dwords, as the SMMU reads them.
    public private(set) var words: [UInt64]

    /// V: the CD is valid; an invalid CD makes the SMMU report C_BAD_CD.
    public var valid: Bool { Self.vField.isSet(in: words[0]) }
    /// T0SZ: the TTB0 region covers 2^(64-T0SZ) bytes of input address.
    public var t0sz: UInt8 { UInt8(Self.t0szField.extract(from: words[0])) }
    public var rawTG0: UInt8 { UInt8(Self.tg0Field.extract(from: words[0])) }
    public var tg0: TG0? { TG0(rawValue: rawTG0) }
    /// IR0: inner cacheability of TTB0 table walks.
    public var ir0: SMMUv3Cacheability { .init(rawValue: UInt8(Self.ir0Field.extract(from: words[0])))! }
    /// OR0: outer cacheability of TTB0 table walks.
    public var or0: SMMUv3Cacheability { .init(rawValue: UInt8(Self.or0Field.extract(from: words[0])))! }
    public var rawSH0: UInt8 { UInt8(Self.sh0Field.extract(from: words[0])) }
    /// SH0: shareability of TTB0 table walks.
    public var sh0: SMMUv3Shareability? { SMMUv3Shareability(rawValue: rawSH0) }
    /// EPD0: TTB0 walks are disabled; a miss faults instead of walking.
    public var epd0: Bool { Self.epd0Field.isSet(in: words[0]) }
    /// ENDI: translation tables are big-endian.
    public var endi: Bool { Self.endiField.isSet(in: words[0]) }
    /// EPD1: TTB1 walks are disabled (the usual setting for a device address space).
    public var epd1: Bool { Self.epd1Field.isSet(in: words[0]) }
    public var rawIPS: UInt8 { UInt8(Self.ipsField.extract(from: words[0])) }
    public var ips: IPS? { IPS(rawValue: rawIPS) }
    /// AA64: the tables use the AArch64 (VMSAv8-64) format.
    public var aa64: Bool { Self.aa64Field.isSet(in: words[0]) }
    /// HD: hardware updates the dirty state of entries (with HA).
    public var hd: Bool { Self.hdField.isSet(in: words[0]) }
    /// HA: hardware updates the Access flag of entries.
    public var ha: Bool { Self.haField.isSet(in: words[0]) }
    /// S: faulting transactions stall (needs STE.S1STALLD clear and stall support).
    public var s: Bool { Self.sField.isSet(in: words[0]) }
    /// R: faults are recorded in the event queue.
    public var r: Bool { Self.rField.isSet(in: words[0]) }
    /// A: faulting transactions abort (rather than completing with RAZ/WI).
    public var a: Bool { Self.aField.isSet(in: words[0]) }
    /// ASET: the ASID is not shared with PE TLB maintenance (no broadcast invalidation).
    public var aset: Bool { Self.asetField.isSet(in: words[0]) }
    /// ASID: tags TLB entries; TLBI_NH_ASID/NH_VA name it.
    public var asid: UInt16 { UInt16(Self.asidField.extract(from: words[0])) }
    /// TTB0: the guest-physical address of the TTB0 translation table (bits 51:4).
    public var ttb0: UInt64 { words[1] & Self.ttb0Field.mask }
    /// MAIR: the memory attribute indirection (MAIR_EL1 layout) for AttrIndx in entries.
    public var mair: UInt64 { words[3] }

    /// Builds a valid AArch64 stage-1 CD for one TTB0 table. Defaults follow what Linux
    /// programs for its own stage-1 CDs: EPD1, AA64, R, A, ASET set; 4 KiB granule, 48-bit
    /// IPS, write-back inner-shareable walks; MAIR Attr0 Normal NC, Attr1 Normal WB,
    /// Attr2 Device-nGnRE, Attr3 Normal inner NC / outer WB.
    public init(
        asid: UInt16,
        ttb0: UInt64,
        t0sz: UInt8 = 16,
        tg0: TG0 = .granule4K,
        ir0: SMMUv3Cacheability = .writeBackReadWriteAllocate,
        or0: SMMUv3Cacheability = .writeBackReadWriteAllocate,
        sh0: SMMUv3Shareability = .innerShareable,
        ips: IPS = .bits48,
        mair: UInt64 = 0xF404_FF44,
        epd0: Bool = false,
        epd1: Bool = true,
        endi: Bool = false,
        aa64: Bool = true,
        stall: Bool = false,
        recordFaults: Bool = true,
        abortFaults: Bool = true,
        aset: Bool = true,
        hardwareAccessFlag: Bool = false,
        hardwareDirtyState: Bool = false,
        valid: Bool = true
    ) throws(PayloadError) {
        try PayloadCheck.fits(UInt64(t0sz), bits: 6, payload: Self.name, field: "T0SZ")
        try PayloadCheck.address(ttb0, lowBit: 4, highBit: 51, payload: Self.name, field: "TTB0")
        if hardwareDirtyState && !hardwareAccessFlag {
            throw PayloadError(
                payload: Self.name, field: "HD", value: 1,
                reason: "is set without HA (dirty state updates need access flag updates)")
        }
        let w0 = Self.t0szField.placed(UInt64(t0sz))
            | Self.tg0Field.placed(UInt64(tg0.rawValue))
            | Self.ir0Field.placed(UInt64(ir0.rawValue))
            | Self.or0Field.placed(UInt64(or0.rawValue))
            | Self.sh0Field.placed(UInt64(sh0.rawValue))
            | Self.epd0Field.placed(epd0)
            | Self.endiField.placed(endi)
            | Self.epd1Field.placed(epd1)
            | Self.vField.placed(valid)
            | Self.ipsField.placed(UInt64(ips.rawValue))
            | Self.aa64Field.placed(aa64)
            | Self.hdField.placed(hardwareDirtyState)
            | Self.haField.placed(hardwareAccessFlag)
            | Self.sField.placed(stall)
            | Self.rField.placed(recordFaults)
            | Self.aField.placed(abortFaults)
            | Self.asetField.placed(aset)
            | Self.asidField.placed(UInt64(asid))
        self.init(uncheckedWords: [w0, ttb0, 0, mair, 0, 0, 0, 0])
    }

    /// Holds any eight dwords (a shorter array is zero-extended, a longer one cut to 8).
    public init(uncheckedWords words: [UInt64]) {
        var eight = Array(words.prefix(8))
        eight.append(contentsOf: repeatElement(0, count: 8 - eight.count))
        self.words = eight
    }

    /// All zero: an invalid CD.
    public static let invalid = SMMUv3ContextDescriptor(uncheckedWords: [])

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        var words: [UInt64] = []
        for _ in 0..<8 { words.append(reader.u64()) }
        self.init(uncheckedWords: words)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        for word in words { writer.u64(word) }
        return writer.bytes
    }

    /// Reserved encodings and bits outside the modelled fields.
    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        if tg0 == nil {
            found.append(PayloadError(
                payload: Self.name, field: "TG0", value: UInt64(rawTG0), reason: "is the reserved encoding 0b11"))
        }
        if sh0 == nil {
            found.append(PayloadError(
                payload: Self.name, field: "SH0", value: UInt64(rawSH0), reason: "is the reserved encoding 0b01"))
        }
        if ips == nil {
            found.append(PayloadError(
                payload: Self.name, field: "IPS", value: UInt64(rawIPS), reason: "is the reserved encoding 0b111"))
        }
        if hd && !ha {
            found.append(PayloadError(
                payload: Self.name, field: "HD", value: 1,
                reason: "is set without HA (dirty state updates need access flag updates)"))
        }
        let extra0 = words[0] & ~Self.modelledWord0
        if extra0 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword0", value: extra0,
                reason: "sets bits this builder does not model (T1SZ, TG1, TBI, ...)"))
        }
        let extra1 = words[1] & ~Self.ttb0Field.mask
        if extra1 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword1", value: extra1,
                reason: "sets bits outside TTB0"))
        }
        for index in [2, 4, 5, 6, 7] where words[index] != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword\(index)", value: words[index],
                reason: "is not modelled by this builder and must be 0"))
        }
        return found
    }
}

extension SMMUv3ContextDescriptor: ValidatedPayload {}
