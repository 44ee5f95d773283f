import CPCI
import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why PCI devices could not be read: the source (dump file, sysfs) and libpci's message.
public struct PCIScanError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { "\(source): \(message)" }
}

/// The devices one libpci session saw, with libpci's warnings.
public struct PCIScan: Sendable {
    public var records: [PCIRecord]
    public var warnings: [String]
}

/// Vendor, device and class names from pci.ids through one libpci session, so that pci.ids is
/// parsed once however many dumps are read; answers are cached.
public final class PCINames: @unchecked Sendable {
    private let access: UnsafeMutablePointer<pci_access>?
    private var cache: [Key: String?] = [:]

    private struct Key: Hashable {
        var flags: UInt32
        var a: Int32
        var b: Int32
    }

    /// `idsPath` overrides libpci's default pci.ids. A session that cannot be set up answers nil.
    public init(idsPath: String? = nil) {
        var error = [CChar](repeating: 0, count: 256)
        access = cpci_open_names(idsPath, &error, error.count)
    }

    deinit { if let access { cpci_close(access) } }

    func lookup(_ flags: UInt32, _ a: Int32, _ b: Int32 = 0) throws(PCIScanError) -> String? {
        let key = Key(flags: flags, a: a, b: b)
        if let cached = cache[key] { return cached }
        guard let access else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        var error = [CChar](repeating: 0, count: 256)
        let found = cpci_lookup_name(access, &buffer, Int32(buffer.count), Int32(flags), a, b, 0, 0, &error, error.count)
        if found < 0 { throw PCIScanError(source: "pci.ids", message: "pci_lookup_name: " + PCIScanner.string(error)) }
        let name = found == 1 ? PCIScanner.string(buffer) : nil
        cache[key] = name
        return name
    }

    func vendor(_ id: UInt16) throws(PCIScanError) -> String? { try lookup(PCI_LOOKUP_VENDOR.rawValue, Int32(id)) }
    func device(_ vendor: UInt16, _ device: UInt16) throws(PCIScanError) -> String? {
        try lookup(PCI_LOOKUP_DEVICE.rawValue, Int32(vendor), Int32(device))
    }
    func deviceClass(_ code: UInt16) throws(PCIScanError) -> String? { try lookup(PCI_LOOKUP_CLASS.rawValue, Int32(code)) }
}

/// Reads PCI functions through libpci: live through sysfs, or from `lspci -xxxx` dumps through
/// the dump access method. Capabilities are located with `pci_find_cap` and read with
/// `pci_read_word`/`pci_read_long`; nothing here walks config space by hand.
public enum PCIScanner {
    /// Reads a dump file (`lspci -xxxx`, with or without `-vvv` text between devices).
    /// Throws a clear error for an unreadable or malformed file instead of letting libpci exit.
    public static func scanDump(_ path: String, idsPath: String? = nil, names: PCINames? = nil) throws(PCIScanError) -> PCIScan {
        try checkDump(path)
        var error = [CChar](repeating: 0, count: 512)
        guard let access = cpci_open_dump(path, idsPath, &error, error.count) else {
            throw PCIScanError(source: path, message: "libpci: " + string(error))
        }
        defer { cpci_close(access) }
        let scan = try read(access, source: path, names: names ?? PCINames(idsPath: idsPath))
        if scan.records.isEmpty {
            throw PCIScanError(
                source: path,
                message: "no devices in the dump (expected `lspci -xxxx` output: a header line "
                    + "'BB:DD.F text' or 'DDDD:BB:DD.F text', then hex lines '00: 86 80 ...')")
        }
        return scan
    }

    /// Reads the live (or a captured, complete) sysfs PCI tree; `pciPath` is the
    /// `.../bus/pci` directory, nil for libpci's default (/sys/bus/pci).
    public static func scanSysfs(pciPath: String? = nil, idsPath: String? = nil, names: PCINames? = nil) throws(PCIScanError) -> PCIScan {
        var error = [CChar](repeating: 0, count: 512)
        let source = pciPath ?? "/sys/bus/pci"
        guard let access = cpci_open_sysfs(pciPath, idsPath, &error, error.count) else {
            throw PCIScanError(source: source, message: "libpci: " + string(error))
        }
        defer { cpci_close(access) }
        return try read(access, source: "sysfs", names: names ?? PCINames(idsPath: idsPath))
    }

    // MARK: Dump checks

