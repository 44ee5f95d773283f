#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// QEMU's edu device (hw/misc/edu.c): BAR0 registers that start a DMA between the device's
/// 4 KiB buffer (at device address 0x40000) and an IOVA, translated by the IOMMU.
struct EduDevice {
    static let identification = 0x00
    static let dmaSource = 0x80
    static let dmaDestination = 0x88
    static let dmaCount = 0x90
    static let dmaCommand = 0x98
    static let bufferAddress: UInt64 = 0x40000
    /// edu's DMA mask is 28 bits: IOVAs above are clamped by the device, not the IOMMU.
    static let iovaLimit: UInt64 = 1 << 28

    let bar: any DeviceRegisters

    /// Runs one transfer: to the device's buffer from `iova`, or from it to `iova`.
    func transfer(iova: UInt64, length: UInt64, toDevice: Bool) throws -> Bool {
        try bar.write64(Self.dmaSource, toDevice ? iova : Self.bufferAddress)
        try bar.write64(Self.dmaDestination, toDevice ? Self.bufferAddress : iova)
        try bar.write64(Self.dmaCount, length)
        try bar.write64(Self.dmaCommand, toDevice ? 1 : 3)
        for _ in 0..<5000 {
            if try bar.read64(Self.dmaCommand) & 1 == 0 { return true }
            usleep(1000)
        }
        return false
    }
}

/// A device's registers, read and written in place: a BAR mapped into this process
/// (`MappedRegion`), or mapped in the agent and accessed there (`AgentMMIO`, `--backend agent`).
protocol DeviceRegisters {
    func read32(_ offset: Int) throws -> UInt32
    func read64(_ offset: Int) throws -> UInt64
    func write64(_ offset: Int, _ value: UInt64) throws
}

extension MappedRegion: DeviceRegisters {}

extension AgentMMIO: DeviceRegisters {}

extension CaseRun {
    /// Region `index` of `device` for register access: mapped here, or in the agent on an
    /// agent target (a BAR cannot be mapped across the wire).
    func registers(_ device: VFIODevice, region index: UInt32) throws -> any DeviceRegisters {
        guard let agent = target.agent else { return try device.mapRegion(index) }
        let info = try device.regionInfo(index)
        switch agent.mmio(fd: device.fd, region: info) {
        case .success(let mmio): return mmio
        case .failure(let e): throw IOMMUFDError(operation: "agent MMAP", errno: e, context: "region \(index) of \(device.path)")
        }
    }
}

/// DMA through the IOMMU with QEMU's edu device: what is mapped is reached, what is not is not.
let dmaCases: [TestCase] = [
    TestCase("dma.edu_round_trip", .dma, "edu copies a buffer through the IOMMU: mapped IOVAs are reached, an unmapped one is blocked", needs: [.device, .eduDevice]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        try t.ok("attach to the IOAS") { try device.attach(to: ioas) }
        try t.ok("enable PCI bus mastering") { try device.enablePCIBusMaster() }
        let bar = try t.ok(t.target.agent == nil ? "map BAR0" : "map BAR0 in the agent (MMIO there)") { try t.registers(device, region: 0) }
        let edu = EduDevice(bar: bar)
        try t.equal(try bar.read32(EduDevice.identification) & 0xff, 0xed, "edu identification register")
        // One page each (the IOMMU maps pages); edu moves 1 KiB (QEMU 7.2 aborts on exactly 4096).
        let length = 1024
        let source = t.patterned(4096, seed: 0x3c)
        let destination = t.buffer(4096)
        let victim = t.buffer(4096)
        try t.ok("MAP source at 0x100000, destination at 0x200000, victim at 0x300000") {
            try ioas.map(source, iova: 0x10_0000, permissions: .read)
            try ioas.map(destination, iova: 0x20_0000)
            try ioas.map(victim, iova: 0x30_0000)
        }
        // On an agent target the device reaches the agent's copy of each buffer: read it back.
        let pattern = Array(source.prefix(length))
        try t.check(edu.transfer(iova: 0x10_0000, length: UInt64(length), toDevice: true), "DMA IOVA 0x100000 -> edu finished")
        try t.check(edu.transfer(iova: 0x20_0000, length: UInt64(length), toDevice: false), "DMA edu -> IOVA 0x200000 finished")
        try t.check(try t.target.deviceView(destination, count: length) == pattern, "the destination holds the source pattern")
        // A write into a read-only mapping is blocked: load zeros into edu, write them to the source.
        try t.check(edu.transfer(iova: 0x30_0000, length: UInt64(length), toDevice: true), "DMA zeros from IOVA 0x300000 -> edu finished")
        _ = try edu.transfer(iova: 0x10_0000, length: UInt64(length), toDevice: false)
        try t.check(try t.target.deviceView(source, count: length) == pattern,
                    "a DMA write into the read-only mapping at 0x100000 left it unchanged")
        // A write to an IOVA that is no longer mapped is blocked: load the pattern, unmap, write.
        try t.check(edu.transfer(iova: 0x20_0000, length: UInt64(length), toDevice: true), "DMA the pattern back into edu finished")
        try t.equal(try ioas.unmap(iova: 0x30_0000, length: 0x1000), 0x1000, "UNMAP the victim")
        _ = try edu.transfer(iova: 0x30_0000, length: UInt64(length), toDevice: false)
        let untouched = try t.target.deviceView(victim, count: length).allSatisfy { $0 == 0 }
        try t.check(untouched, "a DMA to the unmapped IOVA 0x300000 did not reach the memory that was mapped there")
        try t.ok("detach") { try device.detach() }
    },
]
