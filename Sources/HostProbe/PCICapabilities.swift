import IOMMUFD

/// A PCI function's address: domain, bus, device, function (`0000:6a:01.0`).
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var domain: Int
    public var bus: Int
    public var device: Int
    public var function: Int

    public init(domain: Int, bus: Int, device: Int, function: Int) {
        self.domain = domain
        self.bus = bus
        self.device = device
        self.function = function
    }

    /// Parses `DDDD:BB:DD.F` or `BB:DD.F` (domain 0); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let domainText = parts.count == 3 ? parts[0] : "0"
        let busText = parts[parts.count - 2]
        let deviceFunction = parts[parts.count - 1].split(separator: ".", omittingEmptySubsequences: false)
        guard deviceFunction.count == 2,
              !domainText.isEmpty, domainText.count <= 8, busText.count == 2, deviceFunction[0].count == 2,
              deviceFunction[1].count == 1,
              let domain = Int(domainText, radix: 16), let bus = Int(busText, radix: 16),
              let device = Int(deviceFunction[0], radix: 16), let function = Int(deviceFunction[1], radix: 8),
              device < 32
        else { return nil }
        self.init(domain: domain, bus: bus, device: device, function: function)
    }

    /// `0000:6a:01.0`, as sysfs names the device.
    public var description: String {
        "\(Text.hexDigits(domain, 4)):\(Text.hexDigits(bus, 2)):\(Text.hexDigits(device, 2)).\(function)"
    }

    public static func < (a: PCIAddress, b: PCIAddress) -> Bool {
        (a.domain, a.bus, a.device, a.function) < (b.domain, b.bus, b.device, b.function)
    }
}

/// One entry of the extended capability list: id, offset and version (`001b@100/v1`).
public struct ExtendedCapability: Hashable, Sendable, CustomStringConvertible {
    public var id: UInt16
    public var offset: Int
    public var version: Int
    public var description: String { "\(Text.hexDigits(id, 4))@\(Text.hexDigits(offset, 3))/v\(version)" }

    /// The capability's name in the PCIe spec's words, for the common ones.
    public var name: String {
        switch id {
        case 0x01: "AER"
        case 0x02, 0x09: "VC"
        case 0x03: "DSN"
        case 0x04: "Power Budgeting"
        case 0x0b: "Vendor Specific"
        case 0x0d: "ACS"
        case 0x0e: "ARI"
        case 0x0f: "ATS"
        case 0x10: "SR-IOV"
        case 0x13: "PRI"
        case 0x15: "Resizable BAR"
        case 0x17: "TPH"
        case 0x18: "LTR"
        case 0x19: "Secondary PCIe"
        case 0x1b: "PASID"
        case 0x1d: "DPC"
        case 0x1e: "L1 PM Substates"
        case 0x1f: "PTM"
        case 0x23: "DVSEC"
        case 0x25: "Data Link Feature"
        case 0x26: "Physical Layer 16 GT/s"
        default: "ID \(Text.hex(id, digits: 4))"
        }
    }
}

/// The PASID Extended Capability (ID 0x1b).
public struct PASIDCapability: Hashable, Sendable {
    public var offset: Int
    /// The PASID Capability register (offset + 4).
    public var capability: UInt16
    /// The PASID Control register (offset + 6).
    public var control: UInt16

    /// Max PASID Width (bits 12:8): the device takes PASIDs of this many bits.
    public var maxWidth: Int { Int(capability >> 8 & 0x1f) }
    /// Execute Permission Supported.
    public var execute: Bool { capability & 0x2 != 0 }
    /// Privileged Mode Supported.
    public var privileged: Bool { capability & 0x4 != 0 }
    /// PASID Enable (control bit 0): the kernel turned PASIDs on for this function.
    public var enabled: Bool { control & 0x1 != 0 }
    public var executeEnabled: Bool { control & 0x2 != 0 }
    public var privilegedEnabled: Bool { control & 0x4 != 0 }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "maxWidth": JSONValue(maxWidth),
            "execute": .bool(execute), "privileged": .bool(privileged), "enabled": .bool(enabled),
        ]
    }
}

/// The ATS Extended Capability (ID 0x0f).
public struct ATSCapability: Hashable, Sendable {
    public var offset: Int
    /// The ATS Capability register (offset + 4).
    public var capability: UInt16
    /// The ATS Control register (offset + 6).
    public var control: UInt16

