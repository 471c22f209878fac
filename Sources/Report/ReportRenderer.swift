import Apply
import Foundation
import ReconCore

/// Renders a `ReportModel` as static pages: `index.html` (summary, charts and the newest runs) and
/// `runs-2.html`… for older runs. Pure: no I/O, no clock, so the same model gives the same bytes.
public struct ReportRenderer {
    public struct Page: Sendable, Equatable {
        public var name: String
        public var html: String
    }

    /// Runs per page.
    public var pageSize: Int
    /// How many of the newest runs, and of the newest drift checks, the charts show.
    public var chartWindow: Int

    public init(pageSize: Int = 100, chartWindow: Int = 60) {
        self.pageSize = max(pageSize, 1)
        self.chartWindow = max(chartWindow, 1)
    }

    /// Marks a page as Recon's, so a later report replaces it and nothing else.
    public static let generator = "recon report"

    public static func pageName(_ number: Int) -> String { number == 1 ? "index.html" : "runs-\(number).html" }

    public func pages(_ model: ReportModel) -> [Page] {
        let count = max((model.runs.count + pageSize - 1) / pageSize, 1)
        return (1...count).map { number in
            let runs = Array(model.runs.dropFirst((number - 1) * pageSize).prefix(pageSize))
            var body = header(model, page: number)
            if number == 1 {
                body += lockSection(model.lock) + tablesSection(model) + chartsSection(model)
            }
            body += runsSection(model, runs: runs, page: number, pages: count)
            if number == 1 { body += retentionSection(model) }
            return Page(name: Self.pageName(number), html: document(title: "Recon report: \(model.target)", body: body))
        }
    }

    // MARK: Sections

    private func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="\(Self.generator)"/>
        <title>\(HTML.escape(title))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    private func header(_ model: ReportModel, page: Int) -> String {
        let asOf = model.newestData.map { "newest data \(UTCTimestamp.string($0))" } ?? "no runs yet"
        let serial = model.stateSerial.map { "state serial \($0)" } ?? "no state yet"
        var out = "<h1>Recon report: <code>\(HTML.escape(model.target))</code></h1>\n"
        out += "<p class=\"meta\">\(HTML.escape(asOf)); \(HTML.escape(serial)) in \(HTML.escape(model.stateLocation))"
        out += page == 1 ? "</p>\n" : "; older runs, page \(page)</p>\n"
        return out
    }

    private func lockSection(_ lock: LockStatus) -> String {
        var out = "<section id=\"lock\">\n<h2>Lock</h2>\n"
        guard let holder = lock.holder else {
            return out + "<p class=\"lock-free\">The state is not locked (\(HTML.escape(lock.location))).</p>\n</section>\n"
        }
        let alive = switch lock.processAlive {
        case true?: "alive"
        case false?: "not running"
        case nil: "on another host"
        }
        out += "<div class=\"\(lock.stale == nil ? "lock-held" : "lock-stale")\">\n"
        out += "<p>\(lock.stale == nil ? "Locked" : "Stale lock") (\(HTML.escape(lock.location))) by <strong>\(HTML.escape(holder.owner))</strong>, "
            + "pid \(holder.pid) on \(HTML.escape(holder.host)) (\(alive)), for <code>\(HTML.escape(holder.operation))</code> since "
            + "\(UTCTimestamp.string(holder.created)), expires \(UTCTimestamp.string(holder.expires)); lease id <code>\(HTML.escape(holder.id))</code>.</p>\n"
        if let stale = lock.stale, let command = lock.forceUnlockCommand {
            out += "<p>\(HTML.escape(stale)). The next run breaks it; to remove it now: <code>\(HTML.escape(command))</code></p>\n"
        }
        return out + "</div>\n</section>\n"
    }

