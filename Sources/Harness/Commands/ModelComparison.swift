import IOMMUFD
import Synchronization

/// `run --compare model`: records every case's calls on the kernel, replays them on a fresh model
/// with the profile that matches the kernel's hardware, and fails a case whose replay answers any
/// call differently (errno, result, output field or output buffer), naming the call.
///
/// Each case opens its own iommufd and device fds, so its calls replay on their own. Mock cases
/// replay on the selftest profile; device cases on the profile built from the device's hw_info
/// (VT-d CAP/ECAP, SMMUv3 IDRs, AMD EFR), with a model device of the same cdev name, PCI
/// identity, group and PASID width; an SMMUv3 is CANWBS when the tested machine's IORT says so.
/// The files read (/proc/cmdline, sysfs, the IORT) are the tested machine's: the agent's on an
/// agent target. Device regions (mmap, pread, pwrite) are not replayed: the
/// model has no device behind its cdev.
final class ModelComparison: @unchecked Sendable {
    private let log = RecordLog()
    private(set) var compared = 0
    private(set) var divergent = 0
    private(set) var notCompared: [String: String] = [:]
    var target: Target?

    /// Wraps the kernel backend so that every call is recorded for the replay.
    func wrap(_ backend: any SyscallBackend) -> any SyscallBackend {
        TracingBackend(backend) { [log] record in log.append(record) }
    }

    /// Forgets what was recorded so far (the target's own set-up calls).
    func reset() { _ = log.take() }

    func review(_ result: CaseResult) -> CaseResult {
        let records = log.take()
        if case .skip = result.outcome { return result }
        guard let target else { return result }
        let model: ModelBackend
        switch Self.matchingModel(for: result.testCase, on: target) {
        case .success(let m): model = m
        case .failure(let reason):
            notCompared[result.testCase.name] = reason.message
            return CaseResult(testCase: result.testCase, outcome: result.outcome,
                              steps: result.steps + ["not compared with the model: \(reason.message)"], seconds: result.seconds)
        }
        if let reason = Self.unreplayable(records, iommuPath: target.iommuPath) {
            notCompared[result.testCase.name] = reason
            return CaseResult(testCase: result.testCase, outcome: result.outcome,
                              steps: result.steps + ["not compared with the model: \(reason)"], seconds: result.seconds)
        }
        compared += 1
        let differences = Replayer(backend: model).replay(records)
        guard let first = differences.first else {
            return CaseResult(testCase: result.testCase, outcome: result.outcome,
                              steps: result.steps + ["the model (profile \(model.profile)) answered all \(records.count) calls alike"],
                              seconds: result.seconds)
        }
        divergent += 1
        let more = differences.count > 1 ? " (and \(differences.count - 1) more: \(differences.dropFirst().prefix(3).map(\.description).joined(separator: "; ")))" : ""
        let message = "the model (profile \(model.profile)) diverges from the kernel at \(first)\(more)"
        switch result.outcome {
        case .fail(let why): return CaseResult(testCase: result.testCase, outcome: .fail("\(why); \(message)"), steps: result.steps, seconds: result.seconds)
        default: return CaseResult(testCase: result.testCase, outcome: .fail(message), steps: result.steps, seconds: result.seconds)
        }
    }

    var summary: String {
        var line = "compare model: \(compared - divergent)/\(compared) cases answered alike by the model"
        if !notCompared.isEmpty { line += "; \(notCompared.count) not compared (\(Set(notCompared.values).sorted().joined(separator: "; ")))" }
        return line
    }

    struct Reason: Error { let message: String }

