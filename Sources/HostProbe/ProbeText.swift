import IOMMUFD

/// The human report: sections with headings, two-space indents, wrapped to `width` columns.
extension ProbeReport {
    public func render(width: Int = 100) -> String {
        var out = TextBlock(width: width)
        out.wrapped(title, prefix: "", indent: 2)
        out.blank()
        for sentence in summary { out.wrapped(sentence, prefix: "", indent: 0) }

        out.section("IOMMU units")
        if units.isEmpty {
            out.wrapped("none in \(paths.sys("class/iommu"))", prefix: "  ", indent: 2)
        }
        for report in units { renderUnit(report, into: &out, detailed: false) }
        renderKernel(into: &out)

        out.section("iommufd and VFIO")
        renderIOMMUFD(into: &out)

        out.section("IOMMU groups")
        if groups.isEmpty { out.line("  none") }
        for group in groups {
            let type = group.group.type.map { " (\($0))" } ?? ""
            out.wrapped(group.isolation.summary, prefix: "  group \(group.group.id)\(type): ", indent: 4)
            let unknown = group.isolation.acsProblems.filter { $0.problem.hasPrefix("ACS unknown") }.map(\.address)
            if !unknown.isEmpty {
                out.wrapped("\(Text.list(unknown)) (no config space read)", prefix: "    ACS unknown: ", indent: 6)
            }
            let regions = group.group.reservedRegions.map { "\(Text.hex($0.start))-\(Text.hex($0.end)) \($0.type)" }
            if !regions.isEmpty {
                out.wrapped(regions.joined(separator: ", "), prefix: "    reserved: ", indent: 14)
            }
        }

        out.section("PCI devices")
        if !pciSources.isEmpty {
            out.wrapped(pciSources.map(display).joined(separator: ", "), prefix: "  read through libpci from ", indent: 4)
        }
        if devices.isEmpty { out.line("  none read") }
        for device in devices { renderDevice(device, into: &out, detailed: false) }

        out.section("GPUs")
        if gpus.isEmpty { out.line("  none (no DRM device and no display-class PCI function)") }
        for gpu in gpus {
            let nodes = gpu.nodes.isEmpty ? "no DRM node" : gpu.nodes.joined(separator: ", ")
            out.wrapped("\(gpu.driver ?? "no driver"), \(nodes) [\(gpu.source)]", prefix: "  \(gpu.device)  ", indent: 4)
            out.wrapped(gpu.note, prefix: "    ", indent: 4)
        }

        if !warnings.isEmpty {
            out.section("Warnings")
            for warning in warnings { out.wrapped(warning, prefix: "  - ", indent: 4) }
        }
        return out.text
    }

    /// `probe --device BDF`: the device, its group, its IOMMU unit's registers, its cdev.
    public func render(device: DeviceReport, width: Int = 100) -> String {
        var out = TextBlock(width: width)
        out.wrapped("\(title): \(device.address)", prefix: "", indent: 2)
        out.section("Device")
        renderDevice(device, into: &out, detailed: true)
        if let groupID = device.sysfs?.iommuGroup, let group = groups.first(where: { $0.group.id == groupID }) {
            out.section("IOMMU group \(groupID)")
            out.wrapped(group.isolation.summary, prefix: "  ", indent: 2)
            out.field("type", group.group.type ?? "unknown")
            for problem in group.isolation.acsProblems { out.field("ACS", "\(problem.address) \(problem.problem)") }
            for region in group.group.reservedRegions {
                out.field("reserved", "\(Text.hex(region.start, digits: 16))-\(Text.hex(region.end, digits: 16)) \(region.type)")
            }
        }
        if let name = device.iommuUnit, let unit = units.first(where: { $0.unit.name == name }) {
            out.section("IOMMU \(name)")
            renderUnit(unit, into: &out, detailed: true)
        }
        if let cdev = device.cdev {
            out.section("VFIO cdev \(cdev.cdev.name)")
            out.field(cdev.node.path, cdev.node.summary)
            if let info = cdev.hwInfo {
                out.field("hw_info", "\(info.typeName) (\(cdev.hwInfoSource ?? "kernel")), capabilities \(Text.hex(info.capabilities.rawValue)), max_pasid_log2 \(info.maxPASIDLog2)")
                for register in decodedRegisters(info) {
                    out.blank()
                    out.raw(RegisterTable.render(register, width: width))
                }
                if let verdict = Verdicts.nesting(from: info, scalableMode: kernel.scalableMode) {
                    out.blank()
                    out.raw(RegisterTable.render(verdict: verdict, width: width))
                }
            } else if let note = cdev.hwInfoNote {
                out.field("hw_info", note)
            }
        }
        return out.text
    }

