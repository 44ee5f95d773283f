import IOMMUFD

/// What the verdicts look at: the whole host, read-only.
struct VerdictContext {
    var units: [String: UnitReport]
    var groups: [Int: IOMMUGroupInfo]
    var sysfs: [PCIAddress: SysfsPCIDevice]
    var records: [PCIAddress: PCIRecord]
    var iommufd: IOMMUFDReport
    var scalableMode: Bool?
    var isLive: Bool

    /// The unit a device sits behind: its `iommu` link, else the unit listing it.
    func unitName(for address: PCIAddress) -> String? {
        if let name = sysfs[address]?.iommu { return name }
        let text = address.description
        return units.values.first { $0.unit.devices.contains(text) }?.unit.name
    }

    func driver(of member: String) -> String? {
        PCIAddress(member).flatMap { sysfs[$0]?.driver }
    }
}

/// Drivers that leave DMA ownership of their device to someone else (`driver_managed_dma`):
/// a group member bound to one of these does not stop another member's bind.
enum DMAOwnership {
    static func managesOwnDMA(_ driver: String?) -> Bool {
        guard let driver else { return false }  // unbound: no owner
        return !(isVFIO(driver) || driver == "pci-stub" || driver == "pcieport")
    }

    /// vfio-pci and the vendor variant drivers built on vfio-pci-core.
    static func isVFIO(_ driver: String) -> Bool {
        driver.hasPrefix("vfio") || driver.hasSuffix("_vfio_pci") || driver.hasSuffix("-vfio-pci")
    }
}

enum Verdicts {
    /// Linux's `REQ_ACS_FLAGS` and the subset `pci_enable_pasid` needs on the path.
    static let pasidPathFlags: UInt16 = 0x4 | 0x10  // RR | UF

    // MARK: Devices

    static func device(_ address: PCIAddress, record: PCIRecord?, cdev: VFIOCdevReport?, context: VerdictContext) -> DeviceVerdicts {
        let sysfs = context.sysfs[address]
        let unitName = context.unitName(for: address)
        let unit = unitName.flatMap { context.units[$0] }
        let hwNesting = cdev?.hwInfo.flatMap { nesting(from: $0, scalableMode: context.scalableMode) }
        let unitNesting = unit?.nesting

        var notes: [String] = []
        if let record, record.pasid != nil, record.ats != nil, record.pri != nil {
            notes.append(
                "PASID, ATS and PRI: a candidate for SVA (shared virtual addressing) and nested-translation tests")
        } else if let record, record.isGPU {
            let missing = [("PASID", record.pasid != nil), ("ATS", record.ats != nil), ("PRI", record.pri != nil)]
                .filter { !$0.1 }.map(\.0)
            if !missing.isEmpty {
                notes.append("a GPU without \(Text.list(missing)): not an SVA test subject")
            }
        }
        if let ats = record?.ats {
            notes.append(
                "ATS\(ats.enabled ? " enabled" : ""): the IOMMU must invalidate its device TLB "
                    + "(queue depth \(ats.invalidateQueueDepth))")
        }
        if let sriov = record?.sriov {
            notes.append("SR-IOV: \(sriov.numVFs) of \(sriov.totalVFs) VFs enabled")
        }
        if let info = cdev?.hwInfo, info.capabilities.contains(.pciATSNotSupported) {
            notes.append("the kernel reports IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED for this device")
        }

        return DeviceVerdicts(
            bind: bind(address, sysfs: sysfs, cdev: cdev, context: context),
            nestParent: nestParent(unitName: unitName, unit: unit, hwNesting: hwNesting, unitNesting: unitNesting, sysfs: sysfs, cdev: cdev),
            pasid: pasid(address, record: record, unit: unit, cdev: cdev, context: context),
            dirtyTracking: dirty(unitName: unitName, unit: unit, hwNesting: hwNesting, unitNesting: unitNesting, sysfs: sysfs, cdev: cdev),
            notes: notes)
    }

