import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where probe reads the host from: the live system (`/sys`, `/proc`, `/dev`) or a captured tree
/// (`scripts/capture-host`), whose layout mirrors the host: `<root>/sys`, `<root>/proc`,
/// `<root>/boot`, plus `<root>/capture/` for what cannot be copied as files (device nodes,
/// `lspci -xxxx`, the kernel log).
public struct HostPaths: Sendable {
    /// The sysfs directory (`/sys`, or `<capture>/sys`).
    public var sysfs: String
    /// The directory that holds `proc/`, `boot/` and `capture/`: the parent of `sysfs`.
    public var root: String
    /// True when `sysfs` is the running kernel's `/sys`: only then are device nodes stat'ed and
    /// opened, ioctls issued and libdrm asked.
    public var isLive: Bool

    public init(sysfsRoot: String = "/sys") {
        var sysfs = sysfsRoot
        while sysfs.count > 1 && sysfs.hasSuffix("/") { sysfs.removeLast() }
        self.sysfs = sysfs
        isLive = sysfs == "/sys"
        if let slash = sysfs.lastIndex(of: "/") {
            let parent = String(sysfs[..<slash])
            root = parent.isEmpty ? (sysfs.hasPrefix("/") ? "/" : ".") : parent
        } else {
            root = "."
        }
    }

    public func sys(_ relative: String) -> String { "\(sysfs)/\(relative)" }
    public func host(_ relative: String) -> String { root == "/" ? "/\(relative)" : "\(root)/\(relative)" }
}

/// One IOMMU instance from `/sys/class/iommu/<name>`.
public struct IOMMUUnit: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case intelVTD = "intel-vtd"
        case amd = "amd"
        case armSMMUv3 = "arm-smmuv3"
        case armSMMU = "arm-smmu"
        case other = "other"
    }

    public var name: String
    public var kind: Kind
    /// The devices behind this unit (PCI addresses and platform device names), sorted.
    public var devices: [String]
    /// Intel: `intel-iommu/version` ("1:0") and `address` (register base).
    public var vtdVersion: String?
    public var vtdAddress: UInt64?
    public var vtd: VTDRegisters?
    /// AMD: `amd-iommu/cap` (the IOMMU's PCI capability header) and `features` (EFR[:EFR2]).
    public var amdCapabilityHeader: UInt32?
    public var amd: AMDFeatureRegisters?
    /// Attributes that were present but unreadable or malformed.
    public var problems: [String]
}

/// An IOMMU group from `/sys/kernel/iommu_groups/<id>`.
public struct IOMMUGroupInfo: Hashable, Sendable {
    public var id: Int
    /// The default domain type (`DMA`, `DMA-FQ`, `identity`, `blocked`, `unmanaged`).
    public var type: String?
    public var members: [String]
    public var reservedRegions: [ReservedRegion]
}

/// One line of `reserved_regions`: `0x00000000fee00000 0x00000000feefffff msi`.
public struct ReservedRegion: Hashable, Sendable {
    public var start: UInt64
    public var end: UInt64
    public var type: String
}

/// What sysfs says about one PCI function.
public struct SysfsPCIDevice: Hashable, Sendable {
    public var address: PCIAddress
    public var driver: String?
    public var iommuGroup: Int?
    /// The IOMMU unit's name (`dmar0`, `smmu3.0x...`, `ivhd0`), from the `iommu` link.
    public var iommu: String?
    /// The bridges above the device, nearest first (from the device's path under /sys/devices).
    public var upstream: [PCIAddress]
    /// VFIO cdev names (`vfio0`) under `vfio-dev/`.
    public var vfioCdevs: [String]
    public var vendorID: UInt16?
    public var deviceID: UInt16?
    /// Base class and sub-class from the `class` attribute.
    public var classCode: UInt16?
}

/// A VFIO cdev from `/sys/class/vfio-dev/vfioN`.
public struct SysfsVFIOCdev: Hashable, Sendable {
    public var name: String
    /// The device it belongs to (a PCI address for vfio-pci).
    public var device: String
    /// `major:minor` from the `dev` attribute.
    public var devNumber: String?
}

/// A DRM minor from `/sys/class/drm/{card,renderD}N`.
public struct SysfsDRMNode: Hashable, Sendable {
    public var name: String
    public var device: String?
    public var driver: String?
}

