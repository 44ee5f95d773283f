#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// The files of the machine whose kernel the suite tests (sysfs, /proc, ACPI tables): this
/// machine's for the kernel backend, the agent's machine's for `--backend agent`, where the agent
/// opens, reads, lists and follows links for us (agent/PROTOCOL.md: OPEN/READ, LISTDIR, READLINK).
struct SystemFiles: Sendable {
    /// Where the files are, for messages ("this machine", "the agent's machine").
    let place: String
    private let readBytes: @Sendable (String) -> [UInt8]?
    private let readLinkTarget: @Sendable (String) -> String?
    private let listNames: @Sendable (String) -> [String]?

    init(place: String, read: @escaping @Sendable (String) -> [UInt8]?, readLink: @escaping @Sendable (String) -> String?,
         list: @escaping @Sendable (String) -> [String]?) {
        self.place = place
        self.readBytes = read
        self.readLinkTarget = readLink
        self.listNames = list
    }

    /// This machine's files.
    static let local = SystemFiles(place: "this machine", read: { FileSystem.read($0) }, readLink: { FileSystem.readLink($0) },
                                   list: { FileSystem.list($0) })

    /// The files of the machine `agent` runs on.
    static func agent(_ agent: AgentBackend) -> SystemFiles {
        SystemFiles(place: "the agent's machine",
                    read: { try? agent.readFile($0, limit: 1 << 20).get() },
                    readLink: { try? agent.readLink($0).get() },
                    list: { try? agent.listDirectory($0).get() })
    }

    /// A whole small file, or nil.
    func read(_ path: String) -> [UInt8]? { readBytes(path) }

    /// A text file with surrounding white space trimmed (a sysfs attribute's value), or nil.
    func readText(_ path: String) -> String? {
        guard let bytes = read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The target of a symbolic link, or nil.
    func readLink(_ path: String) -> String? { readLinkTarget(path) }

    /// The names in a directory, sorted, or nil.
    func list(_ path: String) -> [String]? { listNames(path)?.filter { $0 != "." && $0 != ".." }.sorted() }

    /// Whether a directory can be listed or a file read (sysfs attributes are small).
    func isDirectory(_ path: String) -> Bool { list(path) != nil }

    /// The cdev of a PCI device bound to a VFIO driver (`<sysfs>/bus/pci/devices/BDF/vfio-dev/vfioN`),
    /// as `VFIODevice.cdevPath` finds it on this machine, or why there is none.
    func vfioCdevPath(pciAddress: String, sysfsRoot: String = "/sys") -> Result<String, CaseFailure> {
        let deviceDir = "\(sysfsRoot)/bus/pci/devices/\(pciAddress)"
        guard isDirectory(deviceDir) else {
            return .failure(CaseFailure(message: "no PCI device \(pciAddress) in \(sysfsRoot)/bus/pci/devices on \(place) (addresses look like 0000:00:03.0)"))
        }
        guard let name = list("\(deviceDir)/vfio-dev")?.first(where: { $0.hasPrefix("vfio") }) else {
            let driver = readLink("\(deviceDir)/driver").map(FileSystem.baseName) ?? "no driver"
            return .failure(CaseFailure(message: "\(pciAddress) on \(place) has no VFIO cdev: it is bound to \(driver), not vfio-pci, or the kernel lacks CONFIG_VFIO_DEVICE_CDEV"))
        }
        return .success("/dev/vfio/devices/\(name)")
    }
}

/// Whether every PCI root complex node of an ACPI IORT sets CANWBS (bit 2 of its memory access
/// flags, include/acpi/actbl2.h ACPI_IORT_MF_CANWBS), which the SMMUv3 driver takes in place of
/// IDR3.FWB for an ARM_SMMUV3 vIOMMU (arm-smmu-v3-iommufd.c: `arm_smmu_master_canwbs`, from
/// IOMMU_FWSPEC_PCI_RC_CANWBS that drivers/acpi/arm64/iort.c sets by `iort_pci_rc_supports_canwbs`). nil when the bytes are not an IORT with a root complex.
/// Layout: 36-byte header, `{u32 node count, u32 node offset}`; each node `{u8 type, u16 length,
/// ...}`; a root complex (type 2) has its memory flags byte at node offset + 23.
func iortRootComplexesCanWBS(_ bytes: [UInt8]) -> Bool? {
    func u32(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24 }
    guard bytes.count >= 48, Array(bytes[0..<4]) == Array("IORT".utf8), u32(4) == bytes.count else { return nil }
    var offset = u32(40)
    var flags: [UInt8] = []
    for _ in 0..<u32(36) {
        guard offset + 16 <= bytes.count else { return nil }
        let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
        guard length >= 16, offset + length <= bytes.count else { return nil }
        if bytes[offset] == 2 && length >= 24 { flags.append(bytes[offset + 23]) }
        offset += length
    }
    return flags.isEmpty ? nil : flags.allSatisfy { $0 & 0x4 != 0 }
}
