#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// The arm64 lane's cases: our typed API, over `AgentBackend`, against Linux 7.2's SMMUv3
/// driver in an arm64 guest (QEMU 11 `virt,iommu=smmuv3`, UEFI + ACPI with a CANWBS IORT), with
/// QEMU's edu device doing the DMA. One case per step; a case whose prerequisite failed skips.
final class NestedLane {
    let agent: AgentBackend
    let ktap = KTAPWriter()
    let pciAddress: String?

    // Guest-side addresses. Every bus address edu sees stays below 2^28 (its DMA mask) and off
    // the SMMU's software MSI window (0x8000000, 1 MiB).
    /// The guest's "RAM" in the nest parent's IOAS (IPA space): 16 pages.
    static let guestIPA: UInt64 = 0x0100_0000
    /// Stage-1 virtual addresses the tables map.
    static let vaSource: UInt64 = 0x0040_0000
    static let vaDestination: UInt64 = 0x0040_1000
    static let vaUnmapped: UInt64 = 0x0040_2000
    static let vSID: UInt64 = 0x10
    static let dmaLength: UInt64 = 1024

    // Pages of guest memory.
    enum Page {
        static let cdTable = 0, l1 = 1, l2 = 2, l3 = 3, source = 4, destination = 5, remapped = 6
        static let l1b = 7, l2b = 8, l3b = 9, destinationB = 10, stage2Source = 11, stage2Destination = 12
        static let count = 16
    }

    // State built up by the cases.
    var ctx: IOMMUFD?
    var device: VFIODevice?
    var cdevPath: String?
    var registers: SMMUv3Registers?
    var canWBS: Bool?
    var edu: Edu?
    var parent: HWPTPaging?
    var guestIOAS: IOAS?
    var guest: DMAMemory?
    var viommu: VIOMMU?
    var vdevice: VDevice?
    var events: EventQueue?
    var nestedS1: HWPTNested?

    init(agent: AgentBackend, pciAddress: String?) {
        self.agent = agent
        self.pciAddress = pciAddress
    }

