import Testing
@testable import IOMMUFD

@Suite("VT-d stage-1 page table (iommu_hwpt_vtd_s1)")
struct VTDStage1ConfigTests {
    @Test func exactImage() throws {
        let config = try VTDStage1Config(
            pageTableAddress: 0x1_2345_6000, addressWidth: .fiveLevel, flags: [.sre, .wpe])
        // flags = SRE|WPE = 5; pgtbl_addr; addr_width 57 = 0x39; __reserved 0.
        #expect(config.bytes == leBytes(0x5, 0x1_2345_6000) + leBytes32(0x39, 0))
        #expect(config.bytes.count == VTDStage1Config.size)
        #expect(try VTDStage1Config(bytes: config.bytes) == config)
        #expect(VTDStage1Config.hwptDataType == 1)
    }

    @Test func refusesMisalignedTable() {
        let error = payloadError { () throws(PayloadError) in
            try VTDStage1Config(pageTableAddress: 0x1000_0800, addressWidth: .fourLevel)
        }
        #expect(error?.field == "pgtbl_addr")
        #expect(error?.value == 0x1000_0800)
        #expect(error?.reason.contains("4 KiB") == true)
    }

    @Test func refusesWPEWithoutSRE() {
        let error = payloadError { () throws(PayloadError) in
            try VTDStage1Config(pageTableAddress: 0x1000, addressWidth: .fourLevel, flags: .wpe)
        }
        #expect(error?.field == "flags")
        #expect(error?.value == 4)
    }

    @Test func decodingRefusesWhatTheBuilderRefuses() throws {
        let cases: [(VTDStage1Config, String)] = [
            (VTDStage1Config(uncheckedFlags: 0, pageTableAddress: 0x1000, addressWidth: 39), "addr_width"),
            (VTDStage1Config(uncheckedFlags: 8, pageTableAddress: 0x1000, addressWidth: 48), "flags"),
            (VTDStage1Config(uncheckedFlags: 0, pageTableAddress: 0x1001, addressWidth: 48), "pgtbl_addr"),
            (VTDStage1Config(uncheckedFlags: 0, pageTableAddress: 0x1000, addressWidth: 48, reserved: 1), "__reserved"),
        ]
        for (config, field) in cases {
            #expect(config.problems.map(\.field) == [field])
            #expect(payloadError { () throws(PayloadError) in try VTDStage1Config(bytes: config.bytes) }?.field == field)
            #expect(try VTDStage1Config(uncheckedBytes: config.bytes) == config)
        }
    }

    @Test func checkAgainstCapabilities() throws {
        let fl5lp: UInt64 = 1 << 60
        let srs: UInt64 = 1 << 31
        let eafs: UInt64 = 1 << 34
        let everything = try VTDStage1Config(
            pageTableAddress: 0x2000, addressWidth: .fiveLevel, flags: [.sre, .eafe, .wpe])
        #expect(everything.check(against: fl5lp, ecap: srs | eafs).isEmpty)
        let refusals = everything.check(against: 0, ecap: 0)
        #expect(refusals.count == 3)
        #expect(refusals[0].contains("FL5LP"))
        #expect(refusals[1].contains("SRS"))
        #expect(refusals[2].contains("EAFS"))
        let plain = try VTDStage1Config(pageTableAddress: 0x2000, addressWidth: .fourLevel)
        #expect(plain.check(against: 0, ecap: 0).isEmpty)
        let odd = VTDStage1Config(uncheckedFlags: 0, pageTableAddress: 0, addressWidth: 39)
        #expect(odd.check(against: .max, ecap: .max).count == 1)
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0x5D1)
        for _ in 0..<500 {
            let address = generator.next() & ~0xFFF
            let width = VTDStage1Config.AddressWidth.allCases.randomElement(using: &generator)!
            var flags: VTDStage1Config.Flags = []
            if generator.bool() { flags.insert(.sre) }
            if generator.bool() { flags.insert(.eafe) }
            if flags.contains(.sre) && generator.bool() { flags.insert(.wpe) }
            let config = try VTDStage1Config(pageTableAddress: address, addressWidth: width, flags: flags)
            #expect(try VTDStage1Config(bytes: config.bytes) == config)
            #expect(config.pageTableAddress == address && config.addressWidth == width && config.flags == flags)
        }
        for _ in 0..<500 {
            let raw = generator.bytes(VTDStage1Config.size)
            let held = try VTDStage1Config(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            let strict = try? VTDStage1Config(bytes: raw)
            #expect((strict != nil) == held.problems.isEmpty)
        }
    }
}

@Suite("VT-d stage-1 invalidation (iommu_hwpt_vtd_s1_invalidate)")
struct VTDStage1InvalidationTests {
    @Test func exactImages() throws {
        let entry = try VTDStage1Invalidation(address: 0x7_0000_0000, pageCount: 16, leafOnly: true)
        #expect(entry.bytes == leBytes(0x7_0000_0000, 16) + leBytes32(1, 0))
        #expect(VTDStage1Invalidation.all.bytes == leBytes(0, .max) + leBytes32(0, 0))
        #expect(VTDStage1Invalidation.all.isAll)
        #expect(VTDStage1Invalidation.all.problems.isEmpty)
        #expect(VTDStage1Invalidation.invalidationDataType == 0)
    }

    @Test func refusals() {
        func field(_ address: UInt64, _ count: UInt64) -> String? {
            payloadError { () throws(PayloadError) in
                try VTDStage1Invalidation(address: address, pageCount: count)
            }?.field
        }
        #expect(field(0x1234, 1) == "addr")
        #expect(field(0x1000, .max) == "addr")
        #expect(field(0x1000, 0) == "npages")
        #expect(field(0xFFFF_FFFF_FFFF_F000, 2) == "npages")
        #expect(field(0, 1 << 52) == nil)
        #expect(field(0, (1 << 52) + 1) == "npages")
        #expect(field(0xFFFF_FFFF_FFFF_F000, 1) == nil)
        let flagged = VTDStage1Invalidation(uncheckedAddress: 0, pageCount: 1, flags: 2)
        #expect(flagged.problems.map(\.field) == ["flags"])
        let reserved = VTDStage1Invalidation(uncheckedAddress: 0, pageCount: 1, flags: 0, reserved: 9)
        #expect(reserved.problems.map(\.field) == ["__reserved"])
        #expect(payloadError { () throws(PayloadError) in try VTDStage1Invalidation(bytes: reserved.bytes) }?.field == "__reserved")
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0x1A7)
        for _ in 0..<500 {
            let address = (generator.next() >> 20) << 12
            let count = UInt64.random(in: 1...1024, using: &generator)
            let entry = try VTDStage1Invalidation(address: address, pageCount: count, leafOnly: generator.bool())
            #expect(try VTDStage1Invalidation(bytes: entry.bytes) == entry)
        }
        for _ in 0..<500 {
            let raw = generator.bytes(VTDStage1Invalidation.size)
            let held = try VTDStage1Invalidation(uncheckedBytes: raw)
            #expect(held.bytes == raw)
            #expect(((try? VTDStage1Invalidation(bytes: raw)) != nil) == held.problems.isEmpty)
        }
    }
}
