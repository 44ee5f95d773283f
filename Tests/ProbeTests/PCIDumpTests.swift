import Testing
import IOMMUFD
@testable import HostProbe

/// The vectors of truth.tsv read through libpci's dump method: every decoded field must match.
@Suite("PCI dumps through libpci")
struct PCIDumpTests {
    @Test("truth.tsv has the four vectors")
    func truthLoaded() {
        #expect(TruthRow.all.map { $0["id"] } == ["01", "02", "09", "13"])
    }

    func record(_ row: TruthRow) throws -> PCIRecord {
        let scan = try PCIScanner.scanDump(Fixtures.dump(row["file"]))
        let slot = try #require(PCIAddress(row["slot"]))
        return try #require(scan.records.first { $0.address == slot }, "no device \(slot) in \(row["file"])")
    }

    @Test("identity and the extended capability list", arguments: TruthRow.all)
    func identity(_ row: TruthRow) throws {
        let r = try record(row)
        #expect(Text.hexDigits(r.vendorID, 4) == row["vendor"])
        #expect(Text.hexDigits(r.deviceID, 4) == row["device"])
        #expect(Text.hexDigits(r.classCode, 4) == row["class"])
        #expect(r.extendedCapabilities.map(\.description).joined(separator: ",") == row["ecap_list"])
        #expect(r.pcie != nil, "every vector is PCIe (extended capabilities need the PCIe capability)")
    }

    @Test("ACS capability and control", arguments: TruthRow.all)
    func acs(_ row: TruthRow) throws {
        let acs = try record(row).acs
        guard let offset = row.number("acs_off") else {
            #expect(acs == nil)
            return
        }
        let a = try #require(acs)
        #expect(a.offset == offset)
        #expect(Int(a.capability) == row.number("acs_cap"))
        #expect(Int(a.control) == row.number("acs_ctl"))
        for (bit, name) in ACSCapability.bitNames.enumerated() {
            #expect((a.capability >> UInt16(bit) & 1 != 0) == row.flag("acs_cap_\(name)"), "cap \(name)")
            #expect((a.control >> UInt16(bit) & 1 != 0) == row.flag("acs_ctl_\(name)"), "ctl \(name)")
        }
        #expect(a.egressVectorSize == row.number("acs_egress_vec_size"))
    }

    @Test("ATS: queue depth (0 means 32), page aligned, global invalidate, enable, STU", arguments: TruthRow.all)
    func ats(_ row: TruthRow) throws {
        let ats = try record(row).ats
        guard let offset = row.number("ats_off") else {
            #expect(ats == nil)
            return
        }
        let a = try #require(ats)
        #expect(a.offset == offset)
        #expect(Int(a.capability) == row.number("ats_cap"))
        #expect(a.invalidateQueueDepthField == row.number("ats_invqd_field"))
        #expect(a.invalidateQueueDepth == row.number("ats_queue_depth_linux"))
        #expect(a.pageAligned == row.flag("ats_page_aligned"))
        #expect(a.globalInvalidate == row.flag("ats_global_inval"))
        #expect(Int(a.control) == row.number("ats_ctl"))
        #expect(a.enabled == row.flag("ats_enable"))
        #expect(a.smallestTranslationUnit == row.number("ats_stu"))
    }

    @Test("PRI: control, status bits, outstanding capacity and allocation", arguments: TruthRow.all)
    func pri(_ row: TruthRow) throws {
        let pri = try record(row).pri
        guard let offset = row.number("pri_off") else {
            #expect(pri == nil)
            return
        }
        let p = try #require(pri)
        #expect(p.offset == offset)
        #expect(Int(p.control) == row.number("pri_ctl"))
        #expect(Int(p.status) == row.number("pri_sta"))
        #expect(p.enabled == row.flag("pri_enable"))
        #expect(p.reset == row.flag("pri_reset"))
        #expect(p.responseFailure == row.flag("pri_sta_RF"))
        #expect(p.unexpectedResponse == row.flag("pri_sta_UPRGI"))
        #expect(p.stopped == row.flag("pri_sta_stopped"))
        #expect(p.responsePASIDRequired == row.flag("pri_sta_pasid_req"))
        #expect(Int(p.outstandingCapacity) == row.number("pri_capacity"))
        #expect(Int(p.allocation) == row.number("pri_alloc"))
    }

    @Test("PASID: width, execute, privileged, control bits", arguments: TruthRow.all)
    func pasid(_ row: TruthRow) throws {
        let pasid = try record(row).pasid
        guard let offset = row.number("pasid_off") else {
            #expect(pasid == nil)
            return
        }
        let p = try #require(pasid)
        #expect(p.offset == offset)
        #expect(Int(p.capability) == row.number("pasid_cap"))
        #expect(p.execute == row.flag("pasid_exec"))
        #expect(p.privileged == row.flag("pasid_priv"))
        #expect(p.maxWidth == row.number("pasid_max_width"))
        #expect(1 << p.maxWidth == row.number("pasid_max_pasids_linux"))
        #expect(Int(p.control) == row.number("pasid_ctl"))
        #expect(p.enabled == row.flag("pasid_ctl_enable"))
        #expect(p.executeEnabled == row.flag("pasid_ctl_exec"))
        #expect(p.privilegedEnabled == row.flag("pasid_ctl_priv"))
    }

    @Test("13: the Mellanox negative vector has extended capabilities but none of ACS/ATS/PRI/PASID/SR-IOV")
    func negativeVector() throws {
        let row = try #require(TruthRow.all.first { $0["id"] == "13" })
        let r = try record(row)
        #expect(!r.extendedCapabilities.isEmpty)
        #expect(r.acs == nil && r.ats == nil && r.pri == nil && r.pasid == nil && r.sriov == nil)
    }

