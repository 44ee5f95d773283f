import CDRM
import IOMMUFD

/// DRM devices: live through libdrm's `drmGetDevices2`, from `class/drm` on a captured host.
enum GPUScanner {
    struct DRMDevice {
        var device: String
        var busType: String
        var nodes: [String]
        var pciAddress: PCIAddress?
    }

    /// libdrm's view. `drmGetDevices2` answers -ENOENT when there is no /dev/dri: that is "no
    /// GPUs", not an error.
    static func libdrm() -> Result<[DRMDevice], Errno> {
        let count = drmGetDevices2(0, nil, 0)
        if count == -Errno.ENOENT.rawValue { return .success([]) }
        if count < 0 { return .failure(Errno(-count)) }
        if count == 0 { return .success([]) }
        var pointers = [drmDevicePtr?](repeating: nil, count: Int(count))
        let got = drmGetDevices2(0, &pointers, count)
        if got < 0 { return got == -Errno.ENOENT.rawValue ? .success([]) : .failure(Errno(-got)) }
        defer { drmFreeDevices(&pointers, got) }
        var devices: [DRMDevice] = []
        for pointer in pointers.prefix(Int(got)) {
            guard let device = pointer?.pointee else { continue }
            var nodes: [String] = []
            for index in 0..<Int(DRM_NODE_MAX) where device.available_nodes & (1 << Int32(index)) != 0 {
                if let node = device.nodes[index] { nodes.append(String(cString: node)) }
            }
            switch device.bustype {
            case DRM_BUS_PCI:
                let info = device.businfo.pci.pointee
                let address = PCIAddress(domain: Int(info.domain), bus: Int(info.bus), device: Int(info.dev), function: Int(info.`func`))
                devices.append(DRMDevice(device: address.description, busType: "pci", nodes: nodes, pciAddress: address))
            case DRM_BUS_PLATFORM:
                let name = withUnsafeBytes(of: device.businfo.platform.pointee.fullname) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                devices.append(DRMDevice(device: FileSystem.baseName(name), busType: "platform", nodes: nodes, pciAddress: nil))
            case DRM_BUS_USB:
                devices.append(DRMDevice(device: "usb", busType: "usb", nodes: nodes, pciAddress: nil))
            default:
                devices.append(DRMDevice(device: "unknown", busType: "bus \(device.bustype)", nodes: nodes, pciAddress: nil))
            }
        }
        return .success(devices)
    }

    /// The same from sysfs minors (`card0`, `renderD128` → their device), for captured hosts.
    static func sysfs(_ nodes: [SysfsDRMNode]) -> [DRMDevice] {
        var byDevice: [String: DRMDevice] = [:]
        var order: [String] = []
        for node in nodes {
            let device = node.device ?? "unknown"
            if byDevice[device] == nil {
                order.append(device)
                let address = PCIAddress(device)
                byDevice[device] = DRMDevice(device: device, busType: address == nil ? "platform" : "pci", nodes: [], pciAddress: address)
            }
            byDevice[device]!.nodes.append("/dev/dri/\(node.name)")
        }
        return order.map { byDevice[$0]! }
    }
}
