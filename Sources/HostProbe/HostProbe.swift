import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What to probe and how far to go.
public struct ProbeOptions: Sendable {
    /// The sysfs directory: `/sys` (live) or a capture's `sys/`.
    public var sysfsRoot: String = "/sys"
    /// `lspci -xxxx` dumps to read PCI devices from instead of the live bus. For a captured
    /// tree, empty means `capture/lspci.txt` and `capture/*.lspci` when present.
    public var pciDumps: [String] = []
    /// Where the device nodes are (live only).
    public var devRoot: String = "/dev"
    /// Bind each usable VFIO cdev to a fresh iommufd for IOMMU_GET_HW_INFO (live only).
    public var queryHWInfo: Bool = true
    /// pci.ids to use instead of libpci's default.
    public var pciIDsPath: String?
    /// Overrides where hw_info comes from (tests; captured hosts use capture/probe.json).
    public var hwInfoProvider: (any HWInfoProvider)?

    public init(sysfsRoot: String = "/sys", pciDumps: [String] = []) {
        self.sysfsRoot = sysfsRoot
        self.pciDumps = pciDumps
    }
}

/// `iommufd-harness probe`: gathers what this host's IOMMUs, iommufd, VFIO, PCI devices and
/// GPUs can do, and judges each device.
public enum HostProbe {
    /// Probes the host. Throws only for PCI dumps that cannot be read (a clear message naming
    /// the file); everything else that is missing or unreadable becomes part of the report.
    public static func run(_ options: ProbeOptions) throws(PCIScanError) -> ProbeReport {
        let paths = HostPaths(sysfsRoot: options.sysfsRoot)
        var snapshot = SysfsReader.read(paths)
        var warnings: [String] = []

        // PCI devices through libpci.
        var dumps = options.pciDumps
        if dumps.isEmpty && !paths.isLive {
            dumps = capturedDumps(paths)
        }
        var records: [PCIAddress: PCIRecord] = [:]
        var pciSources: [String] = []
        let names = PCINames(idsPath: options.pciIDsPath)
        if !dumps.isEmpty {
            for dump in dumps {
                let scan = try PCIScanner.scanDump(dump, names: names)
                pciSources.append(dump)
                warnings += scan.warnings.map { "libpci (\(dump)): \($0)" }
                for record in scan.records {
                    if let earlier = records[record.address] {
                        warnings.append("\(record.address) is in both \(earlier.source) and \(dump): keeping the first")
                    } else {
                        records[record.address] = record
                    }
                }
            }
        } else if paths.isLive || hasConfigFiles(paths) {
            let pciPath = paths.isLive ? nil : paths.sys("bus/pci")
            do {
                let scan = try PCIScanner.scanSysfs(pciPath: pciPath, names: names)
                pciSources.append(pciPath ?? "/sys/bus/pci")
                warnings += scan.warnings.map { "libpci: \($0)" }
                for record in scan.records { records[record.address] = record }
            } catch {
                warnings.append("PCI devices could not be read: \(error)")
            }
            if paths.isLive && geteuid() != 0 && !records.isEmpty {
                warnings.append(
                    "not root: sysfs shows only the first 64 bytes of config space, so PCIe extended "
                        + "capabilities (PASID, ATS, PRI, ACS, SR-IOV) are not visible; run probe as root")
            }
        } else if !snapshot.pciDevices.isEmpty {
            warnings.append(
                "no PCI config space in \(paths.root): pass --pci-dump FILE (lspci -xxxx) to see capabilities")
        }

        // A dump from another machine must not borrow this tree's driver and group for the same
        // address: join only where sysfs shows the same vendor and device.
        for (address, record) in records.sorted(by: { $0.key < $1.key }) {
            guard let entry = snapshot.pciDevices[address], let vendor = entry.vendorID, let device = entry.deviceID,
                  vendor != record.vendorID || device != record.deviceID else { continue }
            warnings.append(
                "\(address) is \(Text.hexDigits(record.vendorID, 4)):\(Text.hexDigits(record.deviceID, 4)) in "
                    + "\(record.source) but \(Text.hexDigits(vendor, 4)):\(Text.hexDigits(device, 4)) in \(paths.sysfs): "
                    + "sysfs facts not joined")
            snapshot.pciDevices[address] = nil
        }

        let kernel = kernelInfo(snapshot, switches: KernelSwitches.parse(snapshot.commandLine ?? ""))

        var units: [UnitReport] = []
        for unit in snapshot.units {
            var nesting: NestingVerdict?
            if let vtd = unit.vtd { nesting = vtd.nestingVerdict(scalableModeEnabled: kernel.scalableMode) }
            if let amd = unit.amd { nesting = amd.nestingVerdict }
            units.append(UnitReport(unit: unit, nesting: nesting))
            warnings += unit.problems.map { "\(unit.name): \($0)" }
        }

        let iommufd = iommufdReport(paths, snapshot: snapshot, options: options, warnings: &warnings)
        let cdevByDevice = Dictionary(iommufd.cdevs.map { ($0.cdev.device, $0) }, uniquingKeysWith: { first, _ in first })

        let context = VerdictContext(
            units: Dictionary(units.map { ($0.unit.name, $0) }, uniquingKeysWith: { first, _ in first }),
            groups: Dictionary(snapshot.groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            sysfs: snapshot.pciDevices, records: records, iommufd: iommufd,
            scalableMode: kernel.scalableMode, isLive: paths.isLive)

        let groups = snapshot.groups.map { GroupReport(group: $0, isolation: Verdicts.isolation($0, context: context)) }
        let devices = records.keys.sorted().map { address -> DeviceReport in
            let cdev = cdevByDevice[address.description]
            return DeviceReport(
                address: address, record: records[address], sysfs: snapshot.pciDevices[address],
                iommuUnit: context.unitName(for: address), cdev: cdev,
                verdicts: Verdicts.device(address, record: records[address], cdev: cdev, context: context))
        }
        let gpus = gpuReports(paths, snapshot: snapshot, records: records, warnings: &warnings)

        return ProbeReport(
            paths: paths, hostname: snapshot.hostname, pciSources: pciSources, kernel: kernel, units: units, iommufd: iommufd, groups: groups,
            devices: devices, gpus: gpus, warnings: warnings)
    }

    // MARK: Pieces

    /// `capture/lspci.txt` and `capture/*.lspci` of a captured tree, sorted by name.
    static func capturedDumps(_ paths: HostPaths) -> [String] {
        let directory = paths.host("capture")
        return (FileSystem.list(directory) ?? [])
            .filter { $0 == "lspci.txt" || $0.hasSuffix(".lspci") }
            .map { "\(directory)/\($0)" }
    }

    /// Whether a captured tree holds config space files libpci's sysfs method could read.
    static func hasConfigFiles(_ paths: HostPaths) -> Bool {
        guard let first = FileSystem.list(paths.sys("bus/pci/devices"))?.first else { return false }
        return FileSystem.exists(paths.sys("bus/pci/devices/\(first)/config"))
    }

    static func kernelInfo(_ snapshot: SysfsSnapshot, switches: [KernelSwitch]) -> KernelInfo {
        var scalableMode = KernelSwitches.scalableMode(switches)
        var source = scalableMode.map { "intel_iommu=\($0 ? "sm_on" : "sm_off") on the command line" } ?? ""
        if scalableMode == nil, let value = snapshot.kernelConfig["CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON"] {
            scalableMode = value == "y"
            source = "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON=\(value) in \(snapshot.kernelConfigSource ?? "the kernel config")"
        }
        if scalableMode == nil {
            source = "unknown: no intel_iommu=sm_on/sm_off and no kernel config found; assumed on where the unit can"
        }
        return KernelInfo(
            release: snapshot.kernelRelease, commandLine: snapshot.commandLine, switches: switches,
            scalableMode: scalableMode, scalableModeSource: source, config: snapshot.kernelConfig,
            configSource: snapshot.kernelConfigSource)
    }

    static func iommufdReport(_ paths: HostPaths, snapshot: SysfsSnapshot, options: ProbeOptions,
                              warnings: inout [String]) -> IOMMUFDReport {
        let registered = snapshot.miscDevices["iommu"] != nil
        let capturedNodes = paths.isLive ? [:] : DevNodes.captured(FileSystem.readText(paths.host("capture/dev-nodes.txt")) ?? "")
        let haveCapturedNodes = !capturedNodes.isEmpty
        func node(_ devPath: String, present fallback: Bool) -> DevNode {
            if paths.isLive {
                return DevNodes.live(options.devRoot + devPath.dropFirst("/dev".count), tryOpen: true)
            }
            if let captured = capturedNodes[devPath] { return captured }
            var missing = DevNode.missing(devPath)
            missing.present = !haveCapturedNodes && fallback
            return missing
        }

        let iommu = node("/dev/iommu", present: registered)
        var rlimitMode: String?
        var rlimitNote: String?
        if paths.isLive && iommu.openable == true {
            switch LiveIOMMUFD.rlimitMode(iommuPath: iommu.path) {
            case .success(let mode): rlimitMode = mode == .perUser ? "per-user" : "per-process"
            case .failure(let error): rlimitNote = "IOMMU_OPTION(RLIMIT_MODE) failed: \(error.errno.description)"
            }
        } else {
            if !paths.isLive {
                rlimitNote = "not read: a captured host (needs an open /dev/iommu)"
            } else if !iommu.present {
                rlimitNote = "not read: no /dev/iommu"
            } else {
                rlimitNote = "not read: /dev/iommu did not open (\(iommu.openError ?? "error"))"
            }
        }
        let memlock = paths.isLive ? LiveIOMMUFD.memlock() : snapshot.capturedMemlock

        // /dev/vfio/vfio: both VFIO's container and iommufd's compat register misc "vfio" with
        // minor 196, so sysfs alone cannot tell them apart.
        let containerNode = node("/dev/vfio/vfio", present: snapshot.miscDevices["vfio"] != nil)
        var provider: VFIOContainerInfo.Provider = .unknown
        var evidence = ""
        if !containerNode.present && snapshot.miscDevices["vfio"] == nil {
            provider = .absent
            evidence = "no /dev/vfio/vfio and no misc device \"vfio\": neither container is built"
        } else if paths.isLive && containerNode.openable == true {
            (provider, evidence) = LiveIOMMUFD.containerProvider(path: containerNode.path)
        }
        if provider == .unknown {
            if snapshot.kernelLog.contains(where: { $0.contains("IOMMUFD is providing /dev/vfio/vfio") }) {
                (provider, evidence) = (.iommufd, "kernel log: \"IOMMUFD is providing /dev/vfio/vfio, not VFIO\"")
            } else if snapshot.kernelConfig["CONFIG_IOMMUFD_VFIO_CONTAINER"] == "y" {
                (provider, evidence) = (.iommufd, "CONFIG_IOMMUFD_VFIO_CONTAINER=y")
            } else if snapshot.kernelConfig["CONFIG_VFIO_CONTAINER"] == "y" {
                (provider, evidence) = (.vfio, "CONFIG_VFIO_CONTAINER=y")
            } else if snapshot.modules.contains("vfio_iommu_type1") {
                (provider, evidence) = (.vfio, "module vfio_iommu_type1 is loaded")
            } else if evidence.isEmpty {
                evidence = "no evidence either way (open /dev/vfio/vfio on the host itself to tell)"
            }
        }
        let container = VFIOContainerInfo(node: containerNode, provider: provider, evidence: evidence)

        var hwProvider = options.hwInfoProvider
        if hwProvider == nil && !paths.isLive, let text = FileSystem.readText(paths.host("capture/probe.json")) {
            do {
                hwProvider = try CapturedHWInfoProvider(probeJSON: text)
            } catch {
                warnings.append("capture/probe.json: \(error)")
            }
        }
        let canBind = paths.isLive && options.queryHWInfo && iommu.openable == true
        var cdevs: [VFIOCdevReport] = []
        for cdev in snapshot.vfioCdevs {
            let cdevNode = node("/dev/vfio/devices/\(cdev.name)", present: true)
            var report = VFIOCdevReport(cdev: cdev, node: cdevNode, hwInfo: nil, hwInfoNote: nil, hwInfoSource: nil)
            var provider = hwProvider
            if provider == nil && canBind && cdevNode.openable == true {
                provider = KernelHWInfoProvider(iommuPath: iommu.path)
            }
            switch provider?.hwInfo(cdev: cdev, nodePath: cdevNode.path) {
            case .success(let info)?:
                report.hwInfo = info
                report.hwInfoSource = provider is KernelHWInfoProvider ? "kernel" : "capture"
            case .failure(let failure)?:
                report.hwInfoNote = failure.reason
                report.hwInfoSource = provider is KernelHWInfoProvider ? "kernel" : "capture"
            case nil:
                if !paths.isLive {
                    report.hwInfoNote = "not recorded in this capture"
                } else if !options.queryHWInfo {
                    report.hwInfoNote = "not asked (--no-bind)"
                } else if iommu.openable != true {
                    report.hwInfoNote = "not asked: /dev/iommu did not open"
                } else {
                    report.hwInfoNote = "not asked: \(cdevNode.path) did not open"
                }
            }
            cdevs.append(report)
        }
        return IOMMUFDReport(
            iommu: iommu, registered: registered, rlimitMode: rlimitMode, rlimitModeNote: rlimitNote,
            memlock: memlock, container: container, cdevs: cdevs)
    }

    static func gpuReports(_ paths: HostPaths, snapshot: SysfsSnapshot, records: [PCIAddress: PCIRecord],
                           warnings: inout [String]) -> [GPUReport] {
        var drm: [GPUScanner.DRMDevice]
        var source = "sysfs"
        if paths.isLive {
            source = "libdrm"
            switch GPUScanner.libdrm() {
            case .success(let devices): drm = devices
            case .failure(let error):
                warnings.append("drmGetDevices2 failed: \(error.description); listing class/drm instead")
                drm = GPUScanner.sysfs(snapshot.drmNodes)
                source = "sysfs"
            }
        } else {
            drm = GPUScanner.sysfs(snapshot.drmNodes)
        }
        var reports: [GPUReport] = []
        var seen = Set<PCIAddress>()
        for device in drm {
            let driver = snapshot.drmNodes.first { $0.device == device.device }?.driver
                ?? device.pciAddress.flatMap { snapshot.pciDevices[$0]?.driver }
            if let address = device.pciAddress { seen.insert(address) }
            reports.append(GPUReport(
                device: device.device, busType: device.busType, nodes: device.nodes, driver: driver, source: source,
                pciAddress: device.pciAddress, note: gpuNote(device.pciAddress.flatMap { records[$0] }, hasRecord: device.pciAddress != nil)))
        }
        // Display-class functions without a DRM node: typically bound to vfio-pci, the most
        // interesting case for this harness.
        for (address, record) in records.sorted(by: { $0.key < $1.key }) where record.isGPU && !seen.contains(address) {
            let driver = snapshot.pciDevices[address]?.driver
            reports.append(GPUReport(
                device: address.description, busType: "pci", nodes: [], driver: driver, source: "pci",
                pciAddress: address,
                note: "no DRM node (\(driver.map { "bound to \($0)" } ?? "no driver")); " + gpuNote(record, hasRecord: true)))
        }
        return reports
    }

    static func gpuNote(_ record: PCIRecord?, hasRecord: Bool) -> String {
        guard let record else {
            return hasRecord ? "no config space read for this GPU" : "not a PCI device: no PCI capabilities to judge"
        }
        let have = [("PASID", record.pasid != nil), ("ATS", record.ats != nil), ("PRI", record.pri != nil)]
        let missing = have.filter { !$0.1 }.map(\.0)
        if missing.isEmpty {
            return "PASID+ATS+PRI: the usual SVA/nesting test subject"
        }
        return "lacks \(Text.list(missing)): not an SVA test subject"
    }
}
