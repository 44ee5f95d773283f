import Testing
import IOMMUFD
@testable import HostProbe

/// Whole-host probes of the synthetic trees in Fixtures/hosts (see Fixtures/make-hosts).
@Suite("Fixture hosts")
struct HostFixtureTests {
    func device(_ report: ProbeReport, _ address: String) throws -> DeviceReport {
        let parsed = try #require(PCIAddress(address))
        return try #require(report.device(parsed), "no device \(address)")
    }

    @Test("Sapphire Rapids VT-d server: DSA on vfio-pci is ready for nesting; no PASID (ecap.PASID=0)")
    func sprServer() throws {
        let report = try Fixtures.probe("spr-server")
        #expect(report.iommuPresent)
        #expect(report.units.map(\.unit.name) == ["dmar0", "dmar3"])
        #expect(report.units.allSatisfy { $0.unit.kind == .intelVTD } == true)
        // vtd.json V02, field by field where it matters here.
        let json = report.json
        #expect(json.at("iommus", "0", "intelVTD", "cap", "MGAW") == 56)
        #expect(json.at("iommus", "0", "intelVTD", "cap", "SAGAW") == 12)
        #expect(json.at("iommus", "0", "intelVTD", "ecap", "NEST") == 1)
        #expect(json.at("iommus", "0", "intelVTD", "ecap", "PASID") == 0)
        #expect(json.at("iommus", "0", "intelVTD", "ecap", "PSS") == 19)
        #expect(json.at("iommus", "0", "intelVTD", "raw", "cap") == "0x19ed008c40780c66")
        #expect(json.at("iommus", "0", "intelVTD", "address") == "0xc8ffe000")
        #expect(report.kernel.scalableMode == true)
        #expect(report.kernel.switches.map(\.text) == ["intel_iommu=on,sm_on", "iommu.strict=1"])

        let dsa = try device(report, "0000:6a:01.0")
        #expect(dsa.sysfs?.driver == "vfio-pci")
        #expect(dsa.iommuUnit == "dmar3")
        #expect(dsa.verdicts.bind.answer == true)
        #expect(dsa.verdicts.nestParent.answer == true)
        #expect(dsa.verdicts.dirtyTracking.answer == true)
        #expect(dsa.verdicts.pasid.answer == false)
        #expect(dsa.verdicts.pasid.reasons.contains("VT-d ecap.PASID=0: dmar3 has no PASID support"))
        #expect(dsa.verdicts.notes.contains { $0.hasPrefix("PASID, ATS and PRI") })

        let gpu = try device(report, "0000:00:02.0")
        #expect(gpu.verdicts.bind.answer == false)
        #expect(gpu.verdicts.bind.reasons.contains { $0.hasPrefix("bound to i915, not vfio-pci") })
        #expect(report.gpus.count == 1)
        #expect(report.gpus.first?.nodes == ["/dev/dri/card0", "/dev/dri/renderD128"])
        #expect(report.gpus.first?.driver == "i915")
        #expect(report.gpus.first?.note == "PASID+ATS+PRI: the usual SVA/nesting test subject")

        #expect(report.iommufd.available)
        #expect(report.iommufd.iommu.mode == "0660" && report.iommufd.iommu.group == "kvm")
        #expect(report.iommufd.container.provider == .vfio)
        #expect(report.iommufd.cdevs.map(\.cdev.device) == ["0000:6a:01.0"])
        #expect(report.groups.allSatisfy { $0.isolation.singleDevice })
        let group0 = try #require(report.groups.first { $0.group.id == 0 })
        #expect(group0.group.reservedRegions.map(\.type) == ["direct", "msi"])
        #expect(group0.group.reservedRegions.first?.start == 0x7b80_0000)
        #expect(report.summary.contains("Ready for nesting: 0000:6a:01.0."))
    }

