import Testing
@testable import IOMMUFD

@Suite("Selftest (mock driver) payloads")
struct SelftestPayloadTests {
    @Test func images() throws {
        let data = SelftestHWPTData()
        #expect(data.bytes == leBytes32(0xBADBEEF, 0))
        #expect(SelftestHWPTData(iotlb: 1, pageTableType: .huge).bytes == leBytes32(1, 1))
        #expect(SelftestHWPTData.hwptDataType == 0xDEAD)

        #expect(try SelftestHWPTInvalidation(iotlbID: 3).bytes == leBytes32(0, 3))
        #expect(SelftestHWPTInvalidation.all.bytes == leBytes32(1, 0))
        #expect(SelftestHWPTInvalidation.invalidationDataType == 0xDEADBEEF)

        #expect(try SelftestVIOMMUInvalidation(virtualDeviceID: 0x99, cacheID: 2).bytes == leBytes32(0, 0x99, 2))
        #expect(SelftestVIOMMUInvalidation.all(virtualDeviceID: 7).bytes == leBytes32(1, 7, 0))

        let viommu = SelftestVIOMMUData(inData: 0xCAFE, outData: 0xCAFE, mmapOffset: 0x1000, mmapLength: 0x2000)
        #expect(viommu.bytes == leBytes32(0xCAFE, 0xCAFE) + leBytes(0x1000, 0x2000))
        #expect(SelftestVIOMMUData.viommuType == 0xDEADBEEF)

        #expect(SelftestVEvent(virtualID: 0x1234).bytes == leBytes32(0x1234))
        #expect(SelftestVEvent.veventqType == 0xBEEFBEEF)
        #expect(SelftestHWInfo().bytes == leBytes32(0, 0xDEADBEEF))
        #expect(SelftestHWInfo.hwInfoType == 0xFEEDBEEF)
    }

    @Test func refusals() {
        #expect(payloadError { () throws(PayloadError) in try SelftestHWPTInvalidation(iotlbID: 4) }?.field == "iotlb_id")
        #expect(payloadError { () throws(PayloadError) in
            try SelftestVIOMMUInvalidation(virtualDeviceID: 1, cacheID: 4)
        }?.field == "cache_id")
        let flags = SelftestHWPTInvalidation(uncheckedFlags: 2, iotlbID: 0)
        #expect(flags.problems.map(\.field) == ["flags"])
        // The mock checks the index even with ALL.
        let allHigh = SelftestVIOMMUInvalidation(uncheckedFlags: 1, virtualDeviceID: 1, cacheID: 9)
        #expect(allHigh.problems.map(\.field) == ["cache_id"])
        let type = SelftestHWPTData(iotlb: 0, uncheckedPageTableType: 2)
        #expect(type.problems.map(\.field) == ["pagetable_type"])
        #expect(payloadError { () throws(PayloadError) in try SelftestHWPTData(bytes: type.bytes) }?.field == "pagetable_type")
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0x5E1F)
        for _ in 0..<300 {
            let a = generator.bytes(8)
            let hwpt = try SelftestHWPTData(uncheckedBytes: a)
            #expect(hwpt.bytes == a && ((try? SelftestHWPTData(bytes: a)) != nil) == hwpt.problems.isEmpty)
            let inv = try SelftestHWPTInvalidation(uncheckedBytes: a)
            #expect(inv.bytes == a && ((try? SelftestHWPTInvalidation(bytes: a)) != nil) == inv.problems.isEmpty)
            let b = generator.bytes(12)
            let vinv = try SelftestVIOMMUInvalidation(uncheckedBytes: b)
            #expect(vinv.bytes == b && ((try? SelftestVIOMMUInvalidation(bytes: b)) != nil) == vinv.problems.isEmpty)
            let c = generator.bytes(24)
            #expect(try SelftestVIOMMUData(bytes: c).bytes == c)
            let d = generator.bytes(4)
            #expect(try SelftestVEvent(bytes: d).bytes == d)
            #expect(try SelftestHWInfo(bytes: a).bytes == a)
            let id = UInt32.random(in: 0...3, using: &generator)
            let built = try SelftestHWPTInvalidation(iotlbID: id)
            #expect(try SelftestHWPTInvalidation(bytes: built.bytes) == built)
        }
    }
}
