import IOMMUFD

/// The `probe --json` document. Keys are stable (documented in docs/probe.md); register fields
/// use the spec mnemonics of the decoders; raw register values, offsets and addresses are hex
/// strings; booleans are JSON booleans; absent things are `null`.
extension ProbeReport {
    public static let schema = "iommufd-harness/probe/1"

    public var json: JSONValue {
        [
            "schema": .string(ProbeReport.schema),
            "host": [
                "hostname": hostname.map { .string($0) } ?? .null,
                "sysfsRoot": .string(paths.sysfs), "live": .bool(paths.isLive),
                "pciSources": .array(pciSources.map { .string($0) }),
            ],
            "iommuPresent": .bool(iommuPresent),
            "summary": .array(summary.map { .string($0) }),
            "kernel": kernel.json,
            "iommus": .array(units.map(\.json)),
            "iommufd": iommufd.json,
            "vfio": [
                "container": iommufd.container.json,
                "cdevs": .array(iommufd.cdevs.map(\.json)),
            ],
            "iommuGroups": .array(groups.map(\.json)),
            "pciDevices": .array(devices.map(\.json)),
            "gpus": .array(gpus.map(\.json)),
            "warnings": .array(warnings.map { .string($0) }),
        ]
    }

    /// `probe --device BDF --json`: the device with its group, IOMMU unit and cdev.
    public func deviceJSON(_ device: DeviceReport) -> JSONValue {
        let group = device.sysfs?.iommuGroup.flatMap { id in groups.first { $0.group.id == id } }
        let unit = device.iommuUnit.flatMap { name in units.first { $0.unit.name == name } }
        return [
            "schema": .string(ProbeReport.schema),
            "device": device.json,
            "iommuGroup": group.map(\.json) ?? .null,
            "iommu": unit.map(\.json) ?? .null,
            "cdev": device.cdev.map(\.json) ?? .null,
            "gpu": gpus.first { $0.pciAddress == device.address }.map(\.json) ?? .null,
            "kernel": kernel.json,
        ]
    }
}

extension KernelInfo {
    public var json: JSONValue {
        [
            "release": release.map { .string($0) } ?? .null,
            "commandLine": commandLine.map { .string($0) } ?? .null,
            "switches": .array(switches.map { ["switch": .string($0.text), "meaning": .string($0.meaning)] }),
            "scalableMode": scalableMode.map { .bool($0) } ?? .null,
            "scalableModeSource": .string(scalableModeSource),
            "config": .object(config.sorted { $0.key < $1.key }.map { (key: $0.key, value: .string($0.value)) }),
        ]
    }
}

extension UnitReport {
    public var json: JSONValue {
        var vtdJSON: JSONValue = .null
        if let vtd = unit.vtd {
            vtdJSON = [
                "version": unit.vtdVersion.map { .string($0) } ?? .null,
                "address": unit.vtdAddress.map { .string(Text.hex($0, digits: 8)) } ?? .null,
                "raw": ["cap": .string(vtd.cap.decoded.rawHex), "ecap": .string(vtd.ecap.decoded.rawHex)],
                "cap": vtd.cap.json, "ecap": vtd.ecap.json, "derived": DerivedValue.json(vtd.derived),
            ]
        }
        var amdJSON: JSONValue = .null
        if let amd = unit.amd {
            amdJSON = [
                "capabilityHeader": unit.amdCapabilityHeader.map { .string(Text.hex($0, digits: 8)) } ?? .null,
                "raw": ["efr": .string(amd.efr.decoded.rawHex), "efr2": .string(amd.efr2.decoded.rawHex)],
                "efr": amd.efr.json, "efr2": amd.efr2.json, "derived": DerivedValue.json(amd.derived),
            ]
        }
        return [
            "name": .string(unit.name), "kind": .string(unit.kind.rawValue),
            "devices": .array(unit.devices.map { .string($0) }),
            "intelVTD": vtdJSON, "amd": amdJSON,
            "nesting": nesting?.json ?? .null,
            "problems": .array(unit.problems.map { .string($0) }),
        ]
    }
}

extension DevNode {
    fileprivate var jsonFields: [(key: String, value: JSONValue)] { json.objectValue ?? [] }
}

extension IOMMUFDReport {
    public var json: JSONValue {
        var memlockJSON: JSONValue = .null
        if let memlock {
            func limit(_ value: UInt64?) -> JSONValue { value.map { JSONValue($0) } ?? .string("unlimited") }
            memlockJSON = ["soft": limit(memlock.soft), "hard": limit(memlock.hard)]
        }
        return [
            "devIommu": iommu.json,
            "registered": .bool(registered),
            "available": .bool(available),
            "rlimitMode": rlimitMode.map { .string($0) } ?? .null,
            "rlimitModeNote": rlimitModeNote.map { .string($0) } ?? .null,
            "memlock": memlockJSON,
        ]
    }
}