    @Test("SMMUv3 Arm server: hw_info from the capture decides nest parent and dirty tracking")
    func armServer() throws {
        let report = try Fixtures.probe("arm-smmuv3")
        let unit = try #require(report.units.first)
        #expect(unit.unit.kind == .armSMMUv3)
        #expect(unit.nesting == nil)
        #expect(unit.unit.devices == ["0000:00:02.0", "0000:03:00.0"])

        let cdev = try #require(report.iommufd.cdevs.first)
        #expect(cdev.hwInfoSource == "capture")
        let info = try #require(cdev.hwInfo)
        #expect(info.typeName == "ARM_SMMUV3")
        guard case .armSMMUv3(_, let idr, _, let aidr) = info.data else {
            Issue.record("not SMMUv3 data")
            return
        }
        #expect(idr[0] == 0x0d44_101b && idr[1] == 0x0273_0010 && idr[3] == 0x1414 && idr[5] == 0x74 && aidr == 1)

        let nic = try device(report, "0000:03:00.0")
        #expect(nic.verdicts.bind.answer == true)
        #expect(nic.verdicts.nestParent.answer == true)
        #expect(nic.verdicts.nestParent.reasons.first == "SMMUv3 allows a nest parent (from IOMMU_GET_HW_INFO)")
        #expect(nic.verdicts.nestParent.reasons.contains { $0.hasPrefix("but a nested HWPT needs a vIOMMU: SMMUv3 IDR3.FWB=0") })
        #expect(nic.verdicts.dirtyTracking.answer == false)
        #expect(nic.verdicts.dirtyTracking.reasons.contains { $0.contains("IDR0.HTTU=0") })

        let rootPort = try device(report, "0000:00:02.0")
        #expect(rootPort.verdicts.nestParent.answer == nil)
        #expect(rootPort.verdicts.nestParent.reasons.first?.hasPrefix("SMMUv3 ID registers are not in sysfs") == true)

        #expect(report.iommufd.container.provider == .iommufd)
        #expect(report.iommufd.container.evidence.contains("IOMMUFD is providing /dev/vfio/vfio"))
        #expect(report.json.at("vfio", "cdevs", "0", "hwInfo", "decoded", "idr0", "S2P") == 1)
    }

    @Test("AMD host: EFR decoded, GCR3TRPMode and HDSup missing, no iommufd, identity domains")
    func amdHost() throws {
        let report = try Fixtures.probe("amd-host")
        let unit = try #require(report.units.first)
        #expect(unit.unit.kind == .amd)
        #expect(unit.unit.amd?.efr.rawValue == 0x2465_77ef_a225_4afa)
        #expect(unit.unit.amdCapabilityHeader == 0x40)
        let nesting = try #require(unit.nesting)
        #expect(!nesting.canAllocateNestParent && !nesting.canTrackDirty)
        #expect(nesting.reasons.contains { $0.hasPrefix("AMD EFR2.GCR3TRPMode=0") })
        #expect(report.json.at("iommus", "0", "amd", "efr", "GTSup") == 1)

        let nic = try device(report, "0000:03:00.0")
        #expect(nic.verdicts.bind.answer == false)
        #expect(nic.verdicts.bind.reasons.contains { $0.hasPrefix("/dev/iommu is missing") })
        #expect(nic.verdicts.bind.reasons.contains { $0.hasPrefix("bound to mlx4_core") })
        #expect(nic.verdicts.nestParent.reasons.contains { $0.hasPrefix("AMD EFR2.GCR3TRPMode=0") })
        #expect(nic.sysfs?.upstream.map(\.description) == ["0000:00:03.1"])
        #expect(report.groups.map(\.group.type) == ["identity", "identity"])
        #expect(report.kernel.switches.contains { $0.key == "iommu" && $0.meaning.hasPrefix("identity default domains") })
        #expect(!report.iommufd.available)
        #expect(report.iommufd.container.provider == .vfio)
    }

    @Test("Laptop: legacy mode by config, ecap.NEST=0 on the GPU unit, a four-device PCH group")
    func laptop() throws {
        let report = try Fixtures.probe("laptop")
        #expect(report.kernel.scalableMode == false)
        #expect(report.kernel.scalableModeSource.hasPrefix("CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON=n"))
        let gpuUnit = try #require(report.units.first { $0.unit.name == "dmar0" }?.nesting)
        #expect(gpuUnit.reasons.contains("VT-d ecap.NEST=0: this IOMMU cannot nest"))

        let group = try #require(report.groups.first { $0.group.id == 8 })
        #expect(group.group.members == ["0000:00:1c.0", "0000:00:1c.4", "0000:02:00.0", "0000:03:00.0"])
        #expect(!group.isolation.singleDevice)
        #expect(group.isolation.summary.contains("cannot be split between owners"))
        #expect(group.isolation.acsProblems.allSatisfy { $0.problem.hasPrefix("ACS unknown") })
        #expect(group.isolation.acsProblems.count == 4)

        let gpu = try device(report, "0000:00:02.0")
        #expect(gpu.verdicts.nestParent.answer == false)
        #expect(gpu.verdicts.bind.reasons.first?.hasPrefix("/dev/iommu is missing") == true)
        #expect(report.gpus.first?.nodes == ["/dev/dri/card1", "/dev/dri/renderD128"])
        #expect(report.summary.contains { $0.hasPrefix("No device can nest: VT-d ecap.SMTS=0") })
    }

