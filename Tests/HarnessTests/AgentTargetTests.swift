#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Testing
@testable import Harness
import IOMMUFD

// `--backend agent`: what the harness learns about the tested machine (sysfs, the IORT) comes
// through the agent. An agent built for this machine (agent/iommufd-agent.c, with `cc`) stands in
// for the remote one; it reads this machine's files, so the answers must equal local reads.

/// Builds the agent once per test process, or uses `$IOMMUFD_AGENT`; nil when neither works.
private let agentExecutable: String? = {
    if let preset = getenv("IOMMUFD_AGENT").map({ String(cString: $0) }), !preset.isEmpty {
        return access(preset, X_OK) == 0 ? preset : nil
    }
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/HarnessTests/AgentTargetTests.swift
    let source = parts.joined(separator: "/") + "/agent/iommufd-agent.c"
    guard access(source, R_OK) == 0 else { return nil }
    let dir = scratchDirectory()
    let output = dir + "/iommufd-agent"
    let common = ["-std=c11", "-O2", "-o", output, source]
    return runProgram(["cc", "-static"] + common) == 0 || runProgram(["cc"] + common) == 0 ? output : nil
}()

private func runProgram(_ argv: [String]) -> Int32 {
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

private func scratchDirectory() -> String {
    var template = Array("/tmp/swift-iommufd-harness-agent.XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

private func makeDirectory(_ path: String) {
    var partial = ""
    for part in path.split(separator: "/") {
        partial += "/" + part
        mkdir(partial, 0o755)
    }
}

private func writeFile(_ path: String, _ text: String) {
    let f = fopen(path, "w")!
    fputs(text, f)
    fclose(f)
}

/// A sysfs tree with one VFIO device (0000:00:03.0 as vfio0) in IOMMU group 7, and a second
/// member of the group bound to `neighbourDriver`.
private func fakeSysfs(neighbourDriver: String) -> String {
    let root = scratchDirectory()
    makeDirectory("\(root)/class/vfio-dev/vfio0")
    symlink("../../../devices/pci0000:00/0000:00:03.0", "\(root)/class/vfio-dev/vfio0/device")
    for bdf in ["0000:00:03.0", "0000:00:04.0"] {
        makeDirectory("\(root)/bus/pci/devices/\(bdf)")
        symlink("../../../../kernel/iommu_groups/7", "\(root)/bus/pci/devices/\(bdf)/iommu_group")
        makeDirectory("\(root)/kernel/iommu_groups/7/devices")
        symlink("../../../../devices/pci0000:00/\(bdf)", "\(root)/kernel/iommu_groups/7/devices/\(bdf)")
    }
    makeDirectory("\(root)/bus/pci/devices/0000:00:03.0/vfio-dev/vfio0")
    symlink("../../../../bus/pci/drivers/vfio-pci", "\(root)/bus/pci/devices/0000:00:03.0/driver")
    symlink("../../../../bus/pci/drivers/\(neighbourDriver)", "\(root)/bus/pci/devices/0000:00:04.0/driver")
    writeFile("\(root)/bus/pci/devices/0000:00:03.0/vendor", "0x1234\n")
    return root
}

@Suite("Harness targets through an agent", .enabled(if: agentExecutable != nil, "no agent: cc could not build agent/iommufd-agent.c"))
struct AgentTargetTests {
    private func agentFiles() throws -> (AgentBackend, SystemFiles) {
        let agent = try AgentBackend(spawning: agentExecutable!)
        return (agent, SystemFiles.agent(agent))
    }

    @Test func filesThroughTheAgentAreTheMachines() throws {
        let (agent, remote) = try agentFiles()
        defer { agent.quit() }
        let root = fakeSysfs(neighbourDriver: "e1000e")
        let local = SystemFiles.local
        for path in ["\(root)/bus/pci/devices/0000:00:03.0/vendor", "/proc/version", "\(root)/missing"] {
            #expect(remote.readText(path) == local.readText(path), "\(path)")
        }
        #expect(remote.readText("\(root)/bus/pci/devices/0000:00:03.0/vendor") == "0x1234")
        for path in ["\(root)/class/vfio-dev/vfio0/device", "\(root)/bus/pci/devices/0000:00:04.0/driver", "\(root)/missing"] {
            #expect(remote.readLink(path) == local.readLink(path), "\(path)")
        }
        #expect(remote.list("\(root)/kernel/iommu_groups/7/devices") == ["0000:00:03.0", "0000:00:04.0"])
        #expect(remote.list("\(root)/missing") == nil)
        if case .success(let path) = remote.vfioCdevPath(pciAddress: "0000:00:03.0", sysfsRoot: root) {
            #expect(path == "/dev/vfio/devices/vfio0")
        } else {
            Issue.record("no cdev found for 0000:00:03.0")
        }
        guard case .failure(let why) = remote.vfioCdevPath(pciAddress: "0000:00:04.0", sysfsRoot: root) else {
            Issue.record("0000:00:04.0 has no vfio-dev")
            return
        }
        #expect(why.message.contains("e1000e") && why.message.contains("the agent's machine"))
    }

    /// The refusal to touch a device whose IOMMU group has a member in use by a host driver is
    /// made on the agent's machine, from its sysfs.
    @Test func groupConflictIsCheckedThroughTheAgent() throws {
        let (agent, remote) = try agentFiles()
        defer { agent.quit() }
        let busy = fakeSysfs(neighbourDriver: "e1000e")
        let problem = TargetOptions.groupConflict(cdevPath: "/dev/vfio/devices/vfio0", sysfsRoot: busy, files: remote)
        #expect(problem != nil && problem!.contains("0000:00:04.0, in use by e1000e"), "\(String(describing: problem))")
        #expect(problem == TargetOptions.groupConflict(cdevPath: "/dev/vfio/devices/vfio0", sysfsRoot: busy))
        let harmless = fakeSysfs(neighbourDriver: "vfio-pci")
        #expect(TargetOptions.groupConflict(cdevPath: "/dev/vfio/devices/vfio0", sysfsRoot: harmless, files: remote) == nil)
    }

    /// The IORT's CANWBS as the model comparison reads it: every PCI root complex must set it.
    @Test func iortCANWBS() {
        var table = [UInt8](repeating: 0, count: 48 + 24 + 24)
        table.replaceSubrange(0..<4, with: Array("IORT".utf8))
        table[4] = UInt8(table.count)
        table[36] = 2  // two nodes
        table[40] = 48
        for node in [48, 72] {
            table[node] = 2  // PCI root complex
            table[node + 1] = 24
        }
        #expect(iortRootComplexesCanWBS(table) == false)
        table[48 + 23] = 0x7
        #expect(iortRootComplexesCanWBS(table) == false)
        table[72 + 23] = 0x4
        #expect(iortRootComplexesCanWBS(table) == true)
        #expect(iortRootComplexesCanWBS(Array(table.prefix(40))) == nil)
        table[48] = 0
        table[72] = 0
        #expect(iortRootComplexesCanWBS(table) == nil)
    }

    /// `run --backend agent --agent-command`: the agent is started and answers; the target is the
    /// agent's machine's kernel (the cases run when it has /dev/iommu, as the arm64 lane's guest
    /// does; here without one, opening the target is the environment error, exit status 2).
    @Test func runOverAnAgentCommand() throws {
        var options = try TargetOptions.parse(["--backend", "agent", "--agent-command", agentExecutable!, "--agent-quit",
                                               "--agent-timeout", "20"])
        #expect(options.backend == .agent)
        if FileSystem.exists("/dev/iommu") {
            let resolved = try options.resolve()
            defer { options.finish(resolved.target) }
            #expect(resolved.target.agent != nil)
            #expect(resolved.banner.contains("through iommufd-agent"))
            let results = Runner(target: resolved.target, cases: dispatchCases).run { _, _ in }
            #expect(results.allSatisfy { if case .fail = $0.outcome { false } else { true } })
        } else {
            let error = #expect(throws: ExitCode.self) { _ = try options.resolve() }
            #expect(error == ExitCode(2))
        }
        options.agentSocket = "/nonexistent/agent.sock"
        #expect(throws: ExitCode.self) { _ = try options.resolve() }  // socket and command both given
    }
}
