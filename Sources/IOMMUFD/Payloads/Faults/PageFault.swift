/// `struct iommu_hwpt_pgfault` (40 bytes): one I/O page fault read from a fault queue fd.
///
/// Faults come in groups (one PCIe Page Request Group); the last fault of a group has
/// LAST_PAGE set and its `cookie` is what the response must echo. Reading never fails on
/// content: unknown flag and permission bits stay in the raw values.
public struct PageFault: IOMMUPayload {
    public static let size = 40
    static let name = "page fault"

    /// `enum iommu_hwpt_pgfault_flags`.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// PASID_VALID: `pasid` is meaningful.
        public static let pasidValid = Flags(rawValue: 1 << 0)
        /// LAST_PAGE: the last fault of its group; answer with this fault's cookie.
        public static let lastPage = Flags(rawValue: 1 << 1)
    }

    /// `enum iommu_hwpt_pgfault_perm`: the access the device asked for.
    public struct Permissions: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let read = Permissions(rawValue: 1 << 0)
        public static let write = Permissions(rawValue: 1 << 1)
        /// EXEC: the PASID prefix had Execute Requested set.
        public static let exec = Permissions(rawValue: 1 << 2)
        /// PRIV: the PASID prefix had Privileged Mode Requested set.
        public static let priv = Permissions(rawValue: 1 << 3)
    }

    public var flags: Flags
    /// `dev_id`: the iommufd device object that faulted.
    public var deviceID: UInt32
    /// `pasid`, when `flags` has PASID_VALID.
    public var pasid: UInt32
    /// `grpid`: the Page Request Group Index.
    public var groupID: UInt32
    public var permissions: Permissions
    /// `__reserved`.
    public var reserved: UInt32
    /// `addr`: the faulting address.
    public var address: UInt64
    /// `length`: a hint of how much the device means to access (0 if none).
    public var length: UInt32
    /// `cookie`: names the group in the response.
    public var cookie: UInt32

    public init(
        flags: Flags = [], deviceID: UInt32, pasid: UInt32 = 0, groupID: UInt32 = 0,
        permissions: Permissions, reserved: UInt32 = 0, address: UInt64, length: UInt32 = 0,
        cookie: UInt32
    ) {
        self.flags = flags
        self.deviceID = deviceID
        self.pasid = pasid
        self.groupID = groupID
        self.permissions = permissions
        self.reserved = reserved
        self.address = address
        self.length = length
        self.cookie = cookie
    }

    public init(bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        flags = Flags(rawValue: reader.u32())
        deviceID = reader.u32()
        pasid = reader.u32()
        groupID = reader.u32()
        permissions = Permissions(rawValue: reader.u32())
        reserved = reader.u32()
        address = reader.u64()
        length = reader.u32()
        cookie = reader.u32()
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(flags.rawValue)
        writer.u32(deviceID)
        writer.u32(pasid)
        writer.u32(groupID)
        writer.u32(permissions.rawValue)
        writer.u32(reserved)
        writer.u64(address)
        writer.u32(length)
        writer.u32(cookie)
        return writer.bytes
    }

    /// The PASID when PASID_VALID is set.
    public var validPASID: UInt32? { flags.contains(.pasidValid) ? pasid : nil }

    /// Splits one read() of a fault fd into faults. The kernel returns whole faults only, and
    /// refuses a read whose length is not a multiple of 40; a trailing partial fault throws.
    public static func faults(in bytes: [UInt8]) throws(PayloadError) -> [PageFault] {
        guard bytes.count % size == 0 else {
            throw PayloadError(
                payload: name, field: "size", value: UInt64(bytes.count),
                reason: "bytes is not a whole number of \(size)-byte faults", valueFormat: .decimal)
        }
        var faults: [PageFault] = []
        var start = 0
        while start < bytes.count {
            faults.append(try PageFault(bytes: Array(bytes[start..<(start + size)])))
            start += size
        }
        return faults
    }
}
