import ArgumentParser
import IOMMUFD

/// Which backend to run on and which devices to touch.
struct TargetOptions: ParsableArguments {
    @Option(help: "kernel (/dev/iommu), model (the software model), agent (the kernel of the machine an iommufd-agent runs on: --agent-socket or --agent-command), or auto: the kernel when /dev/iommu exists, else the model.")
    var backend: BackendChoice = .auto

    @Option(help: ArgumentHelp("--backend agent: the Unix socket of an iommufd-agent (scripts/vm/run-arm64: QEMU's virtio-serial chardev).", valueName: "path"))
    var agentSocket: String?

    @Option(help: ArgumentHelp("--backend agent: a shell command that starts an iommufd-agent speaking on its stdin/stdout, e.g. 'ssh board iommufd-agent'.", valueName: "command"))
    var agentCommand: String?

    @Option(help: ArgumentHelp("--backend agent: seconds to wait for the agent to answer (a booting guest's agent may not serve yet).", valueName: "seconds"))
    var agentTimeout: Double = 300

    @Flag(help: "--backend agent: ask the agent to exit (QUIT) when done; scripts/vm/run-arm64's guest then goes on to its selftests.")
    var agentQuit = false

    @Option(name: .customLong("device"), help: "A VFIO cdev to test, e.g. /dev/vfio/devices/vfio0 (repeatable). Only devices named here are touched.")
    var devices: [String] = []

    @Option(name: .customLong("pci"), help: "A PCI device bound to vfio-pci, e.g. 0000:00:03.0 (repeatable); its cdev is found through sysfs.")
    var pciAddresses: [String] = []

    @Option(help: "The iommufd node (kernel backend).")
    var iommuPath: String = "/dev/iommu"

    @Option(help: ArgumentHelp("The model's hardware (model backend): a built-in profile (--list-profiles), e.g. qemu-vtd, sapphire-rapids-vtd, qemu-smmuv3. Default: selftest.", valueName: "name"))
    var profile: String?

    @Option(name: .customLong("vtd-cap"), help: ArgumentHelp("Model a VT-d unit with this CAP_REG (hex; with --vtd-ecap).", valueName: "hex"),
            transform: hexOption(bits: 64))
    var vtdCap: UInt64?

    @Option(name: .customLong("vtd-ecap"), help: ArgumentHelp("The modelled VT-d unit's ECAP_REG (hex).", valueName: "hex"),
            transform: hexOption(bits: 64))
    var vtdEcap: UInt64?

    @Flag(name: .customLong("vtd-sm-off"), help: "The modelled kernel runs VT-d in legacy mode (intel_iommu=sm_off).")
    var vtdScalableModeOff = false

    @Option(name: .customLong("smmuv3-idr"), help: ArgumentHelp("Model an Arm SMMUv3 with these ID registers: IDR0,IDR1,IDR2,IDR3,IDR4,IDR5 in hex, comma-separated (missing ones read 0).", valueName: "hex,..."))
    var smmuv3IDR: String?

    @Flag(name: .customLong("smmuv3-canwbs"), help: "The modelled SMMUv3's root complexes are CANWBS in the IORT (a vIOMMU then needs no IDR3.FWB).")
    var smmuv3CanWBS = false

    @Option(name: .customLong("amd-efr"), help: ArgumentHelp("Model an AMD IOMMU with this Extended Feature Register (hex; --amd-efr2 for EFR2).", valueName: "hex"),
            transform: hexOption(bits: 64))
    var amdEFR: UInt64?

    @Option(name: .customLong("amd-efr2"), help: ArgumentHelp("The modelled AMD IOMMU's EFR2 (hex).", valueName: "hex"), transform: hexOption(bits: 64))
    var amdEFR2: UInt64?

    @Flag(help: "List the built-in model profiles and exit.")
    var listProfiles = false

    enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, kernel, model, agent
    }

    /// Opens the target, or fails with exit status 2 and a sentence on what to do.
    func resolve(wrap: (any SyscallBackend) -> any SyscallBackend = { $0 }) throws -> (target: Target, banner: String) {
        if listProfiles {
            for line in Self.profileList { emit(line) }
            throw ExitCode.success
        }
        if backend == .agent { return try resolveAgent(wrap: wrap) }
        if agentSocket != nil || agentCommand != nil {
            throw environmentError("--agent-socket and --agent-command go with --backend agent")
        }
        var paths = devices
        for address in pciAddresses {
            do {
                paths.append(try VFIODevice.cdevPath(pciAddress: address))
            } catch {
                throw environmentError("--pci \(address): \(error)")
            }
        }
        for path in paths where backend != .model {
            if let problem = Self.groupConflict(cdevPath: path) { throw environmentError(problem) }
        }
        let useKernel: Bool
        switch backend {
        case .kernel: useKernel = true
        case .model, .agent: useKernel = false
        case .auto: useKernel = FileSystem.exists(iommuPath) && !namesModelHardware
        }
        if useKernel && namesModelHardware {
            throw environmentError("--profile, --vtd-cap, --smmuv3-idr and --amd-efr describe the model's hardware: use them with --backend model")
        }
        do {
            if useKernel {
                let target = try Target(name: "kernel", backend: wrap(KernelBackend.shared), iommuPath: iommuPath, devicePaths: paths)
                let mock = target.hasSelftest ? "with the selftest mock (CONFIG_IOMMUFD_TEST)" : "without the selftest mock"
                let deviceText = paths.isEmpty ? "no VFIO device named" : "devices: \(paths.joined(separator: ", "))"
                for device in target.devices where device.problem != nil {
                    throw environmentError("cannot use \(device.path): \(device.problem!)")
                }
                return (target, "target: kernel \(iommuPath), \(mock), \(deviceText)")
            }
            let model = try ModelTarget.make(devicePaths: paths, profile: try modelProfile(), wrap: wrap)
            return model
        } catch let error as ExitCode {
            throw error
        } catch {
            throw environmentError("cannot open the target: \(error)")
        }
    }
}

extension TargetOptions {
    /// `--backend agent`: connects to the agent, finds the devices through its sysfs, applies the
    /// group check there, and opens the target on its kernel.
    func resolveAgent(wrap: (any SyscallBackend) -> any SyscallBackend) throws -> (target: Target, banner: String) {
        if namesModelHardware { throw environmentError("--profile, --vtd-cap, --smmuv3-idr and --amd-efr describe the model's hardware: use them with --backend model") }
        let agent: AgentBackend
        let via: String
        switch (agentSocket, agentCommand) {
        case (let socket?, nil):
            do {
                let connection = try AgentConnection.connect(unixSocket: socket, timeoutSeconds: agentTimeout)
                // What reaches a virtio-serial port before the guest's agent opens it is lost:
                // ping until the agent answers in step.
                try connection.synchronize(timeoutSeconds: agentTimeout)
                agent = try AgentBackend(connection: connection)
            } catch {
                throw environmentError("--agent-socket \(socket): \(error)")
            }
            via = "socket \(socket)"
        case (nil, let command?):
            do {
                let connection = try AgentConnection.spawn(executable: "/bin/sh", arguments: ["-c", command], quietStderr: false)
                try connection.synchronize(timeoutSeconds: agentTimeout)
                agent = try AgentBackend(connection: connection)
            } catch {
                throw environmentError("--agent-command '\(command)': \(error)")
            }
            via = "command '\(command)'"
        default:
            throw environmentError("--backend agent needs one of --agent-socket PATH or --agent-command 'CMD ARGS'")
        }
        let files = SystemFiles.agent(agent)
        var paths = devices
        for address in pciAddresses {
            switch files.vfioCdevPath(pciAddress: address) {
            case .success(let path): paths.append(path)
            case .failure(let why):
                if agentQuit { agent.quit() }
                throw environmentError("--pci \(address): \(why.message)")
            }
        }
        for path in paths {
            if let problem = Self.groupConflict(cdevPath: path, files: files) {
                if agentQuit { agent.quit() }
                throw environmentError(problem + " (on the agent's machine)")
            }
        }
        do {
            let target = try Target(name: "agent", backend: wrap(agent), iommuPath: iommuPath, devicePaths: paths,
                                    files: files, agent: agent)
            let mock = target.hasSelftest ? "with the selftest mock (CONFIG_IOMMUFD_TEST)" : "without the selftest mock"
            let deviceText = paths.isEmpty ? "no VFIO device named" : "devices: \(paths.joined(separator: ", "))"
            for device in target.devices where device.problem != nil {
                if agentQuit { agent.quit() }
                throw environmentError("cannot use \(device.path) on the agent's machine: \(device.problem!)")
            }
            return (target, "target: kernel \(iommuPath) through iommufd-agent (\(agent.agentVersion.text)) on \(via), \(mock), \(deviceText)")
        } catch let error as ExitCode {
            throw error
        } catch {
            if agentQuit { agent.quit() }
            throw environmentError("cannot open the target through the agent: \(error)")
        }
    }

