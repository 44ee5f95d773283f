import IOMMUFD

/// The uAPI areas the suite covers; cases are grouped and counted by area.
enum Area: String, CaseIterable, Sendable {
    case dispatch, options, ioas, compat, device, hwinfo, hwpt, nested, invalidate, dirty
    case viommu, fault, pasid, vendor, dma
}

/// What a case needs from its target; a case whose needs are not met is skipped with the reason.
enum Requirement: Hashable, Sendable, CustomStringConvertible {
    /// `IOMMU_TEST_CMD` and the mock IOMMU (a CONFIG_IOMMUFD_TEST kernel, or the model).
    case selftest
    /// A real (or model) VFIO device given on the command line.
    case device
    /// A VFIO device whose IOMMU is Intel VT-d.
    case intelVTD
    /// A VFIO device whose IOMMU is Arm SMMUv3.
    case armSMMUv3
    /// QEMU's edu device (1234:11e8), which can DMA on command.
    case eduDevice

    /// A short tag for listings.
    var tag: String {
        switch self {
        case .selftest: "selftest-mock"
        case .device: "vfio-device"
        case .intelVTD: "intel-vtd"
        case .armSMMUv3: "arm-smmuv3"
        case .eduDevice: "qemu-edu"
        }
    }

    var description: String {
        switch self {
        case .selftest: "needs IOMMU_TEST_CMD (a CONFIG_IOMMUFD_TEST kernel, or the model with --profile selftest)"
        case .device: "needs a VFIO device (--device or --pci)"
        case .intelVTD: "needs a device behind Intel VT-d"
        case .armSMMUv3: "needs a device behind Arm SMMUv3"
        case .eduDevice: "needs QEMU's edu device (1234:11e8) bound to vfio-pci"
        }
    }
}

/// One conformance case: a short sequence of calls, each with the result it must give.
struct TestCase: Sendable {
    let name: String
    let area: Area
    let summary: String
    let needs: [Requirement]
    let body: @Sendable (CaseRun) throws -> Void

    init(_ name: String, _ area: Area, _ summary: String, needs: [Requirement] = [],
         body: @escaping @Sendable (CaseRun) throws -> Void) {
        self.name = name
        self.area = area
        self.summary = summary
        self.needs = needs
        self.body = body
    }
}

/// The result of one case.
enum Outcome: Sendable, Equatable {
    case pass
    case fail(String)
    case skip(String)

    var word: String {
        switch self {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .skip: "SKIP"
        }
    }
}

struct CaseResult: Sendable {
    let testCase: TestCase
    let outcome: Outcome
    /// The steps the case proved, in order (the `ok`/`fails` lines), for verbose and JSON output.
    let steps: [String]
    let seconds: Double
}
