#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import IOMMUFD

/// `iommufd-harness nest`: walks the whole nested-translation flow for one device on this
/// machine, printing each step and what it proved.
struct NestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nest",
        abstract: "Walk the nested flow for one VFIO device: bind, hw_info, IOAS, nest parent, (vIOMMU), nested HWPT, attach, invalidate.",
        discussion: """
        Steps: bind the device to a new iommufd; read and decode hw_info; build a stage-2 IOAS with \
        guest memory mapped; allocate a NEST_PARENT HWPT and attach it; then, on Intel VT-d, a \
        nested stage-1 HWPT from a VTD_S1 config built from the decoded CAP (4- or 5-level), \
        attached and invalidated; on Arm SMMUv3, a vIOMMU, a vDEVICE (the vSID) and a vEVENTQ, \
        then nested HWPTs from abort, bypass and stage-1 vSTEs, each attached, and a TLBI_NH_ALL \
        through the vIOMMU. Everything is destroyed at the end, in the kernel's order.

        --keep leaves the device attached to the last nested HWPT for a manual DMA test and \
        releases everything on Ctrl-C (or SIGTERM).

        The device must be bound to vfio-pci first (scripts/vfio-bind BDF). Exit status: 0 the \
        flow completed, 1 a step failed (the step, the errno and the decoded reason are printed), \
        2 usage or environment error.

        Example:
          iommufd-harness nest --pci 0000:17:00.0
        """
    )

    @Option(name: .customLong("device"), help: "The VFIO cdev, e.g. /dev/vfio/devices/vfio0.")
    var device: String?

    @Option(name: .customLong("pci"), help: "The PCI address of a device bound to vfio-pci.")
    var pciAddress: String?

    @Option(help: "The virtual StreamID for the vDEVICE on SMMUv3.")
    var vsid: UInt64 = 0x10

    @Option(help: "The IOVA (guest physical address) where guest memory is mapped.")
    var guestBase: UInt64 = 0x8000_0000

    @Flag(help: "Stay attached to the nested HWPT until Ctrl-C, for a manual DMA test.")
    var keep = false

    func run() throws {
        let path: String
        switch (device, pciAddress) {
        case (let device?, nil): path = device
        case (nil, let pci?):
            do { path = try VFIODevice.cdevPath(pciAddress: pci) } catch { throw environmentError("\(error)") }
        default: throw environmentError("name exactly one device: --device PATH or --pci BDF")
        }
        let walk = NestWalk(path: path, vsid: vsid, guestBase: guestBase, keep: keep)
        do {
            try walk.run()
            emit("done: the nested flow completed; everything was destroyed")
        } catch let failure as NestWalk.StepFailure {
            emit("FAILED at step \(failure.step): \(failure.error)")
            for reason in failure.reasons { emit("  why: \(reason)") }
            throw ExitCode(1)
        }
    }
}

/// The steps of `nest`, each printed with what it proved.
final class NestWalk {
    struct StepFailure: Error {
        let step: String
        let error: IOMMUFDError
        let reasons: [String]
    }

    let path: String
    let vsid: UInt64
    let guestBase: UInt64
    let keep: Bool
    private var number = 0
    private var reasons: [String] = []

    init(path: String, vsid: UInt64, guestBase: UInt64, keep: Bool) {
        self.path = path
        self.vsid = vsid
        self.guestBase = guestBase
        self.keep = keep
    }

    private func step<T>(_ title: String, _ body: () throws(IOMMUFDError) -> T, proved: (T) -> String) throws -> T {
        number += 1
        do {
            let value = try body()
            emit(String(number).leftPadded(to: 2) + ". \(title): \(proved(value))")
            return value
        } catch {
            throw StepFailure(step: "\(number) (\(title))", error: error, reasons: reasons)
        }
    }

    func run() throws {
        let ctx = try step("open /dev/iommu", { () throws(IOMMUFDError) in try IOMMUFD() }) { "fd \($0.fd)" }
        let device = try step("open \(path)", { () throws(IOMMUFDError) in try VFIODevice(path: path) }) { "fd \($0.fd)" }
        try step("VFIO_DEVICE_BIND_IOMMUFD", { () throws(IOMMUFDError) in try device.bind(to: ctx) }) { "dev_id \(device.boundID)" }
        let info = try step("IOMMU_GET_HW_INFO", { () throws(IOMMUFDError) in try device.hwInfo() }) {
            "type \($0.typeName), capabilities \(hex($0.capabilities.rawValue)), max_pasid_log2 \($0.maxPASIDLog2)"
        }
        let verdict: NestingVerdict?
        switch info.data {
        case .intelVTD(_, let cap, let ecap):
            verdict = NestingVerdict.vtd(cap: VTDCapability(rawValue: cap), ecap: VTDExtendedCapability(rawValue: ecap),
                                         scalableModeEnabled: scalableModeFromCommandLine(FileSystem.readText("/proc/cmdline")))
        case .armSMMUv3(_, let idr, let iidr, let aidr):
            verdict = SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr).nestingVerdict()
        default:
            verdict = nil
        }
        if let verdict {
            reasons = verdict.reasons
            emit("    decoded: nest parent \(verdict.canAllocateNestParent ? "possible" : "not possible")"
                 + (verdict.reasons.isEmpty ? "" : " (\(verdict.reasons.joined(separator: "; ")))"))
        }
        let ioas = try step("IOMMU_IOAS_ALLOC", { () throws(IOMMUFDError) in try ctx.allocIOAS() }) { "ioas \($0.id)" }
        let guest = GuestMemory(length: 2 << 20)
        try step("IOMMU_IOAS_MAP guest memory", { () throws(IOMMUFDError) in try ioas.map(guest.buffer, iova: guestBase) }) {
            "2 MiB at IOVA \(hex($0))"
        }
        let parent = try step("IOMMU_HWPT_ALLOC NEST_PARENT", { () throws(IOMMUFDError) in
            try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        }) { "hwpt \($0.id): the IOMMU builds stage-2 tables that nested HWPTs can sit on" }
        try step("attach the nest parent", { () throws(IOMMUFDError) in try device.attach(to: parent) }) { "hwpt \($0): DMA goes through stage 2" }

