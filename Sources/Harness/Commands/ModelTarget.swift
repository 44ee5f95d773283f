import IOMMUFD

/// The software model as a target: a hardware profile (the selftest mock unless one is chosen)
/// and model VFIO devices behind it: one for each --device named; with a vendor profile and no
/// --device, QEMU's edu device at 0000:00:03.0 as /dev/vfio/devices/vfio0, so that the device
/// and vendor cases run. The selftest profile has no PCI device unless one is named, as a test
/// kernel's mock IOMMU has none.
enum ModelTarget {
    static func make(devicePaths: [String], profile: ModelProfile = .selftest,
                     wrap: (any SyscallBackend) -> any SyscallBackend) throws -> (target: Target, banner: String) {
        let paths = devicePaths.isEmpty && profile != .selftest ? ["/dev/vfio/devices/\(ModelDevice.standard.cdevName)"] : devicePaths
        let devices = paths.enumerated().map { index, path in
            var device = ModelDevice.standard
            device.cdevName = FileSystem.baseName(path)
            device.pciAddress = "0000:00:\(hex2(UInt8(3 + index))).0"
            device.iommuGroup = index
            return device
        }
        let backend = ModelBackend(profile: profile, devices: devices)
        let target = try Target(name: "model", backend: wrap(backend), devicePaths: paths, modelProfile: profile,
                                modelDevices: devices)
        let deviceText = devices.isEmpty ? "mock devices only" : "device " + devices.map { "\($0.pciAddress) as /dev/vfio/devices/\($0.cdevName)" }.joined(separator: ", ")
        return (target, "target: the software model (profile \(profile.name); \(deviceText)): no /dev/iommu here, or --backend model was asked")
    }

    private static func hex2(_ value: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(value >> 4)], digits[Int(value & 15)]])
    }
}
