import ArgumentParser
import IOMMUFD

/// `iommufd-harness differential`: generated call sequences on the kernel's selftest mock,
/// each replayed on a fresh model, every divergence listed with the call that diverged.
struct DifferentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "differential",
        abstract: "Measure the model's fidelity: random, reproducible call sequences on the kernel, replayed on the model.",
        discussion: """
        Each seed gives one sequence of 12 to 48 calls (IOAS alloc, map, unmap, copy, \
        IOVA_RANGES, ALLOW_IOVAS, selftest mock devices, HWPT alloc, replace, hw_info, options, \
        destroy), valid most of the time and invalid the rest (unknown ids and flags, reserved \
        fields, short structs, misaligned or overlapping ranges). The sequence runs on the \
        reference (the kernel, which needs CONFIG_IOMMUFD_TEST for the mock devices) and its trace \
        is replayed on a new model with the selftest profile: result, errno, every output field \
        and output buffer are compared. A seed reproduces its sequence exactly.

        With --backend model the reference is the model too (a self-check of the generator and \
        replayer on machines without the test kernel).

        Exit status: 0 every sequence agreed, 1 a divergence, 2 no usable reference.

        Examples (in the VM lane's guest):
          iommufd-harness differential --seeds 500
          iommufd-harness differential --first-seed 1234 --seeds 1 --save-divergent /tmp/traces
          iommufd-harness replay /tmp/traces/seed-1234.jsonl --backend model
        """
    )

    @Option(help: "How many sequences to run.")
    var seeds: Int = 500

    @Option(help: "The first seed; sequences use first-seed, first-seed+1, ...")
    var firstSeed: UInt64 = 0

    @Option(help: "Calls per sequence (default: drawn from the seed, 12 to 48).")
    var length: Int?

    @Option(help: "The reference: kernel, model, or auto (the kernel when /dev/iommu exists).")
    var backend: TargetOptions.BackendChoice = .auto

    @Option(help: "Output: human or ktap.")
    var format: DifferentialFormat = .human

    @Option(help: "Write the trace of each divergent sequence to DIR/seed-N.jsonl (replay it with `replay`).")
    var saveDivergent: String?

    @Option(help: "Show at most this many divergences per sequence.")
    var limit: Int = 5

    enum DifferentialFormat: String, ExpressibleByArgument { case human, ktap }

    func validate() throws {
        guard seeds > 0 else { throw ValidationError("--seeds must be at least 1") }
        if let length, length < 1 { throw ValidationError("--length must be at least 1") }
    }

    func run() throws {
        let onKernel = backend == .kernel || (backend == .auto && FileSystem.exists("/dev/iommu"))
        let reference: any SyscallBackend = onKernel ? KernelBackend.shared : ModelBackend(profile: .selftest)
        if onKernel {
            guard let probe = try? IOMMUFD(path: "/dev/iommu", backend: reference) else {
                throw environmentError("cannot open /dev/iommu: run as root on a kernel with CONFIG_IOMMUFD")
            }
            guard probe.hasSelftest else {
                throw environmentError("this kernel has no IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST): the sequences need the selftest mock; the VM lane's kernel has it")
            }
        }
        let referenceName = onKernel ? "the kernel's selftest mock (/dev/iommu)" : "the model (self-check)"
        let runner = DifferentialRunner(reference: reference) { ModelBackend(profile: .selftest) }
        let ktap = format == .ktap
        if ktap {
            emit("KTAP version 1")
            emit("# differential: \(seeds) generated sequences from seed \(firstSeed) on \(referenceName), replayed on the model (profile selftest)")
            emit("1..\(seeds)")
        } else {
            emit("differential: \(seeds) generated sequences from seed \(firstSeed) on \(referenceName), replayed on the model (profile selftest)")
        }
        var totalCalls = 0, refused = 0, divergentCalls = 0, divergentSequences = 0
        Interruption.shared.install()
        var ran = 0
        for index in 0..<seeds {
            if Interruption.shared.requested != nil {
                if ktap { emit("ok \(index + 1) seed_\(firstSeed &+ UInt64(index)) # SKIP interrupted") }
                continue
            }
            ran += 1
            let seed = firstSeed &+ UInt64(index)
            let result = runner.run(seed: seed, length: length)
            totalCalls += result.calls
            refused += result.refusedCalls
            divergentCalls += Set(result.differences.map(\.sequence)).count
            let name = "seed_\(seed)"
            if result.agrees {
                if ktap { emit("ok \(index + 1) \(name)") }
                continue
            }
            divergentSequences += 1
            var lines = result.differences.prefix(limit).map { "  \($0)" }
            if result.differences.count > limit { lines.append("  … \(result.differences.count - limit) more") }
            if result.candidateLeaks > 0 { lines.append("  the model still holds \(result.candidateLeaks) files or contexts after the sequence closed its fd") }
            if let directory = saveDivergent {
                let path = "\(directory)/seed-\(seed).jsonl"
                do {
                    let writer = try TraceWriter(path: path)
                    for record in result.records { writer.write(record) }
                    lines.append("  trace: \(path)")
                } catch {
                    lines.append("  could not write \(path): \(error)")
                }
            }
            if ktap {
                for line in lines { emit("#\(line)") }
                emit("not ok \(index + 1) \(name)")
            } else {
                emit("seed \(seed): \(result.differences.count) divergent calls of \(result.calls)")
                for line in lines { emit(line) }
            }
        }
        let agreeing = ran - divergentSequences
        let callRate = totalCalls == 0 ? 100.0 : 100.0 * Double(totalCalls - divergentCalls) / Double(totalCalls)
        let summary = "agreement: \(agreeing)/\(ran) sequences, \(totalCalls - divergentCalls)/\(totalCalls) calls (\(percent(callRate))); \(refused) calls were refused with an errno on the reference"
        emit(ktap ? "# \(summary)" : summary)
        if ktap { emit("# Totals: pass:\(agreeing) fail:\(divergentSequences) xfail:0 xpass:0 skip:\(seeds - ran) error:0") }
        if divergentSequences > 0 { throw ExitCode(1) }
        if let signal = Interruption.shared.requested {
            emit("interrupted by \(Interruption.name(signal)) after \(ran) of \(seeds) sequences")
            throw ExitCode(128 + signal)
        }
    }

    private func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded(.down))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
