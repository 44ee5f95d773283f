/// `struct iommu_viommu_arm_smmuv3_invalidate` (16 bytes): one guest SMMUv3 command-queue
/// entry, passed to IOMMU_HWPT_INVALIDATE on a vIOMMU.
///
/// The kernel (`arm_vsmmu_convert_user_cmd`) accepts only the eight opcodes in `Operation`
/// and answers EIO for any other. It overwrites the VMID of TLBI commands with the vIOMMU's,
/// turns TLBI_NSNH_ALL into TLBI_NH_ALL, and maps the StreamID of ATC_INV, CFGI_CD and
/// CFGI_CD_ALL from a vSID (EIO if no vDEVICE has it) to the physical SID. Field positions
/// follow the CMDQ_* layouts of the SMMUv3 spec.
public struct SMMUv3Command: InvalidationEntry {
    public static let size = 16
    /// `IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3`.
    public static let invalidationDataType: UInt32 = 1
    static let name = "SMMUv3 command"

    /// Command opcodes (CMDQ_0_OP, bits 7:0) a Linux SMMUv3 driver knows.
    public enum Opcode: UInt8, Hashable, Sendable, CaseIterable {
        case prefetchConfig = 0x01
        case cfgiSTE = 0x03
        case cfgiAll = 0x04
        case cfgiCD = 0x05
        case cfgiCDAll = 0x06
        case tlbiNHAll = 0x10
        case tlbiNHASID = 0x11
        case tlbiNHVA = 0x12
        case tlbiNHVAA = 0x13
        case tlbiEL2All = 0x20
        case tlbiEL2ASID = 0x21
        case tlbiEL2VA = 0x22
        case tlbiS12VMAll = 0x28
        case tlbiS2IPA = 0x2a
        case tlbiNSNHAll = 0x30
        case atcInv = 0x40
        case priResp = 0x41
        case resume = 0x44
        case cmdSync = 0x46

        /// The spec's name, e.g. "CMD_TLBI_NH_VA".
        public var mnemonic: String {
            switch self {
            case .prefetchConfig: "CMD_PREFETCH_CONFIG"
            case .cfgiSTE: "CMD_CFGI_STE"
            case .cfgiAll: "CMD_CFGI_ALL"
            case .cfgiCD: "CMD_CFGI_CD"
            case .cfgiCDAll: "CMD_CFGI_CD_ALL"
            case .tlbiNHAll: "CMD_TLBI_NH_ALL"
            case .tlbiNHASID: "CMD_TLBI_NH_ASID"
            case .tlbiNHVA: "CMD_TLBI_NH_VA"
            case .tlbiNHVAA: "CMD_TLBI_NH_VAA"
            case .tlbiEL2All: "CMD_TLBI_EL2_ALL"
            case .tlbiEL2ASID: "CMD_TLBI_EL2_ASID"
            case .tlbiEL2VA: "CMD_TLBI_EL2_VA"
            case .tlbiS12VMAll: "CMD_TLBI_S12_VMALL"
            case .tlbiS2IPA: "CMD_TLBI_S2_IPA"
            case .tlbiNSNHAll: "CMD_TLBI_NSNH_ALL"
            case .atcInv: "CMD_ATC_INV"
            case .priResp: "CMD_PRI_RESP"
            case .resume: "CMD_RESUME"
            case .cmdSync: "CMD_SYNC"
            }
        }

        /// True for the opcodes a vIOMMU passes on; the kernel answers EIO for the others.
        public var acceptedByVIOMMU: Bool {
            switch self {
            case .tlbiNHAll, .tlbiNHASID, .tlbiNHVA, .tlbiNHVAA, .tlbiNSNHAll, .atcInv, .cfgiCD,
                .cfgiCDAll:
                true
            default:
                false
            }
        }
    }