    static func bind(_ address: PCIAddress, sysfs: SysfsPCIDevice?, cdev: VFIOCdevReport?, context: VerdictContext) -> Verdict {
        guard let sysfs else {
            return Verdict(nil, ["no sysfs entry for \(address) (a dump without its sysfs tree): driver and group unknown"])
        }
        guard let groupID = sysfs.iommuGroup else {
            return Verdict(false, ["not behind an IOMMU: \(address) has no IOMMU group"])
        }
        var reasons: [String] = []
        var answer: Bool? = true
        if !context.iommufd.available {
            answer = false
            reasons.append(
                "/dev/iommu is missing: the kernel has no iommufd (CONFIG_IOMMUFD) or the module is not loaded")
        } else if context.iommufd.iommu.openable == false {
            answer = false
            reasons.append("/dev/iommu cannot be opened: \(context.iommufd.iommu.openError ?? "error")")
        }
        let driver = sysfs.driver
        if sysfs.vfioCdevs.isEmpty {
            answer = false
            if let driver, DMAOwnership.isVFIO(driver) {
                reasons.append(
                    "bound to \(driver) but without a VFIO cdev: the kernel lacks CONFIG_VFIO_DEVICE_CDEV")
            } else {
                reasons.append(
                    "\(driver.map { "bound to \($0)" } ?? "bound to no driver"), not vfio-pci: bind it to vfio-pci "
                        + "first (probe never changes driver bindings)")
            }
        } else if let node = cdev?.node, node.openable == false {
            answer = false
            reasons.append("\(node.path) cannot be opened: \(node.openError ?? "error")")
        }
        let others = (context.groups[groupID]?.members ?? []).filter { $0 != address.description }
        let owners = others.filter { DMAOwnership.managesOwnDMA(context.driver(of: $0)) }
        if !owners.isEmpty {
            answer = false
            let list = owners.map { "\($0) (bound to \(context.driver(of: $0) ?? "?"))" }
            reasons.append(
                "group \(groupID) also holds \(Text.list(list)): VFIO_DEVICE_BIND_IOMMUFD fails with EPERM "
                    + "until every device in the group is bound to vfio-pci or unbound")
        } else if !others.isEmpty {
            reasons.append(
                "group \(groupID) also holds \(Text.list(others)): the group is the unit of isolation, so "
                    + "whoever owns this device owns DMA for all of them")
        }
        if let cdev, cdev.hwInfoSource == "kernel" {
            if cdev.hwInfo != nil {
                reasons.insert("bound to iommufd just now and asked IOMMU_GET_HW_INFO (then released)", at: 0)
                answer = true
            } else if let note = cdev.hwInfoNote {
                answer = false
                reasons.append("binding failed just now: \(note)")
            }
        }
        if answer == true && !reasons.contains(where: { $0.hasPrefix("bound to iommufd") }) {
            reasons.insert("bound to \(driver ?? "vfio-pci") with VFIO cdev \(sysfs.vfioCdevs.joined(separator: ", "))", at: 0)
        }
        return Verdict(answer, reasons)
    }

    static func nestParent(unitName: String?, unit: UnitReport?, hwNesting: NestingVerdict?, unitNesting: NestingVerdict?,
                           sysfs: SysfsPCIDevice?, cdev: VFIOCdevReport?) -> Verdict {
        if let verdict = hwNesting ?? unitNesting {
            let source = hwNesting != nil ? "from IOMMU_GET_HW_INFO" : "from \(unitName ?? "the IOMMU")'s registers in sysfs"
            let reasons = verdict.reasons.filter { !$0.contains("dirty") || $0.contains("nest") }
            if verdict.canAllocateNestParent {
                var reasons = ["\(verdictVendorName(verdict)) allows a nest parent (\(source))"]
                if !verdict.canAllocateNestedHWPT {
                    // SMMUv3/AMD: the nested HWPT hangs off a vIOMMU, which can still be refused.
                    reasons += verdict.reasons.filter { $0.contains("vIOMMU") }.map { "but a nested HWPT needs a vIOMMU: \($0)" }
                }
                return Verdict(true, reasons + verdict.notes.filter { $0.contains("assumes") })
            }
            return Verdict(false, reasons.isEmpty ? ["\(verdictVendorName(verdict)) refuses a nest parent (\(source))"] : reasons)
        }
        return unknownIOMMU(unitName: unitName, unit: unit, sysfs: sysfs, cdev: cdev)
    }

