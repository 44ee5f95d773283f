import Testing
@testable import IOMMUFD

@Suite("vEVENT records")
struct EventPayloadTests {
    @Test func smmuv3EventImage() throws {
        let event = try SMMUv3Event(
            eventType: .translationFault, streamID: 0x42, substreamID: 3, read: true,
            faultClass: .inputAddress, inputAddress: 0xDEAD_B000)
        // dword0: id 0x10 | SSV 1<<11 | SSID 3<<12 | SID 0x42<<32; dword1: RnW 1<<35 | CLASS 2<<40.
        #expect(event.bytes == leBytes(0x0000_0042_0000_3810, 0x0000_0208_0000_0000, 0xDEAD_B000, 0))
        #expect(event.eventType == .translationFault && event.eventType?.mnemonic == "F_TRANSLATION")
        #expect(event.streamID == 0x42 && event.substreamID == 3 && event.read && !event.stage2)
        #expect(event.faultClass == .inputAddress && event.inputAddress == 0xDEAD_B000)
        #expect(try SMMUv3Event(bytes: event.bytes) == event)
        #expect(SMMUv3Event.veventqType == 1)
    }

    @Test func smmuv3EventDecodesEveryField() throws {
        // A hand-made C_BAD_CD record with every dword-1 flag set and an IPA.
        let words: [UInt64] = [
            0xFFFF_FFFF_FFFF_F80A, 0x0000_138E_8000_ABCD, 0x1234_5678_9ABC_DEF0, 0x000F_FFFF_FFFF_F000 | 0xFFF,
        ]
        let event = try SMMUv3Event(bytes: leBytes(words[0], words[1], words[2], words[3]))
        #expect(event.eventType == .badCD && event.eventID == 0x0A)
        #expect(event.substreamID == 0xF_FFFF && event.streamID == 0xFFFF_FFFF)
        #expect(event.stag == 0xABCD && event.stall && event.privileged && event.instruction && event.read)
        #expect(event.stage2 && event.faultClass == nil && event.tableWalkRead)
        #expect(event.ipa == 0x000F_FFFF_FFFF_F000)
        #expect(event.words == words)
        let unnamed = SMMUv3Event(words: [0x25])
        #expect(unnamed.eventType == nil && unnamed.eventID == 0x25 && unnamed.substreamID == nil)
    }

    @Test func smmuv3EventTypes() {
        let ids = SMMUv3Event.EventType.allCases.map(\.rawValue)
        #expect(ids == [0x04, 0x06, 0x08, 0x0A, 0x10, 0x11, 0x12, 0x13])
    }

    @Test func tegraEvent() throws {
        let event = try Tegra241VEvent(erroredQueues: [0, 5, 63, 64, 127])
        #expect(event.bytes == leBytes(0x8000_0000_0000_0021, 0x8000_0000_0000_0001))
        #expect(event.erroredQueues == [0, 5, 63, 64, 127])
        #expect(try Tegra241VEvent(bytes: event.bytes) == event)
        #expect(payloadError { () throws(PayloadError) in try Tegra241VEvent(erroredQueues: [128]) }?.field == "lvcmdq_err_map")
        #expect(Tegra241VEvent.veventqType == 2)
        let data = Tegra241VIOMMUData(mmapOffset: 0x1000, mmapLength: 0x10000)
        #expect(data.bytes == leBytes(0x1000, 0x10000))
        #expect(try Tegra241VIOMMUData(bytes: data.bytes) == data)
    }

    @Test func headerImage() throws {
        let header = VEventHeader(flags: .lostEvents, sequence: 0x7FFF_FFFF)
        #expect(header.bytes == leBytes32(1, 0x7FFF_FFFF))
        #expect(try VEventHeader(bytes: header.bytes) == header)
        #expect(VEventHeader.sequence(after: 0x7FFF_FFFF) == 0)
        #expect(VEventHeader.sequence(after: 5) == 6)
        #expect(VEventHeader.distance(from: 0x7FFF_FFFE, to: 1) == 3)
    }

    @Test func randomizedRoundTrips() throws {
        var generator = SeededGenerator(seed: 0xE7)
        for _ in 0..<500 {
            let raw = generator.bytes(SMMUv3Event.size)
            #expect(try SMMUv3Event(bytes: raw).bytes == raw)
            let tegra = generator.bytes(Tegra241VEvent.size)
            #expect(try Tegra241VEvent(bytes: tegra).bytes == tegra)
            let header = generator.bytes(VEventHeader.size)
            #expect(try VEventHeader(bytes: header).bytes == header)
        }
        for _ in 0..<300 {
            let type = SMMUv3Event.EventType.allCases.randomElement(using: &generator)!
            let ssid: UInt32? = generator.bool() ? UInt32.random(in: 0...0xF_FFFF, using: &generator) : nil
            let event = try SMMUv3Event(
                eventType: type, streamID: UInt32.random(in: 0 ... .max, using: &generator), substreamID: ssid,
                stag: UInt16.random(in: 0 ... .max, using: &generator), stall: generator.bool(),
                privileged: generator.bool(), instruction: generator.bool(), read: generator.bool(),
                faultClass: SMMUv3Event.FaultClass.allCases.randomElement(using: &generator)!,
                tableWalkRead: generator.bool(), inputAddress: generator.next(),
                ipa: (generator.next() & ((1 << 52) - 1)) & ~0xFFF)
            let back = try SMMUv3Event(bytes: event.bytes)
            #expect(back == event && back.eventType == type && back.substreamID == ssid)
        }
    }
}