/// Everything probe reads from sysfs, /proc and /boot, as plain values.
public struct SysfsSnapshot: Sendable {
    public var units: [IOMMUUnit] = []
    public var groups: [IOMMUGroupInfo] = []
    public var pciDevices: [PCIAddress: SysfsPCIDevice] = [:]
    public var vfioCdevs: [SysfsVFIOCdev] = []
    public var drmNodes: [SysfsDRMNode] = []
    /// `class/misc/<name>/dev` for `iommu` and `vfio`, when registered.
    public var miscDevices: [String: String] = [:]
    /// Which of the modules that tell the /dev/vfio/vfio provider apart exist in `/sys/module`.
    public var modules: Set<String> = []
    public var commandLine: String?
    public var kernelRelease: String?
    public var hostname: String?
    /// `CONFIG_...` lines of the kernel configuration that matter here, when found.
    public var kernelConfig: [String: String] = [:]
    public var kernelConfigSource: String?
    /// Kernel log lines a capture recorded (`capture/dmesg.txt`).
    public var kernelLog: [String] = []
    /// RLIMIT_MEMLOCK from a captured `proc/self/limits` (soft, hard; nil = unlimited).
    public var capturedMemlock: (soft: UInt64?, hard: UInt64?)?

    public static let interestingModules = ["iommufd", "vfio", "vfio_iommu_type1", "vfio_pci", "vfio_pci_core"]
    public static let interestingConfig = [
        "CONFIG_IOMMUFD", "CONFIG_IOMMUFD_VFIO_CONTAINER", "CONFIG_VFIO_CONTAINER", "CONFIG_VFIO_GROUP",
        "CONFIG_VFIO_DEVICE_CDEV", "CONFIG_INTEL_IOMMU", "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON",
        "CONFIG_INTEL_IOMMU_DEFAULT_ON", "CONFIG_AMD_IOMMU", "CONFIG_ARM_SMMU_V3", "CONFIG_ARM_SMMU_V3_IOMMUFD",
        "CONFIG_IOMMU_DEFAULT_PASSTHROUGH", "CONFIG_IOMMU_DEFAULT_DMA_STRICT", "CONFIG_IOMMU_DEFAULT_DMA_LAZY",
    ]
}

/// Reads a `SysfsSnapshot` from a host tree without Foundation.
public enum SysfsReader {
    public static func read(_ paths: HostPaths) -> SysfsSnapshot {
        var snapshot = SysfsSnapshot()
        snapshot.kernelRelease = FileSystem.readText(paths.host("proc/sys/kernel/osrelease"))
        snapshot.units = readUnits(paths, kernelRelease: snapshot.kernelRelease)
        snapshot.groups = readGroups(paths)
        for name in FileSystem.list(paths.sys("bus/pci/devices")) ?? [] {
            guard let address = PCIAddress(name) else { continue }
            snapshot.pciDevices[address] = readPCIDevice(paths, name: name, address: address)
        }
        for name in FileSystem.list(paths.sys("class/vfio-dev")) ?? [] where name.hasPrefix("vfio") {
            let base = paths.sys("class/vfio-dev/\(name)")
            let device = linkName("\(base)/device") ?? resolved(base).flatMap(parentDeviceName) ?? "unknown"
            snapshot.vfioCdevs.append(SysfsVFIOCdev(name: name, device: device, devNumber: FileSystem.readText("\(base)/dev")))
        }
        snapshot.vfioCdevs.sort { numericSuffix($0.name) < numericSuffix($1.name) }
        for name in FileSystem.list(paths.sys("class/drm")) ?? []
        where (name.hasPrefix("card") || name.hasPrefix("renderD")) && !name.contains("-") {
            let base = paths.sys("class/drm/\(name)")
            // The minor's `device` link, else the directory two levels above it (.../BDF/drm/card0).
            let deviceDirectory = resolved("\(base)/device") ?? resolved(base).map(grandparent)
            snapshot.drmNodes.append(SysfsDRMNode(
                name: name, device: deviceDirectory.map(FileSystem.baseName),
                driver: deviceDirectory.flatMap { linkName("\($0)/driver") }))
        }
        for name in ["iommu", "vfio"] {
            if let dev = FileSystem.readText(paths.sys("class/misc/\(name)/dev")) {
                snapshot.miscDevices[name] = dev
            } else if FileSystem.exists(paths.sys("class/misc/\(name)")) {
                snapshot.miscDevices[name] = "?"
            }
        }
        for module in SysfsSnapshot.interestingModules where FileSystem.exists(paths.sys("module/\(module)")) {
            snapshot.modules.insert(module)
        }
        snapshot.commandLine = FileSystem.readText(paths.host("proc/cmdline"))
        snapshot.hostname = FileSystem.readText(paths.host("proc/sys/kernel/hostname"))
        if let release = snapshot.kernelRelease {
            let configPath = paths.host("boot/config-\(release)")
            if let text = FileSystem.readText(configPath) {
                snapshot.kernelConfig = parseKernelConfig(text)
                snapshot.kernelConfigSource = configPath
            }
        }
        if !paths.isLive {
            if let log = FileSystem.readText(paths.host("capture/dmesg.txt")) {
                snapshot.kernelLog = log.split(whereSeparator: \.isNewline).map(String.init)
            }
            if let limits = FileSystem.readText(paths.host("proc/self/limits")) {
                snapshot.capturedMemlock = parseMemlock(limits)
            }
        }
        return snapshot
    }

