/// A device bound to an iommufd context: a VFIO cdev device, or a selftest mock device. HWPT,
/// vIOMMU and hw_info calls name it by its device id.
public protocol IOMMUDevice: AnyObject {
    /// The device's id in its iommufd context (`out_devid` of the bind, `out_idev_id` of a mock).
    var boundID: UInt32 { get }
    /// The context the device is bound to.
    var boundContext: IOMMUFD { get }
}

extension IOMMUDevice {
    /// `IOMMU_GET_HW_INFO` for this device; see `IOMMUFD.hwInfo(deviceID:inputType:bufferLength:)`.
    public func hwInfo(inputType: UInt32? = nil, bufferLength: Int = 64) throws(IOMMUFDError) -> HWInfo {
        try boundContext.hwInfo(deviceID: boundID, inputType: inputType, bufferLength: bufferLength)
    }
}
