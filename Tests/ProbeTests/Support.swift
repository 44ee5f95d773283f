import HostProbe
import IOMMUFD

/// Fixture locations, derived from this file's path (the tests never read ../shared).
enum Fixtures {
    static let directory: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()  // Support.swift
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    static func dump(_ name: String) -> String { "\(directory)/pci/\(name)" }
    static func host(_ name: String) -> String { "\(directory)/hosts/\(name)/sys" }

    static let hostNames = ["spr-server", "arm-smmuv3", "amd-host", "laptop", "qemu-vtd", "qemu-vtd-legacy", "no-iommu"]

    /// Probes a fixture host (its capture/*.lspci dumps are picked up automatically).
    static func probe(_ name: String) throws -> ProbeReport {
        try HostProbe.run(ProbeOptions(sysfsRoot: host(name)))
    }

    /// A scratch file with `text`, for malformed dumps; removed by the caller.
    static func temporaryFile(_ text: String, name: String) -> String {
        let path = "/tmp/probe-tests-\(name)-\(getpidValue()).lspci"
        writeFile(path, text)
        return path
    }
}

#if canImport(Glibc)
import Glibc
#endif

func getpidValue() -> Int32 { getpid() }

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func removeFile(_ path: String) { unlink(path) }

/// One row of Fixtures/pci/truth.tsv, by column name.
struct TruthRow: Sendable, CustomStringConvertible {
    var values: [String: String]
    var description: String { "\(values["id"]!) \(values["file"]!)" }

    subscript(_ column: String) -> String { values[column] ?? "-" }

    /// The column as an integer (hex with 0x, else decimal); nil for "-".
    func number(_ column: String) -> Int? {
        let text = self[column]
        if text == "-" { return nil }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }

    func flag(_ column: String) -> Bool? { number(column).map { $0 != 0 } }

    static let all: [TruthRow] = {
        let text = FileSystem.readText("\(Fixtures.directory)/pci/truth.tsv") ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { fields in
            TruthRow(values: Dictionary(uniqueKeysWithValues: zip(header, fields)))
        }
    }()
}

extension JSONValue {
    /// Follows a path of object keys and array indices written as strings ("pciDevices", "0").
    func at(_ path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for component in path {
            if let index = Int(component) { current = current?[index] } else { current = current?[component] }
        }
        return current
    }

    var isBool: Bool { boolValue != nil }
}
