import ArgumentParser
import IOMMUFD

/// `iommufd-harness run`: the conformance suite on the kernel or the model.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the iommufd conformance suite on this kernel, its selftest mock, or the model.",
        discussion: """
        Each case is a short sequence of uAPI calls with the result each must give (success with \
        outputs checked, or one errno). A case whose needs the target lacks is skipped with the \
        reason. Every object a case creates is destroyed when it ends; one left behind fails it.

        With --backend agent the calls run on the kernel of the machine an iommufd-agent serves \
        (agent/PROTOCOL.md): an arm64 guest behind a virtio-serial socket (--agent-socket, as \
        scripts/vm/run-arm64 does), or a board reached by a command (--agent-command 'ssh board \
        iommufd-agent'); sysfs, /proc and the ACPI tables are read there too.

        With no arguments: on a machine with /dev/iommu the suite runs on the kernel (with the \
        kernel's selftest mock devices when it was built with CONFIG_IOMMUFD_TEST, and the VFIO \
        devices named with --device/--pci); without /dev/iommu it runs on the software model and \
        says so in its first line.

        Exit status: 0 all passed or skipped, 1 a case failed, 2 usage or environment error.

        Examples:
          iommufd-harness run
          iommufd-harness run --backend kernel --pci 0000:00:03.0 --format ktap
          iommufd-harness run --filter 'ioas.*' --verbose
          iommufd-harness run --list
          iommufd-harness run --backend agent --agent-socket /tmp/agent.sock --device /dev/vfio/devices/vfio0 --compare model
        """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "Output format: human, ktap (kselftest KTAP v1), junit (JUnit XML) or json.")
    var format: ReportFormat = .human

    @Option(help: "Run only cases whose name matches this pattern ('*' matches any run of characters; a plain word matches a substring).")
    var filter: String?

    @Flag(help: "List the cases (name, area, what it checks, needs) and exit.")
    var list = false

    @Flag(help: "Show each step a passing case proved.")
    var verbose = false

    @Option(help: "Record every call at the syscall seam (arguments, result, errno, outputs) as JSON lines in this file; `iommufd-harness replay FILE` replays it.")
    var trace: String?

    @Option(help: "Also replay each case's calls on this backend and fail a case it answers differently. Only 'model': the model with the profile matching the kernel's hardware (selftest for mock cases, the device's hw_info for device cases).")
    var compare: CompareChoice?

    enum CompareChoice: String, ExpressibleByArgument { case model }

    func run() throws {
        let cases = selectCases(filter: filter)
        if list {
            for c in cases {
                let needs = c.needs.isEmpty ? "" : "  [needs: \(c.needs.map(\.tag).joined(separator: ", "))]"
                emit("\(c.name)  (\(c.area.rawValue))  \(c.summary)\(needs)")
            }
            emit("\(cases.count) cases")
            return
        }
        let writer = try trace.map { path in
            do { return try TraceWriter(path: path) } catch { throw environmentError("--trace \(path): \(error)") }
        }
        let comparison = compare.map { _ in ModelComparison() }
        let resolved = try target.resolve { backend in
            let traced = writer.map { w in TracingBackend(backend) { w.write($0) } } ?? backend
            return comparison?.wrap(traced) ?? traced
        }
        defer { target.finish(resolved.target) }
        var banner = resolved.banner
        if let comparison {
            comparison.target = resolved.target
            comparison.reset()
            banner += resolved.target.backend.kind != .model
                ? "; each case is replayed on the model (--compare model)"
                : "; each case is replayed on a second model (--compare model on the model checks the replay itself)"
            if let note = comparison.firmwareNote { banner += "; \(note)" }
        }
        Interruption.shared.install()
        let results = execute(cases: cases, on: resolved.target, banner: banner, format: format, verbose: verbose,
                              review: comparison.map { c in { c.review($0) } })
        if let comparison { emit(format == .ktap ? "# \(comparison.summary)" : comparison.summary) }
        if let signal = Interruption.shared.requested { throw ExitCode(128 + signal) }
        if Totals(results).fail > 0 { throw ExitCode(1) }
    }
}

/// Cases matching `filter` (all when nil); an empty selection is a usage error.
func selectCases(filter: String?) -> [TestCase] {
    guard let filter else { return allCases }
    return allCases.filter { matches($0.name, pattern: filter) }
}

/// A small glob: `*` matches any run of characters; without `*` the pattern matches a substring.
func matches(_ name: String, pattern: String) -> Bool {
    let text = Array(name.utf8)
    let glob = Array((pattern.contains("*") ? pattern : "*\(pattern)*").utf8)
    // Iterative wildcard matching with backtracking to the last star.
    var t = 0, g = 0, star = -1, mark = 0
    while t < text.count {
        if g < glob.count && glob[g] != UInt8(ascii: "*") && glob[g] == text[t] {
            t += 1
            g += 1
        } else if g < glob.count && glob[g] == UInt8(ascii: "*") {
            star = g
            mark = t
            g += 1
        } else if star >= 0 {
            g = star + 1
            mark += 1
            t = mark
        } else {
            return false
        }
    }
    while g < glob.count && glob[g] == UInt8(ascii: "*") { g += 1 }
    return g == glob.count
}

/// Runs `cases` on `target`, writing `format` to standard output; returns the results.
func execute(cases: [TestCase], on target: Target, banner: String, format: ReportFormat, verbose: Bool,
             review: ((CaseResult) -> CaseResult)? = nil) -> [CaseResult] {
    let runner = Runner(target: target, cases: cases, review: review)
    switch format {
    case .human:
        emit(banner)
        let reporter = HumanReporter(verbose: verbose)
        let results = runner.run { _, result in reporter.line(result) }
        emit(Totals(results).line)
        return results
    case .ktap:
        let reporter = KTAPReporter()
        reporter.header(count: cases.count, title: banner)
        let results = runner.run { index, result in reporter.line(number: index + 1, result) }
        reporter.totals(results)
        return results
    case .junit:
        let results = runner.run { _, _ in }
        emit(JUnitReporter.render(suiteName: "iommufd-harness \(target.name)", results: results))
        return results
    case .json:
        let results = runner.run { _, _ in }
        emit(JSONReporter.value(target: target, results: results).serialized(pretty: true))
        return results
    }
}

extension ReportFormat: ExpressibleByArgument {}