    private func tablesSection(_ model: ReportModel) -> String {
        var out = "<section id=\"tables\">\n<h2>Tables</h2>\n<table>\n<thead><tr><th>Table</th><th class=\"n\">Managed records</th>"
            + "<th class=\"n\">Unmanaged in the base</th><th>Protected fields</th></tr></thead>\n<tbody>\n"
        for table in model.tables {
            out += "<tr><td>\(HTML.escape(table.name))</td><td class=\"n\">\(table.managed)</td>"
                + "<td class=\"n\">\(table.unmanaged.map(String.init) ?? "—")</td>"
                + "<td>\(table.protectedFields.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let check = model.unmanagedCountedBy {
            out += "<p class=\"meta\">Unmanaged records as counted by drift check <code>\(HTML.escape(check.id))</code> at "
                + "\(UTCTimestamp.string(check.record.started)).</p>\n"
        } else {
            out += "<p class=\"meta\">Unmanaged records are counted by <code>recon drift</code>; none has run yet.</p>\n"
        }
        return out + "</section>\n"
    }

    private func chartsSection(_ model: ReportModel) -> String {
        let runs = Array(model.changeRuns.prefix(chartWindow).reversed())
        let checks = Array(model.driftChecks.prefix(chartWindow).reversed())
        func label(_ run: RunSummary) -> String { "\(run.id) (\(run.record.operation.rawValue), \(run.status.rawValue))" }
        let records = SVGChart(title: "Records created, updated and deleted per run", labels: runs.map(label), series: [
            .init(name: "created", color: "#2e7d32", values: runs.map { Double($0.record.counters.created) }),
            .init(name: "updated", color: "#1565c0", values: runs.map { Double($0.record.counters.updated) }),
            .init(name: "deleted", color: "#c62828", values: runs.map { Double($0.record.counters.deleted + $0.record.counters.archived) }),
        ], format: "%.0f")
        let durations = SVGChart(title: "Run duration", labels: runs.map(label), series: [
            .init(name: "seconds", color: "#6a1b9a", values: runs.map(\.record.duration)),
        ], format: "%.1f s")
        let drift = SVGChart(title: "Drift checks: records changed, missing and unexpected", labels: checks.map(label), series: [
            .init(name: "changed", color: "#ef6c00", values: checks.map { Double($0.record.drift?.changed ?? 0) }),
            .init(name: "missing", color: "#c62828", values: checks.map { Double($0.record.drift?.missing ?? 0) }),
            .init(name: "unexpected", color: "#757575", values: checks.map { Double($0.record.drift?.unexpected ?? 0) }),
        ], format: "%.0f")
        var out = "<section id=\"charts\">\n<h2>History</h2>\n"
        for (id, chart, note) in [("chart-records", records, "the newest \(runs.count) apply and rollback runs, oldest on the left"),
                                  ("chart-duration", durations, "the same runs"),
                                  ("chart-drift", drift, "the newest \(checks.count) drift checks, oldest on the left")] {
            out += "<figure id=\"\(id)\">\n<figcaption>\(HTML.escape(chart.title)) <span class=\"meta\">(\(HTML.escape(note)))</span></figcaption>\n"
                + chart.render() + "\n<div>\(chart.legend())</div>\n</figure>\n"
        }
        return out + "</section>\n"
    }

