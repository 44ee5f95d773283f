/// The IOMMU hardware the model pretends to have: what the driver accepts (domain flags, nested
/// data, vIOMMU types), what GET_HW_INFO reports, the page sizes and the aperture.
///
/// `.selftest` is the kernel's CONFIG_IOMMUFD_TEST mock IOMMU (page size 2048, aperture
/// [2^24, 2^31-1], hw_info type 0xfeedbeef), which also answers IOMMU_TEST_CMD; it is the profile
/// the model can be compared with call by call on a real kernel. Vendor profiles (Intel VT-d
/// from CAP/ECAP, Arm SMMUv3 from IDR0-5, AMD from EFR/EFR2) are drivers under Model/Profiles/
/// implementing `ModelIOMMUDriver`; add a case here and a `makeDriver` branch for each.
public struct ModelProfile: Hashable, Sendable, CustomStringConvertible {
    public enum Hardware: Hashable, Sendable {
        /// The selftest mock IOMMU (drivers/iommu/iommufd/selftest.c).
        case selftest
        /// An Intel VT-d unit (drivers/iommu/intel/) from its CAP/ECAP registers; `scalableMode`
        /// is the kernel's choice (CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON, `intel_iommu=sm_on`
        /// or `sm_off`), which takes effect only where ecap.SMTS allows it.
        case intelVTD(VTDRegisters, scalableMode: Bool)
        /// An AMD IOMMU (drivers/iommu/amd/) from its EFR/EFR2 registers.
        case amd(AMDFeatureRegisters)
        /// An Arm SMMUv3 (arm-smmu-v3) with these ID registers; `canWBS`: the IORT marks the
        /// root complexes CANWBS.
        case armSMMUv3(SMMUv3Registers, canWBS: Bool)
    }

    public var hardware: Hardware
    /// A display name ("selftest", "Sapphire Rapids VT-d", ...).
    public var name: String

    public init(hardware: Hardware, name: String) {
        self.hardware = hardware
        self.name = name
    }

    /// The kernel's selftest mock IOMMU.
    public static let selftest = ModelProfile(hardware: .selftest, name: "selftest")

    public var description: String { name }

    /// Whether a kernel with this hardware is the CONFIG_IOMMUFD_TEST one (IOMMU_TEST_CMD).
    var hasSelftest: Bool {
        switch hardware {
        case .selftest: true
        case .intelVTD, .amd: false
        case .armSMMUv3: false
        }
    }

    func makeDriver(env: ModelEnv) -> ModelIOMMUDriver {
        switch hardware {
        case .selftest: SelftestMockDriver(profile: self, env: env)
        case .intelVTD(let registers, let scalableMode):
            IntelIOMMUDriver(profile: self, env: env, registers: registers, scalableMode: scalableMode)
        case .amd(let registers): AMDIOMMUDriver(profile: self, env: env, registers: registers)
        case .armSMMUv3(let registers, let canWBS): ArmSMMUv3Driver(profile: self, registers: registers, canWBS: canWBS, env: env)
        }
    }
}
