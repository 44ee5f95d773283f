#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD
import Synchronization

/// Appends trace records to a file, one JSON object per line, as they happen (so a crash
/// still leaves every call before it).
final class TraceWriter: Sendable {
    private let fd: Mutex<Int32>

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOMMUFDError(operation: "open", errno: Errno(errno), context: path) }
        self.fd = Mutex(fd)
    }

    deinit { fd.withLock { _ = close($0) } }

    func write(_ record: TraceRecord) {
        var line = Array(record.json.serialized(pretty: false).utf8)
        line.append(UInt8(ascii: "\n"))
        fd.withLock { fd in
            _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        }
    }
}