    private func runsSection(_ model: ReportModel, runs: [RunSummary], page: Int, pages: Int) -> String {
        var out = "<section id=\"runs\">\n<h2>Runs</h2>\n"
        out += "<p class=\"meta\">\(model.runs.count) runs and drift checks kept, newest first"
            + (model.unreadableRuns > 0 ? "; \(model.unreadableRuns) run folders could not be read (see <code>recon runs</code>)" : "")
            + ".</p>\n"
        let navigation = pages > 1 ? nav(page: page, pages: pages) : ""
        out += navigation
        out += "<div class=\"scroll\">\n<table id=\"runs-table\">\n<thead><tr><th>Run</th><th>Started</th><th class=\"n\">Duration</th><th>Operation</th>"
            + "<th>Status</th><th class=\"n\">Created</th><th class=\"n\">Updated</th><th class=\"n\">Deleted</th><th>Other</th>"
            + "<th>Who</th><th>Where</th></tr></thead>\n<tbody>\n"
        for run in runs {
            let record = run.record
            out += "<tr id=\"run-\(HTML.escape(run.id))\"><td><code>\(HTML.escape(run.id))</code></td>"
                + "<td>\(UTCTimestamp.string(record.started))</td><td class=\"n\">\(String(format: "%.1f s", record.duration))</td>"
                + "<td>\(record.operation.rawValue)</td><td class=\"status-\(run.status.rawValue)\">\(run.status.rawValue)</td>"
                + "<td class=\"n\">\(record.counters.created)</td><td class=\"n\">\(record.counters.updated)</td>"
                + "<td class=\"n\">\(record.counters.deleted)</td><td>\(HTML.escape(other(run, model: model)))</td>"
                + "<td>\(HTML.escape(record.owner ?? "—"))</td>"
                + "<td>\(HTML.escape(record.host ?? "—"))<br/><code>\(HTML.escape(record.target))</code></td></tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n" + navigation
        return out + "</section>\n"
    }

    /// What the three count columns leave out: archives, adoptions, skips, failures, the backup, a drift
    /// check's counts, an error.
    private func other(_ run: RunSummary, model: ReportModel) -> String {
        let counters = run.record.counters
        var parts: [String] = []
        if let drift = run.record.drift {
            parts.append("drift: \(drift.changed) changed, \(drift.missing) missing, \(drift.unexpected) unexpected, "
                + "\(drift.schemaChanges) schema (exit \(drift.exitCode))")
        }
        for (name, value) in [("archived", counters.archived), ("adopted", counters.adopted), ("skipped", counters.skipped),
                              ("failed", counters.failed)] where value > 0 {
            parts.append("\(value) \(name)")
        }
        if model.runsWithBackup.contains(run.id) { parts.append("backup kept") }
        if let error = run.record.error { parts.append("error: \(error)") }
        return parts.joined(separator: "; ")
    }

    private func nav(page: Int, pages: Int) -> String {
        let links = (1...pages).map { number in
            number == page ? "<strong>\(number)</strong>" : "<a href=\"\(Self.pageName(number))\">\(number)</a>"
        }
        return "<nav class=\"pages\">Pages: \(links.joined(separator: " "))</nav>\n"
    }

    private func retentionSection(_ model: ReportModel) -> String {
        let policy = model.retention
        let rows: [(String, String, String)] = [
            ("Apply and rollback runs", "runs.keep_last \(policy.runsKeepLast)", "\(model.changeRuns.count)"),
            ("Backups", "backups.keep_last \(policy.backupsKeepLast)"
                + (policy.backupsMaxAgeDays.map { ", backups.max_age_days \($0)" } ?? ""), "\(model.runsWithBackup.count)"),
            ("Drift checks", "drift_checks.keep_last \(policy.driftChecksKeepLast)", "\(model.driftChecks.count)"),
            ("State versions", "state_versions.keep_last \(policy.stateVersionsKeepLast)", model.stateVersionsKept.map(String.init) ?? "—"),
        ]
        var out = "<section id=\"retention\">\n<h2>Retention</h2>\n<table>\n<thead><tr><th>What</th><th>Rule</th>"
            + "<th class=\"n\">Kept now</th></tr></thead>\n<tbody>\n"
        for (what, rule, kept) in rows {
            out += "<tr><td>\(what)</td><td><code>\(rule)</code></td><td class=\"n\">\(kept)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"meta\">The newest of each is never pruned, nor a run whose ledger says running. "
            + "Runs, backups and state versions are pruned after each apply, drift checks after each check, and all by "
            + "<code>recon prune</code>.</p>\n"
        return out + "</section>\n"
    }
}
