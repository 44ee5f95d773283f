/// NVIDIA Tegra241 CMDQV hardware info (`struct iommu_hw_info_tegra241_cmdqv`, 8 bytes): the
/// command-queue virtualization extension of the Grace SMMUv3. A VMM copies these into the
/// PARAM register it emulates for the guest.
public struct Tegra241CMDQVInfo: Hashable, Sendable {
    /// Must be 0.
    public var flags: UInt32
    /// CMDQV hardware version (PARAM bits 3:0).
    public var version: UInt8
    /// log2 of the VCMDQs one virtual interface (one VM) may use (PARAM bits 7:4).
    public var log2VCMDQs: UInt8
    /// log2 of the StreamID replacements one virtual interface has (PARAM bits 15:12).
    public var log2VSIDs: UInt8
    /// Must be 0.
    public var reserved: UInt8

    public init(flags: UInt32 = 0, version: UInt8, log2VCMDQs: UInt8, log2VSIDs: UInt8, reserved: UInt8 = 0) {
        self.flags = flags
        self.version = version
        self.log2VCMDQs = log2VCMDQs
        self.log2VSIDs = log2VSIDs
        self.reserved = reserved
    }

    /// Decodes the 8 little-endian bytes the kernel writes; nil when fewer than 8 are given.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 8 else { return nil }
        flags = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        version = bytes[4]
        log2VCMDQs = bytes[5]
        log2VSIDs = bytes[6]
        reserved = bytes[7]
    }

    /// The struct's 8 bytes, little-endian.
    public var bytes: [UInt8] {
        [UInt8(flags & 0xFF), UInt8(flags >> 8 & 0xFF), UInt8(flags >> 16 & 0xFF), UInt8(flags >> 24),
         version, log2VCMDQs, log2VSIDs, reserved]
    }

    /// VCMDQs available to one VM.
    public var vcmdqCount: Int { 1 << Int(log2VCMDQs) }
    /// StreamID replacement slots available to one VM.
    public var vsidCount: Int { 1 << Int(log2VSIDs) }

    /// The PARAM value a VMM shows its guest: version, one VINTF (log2 0), the VCMDQ and SID counts.
    public var guestParamRegister: UInt32 {
        UInt32(version & 0xF) | UInt32(log2VCMDQs & 0xF) << 4 | UInt32(log2VSIDs & 0xF) << 12
    }

    /// Values for tables and JSON.
    public var derived: [DerivedValue] {
        [
            DerivedValue(key: "version", label: "CMDQV version", json: JSONValue(Int(version)), text: "\(version)"),
            DerivedValue(key: "vcmdqs", label: "VCMDQs per VM", json: JSONValue(vcmdqCount), text: "\(vcmdqCount)"),
            DerivedValue(key: "vsids", label: "StreamID slots per VM", json: JSONValue(vsidCount), text: "\(vsidCount)"),
            DerivedValue(
                key: "guestParam", label: "Guest PARAM register",
                json: .string(JSONValue.hexString(UInt64(guestParamRegister), digits: 8)),
                text: JSONValue.hexString(UInt64(guestParamRegister), digits: 8)),
        ]
    }

    /// `{"flags": 0, "version": 1, "log2vcmdqs": 1, "log2vsids": 4, "derived": {...}}`.
    public var json: JSONValue {
        [
            "flags": JSONValue(UInt64(flags)),
            "version": JSONValue(Int(version)),
            "log2vcmdqs": JSONValue(Int(log2VCMDQs)),
            "log2vsids": JSONValue(Int(log2VSIDs)),
            "derived": DerivedValue.json(derived),
        ]
    }
}