    /// Invalidate Queue Depth as stored (bits 4:0).
    public var invalidateQueueDepthField: Int { Int(capability & 0x1f) }
    /// Invalidations the device can queue: the field, where 0 means 32 (the kernel's
    /// `pci_ats_queue_depth`).
    public var invalidateQueueDepth: Int { invalidateQueueDepthField == 0 ? 32 : invalidateQueueDepthField }
    /// Page Aligned Request (bit 5): untranslated addresses in requests are page aligned.
    public var pageAligned: Bool { capability & 0x20 != 0 }
    /// Global Invalidate Supported (bit 6).
    public var globalInvalidate: Bool { capability & 0x40 != 0 }
    /// Enable (control bit 15).
    public var enabled: Bool { control & 0x8000 != 0 }
    /// Smallest Translation Unit (control bits 4:0): 2^(12+STU) bytes.
    public var smallestTranslationUnit: Int { Int(control & 0x1f) }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "invalidateQueueDepth": JSONValue(invalidateQueueDepth),
            "pageAligned": .bool(pageAligned), "enabled": .bool(enabled),
            "smallestTranslationUnit": JSONValue(smallestTranslationUnit),
        ]
    }
}

/// The Page Request Extended Capability (PRI, ID 0x13).
public struct PRICapability: Hashable, Sendable {
    public var offset: Int
    /// Page Request Control (offset + 4).
    public var control: UInt16
    /// Page Request Status (offset + 6).
    public var status: UInt16
    /// Outstanding Page Request Capacity (offset + 8).
    public var outstandingCapacity: UInt32
    /// Outstanding Page Request Allocation (offset + 0xc).
    public var allocation: UInt32

    public var enabled: Bool { control & 0x1 != 0 }
    public var reset: Bool { control & 0x2 != 0 }
    public var responseFailure: Bool { status & 0x1 != 0 }
    public var unexpectedResponse: Bool { status & 0x2 != 0 }
    public var stopped: Bool { status & 0x100 != 0 }
    /// PRG Response PASID Required: responses must carry the PASID of the request.
    public var responsePASIDRequired: Bool { status & 0x8000 != 0 }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "outstandingCapacity": JSONValue(UInt64(outstandingCapacity)),
            "enabled": .bool(enabled),
        ]
    }
}

/// The Access Control Services Extended Capability (ACS, ID 0x0d).
public struct ACSCapability: Hashable, Sendable {
    public var offset: Int
    /// ACS Capability register (offset + 4).
    public var capability: UInt16
    /// ACS Control register (offset + 6).
    public var control: UInt16

    /// The bits of both registers, low to high, with their spec mnemonics.
    public static let bitNames = ["SV", "TB", "RR", "CR", "UF", "EC", "DT"]
    /// What Linux requires for isolation (`REQ_ACS_FLAGS`): Source Validation, Request
    /// Redirect, Completion Redirect, Upstream Forwarding.
    public static let isolationFlags: UInt16 = 0x1 | 0x4 | 0x8 | 0x10

    /// Egress Control Vector Size (capability bits 15:8).
    public var egressVectorSize: Int { Int(capability >> 8) }

    /// The flags set in `register`, by mnemonic (`SV+ TB+ RR- ...` style names of the set ones).
    public static func names(_ register: UInt16) -> [String] {
        bitNames.enumerated().filter { register & (1 << UInt16($0.offset)) != 0 }.map(\.element)
    }

    /// The kernel's `pci_acs_flags_enabled(dev, REQ_ACS_FLAGS)`: every isolation flag the
    /// port implements (plus any it does not, except that EC is never filtered) is enabled.
    public var isolationEnabled: Bool {
        let required = ACSCapability.isolationFlags & (capability | 0x20)
        return control & required == required
    }

    /// Isolation flags the kernel needs that are implemented but not enabled, or not implemented.
    public var missingIsolationFlags: [String] {
        let required = ACSCapability.isolationFlags & (capability | 0x20)
        let notImplemented = ACSCapability.isolationFlags & ~capability
        return ACSCapability.names((required & ~control) | notImplemented)
    }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "capability": .string(Text.hex(capability, digits: 4)),
            "control": .string(Text.hex(control, digits: 4)),
        ]
    }
}

/// The SR-IOV Extended Capability (ID 0x10).
public struct SRIOVCapability: Hashable, Sendable {
    public var offset: Int
    public var capabilities: UInt32
    public var control: UInt16
    public var initialVFs: Int
    public var totalVFs: Int
    public var numVFs: Int
    public var firstVFOffset: Int
    public var vfStride: Int
    public var vfDeviceID: UInt16

    /// VF Enable (control bit 0).
    public var enabled: Bool { control & 0x1 != 0 }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "totalVFs": JSONValue(totalVFs), "numVFs": JSONValue(numVFs),
            "enabled": .bool(enabled), "vfDeviceID": .string(Text.hexDigits(vfDeviceID, 4)),
        ]
    }
}

/// What the PCI Express capability (ID 0x10) says: the port type and the link.
public struct PCIeInfo: Hashable, Sendable {
    public var offset: Int
    /// Device/Port Type (PCIe Capabilities register bits 7:4).
    public var portType: Int
    /// Link Capabilities (offset + 0xc) and Link Status (offset + 0x12).
    public var linkCapabilities: UInt32
    public var linkStatus: UInt16

