import IOMMUFD

/// A kernel command-line switch that matters for IOMMUs, with what it does.
public struct KernelSwitch: Hashable, Sendable {
    public var key: String
    public var value: String?
    public var meaning: String
    public var text: String { value.map { "\(key)=\($0)" } ?? key }
}

/// The running (or captured) kernel: release, command line, and the settings that decide
/// whether an Intel IOMMU runs in scalable mode.
public struct KernelInfo: Sendable {
    public var release: String?
    public var commandLine: String?
    public var switches: [KernelSwitch]
    /// Whether intel-iommu runs scalable mode: from `intel_iommu=sm_on|sm_off`, else from
    /// `CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON`; nil when neither says.
    public var scalableMode: Bool?
    public var scalableModeSource: String
    /// The configuration options found (`CONFIG_IOMMUFD` → `y`), and the file they came from.
    public var config: [String: String]
    public var configSource: String?
}

/// One IOMMU unit with its verdict (for units whose registers sysfs shows).
public struct UnitReport: Sendable {
    public var unit: IOMMUUnit
    public var nesting: NestingVerdict?
}

/// `/dev/vfio/vfio` and who provides it.
public struct VFIOContainerInfo: Sendable {
    public enum Provider: String, Sendable {
        /// VFIO's own container (`CONFIG_VFIO_CONTAINER`, type1 IOMMU driver).
        case vfio
        /// iommufd's compatibility container (`CONFIG_IOMMUFD_VFIO_CONTAINER`).
        case iommufd
        case unknown
        /// No /dev/vfio/vfio: neither container is built in.
        case absent
    }

    public var node: DevNode
    public var provider: Provider
    /// How the provider was decided, in words.
    public var evidence: String
}

/// A VFIO cdev and its hw_info.
public struct VFIOCdevReport: Sendable {
    public var cdev: SysfsVFIOCdev
    public var node: DevNode
    public var hwInfo: HWInfo?
    /// Why there is no hw_info (not asked, bind refused, ...).
    public var hwInfoNote: String?
    /// `kernel` (asked now) or `capture` (from capture/probe.json).
    public var hwInfoSource: String?
}

/// iommufd and VFIO on this host.
public struct IOMMUFDReport: Sendable {
    public var iommu: DevNode
    /// `/sys/class/misc/iommu` exists: the kernel registered /dev/iommu.
    public var registered: Bool
    /// `per-user` or `per-process` (`IOMMU_OPTION_RLIMIT_MODE`), when /dev/iommu opened.
    public var rlimitMode: String?
    public var rlimitModeNote: String?
    /// RLIMIT_MEMLOCK soft and hard limits in bytes (nil = unlimited); nil when unknown.
    public var memlock: (soft: UInt64?, hard: UInt64?)?
    public var container: VFIOContainerInfo
    public var cdevs: [VFIOCdevReport]

    /// The kernel has iommufd: the misc device is registered or the node exists.
    public var available: Bool { registered || iommu.present }
}

/// A group's isolation: the group, not the device, is what can be given to one owner.
public struct GroupIsolation: Sendable {
    /// The group holds exactly one device.
    public var singleDevice: Bool
    /// One sentence.
    public var summary: String
    /// Functions on the members' upstream paths (and multifunction members) that keep the
    /// kernel from splitting the group, with why; `unknown` entries lack config space.
    public var acsProblems: [(address: String, problem: String)]
}

public struct GroupReport: Sendable {
    public var group: IOMMUGroupInfo
    public var isolation: GroupIsolation
}

/// One GPU (DRM device), joined with its PCI record.
public struct GPUReport: Sendable {
    /// PCI address, or the platform device name for non-PCI GPUs.
    public var device: String
    public var busType: String
    /// `/dev/dri/card0`, `/dev/dri/renderD128`.
    public var nodes: [String]
    public var driver: String?
    /// `libdrm` (drmGetDevices2) or `sysfs` (class/drm, for captured hosts).
    public var source: String
    public var pciAddress: PCIAddress?
    /// What makes it a good (or poor) SVA/nesting test subject.
    public var note: String
}

/// A yes/no/unknown answer with its reasons in words.
public struct Verdict: Hashable, Sendable {
    public var answer: Bool?
    public var reasons: [String]

    public init(_ answer: Bool?, _ reasons: [String]) {
        self.answer = answer
        self.reasons = reasons
    }

    public var word: String {
        switch answer {
        case true?: "yes"
        case false?: "no"
        case nil: "unknown"
        }
    }

    public var json: JSONValue {
        ["answer": answer.map { .bool($0) } ?? .null, "reasons": .array(reasons.map { .string($0) })]
    }
}

