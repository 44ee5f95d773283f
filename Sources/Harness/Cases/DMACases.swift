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

    let bar: MappedRegion

    /// Runs one transfer: to the device's buffer from `iova`, or from it to `iova`.
    func transfer(iova: UInt64, length: UInt64, toDevice: Bool) -> Bool {
        bar.write64(Self.dmaSource, toDevice ? iova : Self.bufferAddress)
        bar.write64(Self.dmaDestination, toDevice ? Self.bufferAddress : iova)
        bar.write64(Self.dmaCount, length)
        bar.write64(Self.dmaCommand, toDevice ? 1 : 3)
        for _ in 0..<5000 {
            if bar.read64(Self.dmaCommand) & 1 == 0 { return true }
            usleep(1000)
        }
        return false
    }
}

/// DMA through the IOMMU with QEMU's edu device: what is mapped is reached, what is not is not.
let dmaCases: [TestCase] = [
    TestCase("dma.edu_round_trip", .dma, "edu copies a buffer through the IOMMU: mapped IOVAs are reached, an unmapped one is blocked", needs: [.device, .eduDevice]) { t in
        let device = try t.target.bindDevice(to: t.ctx)
        let ioas = try t.ctx.allocIOAS()
        try t.ok("attach to the IOAS") { try device.attach(to: ioas) }
        try t.ok("enable PCI bus mastering") { try device.enablePCIBusMaster() }
        let bar = try t.ok("map BAR0") { try device.mapRegion(0) }
        let edu = EduDevice(bar: bar)
        try t.equal(bar.read32(EduDevice.identification) & 0xff, 0xed, "edu identification register")
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
        try t.check(edu.transfer(iova: 0x10_0000, length: UInt64(length), toDevice: true), "DMA IOVA 0x100000 -> edu finished")
        try t.check(edu.transfer(iova: 0x20_0000, length: UInt64(length), toDevice: false), "DMA edu -> IOVA 0x200000 finished")
        try t.check(memcmp(source.baseAddress!, destination.baseAddress!, length) == 0, "the destination holds the source pattern")
        // A write into a read-only mapping is blocked: load zeros into edu, write them to the source.
        try t.check(edu.transfer(iova: 0x30_0000, length: UInt64(length), toDevice: true), "DMA zeros from IOVA 0x300000 -> edu finished")
        _ = edu.transfer(iova: 0x10_0000, length: UInt64(length), toDevice: false)
        try t.check(memcmp(source.baseAddress!, destination.baseAddress!, length) == 0,
                    "a DMA write into the read-only mapping at 0x100000 left it unchanged")
        // A write to an IOVA that is no longer mapped is blocked: load the pattern, unmap, write.
        try t.check(edu.transfer(iova: 0x20_0000, length: UInt64(length), toDevice: true), "DMA the pattern back into edu finished")
        try t.equal(try ioas.unmap(iova: 0x30_0000, length: 0x1000), 0x1000, "UNMAP the victim")
        _ = edu.transfer(iova: 0x30_0000, length: UInt64(length), toDevice: false)
        let untouched = (0..<length).allSatisfy { victim[$0] == 0 }
        try t.check(untouched, "a DMA to the unmapped IOVA 0x300000 did not reach the memory that was mapped there")
        try t.ok("detach") { try device.detach() }
    },
]
