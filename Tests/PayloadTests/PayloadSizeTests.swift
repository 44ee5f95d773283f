import Testing
@testable import IOMMUFD

/// Every payload's declared size matches the kernel struct, its image has exactly that
/// length, and a buffer one byte short or long is refused naming the size.
@Suite("Payload sizes")
struct PayloadSizeTests {
    static var expectedSizes: [(any IOMMUPayload.Type, Int)] { [
        (VTDStage1Config.self, 24), (VTDStage1Invalidation.self, 24),
        (SMMUv3VSTE.self, 16), (SMMUv3Command.self, 16), (SMMUv3Event.self, 32),
        (SMMUv3ContextDescriptor.self, 64), (AMDGuestDTE.self, 32),
        (Tegra241VEvent.self, 16), (Tegra241VIOMMUData.self, 16),
        (VEventHeader.self, 8), (PageFault.self, 40), (PageResponse.self, 8),
        (SelftestHWPTData.self, 8), (SelftestHWPTInvalidation.self, 8),
        (SelftestVIOMMUInvalidation.self, 12), (SelftestVIOMMUData.self, 24),
        (SelftestVEvent.self, 4), (SelftestHWInfo.self, 8),
    ] }

    @Test func sizesMatchTheKernelStructs() {
        for (type, size) in Self.expectedSizes {
            #expect(type.size == size, "\(type)")
        }
    }

    @Test func wrongLengthsAreRefused() {
        for (type, size) in Self.expectedSizes {
            for length in [0, size - 1, size + 1] {
                let error = Self.decode(type, [UInt8](repeating: 0, count: length))
                #expect(error?.field == "size", "\(type) \(length)")
                #expect(error?.value == UInt64(length))
            }
            let zero = Self.decodeImage(type, [UInt8](repeating: 0, count: size))
            if let zero { #expect(zero.count == size, "\(type)") }
        }
    }

    static func decode<P: IOMMUPayload>(_ type: P.Type, _ bytes: [UInt8]) -> PayloadError? {
        payloadError { () throws(PayloadError) in try P(bytes: bytes) }
    }

    /// The image of the all-zero struct, when the strict reader accepts it.
    static func decodeImage<P: IOMMUPayload>(_ type: P.Type, _ bytes: [UInt8]) -> [UInt8]? {
        (try? P(bytes: bytes))?.bytes
    }

    @Test func concatenatedArrays() throws {
        let entries = [SMMUv3Command.tlbiNHAll, try SMMUv3Command(.cfgiCDAll(streamID: 1))]
        #expect(SMMUv3Command.concatenated(entries) == entries[0].bytes + entries[1].bytes)
    }
}