/// What can be done with one device through iommufd.
public struct DeviceVerdicts: Sendable {
    /// `VFIO_DEVICE_BIND_IOMMUFD` would succeed.
    public var bind: Verdict
    /// `IOMMU_HWPT_ALLOC` with `NEST_PARENT` would succeed on its IOMMU.
    public var nestParent: Verdict
    /// PASIDs can be used with this device (attach a PASID, SVA).
    public var pasid: Verdict
    /// `IOMMU_HWPT_ALLOC_DIRTY_TRACKING` would succeed on its IOMMU.
    public var dirtyTracking: Verdict
    /// Other observations (SVA candidate, ATS, ...).
    public var notes: [String]

    public var json: JSONValue {
        [
            "bind": bind.json, "nestParent": nestParent.json, "pasid": pasid.json,
            "dirtyTracking": dirtyTracking.json, "notes": .array(notes.map { .string($0) }),
        ]
    }
}

/// One PCI function: libpci's record (when config space was read), sysfs facts (when the tree
/// has the device), and the verdicts.
public struct DeviceReport: Sendable {
    public var address: PCIAddress
    public var record: PCIRecord?
    public var sysfs: SysfsPCIDevice?
    /// The IOMMU unit it sits behind (by name).
    public var iommuUnit: String?
    public var cdev: VFIOCdevReport?
    public var verdicts: DeviceVerdicts
}

/// Everything `probe` found.
public struct ProbeReport: Sendable {
    public var paths: HostPaths
    public var hostname: String?
    public var pciSources: [String]
    public var kernel: KernelInfo
    public var units: [UnitReport]
    public var iommufd: IOMMUFDReport
    public var groups: [GroupReport]
    public var devices: [DeviceReport]
    public var gpus: [GPUReport]
    /// Non-fatal problems (libpci warnings, unreadable attributes, libdrm errors).
    public var warnings: [String]

    /// There is an IOMMU: units in /sys/class/iommu or IOMMU groups.
    public var iommuPresent: Bool { !units.isEmpty || !groups.isEmpty }

    public func device(_ address: PCIAddress) -> DeviceReport? { devices.first { $0.address == address } }

    /// The answer in a few sentences: is there an IOMMU, is iommufd there, which devices are
    /// ready for nesting, and where to go when nothing is.
    public var summary: [String] {
        guard iommuPresent else {
            return [
                "No IOMMU on this host: /sys/class/iommu is empty and there are no IOMMU groups, so "
                    + "iommufd has no device to drive (no DMAR/IVRS/IORT table, the IOMMU is off, or a VM "
                    + "without a virtual IOMMU).",
                "Without one: the software model runs the uAPI cases (`iommufd-harness run --backend model`), "
                    + "and the VM lane boots a kernel under QEMU with an emulated IOMMU "
                    + "(`scripts/vm/run-x86_64`).",
            ]
        }
        var lines: [String] = []
        let kinds = units.map { "\($0.unit.name) (\($0.unit.kind.rawValue))" }
        lines.append(units.isEmpty
            ? "IOMMU groups exist but /sys/class/iommu lists no unit."
            : "\(units.count) IOMMU unit\(units.count == 1 ? "" : "s"): \(Text.list(kinds)).")
        if iommufd.available {
            lines.append("iommufd is available (/dev/iommu\(iommufd.iommu.openable == false ? ", but this user cannot open it" : "")).")
        } else {
            lines.append("iommufd is missing: no /dev/iommu (CONFIG_IOMMUFD, or modprobe iommufd).")
        }
        let ready = devices.filter { $0.verdicts.bind.answer == true && $0.verdicts.nestParent.answer == true }
        let nestCapable = devices.filter { $0.verdicts.nestParent.answer == true }
        if !ready.isEmpty {
            lines.append("Ready for nesting: \(Text.list(ready.map(\.address.description))).")
        } else if !nestCapable.isEmpty {
            lines.append(
                "The IOMMU can nest for \(nestCapable.count) device\(nestCapable.count == 1 ? "" : "s"), but none can "
                    + "be bound to iommufd now (bind one to vfio-pci).")
        } else if let reason = devices.lazy.compactMap({ $0.verdicts.nestParent.reasons.first }).first {
            lines.append("No device can nest: \(reason).")
        }
        let sva = devices.filter { $0.record?.pasid != nil && $0.record?.ats != nil && $0.record?.pri != nil }
        if !sva.isEmpty {
            lines.append("PASID+ATS+PRI (SVA test subjects): \(Text.list(sva.map(\.address.description))).")
        }
        return lines
    }
}
