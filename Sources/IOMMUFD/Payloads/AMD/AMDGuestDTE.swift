/// `struct iommu_hwpt_amd_guest` (32 bytes): the guest's 256-bit Device Table Entry, from
/// which the kernel builds a nested host DTE under an AMD vIOMMU.
///
/// The kernel (`validate_gdte_nested`, 7.2) answers EINVAL when Mode or the host page-table
/// root pointer is non-zero, when V and GV are set without a GCR3 table root pointer, when
/// the guest paging mode is not 4- or 5-level, and when GLX is 3; 5-level guest paging on a
/// host without it gives EOPNOTSUPP. From the rest it copies only PPR, GIoV, GLX, the GCR3
/// root pointer and the guest paging mode into the host DTE (always with GV set), and keys
/// the host domain ID on DomainID. Other bits of a guest DTE are allowed and ignored: a VMM
/// passes the guest's DTE as it is.
public struct AMDGuestDTE: HWPTAllocationData {
    public static let size = 32
    /// `IOMMU_HWPT_DATA_AMD_GUEST`.
    public static let hwptDataType: UInt32 = 3
    static let name = "AMD guest DTE"

    /// GLX: the number of levels of the guest's GCR3 (PASID) table.
    public enum GLX: UInt8, Hashable, Sendable, CaseIterable {
        case oneLevel = 0
        case twoLevels = 1
        case threeLevels = 2
    }

    /// The guest (v2) page-table paging mode (DTE bits 183:182 in this layout, dte[2] 55:54).
    public enum GuestPagingMode: UInt8, Hashable, Sendable, CaseIterable {
        case fourLevel = 0
        case fiveLevel = 1
    }

    static let vField = PayloadBitField.bit(0)
    static let tvField = PayloadBitField.bit(1)
    static let modeField = PayloadBitField(11, 9)
    static let hostPageTableRootField = PayloadBitField(51, 12)
    static let pprField = PayloadBitField.bit(52)
    static let giovField = PayloadBitField.bit(54)
    static let gvField = PayloadBitField.bit(55)
    static let glxField = PayloadBitField(57, 56)
    static let gcr3Bits14to12 = PayloadBitField(60, 58)
    static let domainIDField = PayloadBitField(15, 0)
    static let gcr3Bits30to15 = PayloadBitField(31, 16)
    static let gcr3Bits51to31 = PayloadBitField(63, 43)
    static let guestPagingModeField = PayloadBitField(55, 54)

    /// `dte[0...3]`.
    public private(set) var words: [UInt64]

    /// V: the DTE is valid.
    public var valid: Bool { Self.vField.isSet(in: words[0]) }
    /// TV: the translation fields are valid.
    public var translationValid: Bool { Self.tvField.isSet(in: words[0]) }
    /// Mode: the host page-table depth; must be 0 in a guest DTE (the host owns stage 2).
    public var mode: UInt8 { UInt8(Self.modeField.extract(from: words[0])) }
    /// Host Page Table Root Pointer; must be 0 in a guest DTE.
    public var hostPageTableRootPointer: UInt64 { words[0] & Self.hostPageTableRootField.mask }
    /// PPR: peripheral page requests are enabled.
    public var ppr: Bool { Self.pprField.isSet(in: words[0]) }
    /// GIoV: guest I/O protection: DMA without a PASID is translated through PASID 0.
    public var giov: Bool { Self.giovField.isSet(in: words[0]) }
    /// GV: guest translation (the GCR3 table) is valid.
    public var gv: Bool { Self.gvField.isSet(in: words[0]) }
    public var rawGLX: UInt8 { UInt8(Self.glxField.extract(from: words[0])) }
    /// GLX, or nil for the reserved value 3.
    public var glx: GLX? { GLX(rawValue: rawGLX) }
    /// GCR3 Table Root Pointer: the guest-physical address of the guest's GCR3 table,
    /// assembled from its three pieces (bits 14:12, 30:15, 51:31).
    public var gcr3TableRootPointer: UInt64 {
        Self.gcr3Bits14to12.extract(from: words[0]) << 12
            | Self.gcr3Bits30to15.extract(from: words[1]) << 15
            | Self.gcr3Bits51to31.extract(from: words[1]) << 31
    }
    /// DomainID: the guest's domain ID, which the kernel maps to one host domain ID per vIOMMU.
    public var domainID: UInt16 { UInt16(Self.domainIDField.extract(from: words[1])) }
    public var rawGuestPagingMode: UInt8 { UInt8(Self.guestPagingModeField.extract(from: words[2])) }
    public var guestPagingMode: GuestPagingMode? { GuestPagingMode(rawValue: rawGuestPagingMode) }