extension VFIOContainerInfo {
    public var json: JSONValue {
        .object(node.jsonFields + [
            (key: "provider", value: .string(provider.rawValue)), (key: "evidence", value: .string(evidence)),
        ])
    }
}

extension VFIOCdevReport {
    public var json: JSONValue {
        [
            "name": .string(cdev.name), "device": .string(cdev.device),
            "node": node.json,
            "hwInfo": hwInfo.map(\.probeJSON) ?? .null,
            "hwInfoSource": hwInfoSource.map { .string($0) } ?? .null,
            "hwInfoNote": hwInfoNote.map { .string($0) } ?? .null,
        ]
    }
}

extension HWInfo {
    /// `{"type", "typeName", "data" (hex bytes), "capabilities", "maxPASIDLog2", "decoded"}`;
    /// `decoded` is the decoder's JSON (VT-d cap/ecap, SMMUv3 IDRs, AMD EFRs) or null.
    public var probeJSON: JSONValue {
        var decodedJSON: JSONValue = .null
        switch data {
        case .intelVTD(_, let cap, let ecap): decodedJSON = VTDRegisters(cap: cap, ecap: ecap).json()
        case .armSMMUv3(_, let idr, let iidr, let aidr): decodedJSON = SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr).json()
        case .amd(let efr, let efr2): decodedJSON = AMDFeatureRegisters(efr: efr, efr2: efr2).json
        default: break
        }
        return [
            "type": JSONValue(UInt64(type)), "typeName": .string(typeName),
            "data": .string(rawData.map { Text.hexDigits($0, 2) }.joined()),
            "capabilities": .string(Text.hex(capabilities.rawValue)),
            "maxPASIDLog2": JSONValue(Int(maxPASIDLog2)),
            "decoded": decodedJSON,
        ]
    }
}

extension GroupReport {
    public var json: JSONValue {
        [
            "id": JSONValue(group.id),
            "type": group.type.map { .string($0) } ?? .null,
            "members": .array(group.members.map { .string($0) }),
            "reservedRegions": .array(group.reservedRegions.map {
                ["start": .string(Text.hex($0.start, digits: 16)), "end": .string(Text.hex($0.end, digits: 16)),
                 "type": .string($0.type)]
            }),
            "isolation": [
                "singleDevice": .bool(isolation.singleDevice),
                "summary": .string(isolation.summary),
                "acsProblems": .array(isolation.acsProblems.map { ["address": .string($0.address), "problem": .string($0.problem)] }),
            ],
        ]
    }
}

extension DeviceReport {
    /// One `pciDevices` entry. The first ten keys are the ones the interface promises.
    public var json: JSONValue {
        let r = record
        return [
            "address": .string(address.description),
            "vendorID": r.map { .string(Text.hexDigits($0.vendorID, 4)) } ?? .null,
            "deviceID": r.map { .string(Text.hexDigits($0.deviceID, 4)) } ?? .null,
            "class": r.map { .string(Text.hexDigits($0.classCode, 4)) } ?? .null,
            "driver": sysfs?.driver.map { .string($0) } ?? .null,
            "iommuGroup": sysfs?.iommuGroup.map { JSONValue($0) } ?? .null,
            "pasid": r?.pasid?.json ?? .null,
            "ats": r?.ats?.json ?? .null,
            "pri": r?.pri?.json ?? .null,
            "acs": r?.acs?.json ?? .null,
            "vendorName": r?.vendorName.map { .string($0) } ?? .null,
            "deviceName": r?.deviceName.map { .string($0) } ?? .null,
            "className": r?.className.map { .string($0) } ?? .null,
            "sriov": r?.sriov?.json ?? .null,
            "pcie": r?.pcie?.json ?? .null,
            "extendedCapabilities": .array((r?.extendedCapabilities ?? []).map { .string($0.description) }),
            "iommu": iommuUnit.map { .string($0) } ?? .null,
            "vfioCdev": sysfs?.vfioCdevs.first.map { .string($0) } ?? .null,
            "upstream": .array((sysfs?.upstream ?? []).map { .string($0.description) }),
            "source": r.map { .string($0.source) } ?? .null,
            "verdicts": verdicts.json,
        ]
    }
}

extension GPUReport {
    public var json: JSONValue {
        [
            "device": .string(device), "busType": .string(busType),
            "nodes": .array(nodes.map { .string($0) }),
            "driver": driver.map { .string($0) } ?? .null,
            "source": .string(source),
            "pciAddress": pciAddress.map { .string($0.description) } ?? .null,
            "note": .string(note),
        ]
    }
}
