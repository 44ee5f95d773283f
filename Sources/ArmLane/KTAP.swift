#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// A failed check inside a lane case: the message becomes the case's diagnostic.
struct LaneFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A case that cannot run because something it needs is missing (a failed earlier case).
struct LaneSkip: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes KTAP (version 1) to stdout: the plan first, then one result line per case with `#`
/// diagnostics before it, flushed line by line so a reader sees progress.
final class KTAPWriter {
    private(set) var passed = 0, failed = 0, skipped = 0
    private var number = 0

    func header(plan: Int, suite: String) {
        emit("KTAP version 1")
        emit("# suite: \(suite)")
        emit("1..\(plan)")
    }

    func diagnostic(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { emit("# \(line)") }
    }

    /// Runs one case: ok, `not ok` with the error, or ok with `# SKIP reason`.
    func run(_ name: String, _ body: () throws -> Void) {
        number += 1
        let start = monotonicSeconds()
        do {
            try body()
            passed += 1
            emit("ok \(number) \(name) # \(elapsed(start))")
        } catch let skip as LaneSkip {
            skipped += 1
            emit("ok \(number) \(name) # SKIP \(skip.description)")
        } catch {
            failed += 1
            diagnostic("\(name): \(error)")
            emit("not ok \(number) \(name) # \(elapsed(start))")
        }
    }

    private func elapsed(_ start: Double) -> String {
        let ms = Int((monotonicSeconds() - start) * 1000)
        return "\(ms) ms"
    }

    func emit(_ line: String) { writeOut(line + "\n", fd: 1) }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Check helpers that throw a `LaneFailure` naming what was expected.
func check(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw LaneFailure("check failed: \(what())") }
}

func checkEqual<T: Equatable>(_ got: T, _ want: T, _ what: String) throws {
    if got != want { throw LaneFailure("\(what): got \(got), want \(want)") }
}

/// Runs `body` expecting an IOMMUFDError with `errno`; returns it.
@discardableResult
func expectErrno(_ errno: Errno, _ what: String, _ body: () throws(IOMMUFDError) -> Void) throws -> IOMMUFDError {
    do {
        try body()
    } catch {
        if error.errno == errno { return error }
        throw LaneFailure("\(what): got \(error.errno.name) (\(error)), want \(errno.name)")
    }
    throw LaneFailure("\(what): succeeded, want \(errno.name)")
}

func hexString<T: BinaryInteger>(_ v: T) -> String { "0x" + String(v, radix: 16) }

/// Writes to a file descriptor directly (stdout unbuffered line by line; stderr).
func writeOut(_ text: String, fd: Int32) {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
        done += n
    }
}

func printError(_ text: String) { writeOut(text + "\n", fd: 2) }
