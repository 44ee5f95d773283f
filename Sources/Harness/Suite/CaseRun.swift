#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// A case failed: the message says which step and what was seen instead.
struct CaseFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A case cannot run on this target: the reason names what is missing.
struct CaseSkip: Error {
    let reason: String
}

/// The state of one running case: a fresh iommufd context on the target, memory for mappings,
/// and the assertion helpers cases are written with. Everything is released when the case ends;
/// an object left alive in the context's ledger fails the case as a leak.
final class CaseRun {
    let target: Target
    private(set) var steps: [String] = []
    private var buffers: [(UnsafeMutableRawPointer, Int)] = []
    private var openContexts: [IOMMUFD] = []

    init(target: Target) {
        self.target = target
    }

    deinit {
        for (pointer, length) in buffers { munmap(pointer, length) }
    }

    /// A new iommufd context on the target's backend.
    func newContext() throws -> IOMMUFD {
        let context = try target.openContext()
        openContexts.append(context)
        return context
    }

    /// The case's main context, made on first use.
    lazy var ctx: IOMMUFD = {
        do { return try newContext() } catch { fatalError("cannot open the target's iommufd: \(error)") }
    }()

    /// Page-aligned anonymous memory of `length` bytes (rounded up to pages), zero-filled.
    func buffer(_ length: Int) -> UnsafeMutableRawBufferPointer {
        let size = (length + 4095) & ~4095
        let pointer = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        precondition(pointer != MAP_FAILED, "mmap of \(size) bytes failed")
        buffers.append((pointer, size))
        return UnsafeMutableRawBufferPointer(start: pointer, count: length)
    }

    // MARK: Assertions

    /// A step that must succeed; returns its value.
    @discardableResult
    func ok<T>(_ step: String, _ body: () throws -> T) throws -> T {
        do {
            let value = try body()
            steps.append("ok: \(step)")
            return value
        } catch let error as IOMMUFDError {
            throw CaseFailure(message: "\(step): expected success, got \(error)")
        }
    }

    /// A step that must fail with exactly `errno`.
    func fails(_ errno: Errno, _ step: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as IOMMUFDError {
            guard error.errno == errno else {
                throw CaseFailure(message: "\(step): expected \(errno.name), got \(error.errno.name) (\(error))")
            }
            steps.append("\(errno.name): \(step)")
            return
        }
        throw CaseFailure(message: "\(step): expected \(errno.name), but the call succeeded")
    }

    /// A condition on outputs.
    func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw CaseFailure(message: message()) }
        steps.append("check: \(message())")
    }

    /// Two values must be equal.
    func equal<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
        guard actual == expected else {
            throw CaseFailure(message: "\(what): expected \(expected), got \(actual)")
        }
        steps.append("check: \(what) == \(expected)")
    }

    /// Ends the case as skipped.
    func skip(_ reason: String) throws -> Never {
        throw CaseSkip(reason: reason)
    }

    /// Called by the runner after the body returned: every object the case made must be gone.
    func leakReport() -> String? {
        var problems: [String] = []
        for context in openContexts {
            if !context.liveObjects.isEmpty {
                problems.append("left alive: \(context.liveObjects.map(\.description).joined(separator: ", "))")
            }
            for failure in context.cleanupFailures {
                problems.append("automatic destroy failed: \(failure)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
