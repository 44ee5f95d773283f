import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a VFIO device's `IOMMU_GET_HW_INFO` answer comes from.
public protocol HWInfoProvider: Sendable {
    /// The hw_info of the device behind cdev `cdev` (`vfio0`, a device node at `nodePath`), or
    /// why it could not be had. nil when this provider has nothing to say about it.
    func hwInfo(cdev: SysfsVFIOCdev, nodePath: String) -> Result<HWInfo, HWInfoFailure>?
}

public struct HWInfoFailure: Error, Hashable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// Asks the running kernel: opens `/dev/iommu` and the cdev, binds the device
/// (`VFIO_DEVICE_BIND_IOMMUFD`), issues `IOMMU_GET_HW_INFO`, and closes both again, which
/// unbinds. The device's driver binding is never changed; a device another process holds
/// answers EBUSY, which is reported as such.
public struct KernelHWInfoProvider: HWInfoProvider {
    public var iommuPath: String
    public init(iommuPath: String = "/dev/iommu") { self.iommuPath = iommuPath }

    public func hwInfo(cdev: SysfsVFIOCdev, nodePath: String) -> Result<HWInfo, HWInfoFailure>? {
        do {
            let context = try IOMMUFD(path: iommuPath)
            let device = try VFIODevice(path: nodePath)
            try device.bind(to: context)
            return .success(try context.hwInfo(deviceID: device.boundID))
        } catch {
            return .failure(HWInfoFailure(error.description))
        }
    }
}

/// hw_info recorded in a capture: `capture/probe.json` as written by `probe --json` on the
/// captured host (`scripts/capture-host` runs it when the harness is installed there).
public struct CapturedHWInfoProvider: HWInfoProvider {
    public var entries: [String: HWInfo]

    public init(entries: [String: HWInfo]) { self.entries = entries }

    /// Reads `vfio.cdevs[].hwInfo` from a probe JSON document; devices without one are left out.
    public init(probeJSON text: String) throws(JSONParseError) {
        let document = try JSONValue.parse(text)
        var entries: [String: HWInfo] = [:]
        for cdev in document["vfio"]?["cdevs"]?.arrayValue ?? [] {
            guard let device = cdev["device"]?.stringValue, let info = cdev["hwInfo"], let type = info["type"]?.uint64Value,
                  let dataHex = info["data"]?.stringValue else { continue }
            let capabilities = info["capabilities"]?.stringValue.flatMap { try? HexNumber.parse($0) } ?? 0
            let maxPASID = info["maxPASIDLog2"]?.intValue ?? 0
            let bytes = CapturedHWInfoProvider.bytes(hex: dataHex)
            entries[device] = HWInfo(
                type: UInt32(truncatingIfNeeded: type), rawData: bytes, capabilities: capabilities,
                maxPASIDLog2: UInt8(truncatingIfNeeded: maxPASID), kernelDataLength: UInt32(bytes.count))
        }
        self.entries = entries
    }

    public func hwInfo(cdev: SysfsVFIOCdev, nodePath: String) -> Result<HWInfo, HWInfoFailure>? {
        entries[cdev.device].map { .success($0) }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex where character.isHexDigit {
            let nibble = UInt8(character.hexDigitValue!)
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}

/// The live iommufd checks that need open file descriptors.
enum LiveIOMMUFD {
    /// `IOMMU_OPTION(RLIMIT_MODE, GET)` on a fresh context: "per-user" or "per-process".
    static func rlimitMode(iommuPath: String) -> Result<RlimitMode, IOMMUFDError> {
        do {
            let context = try IOMMUFD(path: iommuPath)
            return .success(try context.rlimitMode())
        } catch {
            return .failure(error)
        }
    }

    /// Who answers `/dev/vfio/vfio`: iommufd's compat container answers iommufd ioctls on that fd
    /// (`IOMMU_OPTION` succeeds), VFIO's own container refuses them with ENOTTY. Read-only.
    static func containerProvider(path: String) -> (VFIOContainerInfo.Provider, String) {
        do {
            let context = try IOMMUFD(path: path)
            _ = try context.option(.rlimitMode, .get)
            return (.iommufd, "IOMMU_OPTION answered on \(path): iommufd's VFIO compatibility container")
        } catch let error where error.errno == .ENOTTY {
            return (.vfio, "IOMMU_OPTION on \(path) answered ENOTTY: VFIO's own container (type1)")
        } catch {
            return (.unknown, "could not ask \(path): \(error.errno.description)")
        }
    }

    /// RLIMIT_MEMLOCK of this process (nil = unlimited).
    static func memlock() -> (soft: UInt64?, hard: UInt64?) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0 else { return (nil, nil) }
        func value(_ v: rlim_t) -> UInt64? { v == rlim_t.max ? nil : UInt64(v) }  // RLIM_INFINITY
        return (value(limit.rlim_cur), value(limit.rlim_max))
    }
}