    /// The traps libpci's dump reader does not explain: a file it cannot open ends in its error
    /// path, and a device header line with nothing after the address is silently not a header
    /// (the hex lines after it are then dropped). Both become clear errors here.
    static func checkDump(_ path: String) throws(PCIScanError) {
        guard let bytes = FileSystem.read(path, limit: 64 << 20) else {
            let failure = Errno(errno)
            throw PCIScanError(source: path, message: "cannot read the dump file: \(failure.name) (\(failure.message))")
        }
        var lineNumber = 0
        for line in String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            if isBareAddress(text) {
                throw PCIScanError(
                    source: path,
                    message: "line \(lineNumber): device header '\(text)' has nothing after the address; "
                        + "libpci's dump reader needs text after it (e.g. '\(text) Class 0200: ...'), "
                        + "as lspci -xxxx prints")
            }
        }
    }

    /// `00:02.0` or `0000:00:02.0` alone on a line (trailing blanks allowed).
    static func isBareAddress(_ line: Substring) -> Bool {
        let trimmed = line.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        guard trimmed.count == 7 || trimmed.count == 12 || trimmed.count == 13 else { return false }
        return PCIAddress(String(trimmed)) != nil && !trimmed.contains(" ")
    }

    // MARK: Reading devices

    private static func read(_ access: UnsafeMutablePointer<pci_access>, source: String, names: PCINames) throws(PCIScanError) -> PCIScan {
        var records: [PCIRecord] = []
        var device = access.pointee.devices
        while let dev = device {
            records.append(try record(dev, names: names, source: source))
            device = dev.pointee.next
        }
        records.sort { $0.address < $1.address }
        return PCIScan(records: records, warnings: takeWarnings())
    }

    private static func record(_ dev: UnsafeMutablePointer<pci_dev>, names: PCINames,
                               source: String) throws(PCIScanError) -> PCIRecord {
        let reader = ConfigReader(dev: dev, source: source)
        let flags = PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_CAPS | PCI_FILL_EXT_CAPS
        try reader.check(cpci_fill(dev, Int32(flags), &reader.error, reader.error.count), "pci_fill_info")
        let d = dev.pointee
        let address = PCIAddress(domain: Int(d.domain), bus: Int(d.bus), device: Int(d.dev), function: Int(d.func))
        let classCode = d.device_class
        var record = PCIRecord(
            address: address, vendorID: d.vendor_id, deviceID: d.device_id, classCode: classCode,
            progIf: d.prog_if, revision: d.rev_id, headerType: try reader.byte(0x0e),
            vendorName: nil, deviceName: nil, className: nil, pcie: nil, extendedCapabilities: [],
            pasid: nil, ats: nil, pri: nil, acs: nil, sriov: nil, source: source)
        record.vendorName = try names.vendor(d.vendor_id)
        record.deviceName = try names.device(d.vendor_id, d.device_id)
        record.className = try names.deviceClass(classCode)

        if let offset = try reader.capability(0x10, type: PCI_CAP_NORMAL) {
            let flags = try reader.word(offset + 2)
            record.pcie = PCIeInfo(
                offset: offset, portType: Int(flags >> 4 & 0xf), linkCapabilities: try reader.long(offset + 0x0c),
                linkStatus: try reader.word(offset + 0x12))
        }
        var cap = cpci_first_cap(dev)
        while let c = cap {
            if Int32(c.pointee.type) == PCI_CAP_EXTENDED {
                let header = try reader.long(Int(c.pointee.addr))
                record.extendedCapabilities.append(
                    ExtendedCapability(id: c.pointee.id, offset: Int(c.pointee.addr), version: Int(header >> 16 & 0xf)))
            }
            cap = c.pointee.next
        }
        record.extendedCapabilities.sort { $0.offset < $1.offset }

        if let offset = try reader.capability(0x1b, type: PCI_CAP_EXTENDED) {
            record.pasid = PASIDCapability(offset: offset, capability: try reader.word(offset + 4), control: try reader.word(offset + 6))
        }
        if let offset = try reader.capability(0x0f, type: PCI_CAP_EXTENDED) {
            record.ats = ATSCapability(offset: offset, capability: try reader.word(offset + 4), control: try reader.word(offset + 6))
        }
        if let offset = try reader.capability(0x13, type: PCI_CAP_EXTENDED) {
            record.pri = PRICapability(
                offset: offset, control: try reader.word(offset + 4), status: try reader.word(offset + 6),
                outstandingCapacity: try reader.long(offset + 8), allocation: try reader.long(offset + 0x0c))
        }
        if let offset = try reader.capability(0x0d, type: PCI_CAP_EXTENDED) {
            record.acs = ACSCapability(offset: offset, capability: try reader.word(offset + 4), control: try reader.word(offset + 6))
        }
        if let offset = try reader.capability(0x10, type: PCI_CAP_EXTENDED) {
            record.sriov = SRIOVCapability(
                offset: offset, capabilities: try reader.long(offset + 4), control: try reader.word(offset + 8),
                initialVFs: Int(try reader.word(offset + 0x0c)), totalVFs: Int(try reader.word(offset + 0x0e)),
                numVFs: Int(try reader.word(offset + 0x10)), firstVFOffset: Int(try reader.word(offset + 0x14)),
                vfStride: Int(try reader.word(offset + 0x16)), vfDeviceID: try reader.word(offset + 0x1a))
        }
        return record
    }

    private static func takeWarnings() -> [String] {
        var buffer = [CChar](repeating: 0, count: 2048)
        _ = cpci_take_warnings(&buffer, buffer.count)
        return string(buffer).split(whereSeparator: \.isNewline).map(String.init)
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Config-space reads of one device through libpci, each under the C shim's error guard.
private final class ConfigReader {
    let dev: UnsafeMutablePointer<pci_dev>
    let source: String
    var error = [CChar](repeating: 0, count: 512)

    init(dev: UnsafeMutablePointer<pci_dev>, source: String) {
        self.dev = dev
        self.source = source
    }

    func check(_ status: Int32, _ call: String) throws(PCIScanError) {
        if status < 0 { throw PCIScanError(source: source, message: "\(call): " + PCIScanner.string(error)) }
    }

    func capability(_ id: UInt32, type: Int32) throws(PCIScanError) -> Int? {
        let offset = cpci_find_cap(dev, id, UInt32(type), &error, error.count)
        try check(offset, "pci_find_cap")
        return offset > 0 ? Int(offset) : nil
    }

    func byte(_ pos: Int) throws(PCIScanError) -> UInt8 {
        var value: UInt8 = 0
        try check(cpci_read_byte(dev, Int32(pos), &value, &error, error.count), "pci_read_byte")
        return value
    }

    func word(_ pos: Int) throws(PCIScanError) -> UInt16 {
        var value: UInt16 = 0
        try check(cpci_read_word(dev, Int32(pos), &value, &error, error.count), "pci_read_word")
        return value
    }

    func long(_ pos: Int) throws(PCIScanError) -> UInt32 {
        var value: UInt32 = 0
        try check(cpci_read_long(dev, Int32(pos), &value, &error, error.count), "pci_read_long")
        return value
    }
}
