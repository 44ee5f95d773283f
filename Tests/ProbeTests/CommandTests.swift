import Testing
import IOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// `iommufd-harness probe` as a user runs it: exit status and output. Skipped when the harness
/// binary is not next to the test bundle (it is after `swift build --build-tests`).
@Suite("probe command")
struct CommandTests {
    static let harness: String? = {
        var parts = CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        let candidate = parts.joined(separator: "/") + "/iommufd-harness"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }()

    /// Runs the harness with `arguments`; returns the exit status and stdout+stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let harness = try #require(harness)
        let outputPath = "/tmp/probe-command-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([harness] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, harness, &actions, nil, argv, environ)
        #expect(spawned == 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, FileSystem.readText(outputPath) ?? "")
    }

    @Test("no IOMMU: exit 0, said plainly", .enabled(if: harness != nil))
    func noIOMMU() throws {
        let (status, output) = try Self.run(["probe", "--sysfs-root", Fixtures.host("no-iommu")])
        #expect(status == 0)
        #expect(output.contains("No IOMMU on this host"))
        #expect(output.contains("scripts/vm/run-x86_64"))
    }

    @Test("--json prints one parseable object", .enabled(if: harness != nil))
    func json() throws {
        let (status, output) = try Self.run(["probe", "--json", "--sysfs-root", Fixtures.host("spr-server")])
        #expect(status == 0)
        let document = try JSONValue.parse(output)
        #expect(document["schema"] == "iommufd-harness/probe/1")
        #expect(document["pciDevices"]?.arrayValue?.count == 2)
    }

    @Test("--device shows one device; an unknown one is an error listing the known", .enabled(if: harness != nil))
    func device() throws {
        let (status, output) = try Self.run(["probe", "--device", "6a:01.0", "--sysfs-root", Fixtures.host("spr-server")])
        #expect(status == 0)
        #expect(output.contains("0000:6a:01.0"))
        #expect(output.contains("ECAP_REG"))
        let (badStatus, badOutput) = try Self.run(["probe", "--device", "00:1f.0", "--sysfs-root", Fixtures.host("spr-server")])
        #expect(badStatus == 1)
        #expect(badOutput.contains("known: 0000:00:02.0, 0000:6a:01.0"))
    }

    @Test("a bad --pci-dump is a clear error and exit 1, not libpci's exit", .enabled(if: harness != nil))
    func badDump() throws {
        let path = Fixtures.temporaryFile("00:02.0 x\n00: zz\n", name: "command")
        defer { removeFile(path) }
        let (status, output) = try Self.run(["probe", "--pci-dump", path, "--sysfs-root", Fixtures.host("no-iommu")])
        #expect(status == 1)
        #expect(output.contains("cannot read PCI devices"))
        #expect(output.contains("Malformed line"))
    }
}
