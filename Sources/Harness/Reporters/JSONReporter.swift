import IOMMUFD

/// One JSON object per run: the target, each case's outcome and steps, and totals.
enum JSONReporter {
    static func value(target: Target, results: [CaseResult]) -> JSONValue {
        let t = Totals(results)
        let cases: [JSONValue] = results.map { r in
            var fields: [(String, JSONValue)] = [
                ("name", .string(r.testCase.name)),
                ("area", .string(r.testCase.area.rawValue)),
                ("summary", .string(r.testCase.summary)),
                ("result", .string(r.outcome.word.lowercased())),
            ]
            switch r.outcome {
            case .pass: break
            case .skip(let reason): fields.append(("reason", .string(reason)))
            case .fail(let message): fields.append(("message", .string(message)))
            }
            fields.append(("steps", .array(r.steps.map { .string($0) })))
            fields.append(("seconds", .double(r.seconds)))
            return .object(fields)
        }
        return .object([
            ("target", .string(target.name)),
            ("backend", .string(target.backend.kind.rawValue)),
            ("selftest", .bool(target.hasSelftest)),
            ("devices", .array(target.devices.map { .string($0.path) })),
            ("cases", .array(cases)),
            ("totals", .object([("pass", .int(Int64(t.pass))), ("fail", .int(Int64(t.fail))), ("skip", .int(Int64(t.skip)))])),
        ])
    }
}
