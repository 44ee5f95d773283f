/// Something a device can be attached to: an IOAS (the kernel then picks or makes a paging
/// domain), a paging HWPT, or a nested HWPT.
public protocol PageTableTarget: AnyObject {
    var pageTableID: UInt32 { get }
    var context: IOMMUFD { get }
}
