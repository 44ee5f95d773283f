import IOMMUFD

/// The software model as a target: the selftest mock profile, so that every case that needs
/// `IOMMU_TEST_CMD` runs, plus the model devices named on the command line.
enum ModelTarget {
    static func make(devicePaths: [String], profile: ModelProfile = .selftest, modelDevices: [ModelDevice] = [],
                     wrap: (any SyscallBackend) -> any SyscallBackend) throws -> (target: Target, banner: String) {
        let backend = ModelBackend(profile: profile, devices: modelDevices)
        let target = try Target(name: "model", backend: wrap(backend), devicePaths: devicePaths, modelProfile: profile,
                                modelDevices: modelDevices)
        return (target, "target: the software model (profile \(profile.name)): no /dev/iommu here, or --backend model was asked")
    }
}