    func need<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw LaneSkip("needs \(what)") }
        return value
    }

    var cases: [(String, () throws -> Void)] {
        [
            ("agent_version", agentVersion),
            ("open_dev_iommu", openIOMMUFD),
            ("find_edu_vfio_cdev", findEdu),
            ("bind_edu_to_iommufd", bindEdu),
            ("iort_root_complex_canwbs", iortCANWBS),
            ("hw_info_decoded_as_smmuv3", hwInfo),
            ("edu_bar0_through_agent_mmio", eduBAR),
            ("ioas_attach_dma_round_trip", ioasDMA),
            ("nest_parent_alloc", nestParentAlloc),
            ("nest_parent_attach_dma_through_stage2", nestParentDMA),
            ("viommu_alloc_arm_smmuv3", viommuAlloc),
            ("vdevice_alloc_vsid_0x10", vdeviceAlloc),
            ("veventq_alloc_depth_64", veventqAlloc),
            ("nested_vste_rejected_with_eio", vsteRejected),
            ("nested_vste_abort_blocks_dma", vsteAbort),
            ("nested_vste_invalid_acts_as_abort", vsteInvalid),
            ("nested_vste_bypass_dma_through_stage2", vsteBypass),
            ("nested_vste_stage1_dma_lands_where_tables_say", vsteStage1),
            ("invalidate_pte_change_needs_tlbi_nh_all", invalidatePTE),
            ("invalidate_cd_change_needs_cfgi_cd", invalidateCD),
            ("invalidate_accepted_opcodes", invalidateAccepted),
            ("invalidate_rejected_with_eio", invalidateRejected),
            ("veventq_f_translation_carries_vsid", faultEvent),
            ("veventq_overflow_reports_lost_events", lostEvents),
            ("stage2_fault_not_forwarded_to_veventq", stage2Fault),
            ("teardown_leaves_nothing", teardown),
        ]
    }

    func run() -> Int32 {
        let list = cases
        ktap.header(plan: list.count, suite: "arm64-smmuv3-agent")
        for (name, body) in list { ktap.run(name, body) }
        ktap.diagnostic("totals: pass \(ktap.passed), fail \(ktap.failed), skip \(ktap.skipped); agent requests \(agent.connection.requestCount), bytes sent \(agent.connection.bytesSent), received \(agent.connection.bytesReceived)")
        return ktap.failed == 0 ? 0 : 1
    }

    // MARK: Setup

    func agentVersion() throws {
        let v = agent.agentVersion
        ktap.diagnostic("agent: \(v.text), page size \(v.pageSize), max payload \(v.maxPayload)")
        try check(v.text.contains("aarch64"), "the agent runs on aarch64")
    }

    func openIOMMUFD() throws {
        ctx = try IOMMUFD(path: "/dev/iommu", backend: agent)
    }

    func text(_ path: String) -> String? {
        guard case .success(let bytes) = agent.readFile(path) else { return nil }
        var s = String(decoding: bytes, as: UTF8.self)
        while s.last == "\n" { s.removeLast() }
        return s
    }

    func findEdu() throws {
        let devices = try agent.listDirectory("/sys/bus/pci/devices").get()
        let bdf: String
        if let pciAddress {
            bdf = pciAddress
        } else {
            guard let found = devices.sorted().first(where: {
                text("/sys/bus/pci/devices/\($0)/vendor") == "0x1234" && text("/sys/bus/pci/devices/\($0)/device") == "0x11e8"
            }) else { throw LaneFailure("no edu (1234:11e8) among \(devices)") }
            bdf = found
        }
        let dir = "/sys/bus/pci/devices/\(bdf)"
        let driver = (try? agent.readLink(dir + "/driver").get()).map { String($0.split(separator: "/").last ?? "") } ?? "none"
        ktap.diagnostic("edu at \(bdf), driver \(driver), iommu group \((try? agent.readLink(dir + "/iommu_group").get()).map { String($0.split(separator: "/").last ?? "") } ?? "none")")
        try checkEqual(driver, "vfio-pci", "edu's driver")
        let names = try agent.listDirectory(dir + "/vfio-dev").get()
        guard let name = names.first(where: { $0.hasPrefix("vfio") }) else { throw LaneFailure("no vfio-dev entry in \(dir)") }
        cdevPath = "/dev/vfio/devices/\(name)"
        ktap.diagnostic("cdev \(cdevPath!)")
    }

    func bindEdu() throws {
        let ctx = try need(ctx, "/dev/iommu")
        let path = try need(cdevPath, "the edu cdev")
        let device = try VFIODevice(path: path, backend: agent)
        try device.bind(to: ctx)
        self.device = device
        ktap.diagnostic("bound: dev_id \(device.boundID)")
    }

    func iortCANWBS() throws {
        let bytes = try agent.readFile("/sys/firmware/acpi/tables/IORT").get()
        let table = try IORTTable(bytes)
        let flags = try table.rootComplexFlags()
        ktap.diagnostic("IORT: \(bytes.count) bytes, OEM revision \(table.oemRevision), checksum \(table.checksumIsValid ? "valid" : "INVALID"), root complex memory flags \(flags.map { "\(hexString($0.flags)) at \($0.offset)" })")
        canWBS = !flags.isEmpty && flags.allSatisfy { $0.flags & IORTTable.canWBS != 0 }
        try check(canWBS == true, "every IORT root complex has CANWBS (the initrd's table upgrade took effect)")
        try check(table.checksumIsValid, "the IORT checksum is valid")
    }

    func hwInfo() throws {
        let ctx = try need(ctx, "/dev/iommu")
        let device = try need(device, "a bound edu")
        let info = try ctx.hwInfo(deviceID: device.boundID)
        try checkEqual(info.typeName, "ARM_SMMUV3", "hw_info type")
        guard case .armSMMUv3(let flags, let idr, let iidr, let aidr) = info.data else { throw LaneFailure("hw_info data \(info.data)") }
        let regs = SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr)
        registers = regs
        ktap.diagnostic("flags \(hexString(flags)) IDR0..5 \(idr.map { hexString($0) }) IIDR \(hexString(iidr)) AIDR \(hexString(aidr)) out_capabilities \(hexString(info.capabilities.rawValue))")
        for d in regs.derived { ktap.diagnostic("  \(d.label): \(d.text)") }
        let verdict = regs.nestingVerdict(canWBS: canWBS ?? false)
        for (label, text) in verdict.answers { ktap.diagnostic("  verdict: \(label): \(text)") }
        for r in verdict.reasons { ktap.diagnostic("  reason: \(r)") }
        try check(regs.idr0.stage1 && regs.idr0.stage2, "IDR0 has S1P and S2P (QEMU 11 emulates both stages)")
        try check(verdict.canAllocateNestParent, "the decoder predicts NEST_PARENT allocates")
        try check(verdict.canCreateVIOMMU == (canWBS ?? false) || regs.idr3.stage2ForcedWriteBack,
                  "the decoder's vIOMMU answer follows FWB/CANWBS")
    }

    func eduBAR() throws {
        let device = try need(device, "a bound edu")
        try device.enablePCIBusMaster()
        let region = try device.regionInfo(0)
        let bar = try agent.mmio(fd: device.fd, region: region).get()
        let id = try bar.read32(Edu.identification)
        ktap.diagnostic("BAR0 \(hexString(region.size)) bytes at region offset \(hexString(region.offset)); identification \(hexString(id))")
        try checkEqual(id & 0xff, 0xed, "edu identification register")
        edu = Edu(bar: bar)
    }

    // MARK: Without nesting

    func ioasDMA() throws {
        let ctx = try need(ctx, "/dev/iommu")
        let device = try need(device, "a bound edu")
        let edu = try need(edu, "edu's BAR")
        let ioas = try ctx.allocIOAS()
        let memory = try DMAMemory(agent: agent, pages: 2, ioas: ioas, iova: 0x10_0000)
        let victim = try DMAMemory(agent: agent, pages: 1, ioas: ioas, iova: 0x30_0000)
        try memory.fill(page: 0, pattern: 0x3c)
        let hwpt = try device.attach(to: ioas)
        ktap.diagnostic("attached to IOAS \(ioas.id): automatic HWPT \(hwpt)")
        try edu.copy(from: memory.address(page: 0), to: memory.address(page: 1), length: Self.dmaLength)
        try checkEqual(try memory.read(page: 1, count: Int(Self.dmaLength)), DMAMemory.pattern(0x3c, count: Int(Self.dmaLength)),
                       "IOVA 0x101000 after DMA from 0x100000")
        // Unmap the victim and write there: nothing may land in the memory that was mapped.
        try checkEqual(try ioas.unmap(iova: victim.iova, length: 4096), 4096, "UNMAP of the victim page")
        try edu.transfer(address: victim.iova, length: Self.dmaLength, toDevice: false)
        try check(try victim.read(page: 0).allSatisfy { $0 == 0 }, "a DMA to the unmapped IOVA \(hexString(victim.iova)) did not land")
        try device.detach()
        try ioas.destroy()
    }

    // MARK: Nest parent (stage 2)

    func nestParentAlloc() throws {
        let ctx = try need(ctx, "/dev/iommu")
        let device = try need(device, "a bound edu")
        let ioas = try ctx.allocIOAS()
        guestIOAS = ioas
        guest = try DMAMemory(agent: agent, pages: Page.count, ioas: ioas, iova: Self.guestIPA)
        parent = try ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent)
        ktap.diagnostic("guest RAM: \(Page.count) pages at IPA \(hexString(Self.guestIPA)) in IOAS \(ioas.id); nest parent HWPT \(parent!.id)")
    }

    func nestParentDMA() throws {
        let device = try need(device, "a bound edu")
        let edu = try need(edu, "edu's BAR")
        let parent = try need(parent, "the nest parent")
        let guest = try need(guest, "guest memory")
        try device.attach(to: parent)
        try guest.fill(page: Page.stage2Source, pattern: 0x51)
        try edu.copy(from: guest.address(page: Page.stage2Source), to: guest.address(page: Page.stage2Destination), length: Self.dmaLength)
        try checkEqual(try guest.read(page: Page.stage2Destination, count: Int(Self.dmaLength)),
                       DMAMemory.pattern(0x51, count: Int(Self.dmaLength)), "IPA page \(Page.stage2Destination) after a stage-2 DMA")
    }

    // MARK: vIOMMU family

    func viommuAlloc() throws {
        let ctx = try need(ctx, "/dev/iommu")
        let device = try need(device, "a bound edu")
        let parent = try need(parent, "the nest parent")
        viommu = try ctx.allocVIOMMU(device: device, parent: parent, type: VIOMMUType.armSMMUv3.rawValue)
        ktap.diagnostic("vIOMMU \(viommu!.id)")
    }

    func vdeviceAlloc() throws {
        let viommu = try need(viommu, "the vIOMMU")
        let device = try need(device, "a bound edu")
        vdevice = try viommu.allocVDevice(device: device, virtualID: Self.vSID)
        ktap.diagnostic("vDEVICE \(vdevice!.id), vSID \(hexString(Self.vSID))")
    }

    func veventqAlloc() throws {
        let viommu = try need(viommu, "the vIOMMU")
        events = try viommu.allocEventQueue(type: SMMUv3Event.veventqType, depth: 64)
        ktap.diagnostic("vEVENTQ \(events!.id), fd \(events!.fd) (in the guest)")
        try check(try events!.read().isEmpty, "a new vEVENTQ is empty")
    }

    func nested(_ vste: SMMUv3VSTE) throws(IOMMUFDError) -> HWPTNested {
        try viommu!.allocNestedHWPT(device: device!, data: HWPTData(type: SMMUv3VSTE.hwptDataType, bytes: vste.bytes))
    }

    func vsteRejected() throws {
        _ = try need(viommu, "the vIOMMU")
        let stage2Only = SMMUv3VSTE(uncheckedWord0: 1 | 6 << 1, word1: 0)
        let extraBit = SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 1 << 40)
        let badEATS = SMMUv3VSTE(uncheckedWord0: SMMUv3VSTE.bypass.word0, word1: 2 << 28)
        for (what, vste) in [("Config=S2 (6)", stage2Only), ("dword1 bit 40 outside the allowed mask", extraBit), ("EATS=2", badEATS)] {
            try check(vste.kernelRejects, "the builder predicts EIO for \(what)")
            try expectErrno(.EIO, "nested HWPT from a vSTE with \(what)") { () throws(IOMMUFDError) in _ = try nested(vste) }
        }
    }

    /// Sets a known pattern in the destination page, then DMAs a source pattern to `address`.
    func dmaPattern(to address: UInt64, seed: UInt8, through sourceAddress: UInt64? = nil) throws {
        let edu = try need(edu, "edu's BAR")
        let guest = try need(guest, "guest memory")
        try guest.fill(page: Page.stage2Source, pattern: seed)
        try edu.transfer(address: sourceAddress ?? guest.address(page: Page.stage2Source), length: Self.dmaLength, toDevice: true)
        try edu.transfer(address: address, length: Self.dmaLength, toDevice: false)
    }

    func vsteAbort() throws {
        let device = try need(device, "a bound edu")
        let guest = try need(guest, "guest memory")
        _ = try need(viommu, "the vIOMMU")
        let hwpt = try nested(.abort)
        try device.attach(to: hwpt)
        try guest.write(Page.stage2Destination * 4096, [UInt8](repeating: 0xA5, count: 4096))
        try dmaPattern(to: guest.address(page: Page.stage2Destination), seed: 0x11)
        try check(try guest.read(page: Page.stage2Destination).allSatisfy { $0 == 0xA5 }, "nothing moved under an abort vSTE")
        let seen = try events?.read() ?? []
        try check(seen.isEmpty, "no event for the guest's own abort config (got \(seen.count))")
        try device.attach(to: parent!)
        try hwpt.destroy()
    }

    func vsteInvalid() throws {
        let device = try need(device, "a bound edu")
        let guest = try need(guest, "guest memory")
        _ = try need(viommu, "the vIOMMU")
        try check(!SMMUv3VSTE.invalid.kernelRejects, "the builder predicts V=0 is accepted")
        let hwpt = try nested(.invalid)
        try device.attach(to: hwpt)
        try guest.write(Page.stage2Destination * 4096, [UInt8](repeating: 0x5A, count: 4096))
        try dmaPattern(to: guest.address(page: Page.stage2Destination), seed: 0x12)
        try check(try guest.read(page: Page.stage2Destination).allSatisfy { $0 == 0x5A }, "nothing moved under a V=0 vSTE")
        _ = try events?.read()
        try device.attach(to: parent!)
        try hwpt.destroy()
    }

    func vsteBypass() throws {
        let device = try need(device, "a bound edu")
        let guest = try need(guest, "guest memory")
        _ = try need(viommu, "the vIOMMU")
        let hwpt = try nested(.bypass)
        try device.attach(to: hwpt)
        try dmaPattern(to: guest.address(page: Page.stage2Destination), seed: 0x13)
        try checkEqual(try guest.read(page: Page.stage2Destination, count: Int(Self.dmaLength)),
                       DMAMemory.pattern(0x13, count: Int(Self.dmaLength)), "the IPA page after a DMA under a bypass vSTE")
        try device.attach(to: parent!)
        try hwpt.destroy()
    }

    // MARK: Stage 1

    /// Writes the CD table and the stage-1 tables: VA source → IPA page `source`, VA destination
    /// → IPA page `destination` (`destinationPage`), VA unmapped → nothing.
    func writeStage1Tables(l1: Int, l2: Int, l3: Int, destinationPage: Int) throws {
        let guest = try need(guest, "guest memory")
        for page in [l1, l2, l3] { try guest.write(page * 4096, [UInt8](repeating: 0, count: 4096)) }
        let va = Self.vaSource
        try guest.write64(l1 * 4096 + 8 * Stage1.l1Index(va), Stage1.table(guest.address(page: l2)))
        try guest.write64(l2 * 4096 + 8 * Stage1.l2Index(va), Stage1.table(guest.address(page: l3)))
        try guest.write64(l3 * 4096 + 8 * Stage1.l3Index(Self.vaSource), Stage1.page(guest.address(page: Page.source)))
        try guest.write64(l3 * 4096 + 8 * Stage1.l3Index(Self.vaDestination), Stage1.page(guest.address(page: destinationPage)))
    }

    func writeCD(asid: UInt16, l1: Int) throws {
        let guest = try need(guest, "guest memory")
        let cd = try SMMUv3ContextDescriptor(asid: asid, ttb0: guest.address(page: l1), t0sz: Stage1.t0sz, ips: .bits44)
        try guest.write(Page.cdTable * 4096, cd.bytes)
    }

    /// DMAs a fresh pattern from VA source to VA destination; returns the pattern.
    func stage1Copy(seed: UInt8) throws -> [UInt8] {
        let edu = try need(edu, "edu's BAR")
        let guest = try need(guest, "guest memory")
        try guest.fill(page: Page.source, pattern: seed)
        try edu.copy(from: Self.vaSource, to: Self.vaDestination, length: Self.dmaLength)
        return DMAMemory.pattern(seed, count: Int(Self.dmaLength))
    }

    func landed(_ pattern: [UInt8], page: Int) throws -> Bool {
        try need(guest, "guest memory").read(page: page, count: pattern.count) == pattern
    }

    func vsteStage1() throws {
        let device = try need(device, "a bound edu")
        let guest = try need(guest, "guest memory")
        _ = try need(viommu, "the vIOMMU")
        try writeStage1Tables(l1: Page.l1, l2: Page.l2, l3: Page.l3, destinationPage: Page.destination)
        try writeCD(asid: 1, l1: Page.l1)
        for page in [Page.destination, Page.remapped, Page.destinationB] {
            try guest.write(page * 4096, [UInt8](repeating: 0, count: 4096))
        }
        let vste = try SMMUv3VSTE.translate(contextDescriptorTable: guest.address(page: Page.cdTable))
        ktap.diagnostic("vSTE \(hexString(vste.word0)) \(hexString(vste.word1)); CD table at IPA \(hexString(guest.address(page: Page.cdTable))), TTB0 \(hexString(guest.address(page: Page.l1)))")
        let hwpt = try nested(vste)
        try device.attach(to: hwpt)
        nestedS1 = hwpt
        let pattern = try stage1Copy(seed: 0x21)
        try check(try landed(pattern, page: Page.destination),
                  "VA \(hexString(Self.vaDestination)) wrote IPA \(hexString(guest.address(page: Page.destination))) (the tables' page)")
        try check(try guest.read(page: Page.remapped).allSatisfy { $0 == 0 }, "no other page was written")
        let seen = try events?.read() ?? []
        try check(seen.isEmpty, "no fault events for mapped VAs (got \(seen.count))")
    }

    func invalidate(_ commands: [SMMUv3Command]) throws(IOMMUFDError) -> Int {
        try viommu!.invalidate(InvalidationRequest(dataType: SMMUv3Command.invalidationDataType, entryLength: UInt32(SMMUv3Command.size),
                                                   entries: commands.map(\.bytes)))
    }

    func invalidatePTE() throws {
        _ = try need(nestedS1, "the stage-1 nested HWPT")
        let guest = try need(guest, "guest memory")
        // Point VA destination at another page; the SMMU's TLB still holds the old translation.
        try guest.write64(Page.l3 * 4096 + 8 * Stage1.l3Index(Self.vaDestination), Stage1.page(guest.address(page: Page.remapped)))
        let before = try stage1Copy(seed: 0x22)
        let stale = try landed(before, page: Page.destination)
        ktap.diagnostic("after the PTE edit, before TLBI: DMA went to the \(stale ? "old page (cached translation)" : try landed(before, page: Page.remapped) ? "new page" : "nowhere")")
        try check(stale, "the changed PTE is not used before TLBI_NH_ALL")
        try checkEqual(try invalidate([.tlbiNHAll]), 1, "TLBI_NH_ALL entries handled")
        let after = try stage1Copy(seed: 0x23)
        try check(try landed(after, page: Page.remapped), "after TLBI_NH_ALL the DMA uses the new PTE")
    }

    func invalidateCD() throws {
        _ = try need(nestedS1, "the stage-1 nested HWPT")
        // A second table set maps VA destination to page destinationB; switch the CD to it (with
        // a new ASID, so that no TLB entry of the old one can answer).
        try writeStage1Tables(l1: Page.l1b, l2: Page.l2b, l3: Page.l3b, destinationPage: Page.destinationB)
        try writeCD(asid: 2, l1: Page.l1b)
        let before = try stage1Copy(seed: 0x24)
        let stale = try landed(before, page: Page.remapped)
        ktap.diagnostic("after the CD edit, before CFGI_CD: DMA went to the \(stale ? "old tables' page (cached CD)" : try landed(before, page: Page.destinationB) ? "new tables' page" : "nowhere")")
        try check(stale, "the changed CD is not used before CFGI_CD")
        try checkEqual(try invalidate([SMMUv3Command(.cfgiCD(streamID: UInt32(Self.vSID), substreamID: 0))]), 1, "CFGI_CD entries handled")
        let after = try stage1Copy(seed: 0x25)
        try check(try landed(after, page: Page.destinationB), "after CFGI_CD for vSID \(hexString(Self.vSID)) the DMA uses the new tables")
    }

    func invalidateAccepted() throws {
        _ = try need(viommu, "the vIOMMU")
        let commands: [(String, SMMUv3Command)] = [
            ("TLBI_NSNH_ALL", .tlbiNSNHAll),
            ("TLBI_NH_ASID", try SMMUv3Command(.tlbiNHASID(asid: 2))),
            ("TLBI_NH_VA", try SMMUv3Command(.tlbiNHVA(asid: 2, address: Self.vaDestination, leaf: true))),
            ("CFGI_CD_ALL", try SMMUv3Command(.cfgiCDAll(streamID: UInt32(Self.vSID)))),
        ]
        for (name, command) in commands {
            try checkEqual(try invalidate([command]), 1, "\(name) entries handled")
        }
        try checkEqual(try invalidate(commands.map(\.1)), commands.count, "all four in one call")
        // The stream still translates after all of that.
        let pattern = try stage1Copy(seed: 0x26)
        try check(try landed(pattern, page: Page.destinationB), "DMA still lands after the invalidations")
    }

    func invalidateRejected() throws {
        _ = try need(viommu, "the vIOMMU")
        let cases: [(String, SMMUv3Command)] = [
            ("CFGI_STE (0x03)", SMMUv3Command(rawOpcode: 0x03)),
            ("TLBI_S12_VMALL (0x28)", SMMUv3Command(rawOpcode: 0x28)),
            ("CFGI_CD for unknown vSID 0x99", try SMMUv3Command(.cfgiCD(streamID: 0x99, substreamID: 0))),
        ]
        for (name, command) in cases {
            let error = try expectErrno(.EIO, name) { () throws(IOMMUFDError) in _ = try invalidate([command]) }
            try checkEqual(error.entriesHandled, 0, "\(name): entries handled")
        }
        // A good command before a bad one: the kernel reports how far it got.
        let error = try expectErrno(.EIO, "TLBI_NH_ALL then CFGI_STE") { () throws(IOMMUFDError) in _ = try invalidate([.tlbiNHAll, SMMUv3Command(rawOpcode: 0x03)]) }
        ktap.diagnostic("TLBI_NH_ALL + CFGI_STE: EIO, entries handled \(error.entriesHandled.map(String.init) ?? "?")")
    }

    /// Reads the vEVENTQ until `want` items arrive or about 3 s pass.
    func drainEvents(atLeast want: Int) throws -> [VEventStreamParser.Item] {
        let queue = try need(events, "the vEVENTQ")
        var items: [VEventStreamParser.Item] = []
        for _ in 0..<60 {
            items += try queue.read()
            if items.count >= want { break }
            usleep(50_000)
        }
        // Whatever arrives late belongs to this case too.
        usleep(100_000)
        items += try queue.read()
        return items
    }

    func faultEvent() throws {
        let edu = try need(edu, "edu's BAR")
        _ = try need(nestedS1, "the stage-1 nested HWPT")
        _ = try drainEvents(atLeast: 0)
        // 4 bytes: one access, one fault.
        try edu.transfer(address: Self.vaUnmapped, length: 4, toDevice: true)
        let items = try drainEvents(atLeast: 1)
        var faults: [SMMUv3Event] = []
        for item in items {
            if case .event(let record) = item { faults.append(try record.decode(as: SMMUv3Event.self)) }
        }
        for f in faults.prefix(4) {
            ktap.diagnostic("event \(f.eventType?.mnemonic ?? hexString(f.eventID)) sid \(hexString(f.streamID)) input \(hexString(f.inputAddress)) read \(f.read) class \(f.faultClass.map { "\($0)" } ?? "?") s2 \(f.stage2)")
        }
        try check(!faults.isEmpty, "at least one event arrived (items: \(items.count))")
        try check(faults.allSatisfy { $0.eventType == .translationFault }, "every event is F_TRANSLATION")
        try check(faults.allSatisfy { $0.streamID == UInt32(Self.vSID) }, "every event carries the vSID \(hexString(Self.vSID)), not the physical SID")
        try check(faults.contains { $0.inputAddress == Self.vaUnmapped }, "an event names the unmapped VA \(hexString(Self.vaUnmapped))")
    }

    func lostEvents() throws {
        let edu = try need(edu, "edu's BAR")
        _ = try need(nestedS1, "the stage-1 nested HWPT")
        _ = try drainEvents(atLeast: 0)
        // 1 KiB: QEMU translates each 4-byte access on its own, 256 faults into a 64-deep queue.
        try edu.transfer(address: Self.vaUnmapped, length: 1024, toDevice: true)
        usleep(300_000)
        let items = try drainEvents(atLeast: 65)
        var count = 0
        var lost: [VEventStreamParser.Item] = []
        for item in items {
            switch item {
            case .event: count += 1
            case .lost, .gap: lost.append(item)
            default: break
            }
        }
        ktap.diagnostic("read \(count) events and \(lost.count) loss markers: \(lost.prefix(3))")
        try check(count <= 64, "no more events than the queue's depth")
        try check(lost.contains { if case .lost = $0 { return true } else { return false } }, "a LOST_EVENTS header reports the overflow")
        // The queue works again after the overflow was read.
        _ = try drainEvents(atLeast: 0)
        try edu.transfer(address: Self.vaUnmapped, length: 4, toDevice: true)
        let again = try drainEvents(atLeast: 1)
        try check(again.contains { if case .event = $0 { return true } else { return false } }, "events arrive again after the overflow")
    }

    /// A CD table the nest parent does not map: the SMMU faults at stage 2 while fetching the
    /// CD. The host kernel logs it; only stage-1 faults reach the guest's vEVENTQ.
    func stage2Fault() throws {
        let device = try need(device, "a bound edu")
        let edu = try need(edu, "edu's BAR")
        let s1 = try need(nestedS1, "the stage-1 nested HWPT")
        _ = try drainEvents(atLeast: 0)
        let unmappedIPA: UInt64 = 0x0200_0000
        let hwpt = try nested(try SMMUv3VSTE.translate(contextDescriptorTable: unmappedIPA))
        try device.attach(to: hwpt)
        try edu.transfer(address: Self.vaSource, length: 4, toDevice: true)
        usleep(300_000)
        let items = try events?.read() ?? []
        try device.attach(to: s1)
        try hwpt.destroy()
        try check(items.isEmpty, "no event reached the vEVENTQ for a stage-2 fault (got \(items.count))")
        let pattern = try stage1Copy(seed: 0x27)
        try check(try landed(pattern, page: Page.destinationB), "the stage-1 HWPT translates again after the switch back")
    }

    func teardown() throws {
        let ctx = try need(ctx, "/dev/iommu")
        if let device { try device.detach() }
        try events?.destroy()
        events = nil
        try nestedS1?.destroy()
        nestedS1 = nil
        try vdevice?.destroy()
        vdevice = nil
        try viommu?.destroy()
        viommu = nil
        try parent?.destroy()
        parent = nil
        if let guestIOAS {
            _ = try guestIOAS.unmapAll()
            try guestIOAS.destroy()
        }
        guestIOAS = nil
        let live = ctx.liveObjects.filter { $0.kind != .device }
        try check(live.isEmpty, "no objects left in the context (left: \(live))")
        try check(ctx.cleanupFailures.isEmpty, "no failed automatic destroys (\(ctx.cleanupFailures))")
        guest = nil
        edu = nil
        agent.releaseRegions()
    }
}
