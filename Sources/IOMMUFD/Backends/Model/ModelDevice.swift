/// A device the model presents as a VFIO cdev (`/dev/vfio/devices/<cdevName>`), behind the
/// backend's IOMMU profile.
///
/// Devices that share `iommuGroup` form one IOMMU group: they must be owned by one iommufd
/// context and attached to the same HWPT (the kernel answers EINVAL otherwise).
public struct ModelDevice: Hashable, Sendable {
    /// A reserved IOVA region of the device (`struct iommu_resv_region`).
    public struct ReservedRegion: Hashable, Sendable {
        /// `enum iommu_resv_type`.
        public enum Kind: String, Hashable, Sendable {
            /// IOMMU_RESV_DIRECT: an identity mapping the device needs (RMRR).
            case direct
            /// IOMMU_RESV_DIRECT_RELAXABLE: one iommufd ignores.
            case directRelaxable
            /// IOMMU_RESV_RESERVED: never map.
            case reserved
            /// IOMMU_RESV_MSI: a hardware MSI window (the x86 0xfee00000 range).
            case msi
            /// IOMMU_RESV_SW_MSI: where software maps MSI doorbells (Arm).
            case swMSI
        }
        public var start: UInt64
        public var length: UInt64
        public var type: Kind

        public init(start: UInt64, length: UInt64, type: Kind) {
            self.start = start
            self.length = length
            self.type = type
        }

        /// The x86 interrupt window every Intel/AMD device reports.
        public static let x86MSI = ReservedRegion(start: 0xfee0_0000, length: 0x10_0000, type: .msi)
    }

    /// The PCI address, `0000:00:03.0`.
    public var pciAddress: String
    public var vendorID: UInt16
    public var deviceID: UInt16
    /// The IOMMU group number.
    public var iommuGroup: Int
    /// log2 of the device's PASID count (0: no PASID capability).
    public var pasidWidth: UInt8
    /// Whether the device can use ATS (`IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED` when not).
    public var ats: Bool
    /// Whether the IOMMU can track dirty pages for this device (`IOMMU_CAP_DIRTY_TRACKING`).
    public var dirtyTracking: Bool
    /// Reserved regions the device reports, on top of the profile's.
    public var reservedRegions: [ReservedRegion]
    /// The cdev name (`vfio0`).
    public var cdevName: String
    /// Which physical IOMMU instance the device sits behind (vIOMMUs and nesting are per
    /// instance).
    public var iommuInstance: Int
    /// A PCI function (VFIO_DEVICE_FLAGS_PCI); false for the selftest's mock devices.
    public var isPCI: Bool
    /// A virtual function with PRI (a fault-capable HWPT cannot attach: EINVAL).
    public var isVirtualFunctionWithPRI: Bool
    /// Whether the PASID capability allows execute / privileged requests (hw_info capabilities).
    public var pasidExec: Bool
    public var pasidPriv: Bool
    /// Whether a function-level reset works (VFIO_DEVICE_FLAGS_RESET).
    public var resetWorks: Bool

    public init(pciAddress: String, vendorID: UInt16 = 0x1234, deviceID: UInt16 = 0x11e8, iommuGroup: Int = 0,
                pasidWidth: UInt8 = 0, ats: Bool = false, dirtyTracking: Bool = true,
                reservedRegions: [ReservedRegion] = [], cdevName: String = "vfio0", iommuInstance: Int = 0,
                isPCI: Bool = true, isVirtualFunctionWithPRI: Bool = false, pasidExec: Bool = false,
                pasidPriv: Bool = false, resetWorks: Bool = true) {
        self.pciAddress = pciAddress
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.iommuGroup = iommuGroup
        self.pasidWidth = pasidWidth
        self.ats = ats
        self.dirtyTracking = dirtyTracking
        self.reservedRegions = reservedRegions
        self.cdevName = cdevName
        self.iommuInstance = iommuInstance
        self.isPCI = isPCI
        self.isVirtualFunctionWithPRI = isVirtualFunctionWithPRI
        self.pasidExec = pasidExec
        self.pasidPriv = pasidPriv
        self.resetWorks = resetWorks
    }

    /// QEMU's `edu` device at 0000:00:03.0, group 0, `/dev/vfio/devices/vfio0`.
    public static let standard = ModelDevice(pciAddress: "0000:00:03.0")
}
