/// `struct iommu_hwpt_arm_smmuv3` (16 bytes): dwords 0 and 1 of a guest Stream Table Entry,
/// from which the kernel builds a nested STE under a vIOMMU.
///
/// The kernel (`arm_smmu_validate_vste`) zeroes the whole vSTE when V is clear, and otherwise
/// answers EIO for any bit outside V, Config, S1Fmt, S1ContextPtr, S1CDMax (dword 0) and
/// S1DSS, S1CIR, S1COR, S1CSH, S1STALLD, EATS (dword 1), for Config other than abort, bypass
/// or stage-1 translate, and for EATS other than 0 or 1. This type also refuses the encodings
/// the spec reserves (S1Fmt 0b11, S1DSS 0b11, S1CSH 0b01), which the hardware reports as
/// C_BAD_STE, and fields set in an invalid (V=0) STE, which the kernel discards.
public struct SMMUv3VSTE: HWPTAllocationData {
    public static let size = 16
    /// `IOMMU_HWPT_DATA_ARM_SMMUV3`.
    public static let hwptDataType: UInt32 = 2
    static let name = "SMMUv3 vSTE"

    /// STE.Config: what the stream does with transactions.
    public enum Config: UInt8, Hashable, Sendable, CaseIterable {
        /// 0b000: abort all transactions (no event for the guest's own abort config).
        case abort = 0
        /// 0b100: bypass the guest's stage 1; the nesting parent still translates.
        case bypass = 4
        /// 0b101: translate through the guest CD table, then the nesting parent.
        case stage1Translate = 5
    }

    /// STE.S1Fmt: layout of the CD table at S1ContextPtr.
    public enum S1Fmt: UInt8, Hashable, Sendable, CaseIterable {
        /// 0b00: a linear array of 2^S1CDMax CDs.
        case linear = 0
        /// 0b01: two levels, 4 KiB leaf tables of 64 CDs.
        case twoLevel4K = 1
        /// 0b10: two levels, 64 KiB leaf tables of 1024 CDs.
        case twoLevel64K = 2
    }

    /// STE.S1DSS: what happens to transactions without a SubstreamID.
    public enum S1DSS: UInt8, Hashable, Sendable, CaseIterable {
        /// 0b00: terminate them (and CD 0 is not used).
        case terminate = 0
        /// 0b01: bypass stage 1 for them.
        case bypass = 1
        /// 0b10: translate them with CD 0, and refuse SubstreamID 0 on the wire.
        case substream0 = 2
    }

    /// STE.EATS: how the SMMU answers PCIe ATS translation requests.
    public enum EATS: UInt8, Hashable, Sendable, CaseIterable {
        /// 0b00: ATS is not allowed; requests get an Unsupported Request.
        case abort = 0
        /// 0b01: full ATS, translated through both stages.
        case translate = 1
    }

    static let vField = PayloadBitField.bit(0)
    static let configField = PayloadBitField(3, 1)
    static let s1FmtField = PayloadBitField(5, 4)
    static let s1ContextPtrField = PayloadBitField(51, 6)
    static let s1CDMaxField = PayloadBitField(63, 59)
    static let s1DSSField = PayloadBitField(1, 0)
    static let s1CIRField = PayloadBitField(3, 2)
    static let s1CORField = PayloadBitField(5, 4)
    static let s1CSHField = PayloadBitField(7, 6)
    static let s1STALLDField = PayloadBitField.bit(27)
    static let eatsField = PayloadBitField(29, 28)

    /// The dword-0 bits a guest may set (the kernel's nesting-allowed mask).
    public static let allowedWord0: UInt64 =
        vField.mask | configField.mask | s1FmtField.mask | s1ContextPtrField.mask | s1CDMaxField.mask
    /// The dword-1 bits a guest may set.
    public static let allowedWord1: UInt64 =
        s1DSSField.mask | s1CIRField.mask | s1CORField.mask | s1CSHField.mask | s1STALLDField.mask | eatsField.mask

    /// STE dword 0, as sent.
    public private(set) var word0: UInt64
    /// STE dword 1, as sent.
    public private(set) var word1: UInt64

