/// The terminal form: one line per case as it finishes, failures with their steps, and totals.
struct HumanReporter {
    let verbose: Bool

    func line(_ result: CaseResult) {
        let ms = Int((result.seconds * 1000).rounded())
        switch result.outcome {
        case .pass:
            emit("PASS  \(result.testCase.name)  (\(ms) ms)")
            if verbose { for step in result.steps { emit("        \(step)") } }
        case .skip(let reason):
            emit("SKIP  \(result.testCase.name): \(reason)")
        case .fail(let message):
            emit("FAIL  \(result.testCase.name)")
            for step in result.steps { emit("        \(step)") }
            emit("        >> \(message)")
        }
    }
}
