import Testing
@testable import IOMMUFD

@Suite("SMMUv3 vSTE (iommu_hwpt_arm_smmuv3)")
struct SMMUv3VSTETests {
    @Test func conveniences() {
        // abort: V (bit 0) with Config 0; bypass: V | Config 0b100 << 1 = 0x9.
        #expect(SMMUv3VSTE.abort.bytes == leBytes(0x1, 0))
        #expect(SMMUv3VSTE.bypass.bytes == leBytes(0x9, 0))
        #expect(SMMUv3VSTE.invalid.bytes == leBytes(0, 0))
        #expect(SMMUv3VSTE.abort.config == .abort && SMMUv3VSTE.bypass.config == .bypass)
        for ste in [SMMUv3VSTE.abort, .bypass, .invalid] {
            #expect(ste.problems.isEmpty && !ste.kernelRejects)
        }
        #expect(SMMUv3VSTE.hwptDataType == 2)
    }

    @Test func exactTranslateImage() throws {
        let ste = try SMMUv3VSTE.translate(
            contextDescriptorTable: 0x8000_0040, format: .linear, cdMax: 3, s1DSS: .substream0,
            tableWalkCacheability: .writeBackReadWriteAllocate, tableWalkShareability: .innerShareable,
            s1STALLD: true, eats: .translate)
        // dword0: V=1 | Config 5<<1 (0xA) | S1ContextPtr 0x80000040 | S1CDMax 3<<59.
        // dword1: S1DSS 2 | S1CIR 1<<2 | S1COR 1<<4 | S1CSH 3<<6 | S1STALLD 1<<27 | EATS 1<<28.
        #expect(ste.word0 == 0x1800_0000_8000_004B)
        #expect(ste.word1 == 0x1800_00D6)
        #expect(ste.bytes == leBytes(0x1800_0000_8000_004B, 0x1800_00D6))
        #expect(ste.valid && ste.config == .stage1Translate && ste.s1Fmt == .linear)
        #expect(ste.s1ContextPtr == 0x8000_0040 && ste.s1CDMax == 3 && ste.s1DSS == .substream0)
        #expect(ste.s1CIR == .writeBackReadWriteAllocate && ste.s1COR == .writeBackReadWriteAllocate)
        #expect(ste.s1CSH == .innerShareable && ste.s1STALLD && ste.eats == .translate)
        #expect(try SMMUv3VSTE(bytes: ste.bytes) == ste)
    }

    @Test func builderRefusals() {
        func field(_ body: () throws(PayloadError) -> SMMUv3VSTE) -> String? { payloadError(body)?.field }
        #expect(field { () throws(PayloadError) in try .translate(contextDescriptorTable: 0x1001) } == "S1ContextPtr")
        #expect(field { () throws(PayloadError) in try .translate(contextDescriptorTable: 1 << 52) } == "S1ContextPtr")
        #expect(field { () throws(PayloadError) in try .translate(contextDescriptorTable: 0x1000, cdMax: 32) } == "S1CDMax")
        #expect(field { () throws(PayloadError) in try SMMUv3VSTE(valid: false, config: .bypass) } == "V")
        #expect(field { () throws(PayloadError) in try .translate(contextDescriptorTable: (1 << 52) - 64) } == nil)
        #expect(field { () throws(PayloadError) in try .translate(contextDescriptorTable: 0x1000, cdMax: 31) } == nil)
        let high = payloadError { () throws(PayloadError) in try SMMUv3VSTE.translate(contextDescriptorTable: 1 << 52) }
        #expect(high?.reason.contains("2^52") == true)
    }

    @Test func rawValuesTheKernelRejects() {
        // Config 6 (stage-2) and 7 (nested) are EIO, as is any bit outside the allowed masks.
        let s2 = SMMUv3VSTE(uncheckedWord0: 0x1 | 6 << 1, word1: 0)
        #expect(s2.config == nil && s2.kernelRejects)
        #expect(s2.problems.map(\.field) == ["Config"])
        let nested = SMMUv3VSTE(uncheckedWord0: 0x1 | 7 << 1, word1: 0)
        #expect(nested.kernelRejects)
        let mev = SMMUv3VSTE(uncheckedWord0: 0x1, word1: 1 << 19)
        #expect(mev.kernelRejects && mev.problems.map(\.field) == ["dword1"])
        let eats2 = SMMUv3VSTE(uncheckedWord0: 0x1, word1: 2 << 28)
        #expect(eats2.kernelRejects && eats2.problems.map(\.field) == ["EATS"])
        let s1ctxHigh = SMMUv3VSTE(uncheckedWord0: 0x1 | 1 << 52, word1: 0)
        #expect(s1ctxHigh.kernelRejects && s1ctxHigh.problems.map(\.field) == ["dword0"])
        // V=0 is accepted whatever else is set (the kernel zeroes it), but this type refuses it.
        let invalidJunk = SMMUv3VSTE(uncheckedWord0: 7 << 1, word1: .max)
        #expect(!invalidJunk.kernelRejects && invalidJunk.problems.map(\.field) == ["V"])
        // Reserved encodings the kernel lets through.
        let reserved = SMMUv3VSTE(uncheckedWord0: 0x1 | 3 << 4, word1: 3 | 1 << 6)
        #expect(!reserved.kernelRejects)
        #expect(reserved.problems.map(\.field) == ["S1Fmt", "S1DSS", "S1CSH"])
        #expect(payloadError { () throws(PayloadError) in try SMMUv3VSTE(bytes: reserved.bytes) }?.field == "S1Fmt")
    }

    @Test func allowedMasks() {
        #expect(SMMUv3VSTE.allowedWord0 == 0xF80F_FFFF_FFFF_FFFF)
        #expect(SMMUv3VSTE.allowedWord1 == 0x3800_00FF)
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0x57E)
        for _ in 0..<500 {
            let ste = try SMMUv3VSTE(
                config: SMMUv3VSTE.Config.allCases.randomElement(using: &generator)!,
                s1Fmt: SMMUv3VSTE.S1Fmt.allCases.randomElement(using: &generator)!,
                s1ContextPtr: (generator.next() & ((1 << 52) - 1)) & ~0x3F,
                s1CDMax: UInt8.random(in: 0...31, using: &generator),
                s1DSS: SMMUv3VSTE.S1DSS.allCases.randomElement(using: &generator)!,
                s1CIR: SMMUv3Cacheability.allCases.randomElement(using: &generator)!,
                s1COR: SMMUv3Cacheability.allCases.randomElement(using: &generator)!,
                s1CSH: SMMUv3Shareability.allCases.randomElement(using: &generator)!,
                s1STALLD: generator.bool(),
                eats: SMMUv3VSTE.EATS.allCases.randomElement(using: &generator)!)
            let back = try SMMUv3VSTE(bytes: ste.bytes)
            #expect(back == ste && !back.kernelRejects)
        }
        for _ in 0..<1000 {
            let raw = generator.bytes(SMMUv3VSTE.size)
            let held = try SMMUv3VSTE(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            #expect(((try? SMMUv3VSTE(bytes: raw)) != nil) == held.problems.isEmpty)
            if held.kernelRejects { #expect(!held.problems.isEmpty) }
        }
    }
}
