import Testing
import IOMMUFD
@testable import HostProbe

/// The `probe --json` keys are an interface (docs/probe.md): these tests pin them.
@Suite("probe --json keys")
struct JSONSchemaTests {
    static let topLevel = [
        "schema", "host", "iommuPresent", "summary", "kernel", "iommus", "iommufd", "vfio", "iommuGroups",
        "pciDevices", "gpus", "warnings",
    ]
    /// The keys the interface promises, first and in this order; more follow them.
    static let deviceKeys = [
        "address", "vendorID", "deviceID", "class", "driver", "iommuGroup", "pasid", "ats", "pri", "acs",
    ]
    static let extraDeviceKeys = [
        "vendorName", "deviceName", "className", "sriov", "pcie", "extendedCapabilities", "iommu", "vfioCdev",
        "upstream", "source", "verdicts",
    ]

    @Test("top level, per host", arguments: Fixtures.hostNames)
    func topLevelKeys(_ name: String) throws {
        let json = try Fixtures.probe(name).json
        #expect(json.keys == Self.topLevel)
        #expect(json["schema"] == "iommufd-harness/probe/1")
        #expect(json.at("host", "live") == false)
        #expect(json.at("iommufd")?.keys == ["devIommu", "registered", "available", "rlimitMode", "rlimitModeNote", "memlock"])
        #expect(json.at("vfio")?.keys == ["container", "cdevs"])
        #expect(json.at("kernel")?.keys == ["release", "commandLine", "switches", "scalableMode", "scalableModeSource", "config"])
        // The document survives a round trip through the parser unchanged.
        #expect(try JSONValue.parse(json.serialized(pretty: true)) == json)
        #expect(try JSONValue.parse(json.serialized(pretty: false)) == json)
    }

    @Test("pciDevices entries: promised keys first, capability objects with exactly their keys", arguments: Fixtures.hostNames)
    func deviceEntries(_ name: String) throws {
        let devices = try #require(try Fixtures.probe(name).json["pciDevices"]?.arrayValue)
        #expect(!devices.isEmpty)
        for entry in devices {
            #expect(entry.keys == Self.deviceKeys + Self.extraDeviceKeys)
            for key in ["vendorID", "deviceID", "class"] {
                let text = try #require(entry[key]?.stringValue)
                #expect(text.count == 4 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(key) = \(text)")
            }
            #expect(entry["address"]?.stringValue.flatMap(PCIAddress.init) != nil)
            if let pasid = entry["pasid"], !pasid.isNull {
                #expect(pasid.keys == ["offset", "maxWidth", "execute", "privileged", "enabled"])
                #expect(pasid["execute"]!.isBool && pasid["privileged"]!.isBool && pasid["enabled"]!.isBool)
            }
            if let ats = entry["ats"], !ats.isNull {
                #expect(ats.keys == ["offset", "invalidateQueueDepth", "pageAligned", "enabled", "smallestTranslationUnit"])
                #expect(ats["pageAligned"]!.isBool && ats["enabled"]!.isBool)
            }
            if let pri = entry["pri"], !pri.isNull {
                #expect(pri.keys == ["offset", "outstandingCapacity", "enabled"])
                #expect(pri["enabled"]!.isBool)
            }
            if let acs = entry["acs"], !acs.isNull {
                #expect(acs.keys == ["offset", "capability", "control"])
            }
            #expect(entry.at("verdicts")?.keys == ["bind", "nestParent", "pasid", "dirtyTracking", "notes"])
            #expect(entry.at("verdicts", "bind")?.keys == ["answer", "reasons"])
        }
    }

    @Test("capability values in JSON match the truth table (DSA and the root port)")
    func capabilityValues() throws {
        let spr = try Fixtures.probe("spr-server").json
        let dsa = try #require(spr["pciDevices"]?.arrayValue?.first { $0["address"] == "0000:6a:01.0" })
        #expect(dsa["vendorID"] == "8086" && dsa["deviceID"] == "0b25" && dsa["class"] == "0880")
        #expect(dsa["driver"] == "vfio-pci" && dsa["iommuGroup"] == 30)
        #expect(dsa.at("pasid") == ["offset": "0x230", "maxWidth": 20, "execute": false, "privileged": true, "enabled": true])
        #expect(dsa.at("ats") == ["offset": "0x220", "invalidateQueueDepth": 32, "pageAligned": true, "enabled": true,
                                  "smallestTranslationUnit": 0])
        #expect(dsa.at("pri") == ["offset": "0x240", "outstandingCapacity": 512, "enabled": false])
        #expect(dsa.at("acs") == .null)
        #expect(dsa.at("extendedCapabilities") == [
            "0001@100/v2", "0018@150/v1", "0017@160/v1", "0002@170/v1", "0023@200/v1", "000f@220/v1", "001b@230/v1",
            "0013@240/v1",
        ])

        let arm = try Fixtures.probe("arm-smmuv3").json
        let rootPort = try #require(arm["pciDevices"]?.arrayValue?.first { $0["address"] == "0000:00:02.0" })
        #expect(rootPort.at("acs") == ["offset": "0x110", "capability": "0x001f", "control": "0x001f"])
        #expect(rootPort.at("pasid") == .null && rootPort.at("ats") == .null && rootPort.at("pri") == .null)
        #expect(rootPort.at("pcie", "portType") == "Root Port")
    }

    @Test("--device JSON holds the device with its group, IOMMU and cdev")
    func deviceDocument() throws {
        let report = try Fixtures.probe("qemu-vtd")
        let address = try #require(PCIAddress("03:00.0"))
        let device = try #require(report.device(address))
        let json = report.deviceJSON(device)
        #expect(json.keys == ["schema", "device", "iommuGroup", "iommu", "cdev", "gpu", "kernel"])
        #expect(json.at("device", "address") == "0000:03:00.0")
        #expect(json.at("iommuGroup", "id") == 3)
        #expect(json.at("iommu", "name") == "dmar0")
        #expect(json.at("cdev", "hwInfo", "typeName") == "INTEL_VTD")
        #expect(json.at("cdev", "hwInfo", "decoded", "ecap", "NEST") == 0)
        #expect(json.at("cdev", "hwInfo", "decoded", "ecap", "SMTS") == 1)
    }
}