    @Test("names come from pci.ids through the non-variadic pci_lookup_name wrapper")
    func names() throws {
        let scan = try PCIScanner.scanDump(Fixtures.dump("13_mellanox_15b3-1007_cx3pro-negative.lspci"))
        let r = try #require(scan.records.first)
        // pci.ids may be missing on a minimal machine: then names are nil, never numbers.
        if let vendor = r.vendorName { #expect(vendor.contains("Mellanox")) }
        if let className = r.className { #expect(className == "Ethernet controller") }
    }

    @Test("PCIe port types and links from the PCIe capability")
    func portTypes() throws {
        let rootPort = try #require(try PCIScanner.scanDump(Fixtures.dump("09_intel_8086-2f04_hsw-ep-rootport.lspci")).records.first)
        #expect(rootPort.pcie?.type == .rootPort)
        #expect(rootPort.isBridge && rootPort.isMultifunction)
        #expect(rootPort.acs?.isolationEnabled == true)
        let dsa = try #require(try PCIScanner.scanDump(Fixtures.dump("01_intel_8086-0b25_dsa_pri-pasid.lspci")).records.first)
        #expect(dsa.pcie?.type == .rootComplexIntegratedEndpoint)
        #expect(dsa.pcie?.hasLink == false)
        let nic = try #require(try PCIScanner.scanDump(Fixtures.dump("13_mellanox_15b3-1007_cx3pro-negative.lspci")).records.first)
        #expect(nic.pcie?.type == .endpoint)
        #expect(nic.pcie?.hasLink == true)
    }
}

/// Bad dump files end in an error value, never in libpci's exit(1).
@Suite("Bad dump files")
struct BadDumpTests {
    @Test("a missing file is a clear error naming it")
    func missingFile() {
        let path = "/nonexistent/probe-dump.lspci"
        let error = #expect(throws: PCIScanError.self) { _ = try PCIScanner.scanDump(path) }
        #expect(error?.source == path)
        #expect(error?.message.contains("cannot read the dump file") == true)
    }

    @Test("a malformed hex line comes back as libpci's message, and the process goes on")
    func malformedLine() throws {
        let path = Fixtures.temporaryFile("00:02.0 Class 0300: Device 8086:191e\n00: 86 80 zz 19\n", name: "malformed")
        defer { removeFile(path) }
        var caught: PCIScanError?
        do {
            _ = try PCIScanner.scanDump(path)
        } catch {
            caught = error
        }
        let error = try #require(caught)
        #expect(error.message.contains("libpci"))
        #expect(error.message.contains("Malformed line"))
        // The guard is per call: the next, good dump reads normally.
        let good = try PCIScanner.scanDump(Fixtures.dump("02_intel_8086-191e_skl-gt2-igpu.lspci"))
        #expect(good.records.count == 1)
    }

    @Test("an overlong line comes back as libpci's error too")
    func overlongLine() throws {
        let path = Fixtures.temporaryFile("00:02.0 " + String(repeating: "x", count: 400) + "\n", name: "long")
        defer { removeFile(path) }
        #expect(throws: PCIScanError.self) { _ = try PCIScanner.scanDump(path) }
    }

    @Test("a device header without text after the address is named, with the line number")
    func bareHeader() throws {
        let path = Fixtures.temporaryFile("\n00:02.0\n00: 86 80 1e 19 07 04 10 00 07 00 00 03 00 00 00 00\n", name: "bare")
        defer { removeFile(path) }
        var caught: PCIScanError?
        do { _ = try PCIScanner.scanDump(path) } catch { caught = error }
        let error = try #require(caught)
        #expect(error.message.contains("line 2"))
        #expect(error.message.contains("nothing after the address"))
    }

    @Test("a dump with CRLF line ends reads like the original, and a bare header is still caught")
    func crlf() throws {
        let original = FileSystem.readText(Fixtures.dump("02_intel_8086-191e_skl-gt2-igpu.lspci")) ?? ""
        let path = Fixtures.temporaryFile(
            original.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") + "\r\n", name: "crlf")
        defer { removeFile(path) }
        let converted = try PCIScanner.scanDump(path)
        let reference = try PCIScanner.scanDump(Fixtures.dump("02_intel_8086-191e_skl-gt2-igpu.lspci"))
        #expect(converted.records.map(\.pasid) == reference.records.map(\.pasid))
        #expect(converted.records.map(\.extendedCapabilities) == reference.records.map(\.extendedCapabilities))
        let bare = Fixtures.temporaryFile("00:02.0\r\n00: 86 80 1e 19\r\n", name: "crlf-bare")
        defer { removeFile(bare) }
        let error = #expect(throws: PCIScanError.self) { _ = try PCIScanner.scanDump(bare) }
        #expect(error?.message.contains("line 1") == true)
    }

    @Test("a file with no devices says what a dump looks like")
    func noDevices() throws {
        let path = Fixtures.temporaryFile("hello\nworld\n", name: "empty")
        defer { removeFile(path) }
        var caught: PCIScanError?
        do { _ = try PCIScanner.scanDump(path) } catch { caught = error }
        #expect(caught?.message.contains("no devices in the dump") == true)
    }

    @Test("probe itself reports a bad --pci-dump as an error, not a crash")
    func probeWithBadDump() {
        var options = ProbeOptions(sysfsRoot: Fixtures.host("spr-server"))
        options.pciDumps = ["/nonexistent/x.lspci"]
        #expect(throws: PCIScanError.self) { _ = try HostProbe.run(options) }
    }
}
