#if canImport(Glibc)
import Glibc
#endif
@testable import IOMMUFD

/// Builds agent/iommufd-agent.c for this machine once per test process (with `cc`, static when
/// the C library allows it), or uses `$IOMMUFD_AGENT` when set. The tests are skipped when
/// neither works, with the reason in `problem`.
enum AgentFixture {
    static let repositoryRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/AgentTests/AgentFixture.swift
        return parts.joined(separator: "/")
    }()

    static let source = repositoryRoot + "/agent/iommufd-agent.c"

    /// (path of the agent executable, or why there is none)
    static let built: (path: String?, problem: String) = {
        if let preset = getenv("IOMMUFD_AGENT").map({ String(cString: $0) }), !preset.isEmpty {
            return access(preset, X_OK) == 0 ? (preset, "") : (nil, "IOMMUFD_AGENT=\(preset) is not executable")
        }
        guard access(source, R_OK) == 0 else { return (nil, "agent source \(source) not found") }
        var template = Array("/tmp/swift-iommufd-agent-test.XXXXXX".utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            return (nil, "mkdtemp failed")
        }
        let output = dir + "/iommufd-agent"
        let common = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-o", output, source]
        if run(["cc", "-static"] + common) == 0 || run(["cc"] + common) == 0 {
            return (output, "")
        }
        return (nil, "no C compiler (cc) could build \(source)")
    }()

    static var executable: String? { built.path }
    static var available: Bool { built.path != nil }

    /// A fresh agent on pipes.
    static func backend() throws -> AgentBackend {
        guard let path = executable else { throw AgentTransportError(.setup, built.problem) }
        return try AgentBackend(spawning: path)
    }

    /// Runs a program from PATH and returns its exit status (-1 if it could not start).
    static func run(_ argv: [String]) -> Int32 {
        var pid: pid_t = 0
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        guard posix_spawnp(&pid, argv[0], &actions, nil, &cargs, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// A scratch directory for FIFOs and files.
    static func scratchDirectory() -> String {
        var template = Array("/tmp/swift-iommufd-agent-scratch.XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
}

/// Little-endian field access on argument bytes.
extension Array where Element == UInt8 {
    func u32(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[offset + $1]) << UInt32(8 * $1) }
    }
    func u64(at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[offset + $1]) << UInt64(8 * $1) }
    }
    mutating func put(_ value: UInt64, at offset: Int) {
        for i in 0..<8 { self[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
    }
    mutating func put32(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { self[offset + i] = UInt8(truncatingIfNeeded: value >> UInt32(8 * i)) }
    }
}

/// `struct procmap_query` (Linux 6.11, include/uapi/linux/fs.h): a real ioctl on
/// /proc/self/maps with two u64 pointer fields the kernel writes through, which makes it a
/// harmless check of buffer patching on any recent kernel.
enum ProcmapQuery {
    static let request = IoctlRequest(0xC068_6611, "PROCMAP_QUERY")
    static let size = 104
    static let queryFlags = 8, queryAddress = 16, vmaStart = 24, vmaEnd = 32, vmaFlags = 40
    static let vmaNameSize = 80, buildIDSize = 84, vmaNameAddress = 88, buildIDAddress = 96
    /// PROCMAP_QUERY_COVERING_OR_NEXT_VMA.
    static let coveringOrNext: UInt64 = 0x10

    /// Whether this machine's kernel knows the ioctl (Linux 6.11 and later).
    static let supported: Bool = {
        guard case .success(let fd) = KernelBackend.shared.open(path: "/proc/self/maps", flags: O_RDONLY) else { return false }
        defer { _ = KernelBackend.shared.close(fd) }
        var arg = [UInt8](repeating: 0, count: size)
        arg.put(UInt64(size), at: 0)
        arg.put(coveringOrNext, at: queryFlags)
        return arg.withUnsafeMutableBytes { KernelBackend.shared.ioctl(fd, request, argument: $0, buffers: []) } == .success(0)
    }()
}