    /// Builds a guest DTE that points at a GCR3 table, refusing a root pointer the field
    /// cannot hold (4 KiB aligned, below 2^52) and a missing one while V and GV are set.
    public init(
        gcr3TableRootPointer: UInt64,
        glx: GLX = .oneLevel,
        guestPagingMode: GuestPagingMode = .fourLevel,
        domainID: UInt16 = 0,
        valid: Bool = true,
        translationValid: Bool = true,
        gv: Bool = true,
        giov: Bool = false,
        ppr: Bool = false
    ) throws(PayloadError) {
        try PayloadCheck.address(
            gcr3TableRootPointer, lowBit: 12, highBit: 51, payload: Self.name,
            field: "GCR3 Table Root Pointer")
        let w0 = Self.vField.placed(valid) | Self.tvField.placed(translationValid)
            | Self.pprField.placed(ppr) | Self.giovField.placed(giov) | Self.gvField.placed(gv)
            | Self.glxField.placed(UInt64(glx.rawValue))
            | Self.gcr3Bits14to12.placed((gcr3TableRootPointer >> 12) & 0x7)
        let w1 = Self.domainIDField.placed(UInt64(domainID))
            | Self.gcr3Bits30to15.placed((gcr3TableRootPointer >> 15) & 0xFFFF)
            | Self.gcr3Bits51to31.placed((gcr3TableRootPointer >> 31) & 0x1F_FFFF)
        let w2 = Self.guestPagingModeField.placed(UInt64(guestPagingMode.rawValue))
        self.init(uncheckedWords: [w0, w1, w2, 0])
        if let first = problems.first { throw first }
    }

    /// Holds any four words (a shorter array is zero-extended, a longer one cut to 4).
    public init(uncheckedWords words: [UInt64]) {
        var four = Array(words.prefix(4))
        four.append(contentsOf: repeatElement(0, count: 4 - four.count))
        self.words = four
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        var words: [UInt64] = []
        for _ in 0..<4 { words.append(reader.u64()) }
        self.init(uncheckedWords: words)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        for word in words { writer.u64(word) }
        return writer.bytes
    }

    /// The kernel's own refusals at IOMMU_HWPT_ALLOC (EINVAL), in the order it checks them.
    /// The host-capability check for 5-level guest paging (EOPNOTSUPP) is not included.
    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        if mode != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "Mode", value: UInt64(mode),
                reason: "must be 0 in a guest DTE (EINVAL)"))
        }
        if hostPageTableRootPointer != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "Host Page Table Root Pointer",
                value: hostPageTableRootPointer, reason: "must be 0 in a guest DTE (EINVAL)"))
        }
        if valid && gv && gcr3TableRootPointer == 0 {
            found.append(PayloadError(
                payload: Self.name, field: "GCR3 Table Root Pointer", value: 0,
                reason: "is missing while V and GV are set (EINVAL)"))
        }
        if guestPagingMode == nil {
            found.append(PayloadError(
                payload: Self.name, field: "Guest Paging Mode", value: UInt64(rawGuestPagingMode),
                reason: "is neither 0 (4-level) nor 1 (5-level) (EINVAL)"))
        }
        if glx == nil {
            found.append(PayloadError(
                payload: Self.name, field: "GLX", value: UInt64(rawGLX),
                reason: "is the reserved value 3 (EINVAL)"))
        }
        return found
    }
}

extension AMDGuestDTE: ValidatedPayload {}
