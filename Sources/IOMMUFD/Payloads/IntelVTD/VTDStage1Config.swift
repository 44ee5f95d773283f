/// `struct iommu_hwpt_vtd_s1` (24 bytes): a guest-owned VT-d first-stage page table that a
/// nested HWPT points at, on top of a second-stage nest parent.
///
/// The kernel checks nothing here at allocation. At attach it programs a scalable-mode PASID
/// entry from these values (`intel_pasid_setup_nested`) and refuses an address width other
/// than 48/57 or a flag the IOMMU lacks (see `check(against:ecap:)`). It silently drops the
/// low 12 bits of the table address, ignores unknown flags and `__reserved`, and honours WPE
/// only together with SRE; this builder refuses all of those, so nothing is dropped silently.
public struct VTDStage1Config: HWPTAllocationData {
    public static let size = 24
    /// `IOMMU_HWPT_DATA_VTD_S1`.
    public static let hwptDataType: UInt32 = 1
    static let name = "VT-d stage-1 page table"

    /// First-stage input address width, which selects the paging mode (PASID entry FLPM).
    public enum AddressWidth: UInt32, Hashable, Sendable, CaseIterable {
        /// 4-level paging, 48-bit input addresses.
        case fourLevel = 48
        /// 5-level paging, 57-bit input addresses; needs cap.FL5LP.
        case fiveLevel = 57
    }

    /// `enum iommu_hwpt_vtd_s1_flags`: PASID-entry attributes of the first stage.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }
        /// SRE: supervisor requests (PASID with privileged mode) are translated; needs ecap.SRS.
        public static let sre = Flags(rawValue: 1 << 0)
        /// EAFE: extended accessed flag is set in first-stage entries; needs ecap.EAFS.
        public static let eafe = Flags(rawValue: 1 << 1)
        /// WPE: supervisor writes honour read-only entries; takes effect only with SRE.
        public static let wpe = Flags(rawValue: 1 << 2)
        /// Every flag the 7.2 uAPI defines.
        public static let known: Flags = [.sre, .eafe, .wpe]
    }

    /// `flags`.
    public private(set) var flags: Flags
    /// `pgtbl_addr`: guest-physical address of the first-stage root table (FLPTR). It is an
    /// input address of the parent's second stage, so its limit is the parent's width
    /// (cap.MGAW), not `addressWidth`; this value cannot know that limit and does not check it.
    public private(set) var pageTableAddress: UInt64
    /// `addr_width` as stored; `addressWidth` is its typed view.
    public private(set) var rawAddressWidth: UInt32
    /// `__reserved` (the kernel ignores it; the builder writes 0).
    public private(set) var reserved: UInt32

    /// The typed address width, or nil when `rawAddressWidth` is neither 48 nor 57.
    public var addressWidth: AddressWidth? { AddressWidth(rawValue: rawAddressWidth) }

    /// Builds a config, refusing a table address with any of the low 12 bits set (the kernel
    /// would drop them silently) and WPE without SRE (the kernel would ignore WPE).
    public init(
        pageTableAddress: UInt64, addressWidth: AddressWidth, flags: Flags = []
    ) throws(PayloadError) {
        self.init(
            uncheckedFlags: flags.rawValue, pageTableAddress: pageTableAddress,
            addressWidth: addressWidth.rawValue)
        if let first = problems.first { throw first }
    }

    /// Holds any values, for negative tests and for reading what a caller sent.
    public init(
        uncheckedFlags flags: UInt64, pageTableAddress: UInt64, addressWidth: UInt32,
        reserved: UInt32 = 0
    ) {
        self.flags = Flags(rawValue: flags)
        self.pageTableAddress = pageTableAddress
        self.rawAddressWidth = addressWidth
        self.reserved = reserved
    }

    /// Reads a 24-byte image and refuses anything in `problems`.
    /// Reads a 24-byte image, keeping any content.
    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let flags = reader.u64()
        let address = reader.u64()
        let width = reader.u32()
        let reserved = reader.u32()
        self.init(
            uncheckedFlags: flags, pageTableAddress: address, addressWidth: width,
            reserved: reserved)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u64(flags.rawValue)
        writer.u64(pageTableAddress)
        writer.u32(rawAddressWidth)
        writer.u32(reserved)
        return writer.bytes
    }

    /// Everything the builder refuses, in field order. Only the address width is refused by
    /// the kernel itself (EINVAL at attach); the rest it drops or ignores without a word.
    public var problems: [PayloadError] {
        var found: [PayloadError] = []
        let unknown = flags.rawValue & ~Flags.known.rawValue
        if unknown != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "flags", value: flags.rawValue,
                reason: "has bits 0x\(String(unknown, radix: 16)) outside SRE|EAFE|WPE (the kernel ignores them)"))
        }
        if flags.contains(.wpe) && !flags.contains(.sre) {
            found.append(PayloadError(
                payload: Self.name, field: "flags", value: flags.rawValue,
                reason: "sets WPE without SRE (the kernel programs WPE only together with SRE)"))
        }
        if pageTableAddress & 0xFFF != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "pgtbl_addr", value: pageTableAddress,
                reason: "is not 4 KiB aligned (the kernel silently drops the low 12 bits)"))
        }
        if addressWidth == nil {
            found.append(PayloadError(
                payload: Self.name, field: "addr_width", value: UInt64(rawAddressWidth),
                reason: "is neither 48 (4-level) nor 57 (5-level) (EINVAL at attach)",
                valueFormat: .decimal))
        }
        if reserved != 0 {
            found.append(PayloadError(
                payload: Self.name, field: "__reserved", value: UInt64(reserved),
                reason: "must be 0 (the kernel ignores it)"))
        }
        return found
    }

    /// What the kernel will refuse with EINVAL when this table is attached to a device behind
    /// an IOMMU with these `cap`/`ecap` registers (from IOMMU_GET_HW_INFO); empty if nothing.
    public func check(against cap: UInt64, ecap: UInt64) -> [String] {
        var refusals: [String] = []
        switch addressWidth {
        case .fourLevel:
            break
        case .fiveLevel:
            if (cap >> 60) & 1 == 0 {
                refusals.append(
                    "addr_width 57 needs 5-level first-stage paging (cap.FL5LP, bit 60), which this IOMMU lacks")
            }
        case nil:
            refusals.append("addr_width \(rawAddressWidth) is neither 48 nor 57")
        }
        if flags.contains(.sre) && (ecap >> 31) & 1 == 0 {
            refusals.append("SRE needs supervisor request support (ecap.SRS, bit 31), which this IOMMU lacks")
        }
        if flags.contains(.eafe) && (ecap >> 34) & 1 == 0 {
            refusals.append("EAFE needs extended accessed flag support (ecap.EAFS, bit 34), which this IOMMU lacks")
        }
        return refusals
    }
}

extension VTDStage1Config: ValidatedPayload {}
