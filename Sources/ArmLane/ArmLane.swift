#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// `arm-lane`: the host side of the arm64 (Arm SMMUv3) real-kernel lane, scripts/vm/run-arm64.
///
///     arm-lane run --socket PATH [--pci BDF] [--connect-timeout S] [--reply-timeout S] [--no-quit]
///         Connects to the iommufd-agent behind QEMU's virtio-serial socket and runs the SMMUv3
///         cases (KTAP on stdout); exit status 1 when a case failed, 2 when it could not start.
///     arm-lane patch-iort INPUT OUTPUT
///         Sets CANWBS in every PCI root complex of an IORT (raw ACPI table), raises its OEM
///         revision and fixes its checksum, for the initrd's ACPI table upgrade.
///     arm-lane iort-from-hex HEXFILE OUTPUT
///         Turns an `od -An -tx1 -v` dump (the lane's discovery boot prints one) into the table.
@main
enum ArmLaneMain {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        guard let command = args.first else { usage(); exit(64) }
        args.removeFirst()
        switch command {
        case "run": exit(run(args))
        case "patch-iort": exit(patchIORT(args))
        case "iort-from-hex": exit(iortFromHex(args))
        case "-h", "--help", "help": usage(); exit(0)
        default: usage(); exit(64)
        }
    }

    static func usage() {
        let text = """
        usage: arm-lane run --socket PATH [--pci BDF] [--connect-timeout S] [--reply-timeout S] [--no-quit]
               arm-lane patch-iort INPUT OUTPUT
               arm-lane iort-from-hex HEXFILE OUTPUT
        """
        printError(text + "")
    }

    static func option(_ args: [String], _ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return args[i + 1]
    }

    static func run(_ args: [String]) -> Int32 {
        guard let socket = option(args, "--socket") else { usage(); return 64 }
        let connectTimeout = option(args, "--connect-timeout").flatMap(Double.init) ?? 300
        let replyTimeout = option(args, "--reply-timeout").flatMap(Double.init) ?? 120
        let start = monotonicSeconds()
        let agent: AgentBackend
        do {
            let connection = try AgentConnection.connect(unixSocket: socket, timeoutSeconds: connectTimeout)
            connection.replyTimeoutMilliseconds = Int32(replyTimeout * 1000)
            // The agent may not be serving yet (the guest is still booting, and what reaches
            // the port before it opens it is lost): ping until it answers.
            let waited = try connection.synchronize(timeoutSeconds: connectTimeout)
            printError("arm-lane: agent in step after \(Int(waited)) s of pinging")
            agent = try AgentBackend(connection: connection)
        } catch {
            writeOut("KTAP version 1\n1..0 # SKIP no agent: \(error)\n", fd: 1)
            printError("arm-lane: \(error)")
            return 2
        }
        printError("arm-lane: agent answered after \(Int(monotonicSeconds() - start)) s: \(agent.agentVersion.text)")
        let lane = NestedLane(agent: agent, pciAddress: option(args, "--pci"))
        let status = lane.run()
        lane.ktap.diagnostic("arm-lane: cases took \(Int(monotonicSeconds() - start)) s including the wait for the agent")
        if !args.contains("--no-quit") { agent.quit() }
        return status
    }

    static func readAll(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            out += chunk.prefix(n)
        }
        return out
    }

    static func writeAll(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard let f = fopen(path, "wb") else { return false }
        defer { fclose(f) }
        return bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) } == bytes.count
    }

    static func patchIORT(_ args: [String]) -> Int32 {
        guard args.count == 2 else { usage(); return 64 }
        guard let bytes = readAll(args[0]) else { printError("arm-lane: cannot read \(args[0])"); return 66 }
        do {
            var table = try IORTTable(bytes)
            guard table.checksumIsValid else { throw LaneFailure("the input's checksum is invalid") }
            for node in try table.nodes() {
                print("node at offset \(node.offset): type \(node.type), length \(node.length), revision \(node.revision)")
            }
            for change in try table.setCANWBS() { print(change) }
            guard table.checksumIsValid else { throw LaneFailure("checksum fix failed") }
            guard writeAll(args[1], table.bytes) else { throw LaneFailure("cannot write \(args[1])") }
            return 0
        } catch {
            printError("arm-lane patch-iort: \(error)")
            return 1
        }
    }

    static func iortFromHex(_ args: [String]) -> Int32 {
        guard args.count == 2, let text = readAll(args[0]) else { usage(); return 64 }
        var bytes: [UInt8] = []
        for word in String(decoding: text, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
            guard word.count == 2, let b = UInt8(word, radix: 16) else {
                printError("arm-lane iort-from-hex: not a hex byte: \(word)")
                return 1
            }
            bytes.append(b)
        }
        guard writeAll(args[1], bytes) else { return 1 }
        print("\(bytes.count) bytes")
        return 0
    }
}