    /// The range form of TLBI_NH_VA/VAA (SMMUv3.2 RIL): TG selects the granule, and the
    /// command covers (NUM+1) * 2^SCALE granules from the address. TTL hints the table level.
    public struct TLBIRange: Hashable, Sendable {
        /// TG: the translation granule of the entries to invalidate.
        public enum Granule: UInt8, Hashable, Sendable, CaseIterable {
            case granule4K = 1
            case granule16K = 2
            case granule64K = 3
        }

        public var granule: Granule
        /// SCALE, 0...31.
        public var scale: UInt8
        /// NUM, 0...31 (the count minus one).
        public var num: UInt8
        /// TTL, 0...3: the level of the leaf entries (0 means unknown).
        public var ttl: UInt8

        public init(granule: Granule, scale: UInt8 = 0, num: UInt8 = 0, ttl: UInt8 = 0) {
            self.granule = granule
            self.scale = scale
            self.num = num
            self.ttl = ttl
        }

        /// How many granules the command covers, if SCALE and NUM are in range.
        public var granuleCount: UInt64? {
            guard scale <= 31, num <= 31 else { return nil }
            return (UInt64(num) + 1) << UInt64(scale)
        }
    }

    /// The eight commands a vIOMMU accepts, with their fields.
    public enum Operation: Hashable, Sendable {
        /// Invalidate every stage-1 TLB entry of the VM.
        case tlbiNHAll
        /// Invalidate the stage-1 TLB entries tagged with an ASID.
        case tlbiNHASID(asid: UInt16)
        /// Invalidate the entries for one address (or a range) in one ASID; `leaf` limits it to
        /// last-level entries.
        case tlbiNHVA(asid: UInt16, address: UInt64, leaf: Bool = false, range: TLBIRange? = nil)
        /// As tlbiNHVA, for every ASID.
        case tlbiNHVAA(address: UInt64, leaf: Bool = false, range: TLBIRange? = nil)
        /// Invalidate everything of the VM (the kernel sends TLBI_NH_ALL).
        case tlbiNSNHAll
        /// Invalidate the device's ATS cache for 2^size pages from `address` (vSID `streamID`;
        /// `substreamID` nil for the no-PASID context; `global` for all PASIDs' global entries).
        case atcInv(streamID: UInt32, substreamID: UInt32? = nil, global: Bool = false, size: UInt8, address: UInt64)
        /// Invalidate the cached CD of one SubstreamID of the vSID; `leaf` keeps L1 CD entries.
        case cfgiCD(streamID: UInt32, substreamID: UInt32, leaf: Bool = false)
        /// Invalidate every cached CD of the vSID.
        case cfgiCDAll(streamID: UInt32)

        public var opcode: Opcode {
            switch self {
            case .tlbiNHAll: .tlbiNHAll
            case .tlbiNHASID: .tlbiNHASID
            case .tlbiNHVA: .tlbiNHVA
            case .tlbiNHVAA: .tlbiNHVAA
            case .tlbiNSNHAll: .tlbiNSNHAll
            case .atcInv: .atcInv
            case .cfgiCD: .cfgiCD
            case .cfgiCDAll: .cfgiCDAll
            }
        }
    }

    static let opField = PayloadBitField(7, 0)
    static let globalField = PayloadBitField.bit(9)
    static let ssvField = PayloadBitField.bit(11)
    static let ssidField = PayloadBitField(31, 12)
    static let sidField = PayloadBitField(63, 32)
    static let numField = PayloadBitField(16, 12)
    static let scaleField = PayloadBitField(24, 20)
    static let vmidField = PayloadBitField(47, 32)
    static let asidField = PayloadBitField(63, 48)
    static let leafField = PayloadBitField.bit(0)
    static let ttlField = PayloadBitField(9, 8)
    static let tgField = PayloadBitField(11, 10)
    static let addressField = PayloadBitField(63, 12)
    static let atcSizeField = PayloadBitField(5, 0)