    /// Ends the use of `target`: with --agent-quit, asks its agent to exit.
    func finish(_ target: Target) {
        if agentQuit, let agent = target.agent { agent.quit() }
    }

    /// The model's profile from --profile, --vtd-cap/--vtd-ecap, --smmuv3-idr or --amd-efr.
    func modelProfile() throws -> ModelProfile {
        let chosen = [profile != nil, vtdCap != nil || vtdEcap != nil, smmuv3IDR != nil, amdEFR != nil || amdEFR2 != nil].filter { $0 }.count
        guard chosen <= 1 else {
            throw environmentError("choose one model hardware: --profile, --vtd-cap/--vtd-ecap, --smmuv3-idr or --amd-efr")
        }
        if let profile {
            guard let found = ModelProfile.named(profile) else {
                throw environmentError("no built-in profile '\(profile)'; the profiles are: \(ModelProfile.builtIn.map(\.name).joined(separator: ", "))")
            }
            return found
        }
        if vtdCap != nil || vtdEcap != nil {
            guard let cap = vtdCap, let ecap = vtdEcap else { throw environmentError("--vtd-cap and --vtd-ecap go together") }
            return .intelVTD(cap: cap, ecap: ecap, scalableMode: !vtdScalableModeOff, name: "vtd cap \(hex(cap)) ecap \(hex(ecap))")
        }
        if let text = smmuv3IDR {
            var idr: [UInt32] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                do {
                    idr.append(UInt32(try HexNumber.parse(String(part), bits: 32)))
                } catch {
                    throw environmentError("--smmuv3-idr \(text): '\(part)' is not a 32-bit hex number (\(error))")
                }
            }
            guard (1...6).contains(idr.count) else { throw environmentError("--smmuv3-idr takes IDR0 to IDR5: 1 to 6 values, got \(idr.count)") }
            return .armSMMUv3(registers: SMMUv3Registers(idr: idr, iidr: 0, aidr: 0), canWBS: smmuv3CanWBS,
                              name: "smmuv3 idr \(idr.map { hex($0) }.joined(separator: ","))")
        }
        if let efr = amdEFR {
            return .amd(efr: efr, efr2: amdEFR2 ?? 0, name: "amd efr \(hex(efr))")
        }
        if amdEFR2 != nil { throw environmentError("--amd-efr2 needs --amd-efr") }
        return .selftest
    }

    /// Whether any option chose model hardware (which makes --backend auto pick the model).
    var namesModelHardware: Bool {
        profile != nil || vtdCap != nil || vtdEcap != nil || smmuv3IDR != nil || amdEFR != nil
    }

    /// The lines of --list-profiles.
    static var profileList: [String] {
        let width = ModelProfile.builtIn.map(\.name.count).max() ?? 0
        return ModelProfile.builtIn.map { p in
            p.name + String(repeating: " ", count: width - p.name.count + 2) + p.summary
        }
    }

    /// Drivers that do not own DMA for the host: group members bound to them do not stop a test.
    static let harmlessDrivers: Set<String> = ["vfio-pci", "pci-stub", "pcieport"]

    /// Why the device behind `cdevPath` must not be touched: another member of its IOMMU group is
    /// in use by a host driver, and the group (not the device) is the unit of isolation.
    /// `files`: the machine whose sysfs tells (the agent's on an agent target).
    static func groupConflict(cdevPath: String, sysfsRoot: String = "/sys", files: SystemFiles = .local) -> String? {
        let name = FileSystem.baseName(cdevPath)
        guard let link = files.readLink("\(sysfsRoot)/class/vfio-dev/\(name)/device") else { return nil }
        let address = FileSystem.baseName(link)
        guard let group = files.readLink("\(sysfsRoot)/bus/pci/devices/\(address)/iommu_group").map(FileSystem.baseName) else {
            return nil
        }
        for member in files.list("\(sysfsRoot)/kernel/iommu_groups/\(group)/devices") ?? [] where member != address {
            let driver = files.readLink("\(sysfsRoot)/bus/pci/devices/\(member)/driver").map(FileSystem.baseName)
            if let driver, !harmlessDrivers.contains(driver) {
                return "refusing \(cdevPath) (\(address)): IOMMU group \(group) also holds \(member), in use by \(driver); the group is the unit of isolation, so unbind \(member) from \(driver) first (scripts/vfio-bind does the check)"
            }
        }
        return nil
    }
}

/// Prints `message` to standard error and ends with exit status 2 (environment or usage error).
func environmentError(_ message: String) -> ExitCode {
    printError("iommufd-harness: \(message)")
    return ExitCode(2)
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        fputsStderr(string)
    }
}
