/// An Intel VT-d unit's CAP_REG and ECAP_REG together, as `IOMMU_GET_HW_INFO` reports them
/// (`struct iommu_hw_info_vtd`) and as sysfs shows them (`/sys/class/iommu/dmar*/intel-iommu`).
public struct VTDRegisters: Hashable, Sendable {
    public var cap: VTDCapability
    public var ecap: VTDExtendedCapability

    public init(cap: VTDCapability, ecap: VTDExtendedCapability) {
        self.cap = cap
        self.ecap = ecap
    }

    public init(cap: UInt64, ecap: UInt64) {
        self.init(cap: VTDCapability(rawValue: cap), ecap: VTDExtendedCapability(rawValue: ecap))
    }

    /// Both registers, CAP first, for tables.
    public var registers: [DecodedRegister] { [cap.decoded, ecap.decoded] }

    /// PASID width the kernel would use: PSS+1 when the unit can run scalable mode with PASIDs,
    /// else 0 (the kernel only enables PASIDs in scalable mode).
    public var usablePASIDBits: Int {
        ecap.scalableModeTranslation && ecap.pasidSupport ? ecap.maxPASIDBits : 0
    }

    /// Values computed from the fields, in a fixed order.
    public var derived: [DerivedValue] {
        let agaws = cap.supportedAGAWs
        let secondStagePages = cap.secondStageLargePageSizes
        let firstStagePages = ecap.firstStageTranslation ? cap.firstStageLargePageSizes : []
        return [
            DerivedValue(
                key: "supportedAGAWs", label: "Second-stage address widths",
                json: .array(agaws.map { JSONValue($0) }),
                text: agaws.isEmpty ? "none" : agaws.map { "\($0)-bit" }.joined(separator: ", ")),
            DerivedValue(
                key: "mgawBits", label: "Maximum guest address width",
                json: JSONValue(cap.maximumGuestAddressWidth), text: "\(cap.maximumGuestAddressWidth) bits"),
            DerivedValue(
                key: "numberOfDomains", label: "Domain IDs",
                json: JSONValue(cap.numberOfDomains), text: "\(cap.numberOfDomains)"),
            DerivedValue(
                key: "faultRecordingOffset", label: "Fault recording registers at",
                json: JSONValue(cap.faultRecordingOffset),
                text: JSONValue.hexString(UInt64(cap.faultRecordingOffset))),
            DerivedValue(
                key: "faultRecordingRegisters", label: "Fault recording registers",
                json: JSONValue(cap.faultRecordingRegisterCount), text: "\(cap.faultRecordingRegisterCount)"),
            DerivedValue(
                key: "iotlbRegisterOffset", label: "IOTLB registers at",
                json: JSONValue(ecap.iotlbRegisterOffset),
                text: JSONValue.hexString(UInt64(ecap.iotlbRegisterOffset))),
            DerivedValue(
                key: "maxPASIDBits", label: "PASID width",
                json: JSONValue(usablePASIDBits),
                text: usablePASIDBits == 0
                    ? "none (needs ecap.PASID and scalable mode)" : "\(usablePASIDBits) bits"),
            DerivedValue(
                key: "scalableModeCapable", label: "Scalable mode",
                json: .bool(ecap.scalableModeCapable),
                text: ecap.scalableModeCapable ? "capable (used with intel_iommu=sm_on)" : "not supported"),
            DerivedValue(
                key: "secondStageLargePages", label: "Second-stage large pages",
                json: .array(secondStagePages.map { JSONValue($0) }),
                text: secondStagePages.isEmpty ? "none" : secondStagePages.map(ByteSize.text).joined(separator: ", ")),
            DerivedValue(
                key: "firstStageLargePages", label: "First-stage large pages",
                json: .array(firstStagePages.map { JSONValue($0) }),
                text: firstStagePages.isEmpty
                    ? "none (no first-stage translation)" : firstStagePages.map(ByteSize.text).joined(separator: ", ")),
            DerivedValue(
                key: "firstStage5Level", label: "First-stage 5-level tables",
                json: .bool(cap.firstStage5LevelPaging), text: cap.firstStage5LevelPaging ? "yes" : "no"),
            DerivedValue(
                key: "maxInvalidationPages", label: "Pages per selective invalidation",
                json: JSONValue(cap.maximumInvalidationPages),
                text: cap.pageSelectiveInvalidation ? "\(cap.maximumInvalidationPages)" : "none (no PSI)"),
        ]
    }

    /// What the kernel would allow this unit for nesting and dirty tracking.
    public func nestingVerdict(scalableModeEnabled: Bool? = nil) -> NestingVerdict {
        NestingVerdict.vtd(cap: cap, ecap: ecap, scalableModeEnabled: scalableModeEnabled)
    }

    /// `{"raw": {...}, "cap": {...}, "ecap": {...}, "derived": {...}, "nesting": {...}}`.
    public func json(scalableModeEnabled: Bool? = nil) -> JSONValue {
        [
            "raw": ["cap": .string(cap.decoded.rawHex), "ecap": .string(ecap.decoded.rawHex)],
            "cap": cap.json,
            "ecap": ecap.json,
            "derived": DerivedValue.json(derived),
            "nesting": nestingVerdict(scalableModeEnabled: scalableModeEnabled).json,
        ]
    }
}
