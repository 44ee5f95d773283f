import Testing
@testable import IOMMUFD

@Suite("SMMUv3 invalidation commands (iommu_viommu_arm_smmuv3_invalidate)")
struct SMMUv3CommandTests {
    @Test func exactImages() throws {
        #expect(SMMUv3Command.tlbiNHAll.bytes == leBytes(0x10, 0))
        #expect(SMMUv3Command.tlbiNSNHAll.bytes == leBytes(0x30, 0))
        // TLBI_NH_ASID: ASID in 63:48.
        #expect(try SMMUv3Command(.tlbiNHASID(asid: 0x42)).bytes == leBytes(0x0042_0000_0000_0011, 0))
        // TLBI_NH_VA, range form: NUM 3 << 12, SCALE 2 << 20, ASID 7 << 48; Leaf, TTL 3 << 8, TG 1 << 10.
        let va = try SMMUv3Command(.tlbiNHVA(
            asid: 7, address: 0x7FFF_1234_5000, leaf: true,
            range: .init(granule: .granule4K, scale: 2, num: 3, ttl: 3)))
        #expect(va.word0 == 0x0007_0000_0020_3012)
        #expect(va.word1 == 0x7FFF_1234_5701)
        // TLBI_NH_VAA, single address: no ASID, no range fields.
        #expect(try SMMUv3Command(.tlbiNHVAA(address: 0x5000)).bytes == leBytes(0x13, 0x5000))
        // ATC_INV: SSV 1 << 11, SSID 5 << 12, SID 0x10 << 32; Size 2, Address.
        let atc = try SMMUv3Command(.atcInv(streamID: 0x10, substreamID: 5, size: 2, address: 0x10_0000_4000))
        #expect(atc.bytes == leBytes(0x0000_0010_0000_5840, 0x0000_0010_0000_4002))
        // ATC_INV everything: Global, no SSV, Size 52, address 0.
        let atcAll = try SMMUv3Command(.atcInv(streamID: 3, global: true, size: 52, address: 0))
        #expect(atcAll.bytes == leBytes(0x0000_0003_0000_0240, 52))
        // CFGI_CD: SSID 31:12, SID 63:32, Leaf in dword 1.
        let cd = try SMMUv3Command(.cfgiCD(streamID: 0x100, substreamID: 0xF_FFFF, leaf: true))
        #expect(cd.bytes == leBytes(0x0000_0100_FFFF_F005, 1))
        #expect(try SMMUv3Command(.cfgiCDAll(streamID: 0xDEAD_BEEF)).bytes == leBytes(0xDEAD_BEEF_0000_0006, 0))
        #expect(SMMUv3Command.invalidationDataType == 1)
    }

    @Test func opcodeReadbackAndDecode() throws {
        let operations: [SMMUv3Command.Operation] = [
            .tlbiNHAll, .tlbiNSNHAll, .tlbiNHASID(asid: 9),
            .tlbiNHVA(asid: 1, address: 0x1000), .tlbiNHVAA(address: 0x2000, leaf: true),
            .atcInv(streamID: 1, size: 0, address: 0x3000), .cfgiCD(streamID: 2, substreamID: 0),
            .cfgiCDAll(streamID: 4),
        ]
        for operation in operations {
            let command = try SMMUv3Command(operation)
            #expect(command.opcode == operation.opcode)
            #expect(command.rawOpcode == operation.opcode.rawValue)
            #expect(command.operation == operation)
            let decoded = try SMMUv3Command(bytes: command.bytes)
            #expect(decoded == command && decoded.problems.isEmpty)
        }
    }

    @Test func rawOpcodesForNegativeTests() {
        for opcode in [SMMUv3Command.Opcode.cfgiSTE, .tlbiS12VMAll, .cmdSync, .cfgiAll, .prefetchConfig, .tlbiEL2All] {
            let command = SMMUv3Command(rawOpcode: opcode.rawValue, word0: 0xFF, word1: 0)
            #expect(command.rawOpcode == opcode.rawValue)
            #expect(command.opcode == opcode && !opcode.acceptedByVIOMMU)
            #expect(command.operation == nil)
            #expect(command.problems.map(\.field) == ["opcode"])
            #expect(payloadError { () throws(PayloadError) in try SMMUv3Command(bytes: command.bytes) }?.field == "opcode")
        }
        let unknown = SMMUv3Command(rawOpcode: 0x7F)
        #expect(unknown.opcode == nil && unknown.problems.count == 1)
        #expect(SMMUv3Command.Opcode.allCases.filter(\.acceptedByVIOMMU).count == 8)
        #expect(SMMUv3Command.Opcode.tlbiS12VMAll.mnemonic == "CMD_TLBI_S12_VMALL")
    }