    public enum PortType: Int, Sendable {
        case endpoint = 0, legacyEndpoint = 1, rootPort = 4, upstreamPort = 5, downstreamPort = 6
        case pcieToPCIBridge = 7, pciToPCIeBridge = 8, rootComplexIntegratedEndpoint = 9
        case rootComplexEventCollector = 10
    }

    public var type: PortType? { PortType(rawValue: portType) }

    public var portTypeName: String {
        switch type {
        case .endpoint?: "Endpoint"
        case .legacyEndpoint?: "Legacy Endpoint"
        case .rootPort?: "Root Port"
        case .upstreamPort?: "Upstream Port"
        case .downstreamPort?: "Downstream Port"
        case .pcieToPCIBridge?: "PCIe-to-PCI Bridge"
        case .pciToPCIeBridge?: "PCI-to-PCIe Bridge"
        case .rootComplexIntegratedEndpoint?: "Root Complex Integrated Endpoint"
        case .rootComplexEventCollector?: "Root Complex Event Collector"
        case nil: "type \(portType)"
        }
    }

    /// Root complex integrated endpoints have no link.
    public var hasLink: Bool { type != .rootComplexIntegratedEndpoint && type != .rootComplexEventCollector }

    public var maxSpeed: String { PCIeInfo.speed(Int(linkCapabilities & 0xf)) }
    public var maxWidth: Int { Int(linkCapabilities >> 4 & 0x3f) }
    public var speed: String { PCIeInfo.speed(Int(linkStatus & 0xf)) }
    public var width: Int { Int(linkStatus >> 4 & 0x3f) }

    static func speed(_ code: Int) -> String {
        switch code {
        case 1: "2.5GT/s"
        case 2: "5GT/s"
        case 3: "8GT/s"
        case 4: "16GT/s"
        case 5: "32GT/s"
        case 6: "64GT/s"
        default: "unknown"
        }
    }

    public var json: JSONValue {
        [
            "offset": .string(Text.hex(offset)), "portType": .string(portTypeName),
            "link": hasLink
                ? [
                    "maxSpeed": .string(maxSpeed), "maxWidth": JSONValue(maxWidth),
                    "speed": .string(speed), "width": JSONValue(width),
                ] : .null,
        ]
    }

    /// `8GT/s x16 (max 8GT/s x16)`.
    public var linkText: String {
        guard hasLink else { return "none (root complex integrated)" }
        return "\(speed) x\(width) (max \(maxSpeed) x\(maxWidth))"
    }
}

/// One PCI function as libpci reads it: identity, names from pci.ids, and the capabilities that
/// matter for iommufd.
public struct PCIRecord: Hashable, Sendable {
    public var address: PCIAddress
    public var vendorID: UInt16
    public var deviceID: UInt16
    /// Base class and sub-class (`0x0300`).
    public var classCode: UInt16
    public var progIf: UInt8
    public var revision: UInt8
    public var headerType: UInt8
    public var vendorName: String?
    public var deviceName: String?
    public var className: String?
    public var pcie: PCIeInfo?
    public var extendedCapabilities: [ExtendedCapability]
    public var pasid: PASIDCapability?
    public var ats: ATSCapability?
    public var pri: PRICapability?
    public var acs: ACSCapability?
    public var sriov: SRIOVCapability?
    /// Where the record came from: a dump file, or `sysfs`.
    public var source: String

    /// Header type bit 7.
    public var isMultifunction: Bool { headerType & 0x80 != 0 }
    /// A PCI-to-PCI bridge (header type 1), which includes PCIe root and switch ports.
    public var isBridge: Bool { headerType & 0x7f == 1 }
    public var isGPU: Bool { classCode >> 8 == 0x03 }

    /// The kernel's `pci_acs_enabled(dev, REQ_ACS_FLAGS)` without device-specific quirks: can
    /// this function keep peer-to-peer traffic from bypassing the IOMMU? `nil` reason = yes.
    public var acsIsolationProblem: String? {
        guard let pcie else { return "conventional PCI: no ACS, the bus is shared" }
        switch pcie.type {
        case .pcieToPCIBridge?, .pciToPCIeBridge?, .rootComplexEventCollector?:
            return "a \(pcie.portTypeName) never isolates (no ACS by definition)"
        case .rootPort?, .downstreamPort?:
            return acsProblem
        case .endpoint?, .legacyEndpoint?, .upstreamPort?, .rootComplexIntegratedEndpoint?:
            return isMultifunction ? acsProblem.map { "multifunction device: \($0)" } : nil
        case nil:
            return nil
        }
    }

    private var acsProblem: String? {
        guard let acs else { return "no ACS capability" }
        if acs.isolationEnabled { return nil }
        return "ACS \(acs.missingIsolationFlags.joined(separator: "/")) not enabled (ACS control \(Text.hex(acs.control, digits: 4)))"
    }
}