    /// Why a case's calls cannot be replayed faithfully, or nil. A case that maps a memfd with
    /// MAP_FILE and then has the kernel compare those pages with user memory mapping the same
    /// memfd (MD_CHECK_MAP, MD_CHECK_REFS, ACCESS_PAGES) relies on the two sharing pages, which a
    /// replay's stand-in memfd and user memory do not. A case that makes a test dma-buf
    /// (IOMMU_TEST_OP_DMABUF_GET) needs the kernel's dma-buf exporter, which the model lacks.
    static func unreplayable(_ records: [TraceRecord], iommuPath: String = "/dev/iommu") -> String? {
        if mapsIOMMUFD(records, iommuPath: iommuPath) {
            return "the case mmaps the iommufd fd (a vIOMMU's window); a replay does not mmap, so what the mapping holds (EBUSY on DESTROY) cannot be replayed"
        }
        let dmabufOps: Set<UInt32> = [SelftestOp.dmabufGet.rawValue, SelftestOp.dmabufRevoke.rawValue]
        if records.contains(where: { r in
            r.name == "IOMMU_TEST_CMD" && r.argument.count >= 8
                && dmabufOps.contains(r.argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) })
        }) {
            return "the case maps a test dma-buf (IOMMU_TEST_OP_DMABUF_GET); the model has no dma-buf exporter"
        }
        guard records.contains(where: { $0.name == "IOMMU_IOAS_MAP_FILE" }) else { return nil }
        let pageChecks: Set<UInt32> = [SelftestOp.mdCheckMap.rawValue, SelftestOp.mdCheckRefs.rawValue, SelftestOp.accessPages.rawValue]
        let checksPages = records.contains { r in
            r.name == "IOMMU_TEST_CMD" && r.argument.count >= 8
                && pageChecks.contains(r.argument.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) })
        }
        return checksPages ? "the case compares memfd pages mapped with MAP_FILE against user memory mapping the same memfd; a replay cannot share those pages" : nil
    }

    /// Whether the calls mmap an iommufd fd (`iommufd_fops_mmap`: a vIOMMU's window). The
    /// Replayer skips mmap, and an object that a live mapping holds answers DESTROY with EBUSY,
    /// so the replay would diverge there. The fds of /dev/iommu (and of /dev/vfio/vfio, the
    /// same file under the compat layer) and of the target's `iommuPath` are followed from their
    /// open to their close.
    static func mapsIOMMUFD(_ records: [TraceRecord], iommuPath: String = "/dev/iommu") -> Bool {
        var iommufds: Set<Int32> = []
        for r in records {
            switch r.call {
            case .open where [iommuPath, "/dev/iommu", "/dev/vfio/vfio"].contains(r.name):
                if let fd = r.result { iommufds.insert(Int32(truncatingIfNeeded: fd)) }
            case .close:
                if r.errno == nil { iommufds.remove(r.fd) }
            case .mmap where iommufds.contains(r.fd):
                return true
            default:
                continue
            }
        }
        return false
    }

    /// The model a case's calls replay on: the selftest profile for cases without a device, else
    /// the profile of the first device's IOMMU with that device in it.
    static func matchingModel(for testCase: TestCase, on target: Target) -> Result<ModelBackend, Reason> {
        matchingModel(for: testCase, on: target, canWBS: { iortCanWBS($0) })
    }

    /// The firmware's CANWBS for an SMMUv3 device, which hw_info does not carry: every PCI root
    /// complex of the ACPI IORT (/sys/firmware/acpi/tables/IORT on the tested machine: through
    /// the agent on an agent target) sets it. nil without an IORT (device tree, or not Arm).
    static func iortCanWBS(_ files: SystemFiles) -> Bool? {
        files.read("/sys/firmware/acpi/tables/IORT").flatMap(iortRootComplexesCanWBS)
    }

    /// What the comparison takes from firmware, for the banner (nil when nothing).
    var firmwareNote: String? {
        guard let target, case .armSMMUv3? = target.devices.first?.hwInfo?.data else { return nil }
        switch Self.iortCanWBS(target.files) {
        case true?: return "the model's SMMUv3 is CANWBS: every PCI root complex of the IORT on \(target.files.place) sets it"
        case false?: return "the model's SMMUv3 is not CANWBS: a PCI root complex of the IORT on \(target.files.place) lacks it"
        case nil: return "the model's SMMUv3 is not CANWBS: no IORT with a PCI root complex on \(target.files.place)"
        }
    }

    static func matchingModel(for testCase: TestCase, on target: Target,
                              canWBS: (SystemFiles) -> Bool?) -> Result<ModelBackend, Reason> {
        guard testCase.needs.contains(.device), let device = target.devices.first else {
            return .success(ModelBackend(profile: .selftest))
        }
        if testCase.needs.contains(.eduDevice) {
            return .failure(Reason(message: "the model does not emulate the edu device's regions and DMA engine"))
        }
        guard let info = device.hwInfo else { return .failure(Reason(message: "the device's hw_info is unknown")) }
        let files = target.files
        guard let profile = ModelProfile.matching(info, commandLine: files.readText("/proc/cmdline"),
                                                  canWBS: canWBS(files) ?? false) else {
            return .failure(Reason(message: "the model has no profile for hw_info type \(info.typeName)"))
        }
        let group = device.pciAddress
            .flatMap { files.readLink("/sys/bus/pci/devices/\($0)/iommu_group") }
            .flatMap { Int(FileSystem.baseName($0)) } ?? 0
        // VFIO_DEVICE_FLAGS_RESET: the PCI core lists the reset methods it found.
        let resetMethods = device.pciAddress.flatMap { files.readText("/sys/bus/pci/devices/\($0)/reset_method") } ?? ""
        let modelDevice = ModelDevice(
            pciAddress: device.pciAddress ?? "0000:00:00.0", vendorID: device.vendorID ?? 0, deviceID: device.deviceID ?? 0,
            iommuGroup: group, pasidWidth: info.maxPASIDLog2, ats: !info.capabilities.contains(.pciATSNotSupported),
            dirtyTracking: info.capabilities.contains(.dirtyTracking), cdevName: FileSystem.baseName(device.path),
            pasidExec: info.capabilities.contains(.pciPASIDExec), pasidPriv: info.capabilities.contains(.pciPASIDPriv),
            resetWorks: !resetMethods.split(whereSeparator: { $0 == " " || $0 == "\n" }).isEmpty)
        return .success(ModelBackend(profile: profile, devices: [modelDevice]))
    }
}

/// Trace records collected in call order, taken out case by case.
final class RecordLog: Sendable {
    private let records = Mutex<[TraceRecord]>([])

    func append(_ record: TraceRecord) { records.withLock { $0.append(record) } }

    /// Everything recorded since the last take.
    func take() -> [TraceRecord] {
        records.withLock { records in
            defer { records.removeAll() }
            return records
        }
    }
}