        switch info.data {
        case .intelVTD(_, let cap, _):
            let fiveLevel = cap >> 60 & 1 == 1
            let config = try makeConfig(fiveLevel: fiveLevel)
            let nested = try step("IOMMU_HWPT_ALLOC nested VTD_S1 (\(fiveLevel ? 57 : 48)-bit)", { () throws(IOMMUFDError) in
                try ctx.allocNestedHWPT(device: device, parent: parent, data: HWPTData(type: HWPTData.typeVTDStage1, bytes: config.bytes))
            }) { "hwpt \($0.id) with its stage-1 root at IOVA \(hex(guestBase))" }
            try step("attach the nested HWPT", { () throws(IOMMUFDError) in try device.attach(to: nested) }) { "hwpt \($0): the PASID entry is in nested mode" }
            try step("IOMMU_HWPT_INVALIDATE all", { () throws(IOMMUFDError) in
                try nested.invalidate(InvalidationRequest(dataType: InvalidationRequest.typeVTDStage1, entryLength: 24, entries: [VTDStage1Invalidation.all.bytes]))
            }) { "\($0) entry handled" }
            if keep { waitForSignal(attachedTo: nested.id) }
        case .armSMMUv3:
            let viommu = try step("IOMMU_VIOMMU_ALLOC ARM_SMMUV3", { () throws(IOMMUFDError) in
                try ctx.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue)
            }) { "viommu \($0.id) on the parent's VMID" }
            let vdevice = try step("IOMMU_VDEVICE_ALLOC vSID \(hex(vsid))", { () throws(IOMMUFDError) in
                try viommu.allocVDevice(device: device, virtualID: vsid)
            }) { "vdevice \($0.id)" }
            let events = try step("IOMMU_VEVENTQ_ALLOC", { () throws(IOMMUFDError) in try viommu.allocEventQueue(type: 1, depth: 64) }) {
                "veventq \($0.id), fd \($0.fd)"
            }
            var last: HWPTNested?
            for (name, vste) in [("abort", SMMUv3VSTE.abort), ("bypass", SMMUv3VSTE.bypass)] {
                let nested = try step("nested HWPT from a \(name) vSTE", { () throws(IOMMUFDError) in
                    try viommu.allocNestedHWPT(device: device, data: HWPTData(type: HWPTData.typeARMSMMUv3, bytes: vste.bytes))
                }) { "hwpt \($0.id)" }
                try step("attach it", { () throws(IOMMUFDError) in try device.attach(to: nested) }) { "hwpt \($0)" }
                last = nested
            }
            let tlbi = try SMMUv3Command(.tlbiNHAll).bytes
            try step("TLBI_NH_ALL through the vIOMMU", { () throws(IOMMUFDError) in
                try viommu.invalidate(InvalidationRequest(dataType: InvalidationRequest.typeARMSMMUv3, entryLength: 16, entries: [tlbi]))
            }) { "\($0) command handled" }
            _ = try step("read the vEVENTQ", { () throws(IOMMUFDError) in try events.read() }) { "\($0.count) entries" }
            if keep, let last { waitForSignal(attachedTo: last.id) }
            withExtendedLifetime(vdevice) {}
        default:
            emit("    hw_info type \(info.typeName): no nested payload this tool knows; stopping after the nest parent")
        }
        try step("detach", { () throws(IOMMUFDError) in try device.detach() }) { _ in "the device blocks DMA" }
        withExtendedLifetime((ctx, guest)) {}
    }

    /// A stage-1 config whose root table is the first (zeroed) page of guest memory.
    private func makeConfig(fiveLevel: Bool) throws -> VTDStage1Config {
        do {
            return try VTDStage1Config(pageTableAddress: guestBase, addressWidth: fiveLevel ? .fiveLevel : .fourLevel)
        } catch {
            throw ValidationError("cannot build the stage-1 config: \(error)")
        }
    }

    private func waitForSignal(attachedTo hwpt: UInt32) {
        emit("    --keep: attached to hwpt \(hwpt); press Ctrl-C (or send SIGTERM) to release everything")
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var received: Int32 = 0
        sigwait(&set, &received)
        emit("    signal \(received): releasing")
    }
}

/// Anonymous, zero-filled, page-aligned memory standing in for guest RAM.
final class GuestMemory {
    let buffer: UnsafeMutableRawBufferPointer
    init(length: Int) {
        let p = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        precondition(p != MAP_FAILED, "mmap of guest memory failed")
        buffer = UnsafeMutableRawBufferPointer(start: p, count: length)
    }
    deinit { munmap(buffer.baseAddress, buffer.count) }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
