import ArgumentParser
import IOMMUFD

/// Which backend to run on and which devices to touch.
struct TargetOptions: ParsableArguments {
    @Option(help: "kernel (/dev/iommu), model (the software model), or auto: the kernel when /dev/iommu exists, else the model.")
    var backend: BackendChoice = .auto

    @Option(name: .customLong("device"), help: "A VFIO cdev to test, e.g. /dev/vfio/devices/vfio0 (repeatable). Only devices named here are touched.")
    var devices: [String] = []

    @Option(name: .customLong("pci"), help: "A PCI device bound to vfio-pci, e.g. 0000:00:03.0 (repeatable); its cdev is found through sysfs.")
    var pciAddresses: [String] = []

    @Option(help: "The iommufd node (kernel backend).")
    var iommuPath: String = "/dev/iommu"

    enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, kernel, model
    }

    /// Opens the target, or fails with exit status 2 and a sentence on what to do.
    func resolve(wrap: (any SyscallBackend) -> any SyscallBackend = { $0 }) throws -> (target: Target, banner: String) {
        var paths = devices
        for address in pciAddresses {
            do {
                paths.append(try VFIODevice.cdevPath(pciAddress: address))
            } catch {
                throw environmentError("--pci \(address): \(error)")
            }
        }
        for path in paths where backend != .model {
            if let problem = Self.groupConflict(cdevPath: path) { throw environmentError(problem) }
        }
        let useKernel: Bool
        switch backend {
        case .kernel: useKernel = true
        case .model: useKernel = false
        case .auto: useKernel = FileSystem.exists(iommuPath)
        }
        do {
            if useKernel {
                let target = try Target(name: "kernel", backend: wrap(KernelBackend.shared), iommuPath: iommuPath, devicePaths: paths)
                let mock = target.hasSelftest ? "with the selftest mock (CONFIG_IOMMUFD_TEST)" : "without the selftest mock"
                let deviceText = paths.isEmpty ? "no VFIO device named" : "devices: \(paths.joined(separator: ", "))"
                for device in target.devices where device.problem != nil {
                    throw environmentError("cannot use \(device.path): \(device.problem!)")
                }
                return (target, "target: kernel \(iommuPath), \(mock), \(deviceText)")
            }
            let model = try ModelTarget.make(devicePaths: paths, wrap: wrap)
            return model
        } catch let error as ExitCode {
            throw error
        } catch {
            throw environmentError("cannot open the target: \(error)")
        }
    }
}

extension TargetOptions {
    /// Drivers that do not own DMA for the host: group members bound to them do not stop a test.
    static let harmlessDrivers: Set<String> = ["vfio-pci", "pci-stub", "pcieport"]

    /// Why the device behind `cdevPath` must not be touched: another member of its IOMMU group is
    /// in use by a host driver, and the group (not the device) is the unit of isolation.
    static func groupConflict(cdevPath: String, sysfsRoot: String = "/sys") -> String? {
        let name = FileSystem.baseName(cdevPath)
        guard let link = FileSystem.readLink("\(sysfsRoot)/class/vfio-dev/\(name)/device") else { return nil }
        let address = FileSystem.baseName(link)
        guard let group = FileSystem.readLink("\(sysfsRoot)/bus/pci/devices/\(address)/iommu_group").map(FileSystem.baseName) else {
            return nil
        }
        for member in FileSystem.list("\(sysfsRoot)/kernel/iommu_groups/\(group)/devices") ?? [] where member != address {
            let driver = FileSystem.readLink("\(sysfsRoot)/bus/pci/devices/\(member)/driver").map(FileSystem.baseName)
            if let driver, !harmlessDrivers.contains(driver) {
                return "refusing \(cdevPath) (\(address)): IOMMU group \(group) also holds \(member), in use by \(driver); the group is the unit of isolation, so unbind \(member) from \(driver) first (scripts/vfio-bind does the check)"
            }
        }
        return nil
    }
}

/// Prints `message` to standard error and ends with exit status 2 (environment or usage error).
func environmentError(_ message: String) -> ExitCode {
    printError("iommufd-harness: \(message)")
    return ExitCode(2)
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        fputsStderr(string)
    }
}
