extension ModelProfile {
    /// Every built-in profile, by name: the selftest mock, and IOMMUs measured on real machines
    /// and on QEMU (register values from captures; see each profile's doc comment).
    public static let builtIn: [ModelProfile] = [
        .selftest,
        .sapphireRapidsVTD, .qemuVTD, .qemuVTDScalable, .qemu11VTDPASID,
        .qemuSMMUv3, .fvpSMMUv3, .gem5SMMUv3,
        .amdEPYC,
    ]

    /// The built-in profile called `name`, or nil.
    public static func named(_ name: String) -> ModelProfile? {
        builtIn.first { $0.name == name }
    }

    /// What the profile is, in a few words, for `--list-profiles`.
    public var summary: String {
        switch hardware {
        case .selftest:
            return "the kernel's CONFIG_IOMMUFD_TEST mock IOMMU (IOMMU_TEST_CMD, mock devices)"
        case .intelVTD(let registers, let scalableMode):
            return "Intel VT-d cap \(hex(registers.cap.rawValue)) ecap \(hex(registers.ecap.rawValue)), scalable mode \(scalableMode ? "on" : "off")"
        case .armSMMUv3(let registers, let canWBS):
            let idr = [registers.idr0.rawValue, registers.idr1.rawValue, registers.idr2.rawValue, registers.idr3.rawValue,
                       registers.idr4.rawValue, registers.idr5.rawValue].map { hex($0) }.joined(separator: ",")
            return "Arm SMMUv3 IDR0-5 \(idr)\(canWBS ? ", CANWBS" : "")"
        case .amd(let registers):
            return "AMD IOMMU EFR \(hex(registers.efr.rawValue)) EFR2 \(hex(registers.efr2.rawValue))"
        }
    }

    /// The profile that models the IOMMU a device's hw_info describes, or nil when the model
    /// has none for that type. `commandLine` is the kernel's (/proc/cmdline): `intel_iommu=sm_off`
    /// turns VT-d scalable mode off (7.2 defaults to on). An SMMUv3's CANWBS comes from firmware
    /// that hw_info does not show (the ACPI IORT's root complex memory flags): the caller passes
    /// what it read there, absent by default.
    public static func matching(_ info: HWInfo, commandLine: String? = nil, canWBS: Bool = false) -> ModelProfile? {
        switch info.data {
        case .selftest:
            return .selftest
        case .intelVTD(_, let cap, let ecap):
            let scalable = !(commandLine ?? "").split(separator: " ").contains { word in
                word.hasPrefix("intel_iommu=") && word.split(separator: "=").last!.split(separator: ",").contains("sm_off")
            }
            return .intelVTD(cap: cap, ecap: ecap, scalableMode: scalable, name: "matching hw_info (VT-d)")
        case .armSMMUv3(_, let idr, let iidr, let aidr):
            return .armSMMUv3(registers: SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr), canWBS: canWBS,
                              name: "matching hw_info (SMMUv3\(canWBS ? ", CANWBS" : ""))")
        case .amd(let efr, let efr2):
            return .amd(efr: efr, efr2: efr2, name: "matching hw_info (AMD)")
        default:
            return nil
        }
    }
}