    static func dirty(unitName: String?, unit: UnitReport?, hwNesting: NestingVerdict?, unitNesting: NestingVerdict?,
                      sysfs: SysfsPCIDevice?, cdev: VFIOCdevReport?) -> Verdict {
        if let info = cdev?.hwInfo {
            let capable = info.capabilities.contains(.dirtyTracking)
            var reasons = [capable
                ? "the kernel reports IOMMU_HW_CAP_DIRTY_TRACKING for this device"
                : "the kernel does not report IOMMU_HW_CAP_DIRTY_TRACKING for this device"]
            if !capable, let verdict = hwNesting {
                reasons += verdict.reasons.filter { $0.contains("dirty") }
            }
            return Verdict(capable, reasons)
        }
        if let verdict = unitNesting {
            if verdict.canTrackDirty {
                return Verdict(true, ["\(verdictVendorName(verdict)) registers allow dirty tracking (from sysfs)"])
            }
            let reasons = verdict.reasons.filter { $0.contains("dirty") || $0.contains("scalable mode") }
            return Verdict(false, reasons.isEmpty ? verdict.reasons : reasons)
        }
        return unknownIOMMU(unitName: unitName, unit: unit, sysfs: sysfs, cdev: cdev)
    }

    /// The answer when neither sysfs nor hw_info shows the IOMMU's registers.
    static func unknownIOMMU(unitName: String?, unit: UnitReport?, sysfs: SysfsPCIDevice?, cdev: VFIOCdevReport?) -> Verdict {
        guard let sysfs else { return Verdict(nil, ["no sysfs entry for this device: its IOMMU is unknown"]) }
        guard sysfs.iommuGroup != nil || unitName != nil else {
            return Verdict(false, ["not behind an IOMMU"])
        }
        let hwInfoHint = cdev == nil
            ? "bind the device to vfio-pci and run probe again to read them with IOMMU_GET_HW_INFO"
            : "IOMMU_GET_HW_INFO on its cdev did not answer\(cdev?.hwInfoNote.map { " (\($0))" } ?? "")"
        switch unit?.unit.kind {
        case .armSMMUv3?:
            return Verdict(nil, ["SMMUv3 ID registers are not in sysfs; \(hwInfoHint)"])
        case .intelVTD?, .amd?:
            return Verdict(nil, ["\(unitName ?? "the IOMMU")'s registers could not be read from sysfs; \(hwInfoHint)"])
        case let kind?:
            return Verdict(nil, ["\(unitName ?? "the IOMMU") (\(kind.rawValue)) has no register view; \(hwInfoHint)"])
        case nil:
            return Verdict(nil, ["the device has an IOMMU group but no IOMMU unit in /sys/class/iommu; \(hwInfoHint)"])
        }
    }

    static func pasid(_ address: PCIAddress, record: PCIRecord?, unit: UnitReport?, cdev: VFIOCdevReport?,
                      context: VerdictContext) -> Verdict {
        guard let record else { return Verdict(nil, ["no config space read for \(address)"]) }
        guard let pasid = record.pasid else { return Verdict(false, ["the device has no PASID capability"]) }
        let capabilityFact = "PASID capability at \(Text.hex(pasid.offset)): \(pasid.maxWidth)-bit PASIDs"
            + (pasid.enabled ? ", enabled" : "")
        var reasons: [String] = []
        var answer: Bool? = true
        if let info = cdev?.hwInfo {
            if info.maxPASIDLog2 > 0 {
                reasons.append("the kernel reports max_pasid_log2 \(info.maxPASIDLog2) for this device")
            } else {
                answer = false
                reasons.append("the kernel reports max_pasid_log2 0: it will not attach PASIDs for this device")
            }
        } else if let unit {
            if let vtd = unit.unit.vtd {
                if !vtd.ecap.pasidSupport {
                    answer = false
                    reasons.append("VT-d ecap.PASID=0: \(unit.unit.name) has no PASID support")
                } else if !vtd.ecap.scalableModeTranslation {
                    answer = false
                    reasons.append("VT-d ecap.SMTS=0: PASIDs need scalable mode")
                } else if context.scalableMode == false {
                    answer = false
                    reasons.append("scalable mode is off in the kernel (intel_iommu=sm_on turns it on)")
                } else {
                    reasons.append("\(unit.unit.name) takes \(vtd.ecap.maxPASIDBits)-bit PASIDs")
                }
            } else if let amd = unit.unit.amd {
                if !amd.efr.guestTranslation {
                    answer = false
                    reasons.append("AMD EFR.GTSup=0: \(unit.unit.name) has no PASID (guest) translation")
                } else {
                    reasons.append("\(unit.unit.name) takes \(amd.efr.pasidBits)-bit PASIDs")
                }
            } else {
                answer = nil
                reasons.append("\(unit.unit.name)'s PASID support is not in sysfs (IOMMU_GET_HW_INFO reports it)")
            }
        } else if context.sysfs[address] == nil {
            answer = nil
            reasons.append("no sysfs entry for this device: its IOMMU is unknown")
        } else if context.sysfs[address]?.iommuGroup == nil {
            return Verdict(false, ["not behind an IOMMU", capabilityFact])
        } else {
            answer = nil
            reasons.append("the IOMMU's PASID support is unknown")
        }
        // pci_enable_pasid() needs ACS Request Redirect and Upstream Forwarding on every
        // function from the device to the root port.
        let chain = [address] + (context.sysfs[address]?.upstream ?? [])
        for function in chain {
            guard let r = context.records[function] else {
                if function != address {
                    reasons.append("ACS of \(function) on the path is unknown (no config space read)")
                    if answer == true { answer = nil }
                }
                continue
            }
            if let problem = acsProblem(r, flags: pasidPathFlags) {
                answer = false
                reasons.append(
                    "pci_enable_pasid needs ACS RR and UF on the path to the root: \(function) \(problem)")
            }
        }
        // A "no" leads with what blocks it; otherwise the device's capability comes first.
        return Verdict(answer, answer == false ? reasons + [capabilityFact] : [capabilityFact] + reasons)
    }

