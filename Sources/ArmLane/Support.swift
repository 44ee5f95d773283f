#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// QEMU's edu device (hw/misc/edu.c) driven through the agent's MMIO: BAR0 registers start a
/// DMA between the device's 4 KiB buffer (device address 0x40000) and a bus address, which the
/// SMMU translates. edu's DMA mask is 28 bits, so every bus address here stays below 2^28.
struct Edu {
    static let identification = 0x00
    static let dmaSource = 0x80
    static let dmaDestination = 0x88
    static let dmaCount = 0x90
    static let dmaCommand = 0x98
    static let bufferAddress: UInt64 = 0x40000

    let bar: AgentMMIO

    /// One transfer: from `address` into edu's buffer (`toDevice`) or from the buffer to
    /// `address`. Returns when edu reports the transfer done (it completes even when the SMMU
    /// aborted the accesses).
    func transfer(address: UInt64, length: UInt64, toDevice: Bool) throws {
        try bar.write64(Self.dmaSource, toDevice ? address : Self.bufferAddress)
        try bar.write64(Self.dmaDestination, toDevice ? Self.bufferAddress : address)
        try bar.write64(Self.dmaCount, length)
        try bar.write64(Self.dmaCommand, toDevice ? 1 : 3)
        for _ in 0..<2000 {
            if try bar.read64(Self.dmaCommand) & 1 == 0 { return }
            usleep(1000)
        }
        throw LaneFailure("edu DMA \(toDevice ? "from" : "to") \(hexString(address)) did not finish")
    }

    /// Copies `length` bytes from bus address `from` to bus address `to` through edu's buffer.
    func copy(from: UInt64, to: UInt64, length: UInt64) throws {
        try transfer(address: from, length: length, toDevice: true)
        try transfer(address: to, length: length, toDevice: false)
    }
}

/// Page-aligned local memory mapped into an IOAS through the agent: the agent holds the copy
/// the device reaches, so reads come from the agent (`read`) and edits are pushed (`write`).
final class DMAMemory {
    let agent: AgentBackend
    let buffer: UnsafeMutableRawBufferPointer
    /// The IOVA (for a nest parent's IOAS: the guest's IPA) of byte 0.
    let iova: UInt64

    static let page = 4096

    init(agent: AgentBackend, pages: Int, ioas: IOAS, iova: UInt64) throws {
        self.agent = agent
        self.buffer = .allocate(byteCount: pages * Self.page, alignment: Self.page)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        self.iova = iova
        try ioas.map(buffer, iova: iova)
    }

    deinit { buffer.deallocate() }

    func address(page: Int, offset: Int = 0) -> UInt64 { iova + UInt64(page * Self.page + offset) }

    /// Writes bytes locally and into the agent's copy.
    func write(_ offset: Int, _ bytes: [UInt8]) throws {
        precondition(offset >= 0 && offset + bytes.count <= buffer.count)
        for (i, b) in bytes.enumerated() { buffer[offset + i] = b }
        if let e = agent.syncToAgent(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)])) {
            throw LaneFailure("pushing \(bytes.count) bytes at \(offset) to the agent: \(e.name)")
        }
    }

    func write64(_ offset: Int, _ value: UInt64) throws {
        try write(offset, (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) })
    }

    func fill(page: Int, pattern seed: UInt8) throws {
        try write(page * Self.page, (0..<Self.page).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
    }

    /// What the agent's copy (the memory the device reaches) holds now.
    func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
        switch agent.readRegion(localAddress: UnsafeRawPointer(buffer.baseAddress! + offset), length: count) {
        case .success(let bytes): return bytes
        case .failure(let e): throw LaneFailure("reading \(count) bytes at \(offset) from the agent: \(e.name)")
        }
    }

    func read(page: Int, count: Int = DMAMemory.page) throws -> [UInt8] { try read(page * Self.page, count) }

    static func pattern(_ seed: UInt8, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }
}

/// AArch64 stage-1 translation tables with a 4 KiB granule and T0SZ 25 (39-bit VA): the walk
/// starts at level 1, then level 2 and level 3 (4 KiB pages). Descriptors as Linux's
/// io-pgtable-arm writes them for a device: table = next-level address | 0b11; page = output
/// address | 0b11 | AttrIndx | AP[1] (unprivileged access, as device accesses are) | SH inner
/// | AF | nG.
enum Stage1 {
    static let t0sz: UInt8 = 25

    static func table(_ nextLevel: UInt64) -> UInt64 { nextLevel | 0b11 }

    static func page(_ output: UInt64, attrIndex: UInt64 = 1, readOnly: Bool = false) -> UInt64 {
        output | 0b11 | attrIndex << 2 | 1 << 6 | (readOnly ? 1 << 7 : 0) | 3 << 8 | 1 << 10 | 1 << 11
    }

    static func l1Index(_ va: UInt64) -> Int { Int((va >> 30) & 0x1ff) }
    static func l2Index(_ va: UInt64) -> Int { Int((va >> 21) & 0x1ff) }
    static func l3Index(_ va: UInt64) -> Int { Int((va >> 12) & 0x1ff) }
}
