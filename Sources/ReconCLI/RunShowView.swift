import Apply
import Foundation
import Plan
import ReconCore

/// `recon runs show RUN`: one run as text (outcomes bounded) or as one JSON document (all of them),
/// rendered from the same values so the two cannot disagree.
struct RunShowView {
    let record: RunRecord
    let status: RunStatus
    let outcomes: [EntityOutcome]
    let findings: [CheckFinding]
    let hasPlan: Bool

    func text(limit: Int, style: (String, TextStyle) -> String = { text, _ in text }) -> String {
        let escaped = ControlEscape.escaped
        var out = style("Run \(record.id)", .bold) + ": \(record.operation.rawValue), \(status.rawValue)\n"
        var facts: [(String, String)] = [("target", escaped(record.target)), ("plan", escaped(record.planDigest)),
                                         ("started", RunsView.shortTime(record.started))]
        facts.append(("finished", record.finished.map { RunsView.shortTime($0) + " (\(RunsView.duration(record.duration)))" }
                          ?? "not finished (last heartbeat \(RunsView.shortTime(record.heartbeat)))"))
        if let error = record.error { facts.append(("error", escaped(error))) }
        out += aligned(facts.map { [$0.0, $0.1] })

        out += "\nPhases:\n"
        out += record.phases.isEmpty ? "  none recorded\n" : aligned(record.phases.map { phase in
            [phase.name, phase.finished.map { RunsView.duration($0.timeIntervalSince(phase.started)) } ?? "not finished"]
        })

        let counters = RunsView.counterColumns.map { "\(record.counters[keyPath: $0.1]) \($0.0.lowercased())" }
        out += "\nCounters: " + counters.joined(separator: ", ") + "\n"

        // Failures are what a person looks for: in text they come first, so the bound never hides them.
        let ordered = ([.failed, .skipped, .ok] as [EntityOutcome.Status]).flatMap { status in outcomes.filter { $0.status == status } }
        let reordered = ordered != outcomes
        out += "\nOutcomes (\(outcomes.count)\(reordered ? ", failed and skipped first" : "")):\n"
        if outcomes.isEmpty { out += "  none\n" }
        let shown = ordered.prefix(limit).map { outcome in
            [outcome.status.rawValue, outcome.action.rawValue, escaped(outcome.table), escaped(outcome.key),
             outcome.recordID.map(escaped) ?? "-", outcome.error.map(escaped) ?? ""]
        }
        out += aligned(Array(shown))
        if outcomes.count > limit {
            out += "  … \(outcomes.count - limit) more; 'recon runs show \(record.id) --format json' lists them all\n"
        }

        if !record.hooks.isEmpty {
            out += "\nHooks:\n"
            for hook in record.hooks {
                out += "  \(hook.name) \(hook.succeeded ? "succeeded" : hook.endingText) (\(RunsView.duration(hook.duration)))\n"
                if hook.droppedBytes > 0 { out += "    … \(hook.droppedBytes) earlier bytes of output not kept\n" }
                for line in hook.lastLines(.max) { out += "    | " + escaped(line) + "\n" }
            }
        }

        out += "\nFindings (from the plan):\n"
        if !hasPlan { out += "  no plan kept (the run stopped before its backup, or it was pruned)\n" }
        else if findings.isEmpty { out += "  none\n" }
        for finding in findings {
            let mark = finding.level == .error ? style("error", .red) : style("warning", .yellow)
            out += "  \(mark) \(escaped(finding.message))\n"
        }
        if !record.warnings.isEmpty {
            out += "\nWarnings:\n" + record.warnings.map { "  \(escaped($0))\n" }.joined()
        }
        return out
    }

    func json() -> [UInt8] {
        func time(_ date: Date?) -> JSONValue { date.map { .string(UTCTimestamp.string($0)) } ?? .null }
        func seconds(_ value: TimeInterval) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        var counters: [String: JSONValue] = [:]
        for (name, path) in RunsView.counterColumns { counters[name.lowercased()] = .number(Double(record.counters[keyPath: path])) }
        let phases: [JSONValue] = record.phases.map { phase in
            .object(["name": .string(phase.name), "started": time(phase.started), "finished": time(phase.finished),
                     "duration_seconds": phase.finished.map { seconds($0.timeIntervalSince(phase.started)) } ?? .null])
        }
        let outcomeValues: [JSONValue] = outcomes.map { outcome in
            .object(["table": .string(outcome.table), "key": .string(outcome.key), "action": .string(outcome.action.rawValue),
                     "status": .string(outcome.status.rawValue), "record_id": outcome.recordID.map(JSONValue.string) ?? .null,
                     "error": outcome.error.map(JSONValue.string) ?? .null])
        }
        let findingValues: [JSONValue] = findings.map { finding in
            var members: [String: JSONValue] = ["code": .string(finding.code.rawValue), "level": .string(finding.level.rawValue),
                                                "table": .string(finding.table), "count": .number(Double(finding.count)),
                                                "message": .string(finding.message)]
            if let repo = finding.repo { members["repo"] = .string(repo) }
            if let total = finding.total { members["total"] = .number(Double(total)) }
            return .object(members)
        }
        let run: JSONValue = .object([
            "id": .string(record.id), "operation": .string(record.operation.rawValue), "status": .string(status.rawValue),
            "recorded_status": .string(record.status.rawValue), "started": time(record.started), "finished": time(record.finished),
            "duration_seconds": seconds(record.duration), "target": .string(record.target), "plan_digest": .string(record.planDigest),
            "error": record.error.map(JSONValue.string) ?? .null, "warnings": .array(record.warnings.map(JSONValue.string)),
        ])
        let document: JSONValue = ["format_version": 1, "run": run, "phases": .array(phases), "counters": .object(counters),
                                   "outcomes": .array(outcomeValues), "findings": .array(findingValues), "hooks": .array(record.hooks.map(\.json)),
                                   "has_plan": .bool(hasPlan)]
        return document.canonicalBytes(pretty: true) + [0x0A]
    }

    /// Rows as left-aligned columns, indented two spaces, trailing blanks trimmed.
    private func aligned(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (column, cell) in row.enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        return rows.map { row in
            let cells = row.enumerated().map { column, cell in cell + String(repeating: " ", count: widths[column] - cell.count) }
            return ("  " + cells.joined(separator: "  ")).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }.joined()
    }
}
