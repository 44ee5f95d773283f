import CIOMMUFD
@testable import IOMMUFD
import Synchronization
import Testing

/// Traces record every call at the seam, survive a JSON round trip, and replay: the same
/// answers give no divergence, another answer is reported with the call that diverged.
@Suite("Trace and replay")
struct TraceTests {
    /// A scripted kernel stand-in: IOAS ids count up, HW_INFO writes 8 bytes, DESTROY of id 99 fails.
    static func scripted(destroyErrno: Errno = .ENOENT) -> RecordingBackend {
        let next = Mutex<UInt32>(0)
        return RecordingBackend { request, raw, buffers in
            switch request {
            case .IOMMU_IOAS_ALLOC:
                store(next.withLock { $0 += 1; return $0 }, at: 8, in: raw)
            case .IOMMU_GET_HW_INFO:
                store(0xfeed_beef, at: 24, in: raw)
                buffers.first?.pointer?.storeBytes(of: UInt32(0xdead_beef), toByteOffset: 4, as: UInt32.self)
            case .IOMMU_DESTROY where raw.load(fromByteOffset: 4, as: UInt32.self) == 99:
                return .failure(destroyErrno)
            default: break
            }
            return .success(0)
        }
    }

    static func record(on backend: any SyscallBackend) throws -> [TraceRecord] {
        let records = Mutex<[TraceRecord]>([])
        let traced = TracingBackend(backend) { record in records.withLock { $0.append(record) } }
        do {
            let ctx = try IOMMUFD(backend: traced)
            let ioas = try ctx.allocIOAS()
            _ = try ctx.hwInfo(deviceID: 5)
            #expect(throws: IOMMUFDError.self) { try ctx.destroy(id: 99) }
            try ioas.destroy()
        }
        return records.withLock { $0 }
    }

    @Test func everyCallIsRecordedWithItsOutputs() throws {
        let records = try Self.record(on: Self.scripted())
        #expect(records.map(\.name) == ["/dev/iommu", "IOMMU_IOAS_ALLOC", "IOMMU_GET_HW_INFO", "IOMMU_DESTROY", "IOMMU_DESTROY", "close"])
        #expect(records.map(\.sequence) == Array(1...6))
        let alloc = records[1]
        #expect(alloc.argument.u32(8) == 0)
        #expect(alloc.argumentAfter.u32(8) == 1)
        let info = records[2]
        #expect(info.buffers.first?.direction == .output)
        #expect(info.buffers.first?.output.u32(4) == 0xdead_beef)
        #expect(records[3].errno == .ENOENT)
        #expect(records[3].result == nil)
    }

    @Test func recordsSurviveTheirJSONLines() throws {
        for record in try Self.record(on: Self.scripted()) {
            let line = record.json.serialized(pretty: false)
            #expect(!line.contains("\n"))
            let back = try TraceRecord(json: try JSONValue.parse(line))
            #expect(back == record)
        }
    }

    @Test func replayOnTheSameAnswersFindsNoDivergence() throws {
        let records = try Self.record(on: Self.scripted())
        #expect(Replayer(backend: Self.scripted()).replay(records).isEmpty)
    }

    @Test func replayReportsTheCallThatDiverged() throws {
        let records = try Self.record(on: Self.scripted())
        let differences = Replayer(backend: Self.scripted(destroyErrno: .EBUSY)).replay(records)
        #expect(differences.count == 1)
        #expect(differences.first?.call == "IOMMU_DESTROY")
        #expect(differences.first?.what == "recorded ENOENT, replayed EBUSY")
    }

    @Test func replayComparesOutputFieldsAndBuffers() throws {
        let records = try Self.record(on: Self.scripted())
        let other = RecordingBackend { request, raw, buffers in
            if request == .IOMMU_IOAS_ALLOC { store(7, at: 8, in: raw) }
            if request == .IOMMU_GET_HW_INFO { store(0xfeed_beef, at: 24, in: raw) }
            if request == .IOMMU_DESTROY, raw.load(fromByteOffset: 4, as: UInt32.self) == 99 { return .failure(.ENOENT) }
            return .success(0)
        }
        let differences = Replayer(backend: other).replay(records).map(\.description)
        #expect(differences.contains { $0.hasPrefix("#2 IOMMU_IOAS_ALLOC: argument differs from byte 8") })
        #expect(differences.contains { $0.hasPrefix("#3 IOMMU_GET_HW_INFO: the output buffer") })
    }

    @Test func malformedLinesAreRefusedWithTheReason() {
        #expect(throws: TraceError.self) { try TraceRecord(json: try JSONValue.parse("{\"call\":\"ioctl\"}")) }
        #expect(throws: TraceError.self) {
            try TraceRecord(json: try JSONValue.parse("{\"seq\":1,\"call\":\"ioctl\",\"fd\":3,\"name\":\"X\",\"value\":\"0x3b80\",\"arg\":\"0g\"}"))
        }
    }
}
