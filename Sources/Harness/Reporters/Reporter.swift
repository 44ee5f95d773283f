import IOMMUFD

/// Output formats of `run` and `lane`.
enum ReportFormat: String, CaseIterable, Sendable {
    case human, ktap, junit, json
}

/// Counts of a finished run.
struct Totals {
    var pass = 0, fail = 0, skip = 0
    init(_ results: [CaseResult]) {
        for r in results {
            switch r.outcome {
            case .pass: pass += 1
            case .fail: fail += 1
            case .skip: skip += 1
            }
        }
    }
    var line: String { "\(pass) passed, \(fail) failed, \(skip) skipped" }
}

/// Writes one line to standard output at once (so progress shows on a terminal or serial console).
func emit(_ line: String) {
    print(line)
    fflushStdout()
}

#if canImport(Glibc)
import Glibc
#endif

/// Flushes standard output (and every other stdio stream) so a line shows at once.
func fflushStdout() { fflush(nil) }
func geteuidValue() -> UInt32 { geteuid() }
/// Writes to file descriptor 2 directly (no shared stdio state).
func fputsStderr(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