    @Test("QEMU intel-iommu, scalable mode (Q2): bindable, but ecap.NEST=0 refuses a nest parent")
    func qemuScalable() throws {
        let report = try Fixtures.probe("qemu-vtd")
        let nic = try device(report, "0000:03:00.0")
        #expect(nic.cdev?.hwInfo?.typeName == "INTEL_VTD")
        #expect(nic.verdicts.bind.answer == true)
        #expect(nic.verdicts.nestParent.answer == false)
        #expect(nic.verdicts.nestParent.reasons == ["VT-d ecap.NEST=0: this IOMMU cannot nest"])
        #expect(nic.verdicts.dirtyTracking.answer == false)
        #expect(report.units.first?.unit.vtd?.ecap.rawValue == 0x4800_80f0_0f4a)
        #expect(report.iommufd.container.provider == .iommufd)
        #expect(report.iommufd.container.evidence == "CONFIG_IOMMUFD_VFIO_CONTAINER=y")
        #expect(nic.sysfs?.upstream.map(\.description) == ["0000:00:02.0"])
    }

    @Test("QEMU intel-iommu, legacy mode (Q1): no scalable mode at all")
    func qemuLegacy() throws {
        let report = try Fixtures.probe("qemu-vtd-legacy")
        let nic = try device(report, "0000:03:00.0")
        #expect(nic.cdev?.hwInfo == nil)
        #expect(nic.cdev?.hwInfoNote == "not recorded in this capture")
        #expect(nic.verdicts.nestParent.answer == false)
        #expect(nic.verdicts.nestParent.reasons.first?.hasPrefix("VT-d ecap.SMTS=0") == true)
        #expect(report.kernel.scalableMode == false)
    }

    @Test("No IOMMU: said plainly, pointing to the model and the VM lane")
    func noIOMMU() throws {
        let report = try Fixtures.probe("no-iommu")
        #expect(!report.iommuPresent)
        #expect(report.summary.first?.hasPrefix("No IOMMU on this host") == true)
        #expect(report.summary.contains { $0.contains("iommufd-harness run --backend model") && $0.contains("scripts/vm/run-x86_64") })
        let nic = try device(report, "0000:03:00.0")
        #expect(nic.verdicts.bind.answer == false)
        #expect(nic.verdicts.bind.reasons == ["not behind an IOMMU: 0000:03:00.0 has no IOMMU group"])
        #expect(report.json.at("iommuPresent") == false)
        #expect(report.render().contains("No IOMMU on this host"))
    }

    @Test("every host renders within 100 columns", arguments: Fixtures.hostNames)
    func width(_ name: String) throws {
        let report = try Fixtures.probe(name)
        var texts = [report.render()]
        texts += report.devices.map { report.render(device: $0) }
        for text in texts {
            for line in text.split(separator: "\n") {
                #expect(line.count <= 100, "\(name): \(line.count) columns: \(line)")
            }
        }
    }

    @Test("--pci-dump given explicitly replaces the capture's dumps", arguments: ["qemu-vtd"])
    func explicitDump(_ name: String) throws {
        var options = ProbeOptions(sysfsRoot: Fixtures.host(name))
        options.pciDumps = [Fixtures.dump("13_mellanox_15b3-1007_cx3pro-negative.lspci")]
        let report = try HostProbe.run(options)
        #expect(report.devices.map(\.address.description) == ["0000:03:00.0"])
        #expect(report.pciSources == options.pciDumps)
    }

    @Test("a dump device that differs from sysfs at the same address is not joined")
    func mismatchedJoin() throws {
        var options = ProbeOptions(sysfsRoot: Fixtures.host("qemu-vtd"))
        // The SKL GPU dump is 00:02.0, where this host's sysfs has the 8086:2f04 root port.
        options.pciDumps = [Fixtures.dump("02_intel_8086-191e_skl-gt2-igpu.lspci")]
        let report = try HostProbe.run(options)
        let gpu = try device(report, "0000:00:02.0")
        #expect(gpu.sysfs == nil)
        #expect(gpu.verdicts.bind.answer == nil)
        #expect(report.warnings.contains { $0.contains("sysfs facts not joined") })
    }
}
