import Testing
import IOMMUFD
@testable import HostProbe

/// The verdict rules and the small parsers, on synthetic inputs.
@Suite("Verdicts and parsers")
struct VerdictTests {
    static let nic = PCIAddress(domain: 0, bus: 3, device: 0, function: 0)
    static let sibling = PCIAddress(domain: 0, bus: 3, device: 0, function: 1)
    static let rootPort = PCIAddress(domain: 0, bus: 0, device: 0x1c, function: 0)

    func sysfs(_ address: PCIAddress, driver: String?, group: Int?, upstream: [PCIAddress] = [], cdev: Bool = false) -> SysfsPCIDevice {
        SysfsPCIDevice(address: address, driver: driver, iommuGroup: group, iommu: "dmar0", upstream: upstream,
                       vfioCdevs: cdev ? ["vfio0"] : [], vendorID: nil, deviceID: nil, classCode: nil)
    }

    func context(devices: [SysfsPCIDevice], records: [PCIRecord] = [], iommufd: Bool = true,
                 unit: UnitReport? = nil) -> VerdictContext {
        var groups: [Int: IOMMUGroupInfo] = [:]
        for device in devices {
            guard let id = device.iommuGroup else { continue }
            groups[id, default: IOMMUGroupInfo(id: id, type: "DMA", members: [], reservedRegions: [])].members
                .append(device.address.description)
        }
        let node = DevNode(path: "/dev/iommu", present: iommufd, number: nil, mode: nil, owner: nil, group: nil,
                           openable: nil, openError: nil)
        let report = IOMMUFDReport(
            iommu: node, registered: iommufd, rlimitMode: nil, rlimitModeNote: nil, memlock: nil,
            container: VFIOContainerInfo(node: .missing("/dev/vfio/vfio"), provider: .absent, evidence: ""), cdevs: [])
        return VerdictContext(
            units: unit.map { [$0.unit.name: $0] } ?? [:], groups: groups,
            sysfs: Dictionary(uniqueKeysWithValues: devices.map { ($0.address, $0) }),
            records: Dictionary(uniqueKeysWithValues: records.map { ($0.address, $0) }),
            iommufd: report, scalableMode: true, isLive: false)
    }

    func record(_ address: PCIAddress, portType: Int, headerType: UInt8 = 0, acs: ACSCapability? = nil,
                pasid: PASIDCapability? = nil) -> PCIRecord {
        PCIRecord(
            address: address, vendorID: 0x15b3, deviceID: 0x1017, classCode: 0x0200, progIf: 0, revision: 0,
            headerType: headerType, vendorName: nil, deviceName: nil, className: nil,
            pcie: PCIeInfo(offset: 0x40, portType: portType, linkCapabilities: 0, linkStatus: 0),
            extendedCapabilities: [], pasid: pasid, ats: nil, pri: nil, acs: acs, sriov: nil, source: "test")
    }

