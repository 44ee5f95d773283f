import Testing
@testable import IOMMUFD

@Suite("SMMUv3 stage-1 Context Descriptor")
struct SMMUv3ContextDescriptorTests {
    @Test func exactImage() throws {
        let cd = try SMMUv3ContextDescriptor(asid: 0x1234, ttb0: 0x4_0000_1000)
        // dword0: T0SZ 16 | IR0 1<<8 | OR0 1<<10 | SH0 3<<12 | EPD1 1<<30 | V 1<<31 | IPS 5<<32
        //         | AA64 1<<41 | R 1<<45 | A 1<<46 | ASET 1<<47 | ASID 0x1234<<48.
        #expect(cd.words[0] == 0x1234_E205_C000_3510)
        #expect(cd.words[1] == 0x4_0000_1000)
        #expect(cd.words[3] == 0xF404_FF44)
        #expect(cd.bytes == leBytes(0x1234_E205_C000_3510, 0x4_0000_1000, 0, 0xF404_FF44, 0, 0, 0, 0))
        #expect(cd.bytes.count == 64)
        #expect(cd.valid && cd.aa64 && cd.epd1 && !cd.epd0 && cd.r && cd.a && cd.aset && !cd.s)
        #expect(cd.t0sz == 16 && cd.tg0 == .granule4K && cd.ips == .bits48 && cd.asid == 0x1234)
        #expect(cd.sh0 == .innerShareable && cd.ir0 == .writeBackReadWriteAllocate)
        #expect(try SMMUv3ContextDescriptor(bytes: cd.bytes) == cd)
    }

    @Test func hardwareUpdateBits() throws {
        let cd = try SMMUv3ContextDescriptor(
            asid: 1, ttb0: 0x1000, hardwareAccessFlag: true, hardwareDirtyState: true)
        #expect(cd.ha && cd.hd)
        #expect(cd.words[0] & (3 << 42) == 3 << 42)
        let error = payloadError { () throws(PayloadError) in
            try SMMUv3ContextDescriptor(asid: 1, ttb0: 0x1000, hardwareDirtyState: true)
        }
        #expect(error?.field == "HD")
    }

    @Test func refusals() {
        #expect(payloadError { () throws(PayloadError) in try SMMUv3ContextDescriptor(asid: 0, ttb0: 0x1008) }?.field == "TTB0")
        #expect(payloadError { () throws(PayloadError) in try SMMUv3ContextDescriptor(asid: 0, ttb0: 1 << 52) }?.field == "TTB0")
        #expect(payloadError { () throws(PayloadError) in try SMMUv3ContextDescriptor(asid: 0, ttb0: 0, t0sz: 64) }?.field == "T0SZ")
        let reserved = SMMUv3ContextDescriptor(uncheckedWords: [3 << 6 | 1 << 12 | 7 << 32 | 1 << 16, 0xF, 1])
        #expect(reserved.problems.map(\.field) == ["TG0", "SH0", "IPS", "dword0", "dword1", "dword2"])
        #expect(SMMUv3ContextDescriptor.invalid.problems.isEmpty && !SMMUv3ContextDescriptor.invalid.valid)
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0xCD)
        for _ in 0..<300 {
            let access = generator.bool()
            let cd = try SMMUv3ContextDescriptor(
                asid: UInt16.random(in: 0 ... .max, using: &generator),
                ttb0: (generator.next() & ((1 << 52) - 1)) & ~0xF,
                t0sz: UInt8.random(in: 0...63, using: &generator),
                tg0: SMMUv3ContextDescriptor.TG0.allCases.randomElement(using: &generator)!,
                ir0: SMMUv3Cacheability.allCases.randomElement(using: &generator)!,
                or0: SMMUv3Cacheability.allCases.randomElement(using: &generator)!,
                sh0: SMMUv3Shareability.allCases.randomElement(using: &generator)!,
                ips: SMMUv3ContextDescriptor.IPS.allCases.randomElement(using: &generator)!,
                mair: generator.next(), epd0: generator.bool(), epd1: generator.bool(),
                endi: generator.bool(), aa64: generator.bool(), stall: generator.bool(),
                recordFaults: generator.bool(), abortFaults: generator.bool(), aset: generator.bool(),
                hardwareAccessFlag: access, hardwareDirtyState: access && generator.bool(),
                valid: generator.bool())
            #expect(try SMMUv3ContextDescriptor(bytes: cd.bytes) == cd)
        }
        for _ in 0..<300 {
            let raw = generator.bytes(SMMUv3ContextDescriptor.size)
            let held = try SMMUv3ContextDescriptor(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            #expect(((try? SMMUv3ContextDescriptor(bytes: raw)) != nil) == held.problems.isEmpty)
        }
    }
}