    /// Largest ATC_INV Size: 2^52 pages of 4 KiB span the whole 64-bit space.
    public static let atcInvalidateSizeAll: UInt8 = 52

    /// Command dword 0.
    public private(set) var word0: UInt64
    /// Command dword 1.
    public private(set) var word1: UInt64

    /// Builds one command, refusing values its fields cannot hold.
    public init(_ operation: Operation) throws(PayloadError) {
        var w0 = Self.opField.placed(UInt64(operation.opcode.rawValue))
        var w1: UInt64 = 0
        switch operation {
        case .tlbiNHAll, .tlbiNSNHAll:
            break
        case .tlbiNHASID(let asid):
            w0 |= Self.asidField.placed(UInt64(asid))
        case .tlbiNHVA(let asid, let address, let leaf, let range):
            w0 |= Self.asidField.placed(UInt64(asid))
            try Self.encodeAddress(address, leaf: leaf, range: range, into: &w0, &w1)
        case .tlbiNHVAA(let address, let leaf, let range):
            try Self.encodeAddress(address, leaf: leaf, range: range, into: &w0, &w1)
        case .atcInv(let sid, let ssid, let global, let size, let address):
            w0 |= Self.sidField.placed(UInt64(sid)) | Self.globalField.placed(global)
            if let ssid {
                try PayloadCheck.fits(UInt64(ssid), bits: 20, payload: Self.name, field: "SSID")
                w0 |= Self.ssvField.mask | Self.ssidField.placed(UInt64(ssid))
            }
            guard size <= Self.atcInvalidateSizeAll else {
                throw PayloadError(
                    payload: Self.name, field: "Size", value: UInt64(size),
                    reason: "spans more than 2^64 bytes (52 already covers everything)",
                    valueFormat: .decimal)
            }
            try PayloadCheck.address(address, lowBit: 12, highBit: 63, payload: Self.name, field: "Address")
            let spanMask = (UInt64(1) << UInt64(12 + Int(size))) &- 1
            guard address & spanMask == 0 else {
                throw PayloadError(
                    payload: Self.name, field: "Address", value: address,
                    reason: "is not aligned to the 2^\(size)-page span it names (the device would ignore the low bits)")
            }
            w1 = Self.atcSizeField.placed(UInt64(size)) | address
        case .cfgiCD(let sid, let ssid, let leaf):
            try PayloadCheck.fits(UInt64(ssid), bits: 20, payload: Self.name, field: "SSID")
            w0 |= Self.sidField.placed(UInt64(sid)) | Self.ssidField.placed(UInt64(ssid))
            w1 = Self.leafField.placed(leaf)
        case .cfgiCDAll(let sid):
            w0 |= Self.sidField.placed(UInt64(sid))
        }
        self.init(uncheckedWord0: w0, word1: w1)
    }

    private static func encodeAddress(
        _ address: UInt64, leaf: Bool, range: TLBIRange?, into w0: inout UInt64, _ w1: inout UInt64
    ) throws(PayloadError) {
        try PayloadCheck.address(address, lowBit: 12, highBit: 63, payload: name, field: "Address")
        w1 = address | leafField.placed(leaf)
        if let range {
            try PayloadCheck.fits(UInt64(range.scale), bits: 5, payload: name, field: "SCALE")
            try PayloadCheck.fits(UInt64(range.num), bits: 5, payload: name, field: "NUM")
            try PayloadCheck.fits(UInt64(range.ttl), bits: 2, payload: name, field: "TTL")
            w0 |= scaleField.placed(UInt64(range.scale)) | numField.placed(UInt64(range.num))
            w1 |= tgField.placed(UInt64(range.granule.rawValue)) | ttlField.placed(UInt64(range.ttl))
        }
    }