    /// A path inside a captured tree relative to its root, to keep lines short.
    func display(_ path: String) -> String {
        let prefix = paths.root.hasSuffix("/") ? paths.root : paths.root + "/"
        return !paths.isLive && path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    var title: String {
        let host = hostname.map { " \($0)" } ?? ""
        let kernelText = kernel.release.map { ", Linux \($0)" } ?? ""
        let source = paths.isLive ? "live" : "captured tree \(paths.root)"
        return "iommufd-harness probe:\(host)\(kernelText) (\(source))"
    }

    // MARK: Sections

    private func renderUnit(_ report: UnitReport, into out: inout TextBlock, detailed: Bool) {
        let unit = report.unit
        var heading = "\(unit.name)  "
        switch unit.kind {
        case .intelVTD:
            heading += "Intel VT-d" + (unit.vtdVersion.map { " \($0)" } ?? "")
                + (unit.vtdAddress.map { " at \(Text.hex($0))" } ?? "")
        case .amd: heading += "AMD-Vi" + (unit.amdCapabilityHeader.map { " (cap header \(Text.hex($0, digits: 8)))" } ?? "")
        case .armSMMUv3: heading += "Arm SMMUv3"
        case .armSMMU: heading += "Arm SMMU (v1/v2)"
        case .other: heading += "IOMMU"
        }
        heading += ", \(unit.devices.count) device\(unit.devices.count == 1 ? "" : "s")"
        out.wrapped(heading, prefix: "  ", indent: 4)
        if let vtd = unit.vtd {
            out.wrapped("cap \(vtd.cap.decoded.rawHex)  ecap \(vtd.ecap.decoded.rawHex)", prefix: "    ", indent: 4)
        }
        if let amd = unit.amd {
            out.wrapped("EFR \(amd.efr.decoded.rawHex)  EFR2 \(amd.efr2.decoded.rawHex)", prefix: "    ", indent: 4)
        }
        if unit.kind == .armSMMUv3 || unit.kind == .armSMMU {
            out.wrapped(
                "ID registers are not in sysfs: probe reads them with IOMMU_GET_HW_INFO on a bound VFIO cdev",
                prefix: "    ", indent: 4)
        }
        if let verdict = report.nesting {
            func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
            var answers = ["nest parent \(yesNo(verdict.canAllocateNestParent))",
                           "nested HWPT \(yesNo(verdict.canAllocateNestedHWPT))"]
            if let viommu = verdict.canCreateVIOMMU { answers.append("vIOMMU \(yesNo(viommu))") }
            answers.append("dirty tracking \(yesNo(verdict.canTrackDirty))")
            out.wrapped(answers.joined(separator: ", "), prefix: "    ", indent: 4)
            for reason in verdict.reasons { out.wrapped(reason, prefix: "    - ", indent: 6) }
            if detailed { for note in verdict.notes { out.wrapped(note, prefix: "    note: ", indent: 10) } }
        }
        if detailed || unit.devices.count <= 6 {
            if !unit.devices.isEmpty {
                out.wrapped(unit.devices.joined(separator: " "), prefix: "    devices: ", indent: 13)
            }
        }
        if detailed {
            if let vtd = unit.vtd {
                for register in vtd.registers { out.blank(); out.raw(RegisterTable.render(register, width: out.width)) }
                out.blank()
                out.raw(RegisterTable.render(derived: vtd.derived, width: out.width))
            }
            if let amd = unit.amd {
                for register in amd.registers { out.blank(); out.raw(RegisterTable.render(register, width: out.width)) }
                out.blank()
                out.raw(RegisterTable.render(derived: amd.derived, width: out.width))
            }
        }
    }

    private func renderKernel(into out: inout TextBlock) {
        out.blank()
        out.line("  Kernel" + (kernel.release.map { " \($0)" } ?? ""))
        if kernel.switches.isEmpty {
            out.wrapped("no IOMMU switches on the command line", prefix: "    ", indent: 4)
        }
        for entry in kernel.switches {
            out.wrapped(entry.meaning, prefix: "    \(entry.text): ", indent: 6)
        }
        if units.contains(where: { $0.unit.kind == .intelVTD }) {
            let mode = kernel.scalableMode.map { $0 ? "on" : "off" } ?? "unknown"
            out.wrapped("\(mode) (\(kernel.scalableModeSource))", prefix: "    scalable mode: ", indent: 6)
        }
    }

    private func renderIOMMUFD(into out: inout TextBlock) {
        let iommu = iommufd.iommu
        var iommuText = iommu.present ? iommu.summary : "missing"
        if !iommu.present && iommufd.registered { iommuText = "registered in sysfs (class/misc/iommu), node not captured" }
        if !iommu.present && !iommufd.registered { iommuText += ": the kernel has no iommufd (CONFIG_IOMMUFD) or it is not loaded" }
        out.field("/dev/iommu", iommuText)
        out.field("rlimit mode", iommufd.rlimitMode.map { "\($0) (IOMMU_OPTION_RLIMIT_MODE)" } ?? (iommufd.rlimitModeNote ?? "unknown"))
        if let memlock = iommufd.memlock {
            func limit(_ v: UInt64?) -> String { v.map(Text.bytes) ?? "unlimited" }
            out.field("RLIMIT_MEMLOCK", "\(limit(memlock.soft)) soft, \(limit(memlock.hard)) hard (pinned DMA pages count against it)")
        } else {
            out.field("RLIMIT_MEMLOCK", "unknown")
        }
        let container = iommufd.container
        let providerText: String
        switch container.provider {
        case .vfio: providerText = "VFIO's container (type1)"
        case .iommufd: providerText = "iommufd's VFIO compatibility"
        case .unknown: providerText = "provider unknown"
        case .absent: providerText = "absent"
        }
        out.field("/dev/vfio/vfio", container.provider == .absent
            ? "missing: neither VFIO's container nor iommufd's compat is built"
            : "\(providerText); \(container.evidence)" + (container.node.present ? "; \(container.node.summary)" : ""))
        if iommufd.cdevs.isEmpty {
            out.field("VFIO cdevs", "none (no device bound to vfio-pci, or no CONFIG_VFIO_DEVICE_CDEV)")
        }
        for cdev in iommufd.cdevs {
            var text = "\(cdev.cdev.device), \(cdev.node.summary)"
            if let info = cdev.hwInfo {
                text += "; hw_info \(info.typeName) (\(cdev.hwInfoSource ?? "kernel"))"
            } else if let note = cdev.hwInfoNote {
                text += "; hw_info \(note)"
            }
            out.field(cdev.cdev.name, text)
        }
    }

    private func renderDevice(_ device: DeviceReport, into out: inout TextBlock, detailed: Bool) {
        let record = device.record
        var name = "unknown device"
        if let record {
            let vendor = record.vendorName ?? "vendor \(Text.hexDigits(record.vendorID, 4))"
            let model = record.deviceName ?? "device \(Text.hexDigits(record.deviceID, 4))"
            let code = "[\(Text.hexDigits(record.classCode, 4))]"
            let className = record.className.map { $0.hasSuffix(code) ? $0 : "\($0) \(code)" } ?? "class \(code)"
            name = "\(className): \(vendor) \(model) "
                + "[\(Text.hexDigits(record.vendorID, 4)):\(Text.hexDigits(record.deviceID, 4))]"
        }
        out.blank()
        out.wrapped(name, prefix: "  \(device.address)  ", indent: 6)
        var facts: [String] = []
        facts.append("driver \(device.sysfs?.driver ?? (device.sysfs == nil ? "unknown" : "none"))")
        facts.append("group \(device.sysfs?.iommuGroup.map(String.init) ?? (device.sysfs == nil ? "unknown" : "none"))")
        if let unit = device.iommuUnit { facts.append("IOMMU \(unit)") }
        if let cdev = device.sysfs?.vfioCdevs.first { facts.append("cdev \(cdev)") }
        if let pcie = record?.pcie {
            facts.append(pcie.hasLink ? "\(pcie.portTypeName), link \(pcie.linkText)" : pcie.portTypeName)
        } else if record != nil {
            facts.append("conventional PCI")
        }
        out.wrapped(facts.joined(separator: ", "), prefix: "      ", indent: 6)
        if let record {
            out.wrapped(capabilityText(record), prefix: "      ", indent: 6)
            if detailed {
                let capabilities = record.extendedCapabilities.map { "\($0.name) \($0.description)" }
                out.wrapped(capabilities.isEmpty ? "none" : capabilities.joined(separator: ", "),
                            prefix: "      extended capabilities: ", indent: 8)
                if let upstream = device.sysfs?.upstream, !upstream.isEmpty {
                    out.wrapped(upstream.map(\.description).joined(separator: " <- "), prefix: "      upstream: ", indent: 8)
                }
                out.wrapped(display(record.source), prefix: "      config space from: ", indent: 8)
            }
        }
        let verdicts = device.verdicts
        if !iommuPresent && !detailed {
            out.line("      verdicts: no IOMMU on this host, so no iommufd use")
            return
        }
        for (label, verdict) in [("bind", verdicts.bind), ("nest parent", verdicts.nestParent),
                                 ("PASID", verdicts.pasid), ("dirty tracking", verdicts.dirtyTracking)] {
            let reasons = detailed ? verdict.reasons : Array(verdict.reasons.prefix(verdict.answer == true ? 1 : 2))
            let prefix = "      \(label): \(verdict.word)"
            if reasons.isEmpty {
                out.line(prefix)
            } else {
                out.wrapped(reasons[0], prefix: prefix + " - ", indent: 8)
                for reason in reasons.dropFirst() { out.wrapped(reason, prefix: "        - ", indent: 10) }
            }
        }
        let notes = detailed ? verdicts.notes : Array(verdicts.notes.prefix(1))
        for note in notes { out.wrapped(note, prefix: "      note: ", indent: 8) }
    }

    /// `PASID 20-bit (exec- priv+, on); ATS qdepth 32, STU 0, on; PRI 512 requests, off; ACS -`.
    private func capabilityText(_ record: PCIRecord) -> String {
        func on(_ value: Bool) -> String { value ? "on" : "off" }
        func flag(_ value: Bool) -> String { value ? "+" : "-" }
        var parts: [String] = []
        if let p = record.pasid {
            parts.append("PASID \(p.maxWidth)-bit (exec\(flag(p.execute)) priv\(flag(p.privileged)), \(on(p.enabled)))")
        } else { parts.append("PASID -") }
        if let a = record.ats {
            parts.append("ATS qdepth \(a.invalidateQueueDepth), STU \(a.smallestTranslationUnit), \(on(a.enabled))")
        } else { parts.append("ATS -") }
        if let p = record.pri {
            parts.append("PRI \(p.outstandingCapacity) requests, \(on(p.enabled))")
        } else { parts.append("PRI -") }
        if let a = record.acs {
            let enabled = ACSCapability.names(a.control)
            parts.append("ACS cap \(Text.hex(a.capability, digits: 4)) ctl \(Text.hex(a.control, digits: 4))"
                + (enabled.isEmpty ? "" : " (\(enabled.joined(separator: " ")))"))
        } else { parts.append("ACS -") }
        if let s = record.sriov {
            parts.append("SR-IOV \(s.numVFs)/\(s.totalVFs) VFs")
        }
        return parts.joined(separator: "; ")
    }

    private func decodedRegisters(_ info: HWInfo) -> [DecodedRegister] {
        switch info.data {
        case .intelVTD(_, let cap, let ecap): VTDRegisters(cap: cap, ecap: ecap).registers
        case .armSMMUv3(_, let idr, let iidr, let aidr): SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr).registers
        case .amd(let efr, let efr2): AMDFeatureRegisters(efr: efr, efr2: efr2).registers
        default: []
        }
    }
}

/// Accumulates report lines, wrapped to a width.
struct TextBlock {
    let width: Int
    private(set) var lines: [String] = []

    init(width: Int) { self.width = width }

    var text: String { lines.joined(separator: "\n") }

    mutating func line(_ text: String) { lines.append(text) }
    mutating func blank() { if lines.last != "" { lines.append("") } }
    /// Text that is already laid out (RegisterTable wraps to the same width), kept as it is.
    mutating func raw(_ text: String) {
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    mutating func section(_ title: String) {
        blank()
        lines.append(title)
    }
    mutating func wrapped(_ text: String, prefix: String, indent: Int) {
        lines += Text.wrap(text, prefix: prefix, indent: indent, width: width)
    }
    /// `  label            value`, values wrapped under themselves.
    mutating func field(_ label: String, _ value: String) {
        let prefix = "  " + Text.pad(label, 16) + " "
        wrapped(value, prefix: prefix, indent: max(prefix.count, 19))
    }
}