    /// The kernel's `pci_acs_enabled(dev, flags)` without device-specific quirks, as a problem.
    static func acsProblem(_ record: PCIRecord, flags: UInt16) -> String? {
        guard let pcie = record.pcie else { return "is conventional PCI (no ACS)" }
        func check() -> String? {
            guard let acs = record.acs else { return "has no ACS capability" }
            let required = flags & (acs.capability | 0x20)
            if acs.control & required == required { return nil }
            return "does not enable ACS \(ACSCapability.names(required & ~acs.control).joined(separator: "/"))"
        }
        switch pcie.type {
        case .pcieToPCIBridge?, .pciToPCIeBridge?, .rootComplexEventCollector?:
            return "is a \(pcie.portTypeName) (no ACS by definition)"
        case .rootPort?, .downstreamPort?:
            return check()
        case .endpoint?, .legacyEndpoint?, .upstreamPort?, .rootComplexIntegratedEndpoint?:
            return record.isMultifunction ? check().map { "is multifunction and \($0)" } : nil
        case nil:
            return nil
        }
    }

    static func verdictVendorName(_ verdict: NestingVerdict) -> String {
        switch verdict.vendor {
        case .intelVTD: "VT-d"
        case .armSMMUv3: "SMMUv3"
        case .amd: "AMD IOMMU"
        }
    }

    /// The nesting verdict from a device's hw_info registers.
    static func nesting(from info: HWInfo, scalableMode: Bool?) -> NestingVerdict? {
        switch info.data {
        case .intelVTD(_, let cap, let ecap):
            return NestingVerdict.vtd(
                cap: VTDCapability(rawValue: cap), ecap: VTDExtendedCapability(rawValue: ecap), scalableModeEnabled: scalableMode)
        case .armSMMUv3(_, let idr, let iidr, let aidr):
            return SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr).nestingVerdict(canWBS: false)
        case .amd(let efr, let efr2):
            return AMDFeatureRegisters(efr: efr, efr2: efr2).nestingVerdict
        default:
            return nil
        }
    }

    // MARK: Groups

    static func isolation(_ group: IOMMUGroupInfo, context: VerdictContext) -> GroupIsolation {
        let single = group.members.count == 1
        var problems: [(address: String, problem: String)] = []
        var seen = Set<PCIAddress>()
        if !single {
            for member in group.members {
                guard let address = PCIAddress(member) else { continue }
                for function in [address] + (context.sysfs[address]?.upstream ?? []) where seen.insert(function).inserted {
                    guard let record = context.records[function] else {
                        problems.append((function.description, "ACS unknown: no config space read"))
                        continue
                    }
                    if let problem = acsProblem(record, flags: ACSCapability.isolationFlags) {
                        problems.append((function.description, problem))
                    }
                }
            }
        }
        let summary: String
        if group.members.isEmpty {
            summary = "empty group"
        } else if single {
            summary = "isolated: \(group.members[0]) is alone in group \(group.id)"
        } else {
            var text = "\(group.members.count) devices share group \(group.id) (\(Text.list(group.members))): "
                + "they cannot be split between owners"
            let known = problems.filter { !$0.problem.hasPrefix("ACS unknown") }
            if !known.isEmpty {
                text += "; " + known.map { "\($0.address) \($0.problem)" }.joined(separator: "; ")
            }
            summary = text
        }
        return GroupIsolation(singleDevice: single, summary: summary, acsProblems: problems)
    }
}
