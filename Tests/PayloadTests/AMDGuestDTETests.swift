import Testing
@testable import IOMMUFD

@Suite("AMD guest DTE (iommu_hwpt_amd_guest)")
struct AMDGuestDTETests {
    @Test func exactImage() throws {
        let dte = try AMDGuestDTE(
            gcr3TableRootPointer: 0x1_2345_6000, glx: .twoLevels, guestPagingMode: .fiveLevel,
            domainID: 0x22)
        // GCR3 root 0x1_2345_6000: bits 14:12 = 0x6, bits 30:15 = 0x468A, bits 51:31 = 0x2.
        // dte[0] = V | TV | GV 1<<55 | GLX 1<<56 | GCR3[14:12] 6<<58.
        // dte[1] = DomainID 0x22 | GCR3[30:15] 0x468A<<16 | GCR3[51:31] 2<<43.
        // dte[2] = guest paging mode 1<<54.
        #expect(dte.words == [0x1980_0000_0000_0003, 0x0000_1000_468A_0022, 0x0040_0000_0000_0000, 0])
        #expect(dte.bytes == leBytes(0x1980_0000_0000_0003, 0x0000_1000_468A_0022, 0x0040_0000_0000_0000, 0))
        #expect(dte.gcr3TableRootPointer == 0x1_2345_6000)
        #expect(dte.glx == .twoLevels && dte.guestPagingMode == .fiveLevel && dte.domainID == 0x22)
        #expect(dte.valid && dte.translationValid && dte.gv && !dte.giov && !dte.ppr)
        #expect(try AMDGuestDTE(bytes: dte.bytes) == dte)
        #expect(AMDGuestDTE.hwptDataType == 3)
    }

    @Test func builderRefusals() {
        func field(_ body: () throws(PayloadError) -> AMDGuestDTE) -> String? { payloadError(body)?.field }
        #expect(field { () throws(PayloadError) in try AMDGuestDTE(gcr3TableRootPointer: 0x1800) } == "GCR3 Table Root Pointer")
        #expect(field { () throws(PayloadError) in try AMDGuestDTE(gcr3TableRootPointer: 1 << 52) } == "GCR3 Table Root Pointer")
        let missing = payloadError { () throws(PayloadError) in try AMDGuestDTE(gcr3TableRootPointer: 0) }
        #expect(missing?.reason.contains("V and GV") == true)
        #expect(field { () throws(PayloadError) in try AMDGuestDTE(gcr3TableRootPointer: 0, gv: false) } == nil)
        #expect(field { () throws(PayloadError) in try AMDGuestDTE(gcr3TableRootPointer: 0, valid: false) } == nil)
    }

    @Test func kernelRulesOnRawDTEs() throws {
        let good = try AMDGuestDTE(gcr3TableRootPointer: 0x1000)
        func with(_ index: Int, _ bits: UInt64) -> AMDGuestDTE {
            var words = good.words
            words[index] |= bits
            return AMDGuestDTE(uncheckedWords: words)
        }
        #expect(with(0, 1 << 9).problems.map(\.field) == ["Mode"])
        #expect(with(0, 0x1000).problems.map(\.field) == ["Host Page Table Root Pointer"])
        #expect(with(2, 2 << 54).problems.map(\.field) == ["Guest Paging Mode"])
        #expect(with(0, 3 << 56).problems.map(\.field) == ["GLX"])
        // Bits the kernel ignores (IR, IW, interrupt remapping in dte[2], dte[3]) are kept.
        let ignored = with(0, 3 << 61)
        #expect(ignored.problems.isEmpty && ignored.words[0] & (3 << 61) == 3 << 61)
        // Any one piece of the GCR3 pointer satisfies the kernel's "non-zero" rule.
        let onlyHigh = AMDGuestDTE(uncheckedWords: [1 | 1 << 55, 1 << 43, 0, 0])
        #expect(onlyHigh.problems.isEmpty && onlyHigh.gcr3TableRootPointer == 1 << 31)
        let none = AMDGuestDTE(uncheckedWords: [1 | 1 << 55, 0, 0, 0])
        #expect(none.problems.map(\.field) == ["GCR3 Table Root Pointer"])
        #expect(payloadError { () throws(PayloadError) in try AMDGuestDTE(bytes: none.bytes) }?.field == "GCR3 Table Root Pointer")
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0xA3D)
        for _ in 0..<500 {
            let dte = try AMDGuestDTE(
                gcr3TableRootPointer: ((generator.next() & ((1 << 52) - 1)) & ~0xFFF) | 0x1000,
                glx: AMDGuestDTE.GLX.allCases.randomElement(using: &generator)!,
                guestPagingMode: AMDGuestDTE.GuestPagingMode.allCases.randomElement(using: &generator)!,
                domainID: UInt16.random(in: 0 ... .max, using: &generator),
                valid: generator.bool(), translationValid: generator.bool(), gv: generator.bool(),
                giov: generator.bool(), ppr: generator.bool())
            let back = try AMDGuestDTE(bytes: dte.bytes)
            #expect(back == dte)
            #expect(back.gcr3TableRootPointer == dte.gcr3TableRootPointer)
        }
        for _ in 0..<500 {
            let raw = generator.bytes(AMDGuestDTE.size)
            let held = try AMDGuestDTE(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            #expect(((try? AMDGuestDTE(bytes: raw)) != nil) == held.problems.isEmpty)
        }
    }
}
