/// JUnit XML, one `<testsuite>` per run, as CI systems (GitLab, Jenkins, LAVA's junit parser) read it.
enum JUnitReporter {
    static func render(suiteName: String, results: [CaseResult]) -> String {
        let t = Totals(results)
        let seconds = results.reduce(0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites>\n"
        xml += "  <testsuite name=\"\(escape(suiteName))\" tests=\"\(results.count)\" failures=\"\(t.fail)\" skipped=\"\(t.skip)\" errors=\"0\" time=\"\(format(seconds))\">\n"
        for r in results {
            xml += "    <testcase classname=\"iommufd.\(r.testCase.area.rawValue)\" name=\"\(escape(r.testCase.name))\" time=\"\(format(r.seconds))\">"
            switch r.outcome {
            case .pass: break
            case .skip(let reason): xml += "<skipped message=\"\(escape(reason))\"/>"
            case .fail(let message):
                xml += "<failure message=\"\(escape(message))\">\(escape((r.steps + [message]).joined(separator: "\n")))</failure>"
            }
            xml += "</testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>"
        return xml
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { out += "&#\(ch.value);" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    static func format(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
    }
}