    @Test func builderRefusals() {
        func field(_ operation: SMMUv3Command.Operation) -> String? {
            payloadError { () throws(PayloadError) in try SMMUv3Command(operation) }?.field
        }
        #expect(field(.tlbiNHVA(asid: 0, address: 0x1234)) == "Address")
        #expect(field(.tlbiNHVAA(address: 0x1000, range: .init(granule: .granule4K, scale: 32))) == "SCALE")
        #expect(field(.tlbiNHVAA(address: 0x1000, range: .init(granule: .granule64K, num: 32))) == "NUM")
        #expect(field(.tlbiNHVAA(address: 0x1000, range: .init(granule: .granule16K, ttl: 4))) == "TTL")
        #expect(field(.atcInv(streamID: 0, substreamID: 1 << 20, size: 0, address: 0)) == "SSID")
        #expect(field(.atcInv(streamID: 0, size: 53, address: 0)) == "Size")
        #expect(field(.atcInv(streamID: 0, size: 1, address: 0x1000)) == "Address")
        #expect(field(.atcInv(streamID: 0, size: 1, address: 0x2000)) == nil)
        #expect(field(.cfgiCD(streamID: 0, substreamID: 0x10_0000)) == "SSID")
    }

    @Test func decodeRefusesStrayBits() {
        // VMID is overwritten by the kernel.
        let vmid = SMMUv3Command(rawOpcode: 0x10, word0: 0x5 << 32)
        #expect(vmid.vmid == 5 && vmid.problems.map(\.field) == ["VMID"])
        // CFGI_CD_ALL defines no SSID.
        let stray = SMMUv3Command(rawOpcode: 0x06, word0: 1 << 12)
        #expect(stray.problems.map(\.field) == ["dword0"])
        // Range fields without TG.
        let noTG = SMMUv3Command(rawOpcode: 0x12, word0: 1 << 12, word1: 0x1000)
        #expect(noTG.problems.map(\.field) == ["TG"])
        // ATC_INV SSID without SSV.
        let noSSV = SMMUv3Command(rawOpcode: 0x40, word0: 7 << 12, word1: 0)
        #expect(noSSV.problems.map(\.field) == ["SSID"])
        #expect(noSSV.operation == .atcInv(streamID: 0, substreamID: nil, global: false, size: 0, address: 0))
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0xC0DE)
        func range() -> SMMUv3Command.TLBIRange? {
            guard generator.bool() else { return nil }
            return .init(
                granule: SMMUv3Command.TLBIRange.Granule.allCases.randomElement(using: &generator)!,
                scale: UInt8.random(in: 0...31, using: &generator), num: UInt8.random(in: 0...31, using: &generator),
                ttl: UInt8.random(in: 0...3, using: &generator))
        }
        for _ in 0..<1000 {
            let address = generator.next() & ~0xFFF
            let sid = UInt32.random(in: 0 ... .max, using: &generator)
            let ssid = UInt32.random(in: 0...0xF_FFFF, using: &generator)
            let size = UInt8.random(in: 0...52, using: &generator)
            let operation: SMMUv3Command.Operation
            switch Int.random(in: 0..<8, using: &generator) {
            case 0: operation = .tlbiNHAll
            case 1: operation = .tlbiNSNHAll
            case 2: operation = .tlbiNHASID(asid: UInt16(truncatingIfNeeded: sid))
            case 3: operation = .tlbiNHVA(asid: UInt16(truncatingIfNeeded: sid), address: address, leaf: generator.bool(), range: range())
            case 4: operation = .tlbiNHVAA(address: address, leaf: generator.bool(), range: range())
            case 5:
                let spanMask = (UInt64(1) << (12 + UInt64(size))) &- 1
                operation = .atcInv(
                    streamID: sid, substreamID: generator.bool() ? ssid : nil, global: generator.bool(),
                    size: size, address: address & ~spanMask)
            case 6: operation = .cfgiCD(streamID: sid, substreamID: ssid, leaf: generator.bool())
            default: operation = .cfgiCDAll(streamID: sid)
            }
            let command = try SMMUv3Command(operation)
            #expect(command.operation == operation)
            #expect(try SMMUv3Command(bytes: command.bytes) == command)
        }
        for _ in 0..<1000 {
            var raw = generator.bytes(SMMUv3Command.size)
            if generator.bool() {
                raw[0] = SMMUv3Command.Opcode.allCases.randomElement(using: &generator)!.rawValue
            }
            let held = try SMMUv3Command(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            let strict = try? SMMUv3Command(bytes: raw)
            #expect((strict != nil) == held.problems.isEmpty)
            if let strict, let operation = strict.operation {
                #expect(try SMMUv3Command(operation) == strict)
            }
        }
    }
}
