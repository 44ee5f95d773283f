import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C and SIGTERM during a run: the case in flight finishes and tears down what it made
/// (its objects, then its fds, so the kernel holds nothing of ours), the remaining cases are
/// reported as not run, and the command exits with 128 + the signal. A second signal ends the
/// process at once; closing the fds on exit still releases every kernel object.
final class Interruption: Sendable {
    static let shared = Interruption()

    private let signalsSeen = Atomic<Int>(0)
    private let firstSignal = Atomic<Int32>(0)
    private let sources = Mutex<[DispatchSourceSignal]>([])

    /// Starts watching SIGINT and SIGTERM (once).
    func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)  // delivered to the dispatch source instead
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in
                    if signalsSeen.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue >= 2 {
                        _exit(128 + number)
                    }
                    firstSignal.store(number, ordering: .sequentiallyConsistent)
                    fputsStderr("iommufd-harness: \(Self.name(number)): finishing the current case and releasing everything (again to quit at once)\n")
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// The signal that asked the run to stop, or nil.
    var requested: Int32? {
        let number = firstSignal.load(ordering: .sequentiallyConsistent)
        return number == 0 ? nil : number
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
