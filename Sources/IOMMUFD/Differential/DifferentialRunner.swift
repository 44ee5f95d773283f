import Synchronization

/// Runs generated call sequences on a reference backend (the kernel) and replays each recorded
/// trace on a fresh candidate (the model), listing every call whose answer differs: the
/// fidelity measurement of the model. A sequence is reproducible from its seed alone.
public struct DifferentialRunner {
    /// The outcome of one seeded sequence.
    public struct SequenceResult: Sendable {
        public var seed: UInt64
        /// Calls issued on the reference (open and close included).
        public var calls: Int
        /// Calls the reference refused (each with an errno): how much of the sequence probed
        /// error paths.
        public var refusedCalls: Int
        /// Every call whose replay differed, in order.
        public var differences: [Replayer.Difference]
        /// Objects or files the candidate still held after the sequence closed its fd.
        public var candidateLeaks: Int
        /// The recorded calls, for writing a trace a user can replay.
        public var records: [TraceRecord]

        public var agrees: Bool { differences.isEmpty && candidateLeaks == 0 }
    }

    public let reference: any SyscallBackend
    public let iommuPath: String
    /// Makes a fresh candidate per sequence, so one divergence cannot spill into the next.
    public let makeCandidate: () -> any SyscallBackend

    public init(reference: any SyscallBackend, iommuPath: String = "/dev/iommu",
                makeCandidate: @escaping () -> any SyscallBackend) {
        self.reference = reference
        self.iommuPath = iommuPath
        self.makeCandidate = makeCandidate
    }

    /// Generates the sequence of `seed` on the reference, then replays it on a new candidate.
    public func run(seed: UInt64, length: Int? = nil) -> SequenceResult {
        let log = Mutex<[TraceRecord]>([])
        let traced = TracingBackend(reference) { record in log.withLock { $0.append(record) } }
        do {
            let context = try IOMMUFD(path: iommuPath, backend: traced)
            var generator = CallSequenceGenerator(seed: seed, length: length)
            generator.run(on: context)
        } catch {
            // The open failed: the trace holds it, and the replay compares it like any call.
        }
        let records = log.withLock { $0 }
        let candidate = makeCandidate()
        let differences = Replayer(backend: candidate).replay(records)
        var leaks = 0
        if let model = candidate as? ModelBackend { leaks = model.openFileCount + model.liveContextCount }
        return SequenceResult(seed: seed, calls: records.count, refusedCalls: records.filter { $0.errno != nil }.count,
                              differences: differences, candidateLeaks: leaks, records: records)
    }
}