    /// Invalidate all stage-1 TLB entries of the VM.
    public static let tlbiNHAll = SMMUv3Command(
        uncheckedWord0: UInt64(Opcode.tlbiNHAll.rawValue), word1: 0)
    /// Invalidate everything of the VM (sent on as TLBI_NH_ALL).
    public static let tlbiNSNHAll = SMMUv3Command(
        uncheckedWord0: UInt64(Opcode.tlbiNSNHAll.rawValue), word1: 0)

    /// Any opcode with any other fields: `rawOpcode` replaces bits 7:0 of `word0`. For
    /// negative tests (CFGI_STE 0x03, TLBI_S12_VMALL 0x28, CMD_SYNC 0x46, ...).
    public init(rawOpcode: UInt8, word0: UInt64 = 0, word1: UInt64 = 0) {
        self.init(uncheckedWord0: (word0 & ~Self.opField.mask) | UInt64(rawOpcode), word1: word1)
    }

    public init(uncheckedWord0 word0: UInt64, word1: UInt64) {
        self.word0 = word0
        self.word1 = word1
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        let (w0, w1) = try TwoWords.read(bytes, payload: Self.name)
        self.init(uncheckedWord0: w0, word1: w1)
    }

    public var bytes: [UInt8] { TwoWords.bytes(word0, word1) }

    /// CMDQ_0_OP, raw.
    public var rawOpcode: UInt8 { UInt8(truncatingIfNeeded: word0) }
    /// The opcode, or nil for one no SMMUv3 driver defines.
    public var opcode: Opcode? { Opcode(rawValue: rawOpcode) }
    /// VMID (bits 47:32 of a TLBI_NH_* command; other opcodes put the StreamID there); the
    /// kernel overwrites it with the vIOMMU's.
    public var vmid: UInt16 { UInt16(Self.vmidField.extract(from: word0)) }

    /// The bits each accepted opcode defines.
    static func definedBits(_ opcode: Opcode) -> (UInt64, UInt64)? {
        let op = opField.mask
        let addressRange = (numField.mask | scaleField.mask, leafField.mask | ttlField.mask | tgField.mask | addressField.mask)
        switch opcode {
        case .tlbiNHAll: return (op | vmidField.mask, 0)
        case .tlbiNSNHAll: return (op, 0)
        case .tlbiNHASID: return (op | vmidField.mask | asidField.mask, 0)
        case .tlbiNHVA:
            return (op | vmidField.mask | asidField.mask | addressRange.0, addressRange.1)
        case .tlbiNHVAA: return (op | vmidField.mask | addressRange.0, addressRange.1)
        case .atcInv:
            return (op | globalField.mask | ssvField.mask | ssidField.mask | sidField.mask,
                    atcSizeField.mask | addressField.mask)
        case .cfgiCD: return (op | ssidField.mask | sidField.mask, leafField.mask)
        case .cfgiCDAll: return (op | sidField.mask, 0)
        default: return nil
        }
    }

    /// The command as a typed operation, or nil when the opcode is not one a vIOMMU accepts.
    /// Bits outside the opcode's fields, and VMID, are not part of the operation (see
    /// `problems`).
    public var operation: Operation? {
        guard let opcode, opcode.acceptedByVIOMMU else { return nil }
        let sid = UInt32(Self.sidField.extract(from: word0))
        let ssid = UInt32(Self.ssidField.extract(from: word0))
        let asid = UInt16(Self.asidField.extract(from: word0))
        let address = word1 & Self.addressField.mask
        let leaf = Self.leafField.isSet(in: word1)
        var range: TLBIRange? {
            guard let granule = TLBIRange.Granule(rawValue: UInt8(Self.tgField.extract(from: word1))) else {
                return nil
            }
            return TLBIRange(
                granule: granule, scale: UInt8(Self.scaleField.extract(from: word0)),
                num: UInt8(Self.numField.extract(from: word0)),
                ttl: UInt8(Self.ttlField.extract(from: word1)))
        }
        switch opcode {
        case .tlbiNHAll: return .tlbiNHAll
        case .tlbiNSNHAll: return .tlbiNSNHAll
        case .tlbiNHASID: return .tlbiNHASID(asid: asid)
        case .tlbiNHVA: return .tlbiNHVA(asid: asid, address: address, leaf: leaf, range: range)
        case .tlbiNHVAA: return .tlbiNHVAA(address: address, leaf: leaf, range: range)
        case .atcInv:
            return .atcInv(
                streamID: sid, substreamID: Self.ssvField.isSet(in: word0) ? ssid : nil,
                global: Self.globalField.isSet(in: word0),
                size: UInt8(Self.atcSizeField.extract(from: word1)), address: address)
        case .cfgiCD: return .cfgiCD(streamID: sid, substreamID: ssid, leaf: leaf)
        case .cfgiCDAll: return .cfgiCDAll(streamID: sid)
        default: return nil
        }
    }

