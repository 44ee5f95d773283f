import Testing
@testable import IOMMUFD

@Suite("Page faults and responses")
struct FaultPayloadTests {
    @Test func faultImage() throws {
        let fault = PageFault(
            flags: [.pasidValid, .lastPage], deviceID: 7, pasid: 0x1234, groupID: 0x1FF,
            permissions: [.read, .write, .priv], address: 0xFFFF_0000_1000, length: 0x2000, cookie: 99)
        #expect(fault.bytes
            == leBytes32(3, 7, 0x1234, 0x1FF, 0xB, 0) + leBytes(0xFFFF_0000_1000) + leBytes32(0x2000, 99))
        #expect(fault.bytes.count == 40)
        #expect(try PageFault(bytes: fault.bytes) == fault)
        #expect(fault.validPASID == 0x1234)
        let noPASID = PageFault(deviceID: 1, pasid: 5, permissions: .read, address: 0, cookie: 1)
        #expect(noPASID.validPASID == nil)
    }

    @Test func splitsAReadIntoFaults() throws {
        let a = PageFault(deviceID: 1, permissions: .read, address: 0x1000, cookie: 1)
        let b = PageFault(flags: .lastPage, deviceID: 1, permissions: .write, address: 0x2000, cookie: 1)
        #expect(try PageFault.faults(in: a.bytes + b.bytes) == [a, b])
        #expect(try PageFault.faults(in: []) == [])
        let error = payloadError { () throws(PayloadError) in try PageFault.faults(in: a.bytes + [0, 0]) }
        #expect(error?.field == "size" && error?.value == 42)
    }

    @Test func responseImage() throws {
        let fault = PageFault(flags: .lastPage, deviceID: 1, permissions: .read, address: 0, cookie: 0xABCD)
        let response = PageResponse(answering: fault, code: .invalid)
        #expect(response.bytes == leBytes32(0xABCD, 1))
        #expect(try PageResponse(bytes: response.bytes) == response)
        #expect(PageResponse(cookie: 1, code: .success).bytes == leBytes32(1, 0))
        let bad = PageResponse(cookie: 1, uncheckedCode: 2)
        #expect(bad.code == nil && bad.problems.map(\.field) == ["code"])
        #expect(payloadError { () throws(PayloadError) in try PageResponse(bytes: bad.bytes) }?.field == "code")
        #expect(try PageResponse(uncheckedBytes: bad.bytes) == bad)
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0xFA)
        for _ in 0..<500 {
            let raw = generator.bytes(PageFault.size)
            #expect(try PageFault(bytes: raw).bytes == raw)
            let response = generator.bytes(PageResponse.size)
            let held = try PageResponse(uncheckedBytes: response)
            #expect(held.bytes == response)
            #expect(((try? PageResponse(bytes: response)) != nil) == held.problems.isEmpty)
        }
    }
}
