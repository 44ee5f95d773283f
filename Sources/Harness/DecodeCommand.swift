import ArgumentParser
import IOMMUFD

/// `iommufd-harness decode`: names the fields of IOMMU capability registers given on the
/// command line, computes derived values and says what Linux 7.2 would allow for nesting.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode IOMMU capability registers: fields, derived values, nesting verdict.",
        discussion: """
            Give the raw register values (from IOMMU_GET_HW_INFO, sysfs or a boot log) in hex, \
            with or without 0x. Each field is printed with its spec mnemonic, raw value and \
            meaning; then derived values (address widths, queue sizes, ...) and a verdict on \
            whether the Linux 7.2 driver would allow a nest parent, a vIOMMU, a nested HWPT and \
            dirty tracking, with the missing bit named for every "no".

            Examples:
              iommufd-harness decode vtd --cap 0x00d2008c22260286 --ecap 0x480080f00f4a
              iommufd-harness decode smmuv3 --idr0 0x0d44101b --idr1 0x02730010 \\
                  --idr3 0x1414 --idr5 0x74 --aidr 0x1 --json
              iommufd-harness decode amd --efr 0x246577efa2254afa
            """,
        subcommands: [DecodeVTDCommand.self, DecodeSMMUv3Command.self, DecodeAMDCommand.self]
    )
}

/// Turns an option's text into a register value, or a usage error saying why not.
func hexOption(bits: Int) -> @Sendable (String) throws -> UInt64 {
    { text in try HexNumber.parse(text, bits: bits) }
}

/// Prints register tables, derived values and the verdict, separated by blank lines.
private func printHuman(
    title: String, registers: [DecodedRegister], derived: [DerivedValue], verdict: NestingVerdict
) {
    var sections = [title]
    sections += registers.map { RegisterTable.render($0) }
    sections.append(RegisterTable.render(derived: derived))
    sections.append(RegisterTable.render(verdict: verdict))
    print(sections.joined(separator: "\n\n"))
}

struct DecodeVTDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vtd",
        abstract: "Decode Intel VT-d CAP_REG and ECAP_REG.",
        discussion: """
            The values are in /sys/class/iommu/dmar*/intel-iommu/{cap,ecap}, in the kernel's \
            "DMAR: dmar0: reg_base_addr ... cap ... ecap ..." boot line, and in \
            struct iommu_hw_info_vtd.

            Example (QEMU intel-iommu with x-scalable-mode=on: scalable mode but no NEST):
              iommufd-harness decode vtd --cap 0x00d2008c22260286 --ecap 0x480080f00f4a
            """
    )

    @Option(help: ArgumentHelp("CAP_REG in hex (64-bit).", valueName: "hex"), transform: hexOption(bits: 64))
    var cap: UInt64

    @Option(help: ArgumentHelp("ECAP_REG in hex (64-bit).", valueName: "hex"), transform: hexOption(bits: 64))
    var ecap: UInt64

    @Option(
        help: ArgumentHelp(
            "Whether the kernel runs scalable mode (intel_iommu=sm_on). Without it the verdict assumes on when ECAP.SMTS is set.",
            valueName: "on|off"))
    var scalableMode: ScalableMode?

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    enum ScalableMode: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    func run() throws {
        let registers = VTDRegisters(cap: cap, ecap: ecap)
        let scalableModeEnabled = scalableMode.map { $0 == .on }
        if json {
            print(registers.json(scalableModeEnabled: scalableModeEnabled).serialized(pretty: true))
            return
        }
        printHuman(
            title: "Intel VT-d: cap \(registers.cap.decoded.rawHex), ecap \(registers.ecap.decoded.rawHex)",
            registers: registers.registers, derived: registers.derived,
            verdict: registers.nestingVerdict(scalableModeEnabled: scalableModeEnabled))
    }
}

struct DecodeSMMUv3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smmuv3",
        abstract: "Decode Arm SMMUv3 SMMU_IDR0-5, SMMU_IIDR and SMMU_AIDR.",
        discussion: """
            Registers not given count as 0. The values are in struct iommu_hw_info_arm_smmuv3 \
            (IOMMU_GET_HW_INFO on an SMMUv3-backed device).

            Example (QEMU 11.1 virt,iommu=smmuv3):
              iommufd-harness decode smmuv3 --idr0 0x0d44101b --idr1 0x02730010 --idr3 0x1414 \\
                  --idr5 0x74 --aidr 0x1
            """
    )

    @Option(help: ArgumentHelp("SMMU_IDR0 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr0: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IDR1 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr1: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IDR2 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr2: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IDR3 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr3: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IDR4 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr4: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IDR5 in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var idr5: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_IIDR in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var iidr: UInt64 = 0
    @Option(help: ArgumentHelp("SMMU_AIDR in hex.", valueName: "hex"), transform: hexOption(bits: 32))
    var aidr: UInt64 = 0

    @Flag(
        name: .customLong("canwbs"),
        help: "The device is marked CANWBS by firmware (lets a vIOMMU exist without IDR3.FWB).")
    var canWBS = false

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func run() throws {
        let registers = SMMUv3Registers(
            idr0: UInt32(idr0), idr1: UInt32(idr1), idr2: UInt32(idr2), idr3: UInt32(idr3),
            idr4: UInt32(idr4), idr5: UInt32(idr5), iidr: UInt32(iidr), aidr: UInt32(aidr))
        if json {
            print(registers.json(canWBS: canWBS).serialized(pretty: true))
            return
        }
        printHuman(
            title: "Arm SMMUv3 (\(registers.aidr.architectureVersion))",
            registers: registers.registers, derived: registers.derived,
            verdict: registers.nestingVerdict(canWBS: canWBS))
    }
}

struct DecodeAMDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amd",
        abstract: "Decode AMD IOMMU EFR and EFR2.",
        discussion: """
            The values are in struct iommu_hw_info_amd, in /sys/class/iommu/ivhd*/amd-iommu/features \
            ("efr:efr2") and in the kernel's "AMD-Vi: Extended features (0x...)" boot line.

            Example:
              iommufd-harness decode amd --efr 0x246577efa2254afa
            """
    )

    @Option(help: ArgumentHelp("EFR in hex (64-bit).", valueName: "hex"), transform: hexOption(bits: 64))
    var efr: UInt64

    @Option(help: ArgumentHelp("EFR2 in hex (64-bit); 0 if omitted.", valueName: "hex"), transform: hexOption(bits: 64))
    var efr2: UInt64 = 0

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func run() throws {
        let registers = AMDFeatureRegisters(efr: efr, efr2: efr2)
        if json {
            print(registers.json.serialized(pretty: true))
            return
        }
        printHuman(
            title: "AMD IOMMU: EFR \(registers.efr.decoded.rawHex), EFR2 \(registers.efr2.decoded.rawHex)",
            registers: registers.registers, derived: registers.derived, verdict: registers.nestingVerdict)
    }
}