    /// Everything this type refuses: an opcode the vIOMMU rejects (EIO), bits outside the
    /// opcode's fields, a VMID (which the kernel overwrites), and field combinations whose
    /// bits the SMMU would ignore.
    public var problems: [PayloadError] {
        guard let opcode, let defined = Self.definedBits(opcode) else {
            return [PayloadError(
                payload: Self.name, field: "opcode", value: UInt64(rawOpcode),
                reason: "is not one a vIOMMU accepts (EIO): only TLBI_NH_ALL/ASID/VA/VAA, TLBI_NSNH_ALL, ATC_INV, CFGI_CD, CFGI_CD_ALL")]
        }
        var found: [PayloadError] = []
        let (defined0, defined1) = defined
        let extra0 = word0 & ~defined0
        if extra0 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword0", value: extra0,
                reason: "sets bits that \(opcode.mnemonic) does not define"))
        }
        let extra1 = word1 & ~defined1
        if extra1 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword1", value: extra1,
                reason: "sets bits that \(opcode.mnemonic) does not define"))
        }
        let carriesVMID = [.tlbiNHAll, .tlbiNHASID, .tlbiNHVA, .tlbiNHVAA].contains(opcode)
        if carriesVMID && vmid != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "VMID", value: UInt64(vmid),
                reason: "is set, but the kernel replaces it with the vIOMMU's VMID"))
        }
        switch opcode {
        case .tlbiNHVA, .tlbiNHVAA:
            if Self.tgField.extract(from: word1) == 0 {
                let stray = (word0 & (Self.numField.mask | Self.scaleField.mask)) | (word1 & Self.ttlField.mask)
                if stray != 0 {
                    found.append(PayloadError(
                        payload: Self.name, field: "TG", value: 0,
                        reason: "is 0 (no range) but NUM, SCALE or TTL is set; the SMMU ignores them"))
                }
            }
        case .atcInv:
            if !Self.ssvField.isSet(in: word0) && Self.ssidField.extract(from: word0) != 0 {
                found.append(PayloadError(
                    payload: Self.name, field: "SSID", value: Self.ssidField.extract(from: word0),
                    reason: "is set while SSV is clear; the SMMU ignores it"))
            }
            let size = Self.atcSizeField.extract(from: word1)
            if size > UInt64(Self.atcInvalidateSizeAll) {
                found.append(PayloadError(
                    payload: Self.name, field: "Size", value: size,
                    reason: "spans more than 2^64 bytes (52 already covers everything)",
                    valueFormat: .decimal))
            } else {
                let spanMask = (UInt64(1) << (12 + size)) &- 1
                let address = word1 & Self.addressField.mask
                if address & spanMask != 0 {
                    found.append(PayloadError(
                        payload: Self.name, field: "Address", value: address,
                        reason: "is not aligned to the 2^\(size)-page span it names (the device would ignore the low bits)"))
                }
            }
        default:
            break
        }
        return found
    }
}

extension SMMUv3Command: ValidatedPayload {}
