#if canImport(Glibc)
import Glibc
#endif
import IOMMUFD

/// Runs cases on a target, one fresh context each, and hands each result to the reporters.
struct Runner {
    let target: Target
    let cases: [TestCase]
    /// Looks at each result before it is reported and may amend it (`run --compare model`
    /// replays the case's calls on the model and fails a case the model answers differently).
    var review: ((CaseResult) -> CaseResult)?

    init(target: Target, cases: [TestCase], review: ((CaseResult) -> CaseResult)? = nil) {
        self.target = target
        self.cases = cases
        self.review = review
    }

    func run(onResult: (Int, CaseResult) -> Void) -> [CaseResult] {
        var results: [CaseResult] = []
        for (index, testCase) in cases.enumerated() {
            if let signal = Interruption.shared.requested {
                let result = CaseResult(testCase: testCase, outcome: .skip("not run: interrupted by \(Interruption.name(signal))"), steps: [], seconds: 0)
                results.append(result)
                onResult(index, result)
                continue
            }
            var result = runOne(testCase)
            if let review { result = review(result) }
            results.append(result)
            onResult(index, result)
        }
        return results
    }

    func runOne(_ testCase: TestCase) -> CaseResult {
        let start = monotonicSeconds()
        if let reason = target.unmet(testCase.needs) {
            return CaseResult(testCase: testCase, outcome: .skip(reason), steps: [], seconds: 0)
        }
        var steps: [String] = []
        var outcome: Outcome
        do {
            let run = CaseRun(target: target)
            outcome = execute(testCase, in: run)
            steps = run.steps
            if outcome == .pass, let leak = run.leakReport() {
                outcome = .fail("leak after the case: \(leak)")
            }
        }
        // The case's contexts and devices are closed: the agent's copies of its memory can go.
        target.agent?.releaseRegions()
        return CaseResult(testCase: testCase, outcome: outcome, steps: steps, seconds: monotonicSeconds() - start)
    }

    private func execute(_ testCase: TestCase, in run: CaseRun) -> Outcome {
        do {
            try testCase.body(run)
            return .pass
        } catch let failure as CaseFailure {
            return .fail(failure.message)
        } catch let skip as CaseSkip {
            return .skip(skip.reason)
        } catch {
            return .fail("unexpected error: \(error)")
        }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
