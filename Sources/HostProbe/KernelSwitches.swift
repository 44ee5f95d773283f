/// The kernel command-line switches that change what an IOMMU does, with their meaning.
enum KernelSwitches {
    /// Splits a command line at blanks (double quotes keep blanks in a value) and keeps the
    /// switches that matter for IOMMUs, iommufd and VFIO, in command-line order.
    static func parse(_ commandLine: String) -> [KernelSwitch] {
        var switches: [KernelSwitch] = []
        for token in tokens(commandLine) {
            if token == "--" { break }  // the rest goes to init
            let key: String
            let value: String?
            if let equals = token.firstIndex(of: "=") {
                key = String(token[..<equals])
                value = String(token[token.index(after: equals)...])
            } else {
                key = token
                value = nil
            }
            if let meaning = meaning(key: key, value: value) {
                switches.append(KernelSwitch(key: key, value: value, meaning: meaning))
            }
        }
        return switches
    }

    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
            } else if (character == " " || character == "\t" || character == "\n") && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// Words for a switch, or nil when it does not concern IOMMUs.
    static func meaning(key: String, value: String?) -> String? {
        let options = (value ?? "").split(separator: ",").map(String.init)
        switch key {
        case "intel_iommu":
            return options.map { option -> String in
                switch option {
                case "on": "Intel IOMMU on"
                case "off": "Intel IOMMU off"
                case "sm_on": "scalable mode on (nesting, PASID and dirty tracking need it)"
                case "sm_off": "scalable mode off: legacy mode, no nesting, PASID or dirty tracking"
                case "igfx_off": "no translation for the integrated GPU"
                case "strict": "strict IOTLB invalidation (old spelling of iommu.strict=1)"
                case "sp_off": "no super pages"
                case "tboot_noforce": "tboot does not force the IOMMU on"
                default: "\(option) (unknown option)"
                }
            }.joined(separator: "; ")
        case "amd_iommu":
            return options.map { option -> String in
                switch option {
                case "off": "AMD IOMMU off"
                case "on": "AMD IOMMU on"
                case "force_isolation": "every device gets its own domain"
                case "fullflush": "strict IOTLB flushing"
                case "pgtbl_v1": "host (v1) page tables for DMA domains"
                case "pgtbl_v2": "guest (v2) page tables for DMA domains"
                case "irtcachedis": "interrupt remapping table caching off"
                case "nohugepages": "no huge pages in v1 tables"
                case "v2_pgsizes_only": "v2 page sizes only (4K, 2M, 1G)"
                case "force_enable": "force the IOMMU on despite firmware"
                default: "\(option) (unknown option)"
                }
            }.joined(separator: "; ")
        case "amd_iommu_intr":
            return "AMD interrupt remapping mode \(value ?? "")"
        case "iommu":
            return options.map { option -> String in
                switch option {
                case "pt": "identity default domains: the DMA API bypasses translation (VFIO still translates)"
                case "nopt": "translated default domains"
                case "off": "IOMMU off (x86)"
                case "force": "force the IOMMU on"
                case "soft": "software bounce buffers"
                case "strict": "strict IOTLB invalidation"
                default: "\(option)"
                }
            }.joined(separator: "; ")
        case "iommu.passthrough":
            return value == "1" || value == "y" || value == "on"
                ? "identity default domains: the DMA API bypasses translation (VFIO still translates)"
                : "translated default domains"
        case "iommu.strict":
            return value == "0" || value == "n" || value == "off"
                ? "lazy (deferred) IOTLB invalidation for DMA domains" : "strict IOTLB invalidation"
        case "iommu.forcedac":
            return "DMA addresses above 4 GiB from the start"
        case "intremap":
            return "interrupt remapping: \(value ?? "")"
        case "pcie_acs_override":
            return "out-of-tree patch that pretends devices have ACS: IOMMU groups then no longer mean isolation"
        case "pci":
            guard options.contains(where: { $0 == "noats" || $0.hasPrefix("disable_acs_redir") || $0.hasPrefix("config_acs") })
            else { return nil }
            return options.compactMap { option -> String? in
                if option == "noats" { return "ATS off for every device: no device TLBs, so no SVA" }
                if option.hasPrefix("disable_acs_redir") { return "ACS redirect off for \(option.dropFirst("disable_acs_redir=".count))" }
                if option.hasPrefix("config_acs") { return "ACS bits forced: \(option.dropFirst("config_acs=".count))" }
                return nil
            }.joined(separator: "; ")
        case "vfio_iommu_type1.allow_unsafe_interrupts", "iommufd.allow_unsafe_interrupts":
            return "devices may be assigned without interrupt remapping (unsafe)"
        case "vfio-pci.ids":
            return "vfio-pci claims these devices at boot"
        case "vfio-pci.disable_idle_d3":
            return "vfio-pci keeps idle devices out of D3"
        case "vfio.enable_unsafe_noiommu_mode":
            return "VFIO no-IOMMU mode: devices without IOMMU protection (unsafe, no iommufd)"
        case "arm-smmu-v3.disable_bypass", "arm_smmu_v3.disable_bypass":
            return "SMMUv3: \(value == "0" ? "unattached streams bypass" : "unattached streams abort")"
        default:
            return nil
        }
    }

    /// `sm_on` / `sm_off` in `intel_iommu=`; the last one wins, as in the kernel.
    static func scalableMode(_ switches: [KernelSwitch]) -> Bool? {
        var answer: Bool?
        for entry in switches where entry.key == "intel_iommu" {
            for option in (entry.value ?? "").split(separator: ",") {
                if option == "sm_on" { answer = true }
                if option == "sm_off" { answer = false }
            }
        }
        return answer
    }
}
