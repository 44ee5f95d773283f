import ArgumentParser
import HostProbe
import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `iommufd-harness probe`: what this host's IOMMUs, devices and GPUs can do, and whether
/// nesting will work, in one screen or one JSON object.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Report this host's IOMMUs, iommufd/VFIO nodes, IOMMU groups, PCI devices and GPUs, with verdicts.",
        discussion: """
            Reads /sys/class/iommu (VT-d cap/ecap and AMD EFR decoded), the kernel command line, \
            /dev/iommu and /dev/vfio, IOMMU groups, PCI devices through libpci (names from \
            pci.ids; PASID, ATS, PRI, ACS, SR-IOV, PCIe link) and GPUs through libdrm. For each \
            VFIO cdev it binds the device to a fresh iommufd, asks IOMMU_GET_HW_INFO and \
            releases it (--no-bind skips that); it never changes a driver binding. Each PCI \
            device gets verdicts with reasons: bind to iommufd, nest parent, PASID, dirty \
            tracking. A host without an IOMMU is reported as such (exit 0).

            Captured hosts (scripts/capture-host) and fixtures are read with --sysfs-root: the \
            directory above it holds proc/, boot/ and capture/ (dev-nodes.txt, dmesg.txt, \
            lspci.txt and *.lspci dumps, probe.json with hw_info).

            Examples:
              iommufd-harness probe
              iommufd-harness probe --json > inventory.json
              iommufd-harness probe --device 0000:6a:01.0
              iommufd-harness probe --sysfs-root host/sys --pci-dump host/capture/lspci.txt
            """
    )

    @Flag(help: "Print one JSON object (keys documented in docs/probe.md).")
    var json = false

    @Option(help: ArgumentHelp("Show one PCI device in depth (e.g. 0000:6a:01.0 or 6a:01.0).", valueName: "BDF"))
    var device: String?

    @Option(help: ArgumentHelp("Read a captured sysfs tree instead of /sys.", valueName: "dir"))
    var sysfsRoot: String = "/sys"

    @Option(
        name: .customLong("pci-dump"),
        help: ArgumentHelp("Read PCI devices from an `lspci -xxxx` dump through libpci's dump method (repeatable).", valueName: "file"))
    var pciDumps: [String] = []

    @Flag(name: .customLong("no-bind"), help: "Do not bind VFIO cdevs to ask IOMMU_GET_HW_INFO.")
    var noBind = false

    @Option(help: ArgumentHelp("Use this pci.ids instead of libpci's default.", valueName: "file"))
    var pciIds: String?

    @Flag(help: "Check every verdict against the kernel: bind each VFIO device (or only --device), try NEST_PARENT, DIRTY_TRACKING and a PASID attach, and report (as KTAP) where the kernel disagrees with the verdict. Exit 1 on a disagreement.")
    var verify = false

    @Flag(help: ArgumentHelp("Print the time spent gathering and rendering to stderr (scripts/bench-probe).", visibility: .hidden))
    var time = false

    struct ProbeFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = nanoseconds / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    func run() throws {
        let start = Self.now()
        var options = ProbeOptions(sysfsRoot: sysfsRoot, pciDumps: pciDumps)
        options.queryHWInfo = !noBind
        options.pciIDsPath = pciIds
        let report: ProbeReport
        do {
            report = try HostProbe.run(options)
        } catch {
            throw ProbeFailure(description: "cannot read PCI devices: \(error)")
        }
        let gathered = Self.now()
        defer {
            if time {
                let done = Self.now()
                let text = "probe: gathered in \(Self.milliseconds(gathered - start)) ms, rendered in "
                    + "\(Self.milliseconds(done - gathered)) ms\n"
                var bytes = Array(text.utf8)
                _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
            }
        }
        if verify {
            try runVerification(report)
            return
        }
        if let device {
            guard let address = PCIAddress(device) else {
                throw ValidationError("--device \(device): expected a PCI address like 0000:6a:01.0 or 6a:01.0")
            }
            guard let entry = report.device(address) else {
                let known = report.devices.map(\.address.description)
                throw ProbeFailure(
                    description: "no PCI device \(address) was read"
                        + (known.isEmpty ? " (no PCI devices at all)" : "; known: \(known.joined(separator: ", "))"))
            }
            print(json ? report.deviceJSON(entry).serialized(pretty: true) : report.render(device: entry))
            return
        }
        print(json ? report.json.serialized(pretty: true) : report.render())
    }

    private func runVerification(_ report: ProbeReport) throws {
        guard sysfsRoot == "/sys", pciDumps.isEmpty else {
            throw ValidationError("--verify asks this host's kernel: it cannot be used with --sysfs-root or --pci-dump")
        }
        let address = try device.map { text in
            guard let a = PCIAddress(text) else { throw ValidationError("--device \(text): expected a PCI address like 0000:6a:01.0") }
            return a
        }
        let checks = ProbeVerification(report: report, iommuPath: "/dev/iommu").run(only: address)
        print("KTAP version 1")
        print("# probe --verify: each verdict of probe against what the kernel does")
        print("1..\(checks.count)")
        for (index, check) in checks.enumerated() {
            let name = "\(check.device.split(separator: ":").joined(separator: "_"))_\(check.verdict)"
            switch check.outcome {
            case .pass: print("ok \(index + 1) \(name)")
            case .skip(let why): print("ok \(index + 1) \(name) # SKIP \(why)")
            case .fail(let why):
                print("# \(why)")
                print("not ok \(index + 1) \(name)")
            }
        }
        if checks.isEmpty { print("# no device with a VFIO cdev\(address.map { " at \($0)" } ?? ""): bind one with scripts/vfio-bind") }
        if checks.contains(where: { if case .fail = $0.outcome { true } else { false } }) { throw ExitCode(1) }
    }
}
