import Foundation
import IOMMUFD

/// Reads the register vectors copied into Tests/DecoderTests/Fixtures (never ../shared).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // DecoderTests
        .appendingPathComponent("Fixtures")

    static func json(_ name: String) -> JSONValue {
        let url = directory.appendingPathComponent(name)
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            return try JSONValue.parse(text)
        } catch {
            fatalError("cannot load fixture \(url.path): \(error)")
        }
    }

    /// The `fields` entries of one register in a vector: mnemonic and expected raw value.
    static func expectedFields(_ value: JSONValue?) -> [(mnemonic: String, value: UInt64)] {
        (value?.objectValue ?? []).map { (mnemonic: $0.key, value: $0.value.uint64Value ?? .max) }
    }
}

/// One VT-d vector of vtd.json.
struct VTDVector: Sendable, CustomStringConvertible {
    var id: String
    var platform: String
    var cap: UInt64
    var ecap: UInt64
    var capFields: [(mnemonic: String, value: UInt64)]
    var ecapFields: [(mnemonic: String, value: UInt64)]

    var description: String { id }

    static let all: [VTDVector] = Fixtures.json("vtd.json").arrayValue!.map { entry in
        VTDVector(
            id: entry["id"]!.stringValue!,
            platform: entry["platform"]?.stringValue ?? "",
            cap: try! HexNumber.parse(entry["cap"]!.stringValue!),
            ecap: try! HexNumber.parse(entry["ecap"]!.stringValue!),
            capFields: Fixtures.expectedFields(entry["fields"]?["cap"]),
            ecapFields: Fixtures.expectedFields(entry["fields"]?["ecap"]))
    }

    static func named(_ id: String) -> VTDVector { all.first { $0.id == id }! }
}

/// One SMMUv3 vector of smmuv3.json: the registers captured and the fields expected per register.
struct SMMUv3Vector: Sendable, CustomStringConvertible {
    var id: String
    var platform: String
    /// Register key ("idr0", "iidr", ...) to raw value; registers not captured are absent.
    var registers: [String: UInt32]
    /// Register key to expected fields.
    var fields: [(register: String, expected: [(mnemonic: String, value: UInt64)])]

    var description: String { id }

    var decoded: SMMUv3Registers {
        SMMUv3Registers(
            idr0: registers["idr0"] ?? 0, idr1: registers["idr1"] ?? 0, idr2: registers["idr2"] ?? 0,
            idr3: registers["idr3"] ?? 0, idr4: registers["idr4"] ?? 0, idr5: registers["idr5"] ?? 0,
            iidr: registers["iidr"] ?? 0, aidr: registers["aidr"] ?? 0)
    }

    static let all: [SMMUv3Vector] = Fixtures.json("smmuv3.json").arrayValue!.map { entry in
        var registers: [String: UInt32] = [:]
        for pair in entry["registers"]?.objectValue ?? [] {
            registers[pair.key] = UInt32(try! HexNumber.parse(pair.value.stringValue!, bits: 32))
        }
        let fields = (entry["fields"]?.objectValue ?? []).map {
            (register: $0.key, expected: Fixtures.expectedFields($0.value))
        }
        return SMMUv3Vector(
            id: entry["id"]!.stringValue!, platform: entry["platform"]?.stringValue ?? "",
            registers: registers, fields: fields)
    }

    static func named(_ id: String) -> SMMUv3Vector { all.first { $0.id == id }! }
}
