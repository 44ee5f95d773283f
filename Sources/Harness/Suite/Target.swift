import IOMMUFD

/// What the suite runs against: a backend (kernel, model or agent), whether it has the selftest
/// mock, and the VFIO devices named on the command line, with what was learned about them.
final class Target: @unchecked Sendable {
    let name: String
    let backend: any SyscallBackend
    let iommuPath: String
    let devices: [DeviceTarget]
    let hasSelftest: Bool
    /// The hardware profile when the target is the software model: what a case would otherwise
    /// learn from the host (/proc/cmdline, sysfs) comes from here.
    let modelProfile: ModelProfile?
    /// The files (sysfs, /proc) of the machine whose kernel is tested: this machine's, or the
    /// agent's machine's on an agent target.
    let files: SystemFiles
    /// The agent when the calls go to a remote `iommufd-agent` (`--backend agent`): device
    /// regions are mapped there (`AgentMMIO`) and DMA'd memory is read back from it.
    let agent: AgentBackend?

    /// A VFIO device the user opted in, and its IOMMU as hw_info reported it when the target was
    /// prepared.
    struct DeviceTarget {
        let path: String
        let pciAddress: String?
        let vendorID: UInt16?
        let deviceID: UInt16?
        let hwInfo: HWInfo?
        let problem: String?

        var isEdu: Bool { vendorID == 0x1234 && deviceID == 0x11e8 }
    }

    init(name: String, backend: any SyscallBackend, iommuPath: String = "/dev/iommu",
         devicePaths: [String], sysfsRoot: String = "/sys", modelProfile: ModelProfile? = nil,
         modelDevices: [ModelDevice] = [], files: SystemFiles = .local, agent: AgentBackend? = nil) throws {
        self.name = name
        self.backend = backend
        self.iommuPath = iommuPath
        self.modelProfile = modelProfile
        self.files = files
        self.agent = agent
        let probe = try IOMMUFD(path: iommuPath, backend: backend)
        self.hasSelftest = probe.hasSelftest
        self.devices = devicePaths.map {
            Target.describe(path: $0, backend: backend, context: probe, sysfsRoot: sysfsRoot,
                            model: modelProfile == nil ? nil : modelDevices, files: files)
        }
    }

    /// After the case wrote into mapped memory here: on an agent target, copies those bytes to
    /// the agent's copy, which is the memory the kernel reaches (a no-op elsewhere).
    func publish(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let agent, let e = agent.syncToAgent(UnsafeRawBufferPointer(buffer)) else { return }
        throw CaseFailure(message: "copying \(buffer.count) bytes of mapped memory to the agent: \(e.name)")
    }

    /// Before the case reads mapped memory the kernel may have written: on an agent target,
    /// fetches the agent's copy into `buffer` (a no-op elsewhere).
    func refresh(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let agent, let e = agent.syncFromAgent(buffer) else { return }
        throw CaseFailure(message: "reading \(buffer.count) bytes of mapped memory back from the agent: \(e.name)")
    }

    /// What the device wrote into `buffer` by DMA: the local bytes, or on an agent target the
    /// agent's copy of them (the memory the device reaches lives in the agent).
    func deviceView(_ buffer: UnsafeMutableRawBufferPointer, count: Int? = nil) throws -> [UInt8] {
        let length = count ?? buffer.count
        guard let agent else { return Array(buffer.prefix(length)) }
        switch agent.readRegion(localAddress: UnsafeRawPointer(buffer.baseAddress!), length: length) {
        case .success(let bytes): return bytes
        case .failure(let e):
            throw CaseFailure(message: "reading \(length) bytes of DMA memory back from the agent: \(e.name)")
        }
    }

    func openContext() throws -> IOMMUFD {
        try IOMMUFD(path: iommuPath, backend: backend)
    }

    /// Opens device `index` and binds it to `context`.
    func bindDevice(_ index: Int = 0, to context: IOMMUFD) throws -> VFIODevice {
        let device = try VFIODevice(path: devices[index].path, backend: backend)
        try device.bind(to: context)
        return device
    }

    /// The first reason `needs` cannot be met here, or nil.
    func unmet(_ needs: [Requirement]) -> String? {
        for need in needs {
            switch need {
            case .selftest where !hasSelftest: return need.description
            case .device where devices.isEmpty: return need.description
            case .device where devices[0].problem != nil:
                return "needs a VFIO device that binds to iommufd; \(devices[0].path) does not: \(devices[0].problem!)"
            case .intelVTD:
                guard case .intelVTD? = devices.first?.hwInfo?.data else { return need.description }
            case .armSMMUv3:
                guard case .armSMMUv3? = devices.first?.hwInfo?.data else { return need.description }
            case .eduDevice where devices.first?.isEdu != true: return need.description
            case .eduDevice where modelProfile != nil:
                return "\(need.description); the model does not emulate the edu device's registers and DMA engine"
            default: continue
            }
        }
        return nil
    }

    /// `model`: on a model target, its devices, which stand in for the host's sysfs.
    private static func describe(path: String, backend: any SyscallBackend, context: IOMMUFD,
                                 sysfsRoot: String, model: [ModelDevice]?, files: SystemFiles) -> DeviceTarget {
        let name = FileSystem.baseName(path)
        let modelDevice = model?.first { $0.cdevName == name }
        let link = model == nil ? files.readLink("\(sysfsRoot)/class/vfio-dev/\(name)/device") : nil
        let pci = modelDevice?.pciAddress ?? link.map(FileSystem.baseName)
        func id(_ file: String) -> UInt16? {
            if model != nil {
                guard let modelDevice else { return nil }
                return file == "vendor" ? modelDevice.vendorID : modelDevice.deviceID
            }
            guard let pci, let text = files.readText("\(sysfsRoot)/bus/pci/devices/\(pci)/\(file)") else { return nil }
            return UInt16(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16)
        }
        do {
            let device = try VFIODevice(path: path, backend: backend)
            try device.bind(to: context)
            let info = try device.hwInfo()
            return DeviceTarget(path: path, pciAddress: pci, vendorID: id("vendor"), deviceID: id("device"), hwInfo: info, problem: nil)
        } catch {
            return DeviceTarget(path: path, pciAddress: pci, vendorID: id("vendor"), deviceID: id("device"), hwInfo: nil,
                                problem: "\(error)")
        }
    }
}