    // MARK: IOMMU units

    static func readUnits(_ paths: HostPaths, kernelRelease: String?) -> [IOMMUUnit] {
        (FileSystem.list(paths.sys("class/iommu")) ?? []).map { name in
            let base = paths.sys("class/iommu/\(name)")
            var unit = IOMMUUnit(
                name: name, kind: kind(name: name, base: base),
                devices: (FileSystem.list("\(base)/devices") ?? []).sorted(by: deviceOrder),
                problems: [])
            if unit.kind == .intelVTD {
                let cap = FileSystem.readText("\(base)/intel-iommu/cap")
                let ecap = FileSystem.readText("\(base)/intel-iommu/ecap")
                unit.vtdVersion = FileSystem.readText("\(base)/intel-iommu/version")
                unit.vtdAddress = FileSystem.readText("\(base)/intel-iommu/address").flatMap { try? HexNumber.parse($0) }
                if let cap, let ecap, let capValue = try? HexNumber.parse(cap), let ecapValue = try? HexNumber.parse(ecap) {
                    unit.vtd = VTDRegisters(cap: capValue, ecap: ecapValue)
                } else {
                    unit.problems.append("intel-iommu/cap or ecap missing or not hex (cap: \(cap ?? "missing"), ecap: \(ecap ?? "missing"))")
                }
            }
            if unit.kind == .amd {
                unit.amdCapabilityHeader = FileSystem.readText("\(base)/amd-iommu/cap")
                    .flatMap { try? HexNumber.parse($0, bits: 32) }.map { UInt32($0) }
                if let features = FileSystem.readText("\(base)/amd-iommu/features") {
                    switch parseAMDFeatures(features, kernelRelease: kernelRelease) {
                    case .success(let (registers, note)):
                        unit.amd = registers
                        if let note { unit.problems.append(note) }
                    case .failure(let problem):
                        unit.problems.append(problem.text)
                    }
                } else {
                    unit.problems.append("amd-iommu/features missing")
                }
            }
            return unit
        }
    }

    static func kind(name: String, base: String) -> IOMMUUnit.Kind {
        if FileSystem.exists("\(base)/intel-iommu") || name.hasPrefix("dmar") { return .intelVTD }
        if FileSystem.exists("\(base)/amd-iommu") || name.hasPrefix("ivhd") { return .amd }
        if name.hasPrefix("smmu3.") { return .armSMMUv3 }
        if name.hasPrefix("smmu.") || name.contains("arm-smmu") { return .armSMMU }
        // The link target names the platform device: .../arm-smmu-v3.0.auto/iommu/smmu3.0x...
        if let target = FileSystem.readLink(base), target.contains("arm-smmu-v3") { return .armSMMUv3 }
        return .other
    }

    struct Problem: Error { var text: String }

    /// `amd-iommu/features`: "EFR:EFR2" since Linux 6.7, "EFR2:EFR" in the kernels before that
    /// which print two values, "EFR" alone in older ones.
    static func parseAMDFeatures(_ text: String, kernelRelease: String?) -> Result<(AMDFeatureRegisters, String?), Problem> {
        let parts = text.split(separator: ":").map(String.init)
        let values = parts.compactMap { try? HexNumber.parse($0) }
        guard !values.isEmpty, values.count == parts.count, values.count <= 2 else {
            return .failure(Problem(text: "amd-iommu/features is not EFR[:EFR2] in hex: \(text)"))
        }
        if values.count == 1 {
            return .success((AMDFeatureRegisters(efr: values[0]), "amd-iommu/features has no EFR2 (an older kernel): EFR2 taken as 0"))
        }
        if let version = kernelVersion(kernelRelease), version < (6, 7) {
            return .success((AMDFeatureRegisters(efr: values[1], efr2: values[0]), "amd-iommu/features read as EFR2:EFR (the order before Linux 6.7)"))
        }
        return .success((AMDFeatureRegisters(efr: values[0], efr2: values[1]), nil))
    }