    /// V: the STE is valid. A clear V makes the kernel zero the vSTE (abort, with C_BAD_STE).
    public var valid: Bool { Self.vField.isSet(in: word0) }
    /// Config, raw 3-bit value.
    public var rawConfig: UInt8 { UInt8(Self.configField.extract(from: word0)) }
    /// Config, or nil for a value the kernel refuses (1-3, 6 stage-2, 7 nested).
    public var config: Config? { Config(rawValue: rawConfig) }
    public var rawS1Fmt: UInt8 { UInt8(Self.s1FmtField.extract(from: word0)) }
    public var s1Fmt: S1Fmt? { S1Fmt(rawValue: rawS1Fmt) }
    /// S1ContextPtr: the guest-physical (IPA) address of the CD table, 64-byte aligned.
    public var s1ContextPtr: UInt64 { word0 & Self.s1ContextPtrField.mask }
    /// S1CDMax: log2 of the number of CDs (0 means one CD and no SubstreamIDs).
    public var s1CDMax: UInt8 { UInt8(Self.s1CDMaxField.extract(from: word0)) }
    public var rawS1DSS: UInt8 { UInt8(Self.s1DSSField.extract(from: word1)) }
    public var s1DSS: S1DSS? { S1DSS(rawValue: rawS1DSS) }
    /// S1CIR: inner cacheability of CD and stage-1 table fetches.
    public var s1CIR: SMMUv3Cacheability {
        SMMUv3Cacheability(rawValue: UInt8(Self.s1CIRField.extract(from: word1)))!
    }
    /// S1COR: outer cacheability of CD and stage-1 table fetches.
    public var s1COR: SMMUv3Cacheability {
        SMMUv3Cacheability(rawValue: UInt8(Self.s1CORField.extract(from: word1)))!
    }
    public var rawS1CSH: UInt8 { UInt8(Self.s1CSHField.extract(from: word1)) }
    /// S1CSH: shareability of CD and stage-1 table fetches.
    public var s1CSH: SMMUv3Shareability? { SMMUv3Shareability(rawValue: rawS1CSH) }
    /// S1STALLD: stall faults are not allowed for this stream (CD.S must then be 0).
    public var s1STALLD: Bool { Self.s1STALLDField.isSet(in: word1) }
    public var rawEATS: UInt8 { UInt8(Self.eatsField.extract(from: word1)) }
    public var eats: EATS? { EATS(rawValue: rawEATS) }

    /// Builds a vSTE from typed fields, refusing a CD table address the field cannot hold
    /// and an S1CDMax above 31; fields other than V are refused when `valid` is false.
    public init(
        valid: Bool = true,
        config: Config,
        s1Fmt: S1Fmt = .linear,
        s1ContextPtr: UInt64 = 0,
        s1CDMax: UInt8 = 0,
        s1DSS: S1DSS = .terminate,
        s1CIR: SMMUv3Cacheability = .nonCacheable,
        s1COR: SMMUv3Cacheability = .nonCacheable,
        s1CSH: SMMUv3Shareability = .nonShareable,
        s1STALLD: Bool = false,
        eats: EATS = .abort
    ) throws(PayloadError) {
        try PayloadCheck.address(
            s1ContextPtr, lowBit: 6, highBit: 51, payload: Self.name, field: "S1ContextPtr")
        try PayloadCheck.fits(UInt64(s1CDMax), bits: 5, payload: Self.name, field: "S1CDMax")
        let w0 = Self.vField.placed(valid)
            | Self.configField.placed(UInt64(config.rawValue))
            | Self.s1FmtField.placed(UInt64(s1Fmt.rawValue))
            | s1ContextPtr
            | Self.s1CDMaxField.placed(UInt64(s1CDMax))
        let w1 = Self.s1DSSField.placed(UInt64(s1DSS.rawValue))
            | Self.s1CIRField.placed(UInt64(s1CIR.rawValue))
            | Self.s1CORField.placed(UInt64(s1COR.rawValue))
            | Self.s1CSHField.placed(UInt64(s1CSH.rawValue))
            | Self.s1STALLDField.placed(s1STALLD)
            | Self.eatsField.placed(UInt64(eats.rawValue))
        self.init(uncheckedWord0: w0, word1: w1)
        if let first = problems.first { throw first }
    }

    /// Holds any two dwords, for negative tests (Config 6, bits outside the masks, ...).
    public init(uncheckedWord0 word0: UInt64, word1: UInt64) {
        self.word0 = word0
        self.word1 = word1
    }

