import CIOMMUFD

/// The hw_info types `IOMMU_GET_HW_INFO` can report (`enum iommu_hw_info_type`, plus the
/// selftest mock's).
public enum HWInfoType: UInt32, Hashable, Sendable {
    case none = 0
    case intelVTD = 1
    case armSMMUv3 = 2
    case tegra241CMDQV = 3
    case amd = 4
    case selftest = 0xfeed_beef
}

/// The generic capabilities the kernel reports beside the vendor data (`out_capabilities`).
public struct HWCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The IOMMU can track dirty pages of a HWPT allocated with DIRTY_TRACKING.
    public static let dirtyTracking = HWCapabilities(rawValue: 1 << 0)
    /// The device's PASID capability supports execute permission.
    public static let pciPASIDExec = HWCapabilities(rawValue: 1 << 1)
    /// The device's PASID capability supports privileged mode.
    public static let pciPASIDPriv = HWCapabilities(rawValue: 1 << 2)
    /// The device has no usable ATS (Linux 7.1).
    public static let pciATSNotSupported = HWCapabilities(rawValue: 1 << 3)
}

/// The vendor data of `IOMMU_GET_HW_INFO`, decoded by type. Register values are raw: the
/// decoders (`VTDCapability`, `SMMUv3IDR0`, ...) name their fields.
public enum HWInfoData: Hashable, Sendable {
    /// The driver has no hw_info (`IOMMU_HW_INFO_TYPE_NONE`).
    case none
    /// Intel VT-d: the CAP_REG and ECAP_REG of the IOMMU the device sits behind.
    case intelVTD(flags: UInt32, cap: UInt64, ecap: UInt64)
    /// Arm SMMUv3: IDR0-IDR5, IIDR and AIDR.
    case armSMMUv3(flags: UInt32, idr: [UInt32], iidr: UInt32, aidr: UInt32)
    /// NVIDIA Tegra241 CMDQV (an SMMUv3 extension).
    case tegra241CMDQV(flags: UInt32, version: UInt8, log2VCMDQs: UInt8, log2VSIDs: UInt8)
    /// AMD: the raw Extended Feature Registers.
    case amd(efr: UInt64, efr2: UInt64)
    /// The kernel's selftest mock IOMMU (`test_reg` is 0xdeadbeef).
    case selftest(flags: UInt32, testReg: UInt32)
    /// A type this library does not know, with the bytes the kernel wrote.
    case unknown(type: UInt32, bytes: [UInt8])
}

/// A device's `IOMMU_GET_HW_INFO` answer.
public struct HWInfo: Hashable, Sendable {
    /// The raw `out_data_type`.
    public var type: UInt32
    public var data: HWInfoData
    public var capabilities: HWCapabilities
    /// log2 of the number of PASIDs the device supports; 0 when it has none.
    public var maxPASIDLog2: UInt8
    /// The length of the kernel's data struct (`data_len` on return).
    public var kernelDataLength: UInt32
    /// The data bytes as received (up to the buffer size offered).
    public var rawData: [UInt8]

    /// Decodes the vendor data from the bytes the kernel wrote.
    public init(type: UInt32, rawData: [UInt8], capabilities: UInt64, maxPASIDLog2: UInt8, kernelDataLength: UInt32) {
        self.type = type
        self.rawData = rawData
        self.capabilities = HWCapabilities(rawValue: capabilities)
        self.maxPASIDLog2 = maxPASIDLog2
        self.kernelDataLength = kernelDataLength
        let r = LittleEndianBytes(rawData)
        switch HWInfoType(rawValue: type) {
        case .none?: data = .none
        case .intelVTD?: data = .intelVTD(flags: r.u32(0), cap: r.u64(8), ecap: r.u64(16))
        case .armSMMUv3?:
            data = .armSMMUv3(flags: r.u32(0), idr: (0..<6).map { r.u32(8 + 4 * $0) }, iidr: r.u32(32), aidr: r.u32(36))
        case .tegra241CMDQV?:
            data = .tegra241CMDQV(flags: r.u32(0), version: r.u8(4), log2VCMDQs: r.u8(5), log2VSIDs: r.u8(6))
        case .amd?: data = .amd(efr: r.u64(0), efr2: r.u64(8))
        case .selftest?: data = .selftest(flags: r.u32(0), testReg: r.u32(4))
        case nil: data = .unknown(type: type, bytes: rawData)
        }
    }

    /// The hw_info type name as the uAPI spells it.
    public var typeName: String {
        switch HWInfoType(rawValue: type) {
        case .none?: "NONE"
        case .intelVTD?: "INTEL_VTD"
        case .armSMMUv3?: "ARM_SMMUV3"
        case .tegra241CMDQV?: "TEGRA241_CMDQV"
        case .amd?: "AMD"
        case .selftest?: "SELFTEST"
        case nil: "unknown (\(hex(type)))"
        }
    }
}

/// Reads little-endian integers from a byte array, treating missing bytes as zero (the kernel
/// zero-fills a buffer longer than its struct, and a shorter one simply lacks the tail).
struct LittleEndianBytes {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func u8(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }
    func u32(_ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(u8(offset + $1)) << (8 * $1) }
    }
    func u64(_ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(u8(offset + $1)) << (8 * $1) }
    }
}

extension IOMMUFD {
    /// `IOMMU_GET_HW_INFO` for a bound device: the IOMMU's vendor registers, the generic
    /// capabilities and the PASID width. `inputType` asks for one specific type (the
    /// INPUT_TYPE flag, Linux 6.17), for IOMMUs that can report more than one.
    public func hwInfo(deviceID: UInt32, inputType: UInt32? = nil, bufferLength: Int = 64) throws(IOMMUFDError) -> HWInfo {
        var data = [UInt8](repeating: 0, count: bufferLength)
        var arg = iommu_hw_info()
        arg.size = UInt32(MemoryLayout<iommu_hw_info>.size)
        arg.dev_id = deviceID
        arg.data_len = UInt32(bufferLength)
        if let inputType {
            arg.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE.rawValue
            arg.in_data_type = inputType
        }
        try data.withMutableBytes { (bytes) throws(IOMMUFDError) in
            arg.data_uptr = UInt64(UInt(bitPattern: bytes.baseAddress))
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hw_info>.offset(of: \.data_uptr)!,
                                     pointer: bytes.baseAddress, length: bytes.count, direction: .output)
            try ioctl(.IOMMU_GET_HW_INFO, &arg, buffers: [buffer],
                      context: "dev_id \(deviceID), data_len \(bufferLength)\(inputType.map { ", in_data_type \(hex($0))" } ?? "")")
        }
        let received = Array(data.prefix(min(Int(arg.data_len), bufferLength)))
        return HWInfo(type: arg.out_data_type, rawData: received, capabilities: arg.out_capabilities,
                      maxPASIDLog2: arg.out_max_pasid_log2, kernelDataLength: arg.data_len)
    }
}
