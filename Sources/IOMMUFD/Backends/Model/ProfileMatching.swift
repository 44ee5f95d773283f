extension ModelProfile {
    /// The profile that models the IOMMU a device's hw_info describes, or nil when the model
    /// has none for that type. `commandLine` is the kernel's (/proc/cmdline): it says whether
    /// VT-d scalable mode was turned off.
    public static func matching(_ info: HWInfo, commandLine: String? = nil) -> ModelProfile? {
        switch info.data {
        case .selftest: return .selftest
        default: return nil
        }
    }
}