    /// `6.8.0-45-generic` → (6, 8).
    static func kernelVersion(_ release: String?) -> (Int, Int)? {
        guard let release else { return nil }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    // MARK: Groups

    static func readGroups(_ paths: HostPaths) -> [IOMMUGroupInfo] {
        let names = FileSystem.list(paths.sys("kernel/iommu_groups")) ?? []
        return names.compactMap { name -> IOMMUGroupInfo? in
            guard let id = Int(name) else { return nil }
            let base = paths.sys("kernel/iommu_groups/\(name)")
            return IOMMUGroupInfo(
                id: id, type: FileSystem.readText("\(base)/type"),
                members: (FileSystem.list("\(base)/devices") ?? []).sorted(by: deviceOrder),
                reservedRegions: parseReservedRegions(FileSystem.readText("\(base)/reserved_regions") ?? ""))
        }.sorted { $0.id < $1.id }
    }

    public static func parseReservedRegions(_ text: String) -> [ReservedRegion] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let start = try? HexNumber.parse(String(fields[0])),
                  let end = try? HexNumber.parse(String(fields[1])) else { return nil }
            return ReservedRegion(start: start, end: end, type: fields[2...].joined(separator: " "))
        }
    }

    // MARK: PCI devices

    static func readPCIDevice(_ paths: HostPaths, name: String, address: PCIAddress) -> SysfsPCIDevice {
        let base = paths.sys("bus/pci/devices/\(name)")
        var upstream: [PCIAddress] = []
        if let target = resolved(base) ?? FileSystem.readLink(base) {
            upstream = target.split(separator: "/").compactMap { PCIAddress(String($0)) }.filter { $0 != address }.reversed()
        }
        let vfio = (FileSystem.list("\(base)/vfio-dev") ?? []).filter { $0.hasPrefix("vfio") }
        func hexAttribute(_ name: String, bits: Int) -> UInt64? {
            FileSystem.readText("\(base)/\(name)").flatMap { try? HexNumber.parse($0, bits: bits) }
        }
        return SysfsPCIDevice(
            address: address,
            driver: linkName("\(base)/driver"),
            iommuGroup: linkName("\(base)/iommu_group").flatMap { Int($0) },
            iommu: linkName("\(base)/iommu"),
            upstream: upstream, vfioCdevs: vfio,
            vendorID: hexAttribute("vendor", bits: 16).map { UInt16($0) },
            deviceID: hexAttribute("device", bits: 16).map { UInt16($0) },
            classCode: hexAttribute("class", bits: 24).map { UInt16($0 >> 8) })
    }

    // MARK: Parsing helpers

    /// `CONFIG_X=y` lines and `# CONFIG_X is not set` lines, for the options probe cares about.
    public static func parseKernelConfig(_ text: String) -> [String: String] {
        var config: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                let name = line.dropFirst(2).dropLast(" is not set".count)
                if SysfsSnapshot.interestingConfig.contains(String(name)) { config[String(name)] = "n" }
            } else if line.hasPrefix("CONFIG_"), let equals = line.firstIndex(of: "=") {
                let name = String(line[..<equals])
                if SysfsSnapshot.interestingConfig.contains(name) {
                    config[name] = String(line[line.index(after: equals)...])
                }
            }
        }
        return config
    }

    /// The "Max locked memory" row of /proc/<pid>/limits: soft and hard in bytes, nil = unlimited.
    public static func parseMemlock(_ text: String) -> (soft: UInt64?, hard: UInt64?)? {
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("Max locked memory") {
            let fields = line.dropFirst("Max locked memory".count).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { return nil }
            func value(_ field: Substring) -> UInt64? { field == "unlimited" ? nil : UInt64(field) }
            return (value(fields[0]), value(fields[1]))
        }
        return nil
    }

    /// The device directory that holds a class device: `.../0000:00:03.0/vfio-dev/vfio0` → BDF.
    static func parentDeviceName(_ linkTarget: String) -> String? {
        let parts = linkTarget.split(separator: "/")
        guard parts.count >= 3 else { return nil }
        return String(parts[parts.count - 3])
    }

    /// The canonical path of `path` with every link resolved, or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The name a sysfs link points at (`driver` → `vfio-pci`, `iommu_group` → `30`): the last
    /// component of its resolved target, else of its text.
    static func linkName(_ path: String) -> String? {
        if let target = resolved(path) { return FileSystem.baseName(target) }
        return FileSystem.readLink(path).map(FileSystem.baseName)
    }

    /// `/a/b/c/d` → `/a/b`.
    static func grandparent(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(min(2, parts.count))
        return parts.joined(separator: "/")
    }

    static func numericSuffix(_ name: String) -> Int {
        Int(String(name.reversed().prefix { $0.isNumber }.reversed())) ?? 0
    }

    /// PCI addresses in bus order, other names after them alphabetically.
    static func deviceOrder(_ a: String, _ b: String) -> Bool {
        switch (PCIAddress(a), PCIAddress(b)) {
        case let (x?, y?): return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }
}
