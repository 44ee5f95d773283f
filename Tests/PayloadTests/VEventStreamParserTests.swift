import Testing
@testable import IOMMUFD

@Suite("vEVENTQ stream parser")
struct VEventStreamParserTests {
    func smmuEvent(_ sid: UInt32) -> SMMUv3Event {
        SMMUv3Event(words: [0x10 | UInt64(sid) << 32, 0, 0x1000, 0])
    }

    func record(_ sequence: UInt32, sid: UInt32 = 1) -> VEventRecord {
        VEventRecord(sequence: sequence, event: smmuEvent(sid))
    }

    @Test func splitsConsecutiveEvents() throws {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let records = [record(0, sid: 1), record(1, sid: 2), record(2, sid: 3)]
        let stream = VEventStreamParser.encode(records)
        #expect(stream.count == 3 * 40)
        let items = parser.parse(stream)
        #expect(items == records.map { .event($0) })
        #expect(try items.compactMap { item -> UInt32? in
            guard case .event(let record) = item else { return nil }
            return try record.decode(as: SMMUv3Event.self).streamID
        } == [1, 2, 3])
        #expect(parser.lastSequence == 2 && parser.expectedSequence == 3)
    }

    @Test func reportsAGap() {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let items = parser.parse(VEventStreamParser.encode([record(3), record(6)]))
        #expect(items == [.event(record(3)), .gap(expected: 4, got: 6), .event(record(6))])
        #expect(items[1].lostEventCount == 2)
    }

    @Test func wrapsAtInt32Max() {
        let max = UInt32(Int32.max)
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let items = parser.parse(VEventStreamParser.encode([record(max - 1), record(max), record(0), record(1)]))
        #expect(items.allSatisfy { if case .event = $0 { true } else { false } })
        var gapped = VEventStreamParser(for: SMMUv3Event.self)
        let gapItems = gapped.parse(VEventStreamParser.encode([record(max - 1), record(1)]))
        #expect(gapItems[1] == .gap(expected: max, got: 1))
        #expect(gapItems[1].lostEventCount == 2)
    }

    @Test func lostEventsTailHeaderHasNoPayload() {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let tail = VEventRecord.lostEvents(sequence: 4)
        #expect(tail.bytes == leBytes32(1, 4))
        let items = parser.parse(VEventStreamParser.encode([record(3), tail]))
        #expect(items == [.event(record(3)), .lost(afterSequence: 3, throughSequence: 4)])
        #expect(items[1].lostEventCount == 1)
        // The lost header used number 4, so the next event (5) is no gap.
        #expect(parser.parse(record(5).bytes) == [.event(record(5))])
        // Two events lost after a lost header the reader already saw.
        #expect(parser.parse(record(8).bytes) == [.gap(expected: 6, got: 8), .event(record(8))])
    }

    @Test func lostHeaderCountsEveryDroppedNumber() {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let items = parser.parse(VEventStreamParser.encode([record(3), .lostEvents(sequence: 7)]))
        #expect(items.last == .lost(afterSequence: 3, throughSequence: 7))
        #expect(items.last?.lostEventCount == 4)
        var blind = VEventStreamParser(for: SMMUv3Event.self)
        let only = blind.parse(VEventRecord.lostEvents(sequence: 9).bytes)
        #expect(only == [.lost(afterSequence: nil, throughSequence: 9)])
        #expect(only[0].lostEventCount == nil)
    }

    @Test func freshQueueStartsAtZero() {
        var parser = VEventStreamParser(for: SMMUv3Event.self, expectingFirstSequence: 0)
        #expect(parser.parse(record(2).bytes) == [.gap(expected: 0, got: 2), .event(record(2))])
        var lostFirst = VEventStreamParser(for: SMMUv3Event.self, expectingFirstSequence: 0)
        let items = lostFirst.parse(VEventRecord.lostEvents(sequence: 2).bytes)
        #expect(items[0].lostEventCount == 3)
    }

    @Test func truncatedTrailingRecord() {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let whole = record(0).bytes
        let partial = Array(record(1).bytes.prefix(18))
        let items = parser.parse(whole + partial)
        #expect(items == [.event(record(0)), .truncated(offset: 40, bytes: partial)])
        let shortHeader = parser.parse([1, 0, 0])
        #expect(shortHeader == [.truncated(offset: 0, bytes: [1, 0, 0])])
        // A lost header needs only its 8 bytes.
        #expect(parser.parse(VEventRecord.lostEvents(sequence: 2).bytes).count == 1)
        #expect(parser.parse([]) == [])
    }

    @Test func invalidSequenceRestartsExpectations() {
        var parser = VEventStreamParser(for: SMMUv3Event.self)
        let bad = VEventRecord(header: VEventHeader(sequence: 0x8000_0000), payload: smmuEvent(1).bytes)
        let items = parser.parse(VEventStreamParser.encode([record(1), bad, record(9)]))
        #expect(items == [
            .event(record(1)), .invalidSequence(offset: 40, header: bad.header), .event(bad), .event(record(9)),
        ])
    }

    @Test func otherPayloadSizes() throws {
        var tegra = VEventStreamParser(for: Tegra241VEvent.self)
        let error = try Tegra241VEvent(erroredQueues: [3])
        let items = tegra.parse(VEventRecord(sequence: 0, event: error).bytes + VEventRecord.lostEvents(sequence: 1).bytes)
        #expect(items.count == 2)
        if case .event(let record) = items[0] {
            #expect(try record.decode(as: Tegra241VEvent.self).erroredQueues == [3])
        } else {
            Issue.record("expected an event")
        }
        var mock = VEventStreamParser(for: SelftestVEvent.self)
        let stream = VEventStreamParser.encode([
            VEventRecord(sequence: 0, event: SelftestVEvent(virtualID: 0x99)),
            VEventRecord(sequence: 1, event: SelftestVEvent(virtualID: 0x9A)),
        ])
        #expect(stream.count == 24)
        #expect(mock.parse(stream).count == 2)
    }

    /// A simulated queue drops events at random; every dropped number must be reported,
    /// whether by a gap or by the tail LOST_EVENTS header, across several reads.
    @Test func randomizedLossAccounting() {
        var generator = SeededGenerator(seed: 0x10557)
        for round in 0..<200 {
            let max = UInt32(Int32.max)
            let start: UInt32 = round % 2 == 0 ? 0 : max - UInt32.random(in: 0...20, using: &generator)
            var sequence = start
            var delivered: [VEventRecord] = []
            var dropped: UInt32 = 0
            var tailLost: UInt32?
            for _ in 0..<Int.random(in: 1...60, using: &generator) {
                if UInt8.random(in: 0...3, using: &generator) == 0 {
                    dropped += 1
                    tailLost = sequence
                } else {
                    delivered.append(record(sequence, sid: UInt32(delivered.count)))
                    tailLost = nil
                }
                sequence = VEventHeader.sequence(after: sequence)
            }
            var records = delivered
            if let tailLost { records.append(.lostEvents(sequence: tailLost)) }
            let stream = VEventStreamParser.encode(records)
            // Split at record boundaries into a few reads, as the kernel would.
            var parser = VEventStreamParser(for: SMMUv3Event.self, expectingFirstSequence: start)
            var items: [VEventStreamParser.Item] = []
            var offset = 0
            var index = 0
            while index < records.count {
                let take = Int.random(in: 1...4, using: &generator)
                let chunk = records[index..<Swift.min(records.count, index + take)]
                let length = chunk.reduce(0) { $0 + $1.bytes.count }
                items += parser.parse(Array(stream[offset..<(offset + length)]))
                offset += length
                index += take
            }
            let events = items.compactMap { item -> VEventRecord? in
                if case .event(let record) = item { return record } else { return nil }
            }
            let lost = items.compactMap(\.lostEventCount).reduce(0, +)
            #expect(events == delivered)
            #expect(lost == dropped)
        }
    }
}