    /// V=0: an invalid STE. The kernel accepts it, and the device's DMA aborts with C_BAD_STE.
    public static let invalid = SMMUv3VSTE(uncheckedWord0: 0, word1: 0)
    /// V=1, Config=abort: DMA aborts.
    public static let abort = SMMUv3VSTE(uncheckedWord0: vField.mask | configField.placed(0), word1: 0)
    /// V=1, Config=bypass: DMA is translated by the nesting parent only.
    public static let bypass = SMMUv3VSTE(uncheckedWord0: vField.mask | configField.placed(4), word1: 0)

    /// V=1, Config=stage-1 translate through the CD table at `contextDescriptorTable` (an
    /// address in the guest's IPA space, i.e. an IOVA of the nesting parent).
    public static func translate(
        contextDescriptorTable: UInt64,
        format: S1Fmt = .linear,
        cdMax: UInt8 = 0,
        s1DSS: S1DSS = .terminate,
        tableWalkCacheability: SMMUv3Cacheability = .writeBackReadWriteAllocate,
        tableWalkShareability: SMMUv3Shareability = .innerShareable,
        s1STALLD: Bool = false,
        eats: EATS = .abort
    ) throws(PayloadError) -> SMMUv3VSTE {
        try SMMUv3VSTE(
            config: .stage1Translate, s1Fmt: format, s1ContextPtr: contextDescriptorTable,
            s1CDMax: cdMax, s1DSS: s1DSS, s1CIR: tableWalkCacheability,
            s1COR: tableWalkCacheability, s1CSH: tableWalkShareability, s1STALLD: s1STALLD,
            eats: eats)
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        let (w0, w1) = try TwoWords.read(bytes, payload: Self.name)
        self.init(uncheckedWord0: w0, word1: w1)
    }

    public var bytes: [UInt8] { TwoWords.bytes(word0, word1) }

    /// True when the kernel's allocation check (`arm_smmu_validate_vste`) returns EIO.
    public var kernelRejects: Bool {
        guard valid else { return false }
        return word0 & ~Self.allowedWord0 != 0 || word1 & ~Self.allowedWord1 != 0
            || config == nil || eats == nil
    }

    /// Everything this type refuses, in field order; each reason says whether the kernel
    /// answers EIO or the value is otherwise lost or reserved.
    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        if !valid {
            if word0 != 0 || word1 != 0 {
                found.append(PayloadError(
                    payload: Self.name, field: "V", value: word0,
                    reason: "is clear but other fields are set (the kernel zeroes an invalid vSTE)"))
            }
            return found
        }
        let extra0 = word0 & ~Self.allowedWord0
        if extra0 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword0", value: extra0,
                reason: "sets bits outside V|Config|S1Fmt|S1ContextPtr|S1CDMax (EIO)"))
        }
        if config == nil {
            found.append(PayloadError(
                payload: Self.name, field: "Config", value: UInt64(rawConfig),
                reason: "is not abort (0), bypass (4) or stage-1 translate (5) (EIO)"))
        }
        if s1Fmt == nil {
            found.append(PayloadError(
                payload: Self.name, field: "S1Fmt", value: UInt64(rawS1Fmt),
                reason: "is the reserved encoding 0b11 (C_BAD_STE on use)"))
        }
        let extra1 = word1 & ~Self.allowedWord1
        if extra1 != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "dword1", value: extra1,
                reason: "sets bits outside S1DSS|S1CIR|S1COR|S1CSH|S1STALLD|EATS (EIO)"))
        }
        if s1DSS == nil {
            found.append(PayloadError(
                payload: Self.name, field: "S1DSS", value: UInt64(rawS1DSS),
                reason: "is the reserved encoding 0b11 (C_BAD_STE on use)"))
        }
        if s1CSH == nil {
            found.append(PayloadError(
                payload: Self.name, field: "S1CSH", value: UInt64(rawS1CSH),
                reason: "is the reserved encoding 0b01"))
        }
        if eats == nil {
            found.append(PayloadError(
                payload: Self.name, field: "EATS", value: UInt64(rawEATS),
                reason: "is neither 0 (abort) nor 1 (full ATS) (EIO)"))
        }
        return found
    }
}

extension SMMUv3VSTE: ValidatedPayload {}
