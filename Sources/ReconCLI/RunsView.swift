import Apply
import Foundation
import ReconCore

/// Renders the run history as an aligned table or one JSON document, from the same summaries.
struct RunsView {
    let console: Console

    static var counterColumns: [(String, KeyPath<RunCounters, Int>)] { [
        ("CREATED", \.created), ("UPDATED", \.updated), ("DELETED", \.deleted), ("ARCHIVED", \.archived), ("ADOPTED", \.adopted),
        ("SKIPPED", \.skipped), ("FAILED", \.failed), ("BATCHES", \.batches),
    ] }

    /// `runsDirectory` is where the runs are: a folder, or (`inFolder: false`) the PostgreSQL schema and target.
    func text(_ runs: [RunSummary], runsDirectory: String, inFolder: Bool = true, base: String? = nil) -> String {
        guard !runs.isEmpty else {
            let place = inFolder ? runsDirectory + "/" : runsDirectory
            return base.map { "No runs for \($0) under \(place).\n" } ?? "No runs yet under \(place).\n"
        }
        // The target comes last: it is the widest column and the one a person reads least often.
        let header = ["RUN", "OPERATION", "STATUS", "STARTED", "DURATION"] + RunsView.counterColumns.map(\.0) + ["TARGET"]
        let rows = runs.map { run -> [String] in
            [run.id, run.record.operation.rawValue, run.status.rawValue, RunsView.shortTime(run.record.started),
             RunsView.duration(run.record.duration)] + RunsView.counterColumns.map { String(run.record.counters[keyPath: $0.1]) }
                + [ControlEscape.escaped(run.record.target)]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        let statusColumn = 2
        let firstNumber = 5
        let targetColumn = header.count - 1
        func render(_ row: [String], status: RunStatus?) -> String {
            row.enumerated().map { column, cell in
                let gap = String(repeating: " ", count: widths[column] - cell.count)
                if column >= firstNumber, column < targetColumn { return gap + cell }
                if column == statusColumn, let status { return style(cell, status) + gap }
                return cell + gap
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = render(header, status: nil) + "\n"
        for (row, run) in zip(rows, runs) { out += render(row, status: run.status) + "\n" }
        for run in runs {
            guard let drift = run.record.drift else { continue }
            out += "\(run.id): drift check: \(drift.changed) changed, \(drift.missing) missing, \(drift.unexpected) unexpected, "
                + "\(drift.schemaChanges) schema (exit \(drift.exitCode))\n"
        }
        for run in runs where run.record.error != nil {
            out += "\(ControlEscape.escaped(run.id)): \(ControlEscape.escaped(run.record.error!))\n"
        }
        for run in runs {
            for hook in run.record.hooks {
                out += "\(ControlEscape.escaped(run.id)): \(hook.name) \(hook.endingText) (\(RunsView.duration(hook.duration)))\n"
            }
        }
        return out
    }

    func json(_ listing: RunListing) -> [UInt8] {
        let runs: [JSONValue] = listing.runs.map { run in
            let record = run.record
            var counters: [String: JSONValue] = [:]
            for (name, path) in RunsView.counterColumns { counters[name.lowercased()] = .number(Double(record.counters[keyPath: path])) }
            var object: [String: JSONValue] = [
                "id": .string(run.id), "operation": .string(record.operation.rawValue), "status": .string(run.status.rawValue),
                "recorded_status": .string(record.status.rawValue), "started": .string(UTCTimestamp.string(record.started)),
                "finished": record.finished.map { .string(UTCTimestamp.string($0)) } ?? .null,
                "duration_seconds": .number((record.duration * 1000).rounded() / 1000),
                "plan_digest": .string(record.planDigest), "target": .string(record.target), "counters": .object(counters),
                "error": record.error.map(JSONValue.string) ?? .null, "warnings": .array(record.warnings.map(JSONValue.string)),
                "has_backup": .bool(run.hasBackup), "directory": .string(run.directory),
                "owner": record.owner.map(JSONValue.string) ?? .null, "host": record.host.map(JSONValue.string) ?? .null,
                "drift": record.drift?.json ?? .null,
            ]
            if !record.hooks.isEmpty { object["hooks"] = .array(record.hooks.map(\.json)) }
            return .object(object)
        }
        let unreadable: [JSONValue] = listing.unreadable.map { .object(["path": .string($0.path), "reason": .string($0.reason)]) }
        let document: JSONValue = ["format_version": 1, "runs": .array(runs), "unreadable": .array(unreadable)]
        return document.canonicalBytes(pretty: true)
    }

    private func style(_ text: String, _ status: RunStatus) -> String {
        switch status {
        case .succeeded: console.style(text, .green)
        case .failed: console.style(text, .red)
        case .succeededWithWarnings, .cancelled, .interrupted: console.style(text, .yellow)
        case .running: console.style(text, .cyan)
        }
    }

    /// `2026-11-23 04:15:00Z`: to the second, which is what a person compares.
    static func shortTime(_ date: Date) -> String {
        let full = UTCTimestamp.string(date)
        return full.prefix(10) + " " + full.dropFirst(11).prefix(8) + "Z"
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        if whole < 3600 { return whole < 60 ? "\(whole)s" : String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }
}
