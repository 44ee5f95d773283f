/// Kernel Test Anything Protocol v1 (Documentation/dev-tools/ktap.rst), as kselftest, KernelCI
/// and LAVA read it: a plan, one `ok`/`not ok` line per case, `# SKIP` directives, diagnostics
/// as `#` lines, and nested suites indented by four spaces.
struct KTAPReporter {
    var indent = ""

    func header(count: Int, title: String) {
        if indent.isEmpty { emit("KTAP version 1") } else { emit(indent + "KTAP version 1") }
        emit(indent + "# " + title)
        emit(indent + "1..\(count)")
    }

    func line(number: Int, _ result: CaseResult) {
        let name = result.testCase.name
        switch result.outcome {
        case .pass:
            emit(indent + "ok \(number) \(name)")
        case .skip(let reason):
            emit(indent + "ok \(number) \(name) # SKIP \(reason)")
        case .fail(let message):
            for step in result.steps { emit(indent + "# \(step)") }
            for part in message.split(separator: "\n") { emit(indent + "# \(part)") }
            emit(indent + "not ok \(number) \(name)")
        }
    }

    func totals(_ results: [CaseResult]) {
        let t = Totals(results)
        emit(indent + "# Totals: pass:\(t.pass) fail:\(t.fail) xfail:0 xpass:0 skip:\(t.skip) error:0")
    }
}