    @Test("a group member owned by a kernel driver makes the bind fail with EPERM, named")
    func bindBlockedBySibling() {
        let ctx = context(devices: [
            sysfs(Self.nic, driver: "vfio-pci", group: 12, cdev: true), sysfs(Self.sibling, driver: "mlx5_core", group: 12),
        ])
        let verdict = Verdicts.bind(Self.nic, sysfs: ctx.sysfs[Self.nic], cdev: nil, context: ctx)
        #expect(verdict.answer == false)
        #expect(verdict.reasons.contains {
            $0.hasPrefix("group 12 also holds 0000:03:00.1 (bound to mlx5_core): VFIO_DEVICE_BIND_IOMMUFD fails with EPERM")
        })
    }

    @Test("siblings on vfio-pci, pci-stub or pcieport do not block, but the shared group is said")
    func bindWithHarmlessSiblings() {
        for driver in ["vfio-pci", "pci-stub", "pcieport", "mlx5_vfio_pci"] {
            let ctx = context(devices: [
                sysfs(Self.nic, driver: "vfio-pci", group: 12, cdev: true), sysfs(Self.sibling, driver: driver, group: 12),
            ])
            let verdict = Verdicts.bind(Self.nic, sysfs: ctx.sysfs[Self.nic], cdev: nil, context: ctx)
            #expect(verdict.answer == true, "\(driver)")
            #expect(verdict.reasons.first == "bound to vfio-pci with VFIO cdev vfio0")
            #expect(verdict.reasons.contains { $0.hasPrefix("group 12 also holds 0000:03:00.1: the group is the unit of isolation") })
        }
    }

    @Test("vfio-pci without a cdev, no group, no iommufd: each says why")
    func bindRefusals() {
        var ctx = context(devices: [sysfs(Self.nic, driver: "vfio-pci", group: 12)])
        #expect(Verdicts.bind(Self.nic, sysfs: ctx.sysfs[Self.nic], cdev: nil, context: ctx).reasons
            == ["bound to vfio-pci but without a VFIO cdev: the kernel lacks CONFIG_VFIO_DEVICE_CDEV"])
        ctx = context(devices: [sysfs(Self.nic, driver: nil, group: nil)])
        #expect(Verdicts.bind(Self.nic, sysfs: ctx.sysfs[Self.nic], cdev: nil, context: ctx).reasons
            == ["not behind an IOMMU: 0000:03:00.0 has no IOMMU group"])
        ctx = context(devices: [sysfs(Self.nic, driver: "vfio-pci", group: 3, cdev: true)], iommufd: false)
        let verdict = Verdicts.bind(Self.nic, sysfs: ctx.sysfs[Self.nic], cdev: nil, context: ctx)
        #expect(verdict.answer == false)
        #expect(verdict.reasons.first?.hasPrefix("/dev/iommu is missing") == true)
    }

    @Test("PASID needs ACS RR and UF on the root port above the device")
    func pasidPathACS() {
        let pasid = PASIDCapability(offset: 0x200, capability: 0x1400, control: 0)
        let unit = UnitReport(
            unit: IOMMUUnit(name: "dmar0", kind: .intelVTD, devices: [], vtd: VTDRegisters(cap: 0x81d2008c222f0686, ecap: 0x8d9a20f00f4e),
                            problems: []),
            nesting: nil)
        // Root port with ACS but only SV enabled.
        let weakPort = record(Self.rootPort, portType: 4, headerType: 1, acs: ACSCapability(offset: 0x110, capability: 0x1f, control: 0x01))
        let device = record(Self.nic, portType: 0, pasid: pasid)
        let ctx = context(devices: [sysfs(Self.nic, driver: "vfio-pci", group: 3, upstream: [Self.rootPort], cdev: true),
                                    sysfs(Self.rootPort, driver: "pcieport", group: 2)],
                          records: [device, weakPort], unit: unit)
        let verdict = Verdicts.pasid(Self.nic, record: device, unit: unit, cdev: nil, context: ctx)
        #expect(verdict.answer == false)
        #expect(verdict.reasons.contains(
            "pci_enable_pasid needs ACS RR and UF on the path to the root: 0000:00:1c.0 does not enable ACS RR/UF"))

        // The same port with RR and UF enabled (vtd.json Q6: ecap.PASID=1, PSS=19, scalable mode).
        let goodPort = record(Self.rootPort, portType: 4, headerType: 1, acs: ACSCapability(offset: 0x110, capability: 0x1f, control: 0x1f))
        let ctx2 = context(devices: [sysfs(Self.nic, driver: "vfio-pci", group: 3, upstream: [Self.rootPort], cdev: true),
                                     sysfs(Self.rootPort, driver: "pcieport", group: 2)],
                           records: [device, goodPort], unit: unit)
        let good = Verdicts.pasid(Self.nic, record: device, unit: unit, cdev: nil, context: ctx2)
        #expect(good.answer == true)
        #expect(good.reasons.contains("dmar0 takes 20-bit PASIDs"))
    }

    @Test("ACS rules follow pci_acs_enabled: ports need it, single-function endpoints do not")
    func acsRules() {
        let flags = ACSCapability.isolationFlags
        #expect(Verdicts.acsProblem(record(Self.rootPort, portType: 4, headerType: 1), flags: flags) == "has no ACS capability")
        #expect(Verdicts.acsProblem(record(Self.nic, portType: 0), flags: flags) == nil)
        #expect(Verdicts.acsProblem(record(Self.nic, portType: 9), flags: flags) == nil)
        #expect(Verdicts.acsProblem(record(Self.nic, portType: 0, headerType: 0x80), flags: flags)
            == "is multifunction and has no ACS capability")
        #expect(Verdicts.acsProblem(record(Self.rootPort, portType: 7, headerType: 1), flags: flags)
            == "is a PCIe-to-PCI Bridge (no ACS by definition)")
        // Flags the port does not implement are not required (cap 0x05: SV and RR only).
        let partial = record(Self.rootPort, portType: 6, headerType: 1, acs: ACSCapability(offset: 0x100, capability: 0x05, control: 0x05))
        #expect(Verdicts.acsProblem(partial, flags: flags) == nil)
        #expect(ACSCapability(offset: 0, capability: 0x1f, control: 0x1f).isolationEnabled)
        #expect(!ACSCapability(offset: 0, capability: 0x1f, control: 0x0f).isolationEnabled)
    }

    @Test("kernel switches: IOMMU ones kept with meanings, sm_on/sm_off decide scalable mode, -- ends")
    func switches() {
        let parsed = KernelSwitches.parse(
            "BOOT_IMAGE=/vmlinuz root=/dev/sda quiet intel_iommu=on,sm_on iommu=pt pci=noats,realloc intel_iommu=sm_off -- iommu=off")
        #expect(parsed.map(\.text) == ["intel_iommu=on,sm_on", "iommu=pt", "pci=noats,realloc", "intel_iommu=sm_off"])
        #expect(KernelSwitches.scalableMode(parsed) == false)
        #expect(parsed[2].meaning.hasPrefix("ATS off for every device"))
        #expect(KernelSwitches.scalableMode(KernelSwitches.parse("intel_iommu=on")) == nil)
        #expect(KernelSwitches.parse("pci=realloc").isEmpty)
    }

    @Test("amd-iommu/features: EFR:EFR2 since 6.7, EFR2:EFR before, EFR alone on old kernels")
    func amdFeatures() throws {
        let new = try SysfsReader.parseAMDFeatures("246577efa2254afa:8", kernelRelease: "6.8.0-45-generic").get()
        #expect(new.0.efr.rawValue == 0x2465_77ef_a225_4afa && new.0.efr2.rawValue == 8 && new.1 == nil)
        let old = try SysfsReader.parseAMDFeatures("8:246577efa2254afa", kernelRelease: "6.1.0-18-amd64").get()
        #expect(old.0.efr.rawValue == 0x2465_77ef_a225_4afa && old.0.efr2.rawValue == 8)
        let single = try SysfsReader.parseAMDFeatures("246577efa2254afa", kernelRelease: "5.15.0").get()
        #expect(single.0.efr2.rawValue == 0 && single.1 != nil)
        #expect((try? SysfsReader.parseAMDFeatures("zz", kernelRelease: nil).get()) == nil)
    }

    @Test("reserved regions, RLIMIT_MEMLOCK, dev nodes and kernel config parse")
    func parsers() {
        let regions = SysfsReader.parseReservedRegions(
            "0x00000000fee00000 0x00000000feefffff msi\n0x0000000008000000 0x00000000080fffff reserved\n")
        #expect(regions == [ReservedRegion(start: 0xfee0_0000, end: 0xfeef_ffff, type: "msi"),
                            ReservedRegion(start: 0x800_0000, end: 0x80f_ffff, type: "reserved")])
        let limits = SysfsReader.parseMemlock("Limit Soft Hard Units\nMax locked memory         unlimited            65536                bytes\n")
        #expect(limits?.soft == nil && limits?.hard == 65536)
        let nodes = DevNodes.captured("/dev/iommu|character special file|a:7b|660|root|kvm\nbad line\n")
        #expect(nodes["/dev/iommu"]?.number == "10:123" && nodes["/dev/iommu"]?.mode == "0660")
        #expect(nodes.count == 1)
        let config = SysfsReader.parseKernelConfig("CONFIG_IOMMUFD=m\n# CONFIG_VFIO_CONTAINER is not set\nCONFIG_FOO=y\n")
        #expect(config == ["CONFIG_IOMMUFD": "m", "CONFIG_VFIO_CONTAINER": "n"])
    }

    @Test("PCI addresses parse with and without a domain, and print as sysfs names them")
    func addresses() {
        #expect(PCIAddress("6a:01.0")?.description == "0000:6a:01.0")
        #expect(PCIAddress("0001:00:1f.7")?.description == "0001:00:1f.7")
        #expect(PCIAddress("00:20.0") == nil)
        #expect(PCIAddress("00:02.8") == nil)
        #expect(PCIAddress("pci0000:00") == nil)
        #expect(PCIScanner.isBareAddress("00:02.0  "))
        #expect(!PCIScanner.isBareAddress("00:02.0 VGA"))
        #expect(!PCIScanner.isBareAddress("00: 86 80"))
    }

    @Test("captured hw_info: bytes come back as HWInfo, decoded by type")
    func capturedHWInfo() throws {
        let provider = try CapturedHWInfoProvider(probeJSON: """
            {"vfio": {"cdevs": [{"device": "0000:03:00.0", "hwInfo": {"type": 1, "data": "0000000000000000860226228c00d2004a0ff08000480000",
             "capabilities": "0x1", "maxPASIDLog2": 20}}]}}
            """)
        let cdev = SysfsVFIOCdev(name: "vfio0", device: "0000:03:00.0", devNumber: nil)
        guard case .success(let info)? = provider.hwInfo(cdev: cdev, nodePath: "/dev/vfio/devices/vfio0") else {
            Issue.record("no hw_info")
            return
        }
        #expect(info.data == .intelVTD(flags: 0, cap: 0x00d2008c22260286, ecap: 0x480080f00f4a))
        #expect(info.capabilities.contains(.dirtyTracking) && info.maxPASIDLog2 == 20)
        // And back: the JSON probe writes reads in again.
        let document: JSONValue = ["vfio": ["cdevs": [["device": "0000:03:00.0", "hwInfo": info.probeJSON]]]]
        let again = try CapturedHWInfoProvider(probeJSON: document.serialized(pretty: false))
        #expect(again.entries["0000:03:00.0"] == info)
    }
}
