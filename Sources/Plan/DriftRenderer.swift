import ReconCore

/// The drift report as text, Markdown or canonical JSON, from one model.
public enum DriftRenderer {
    public static func text(_ report: DriftReport, color: Bool) -> String {
        guard !report.isEmpty else { return "No drift. The base matches the last apply.\n" }
        // Names and values from input are escaped before any colour is added (`ControlEscape`).
        let bold = { (text: String) in color ? TextStyle.bold.apply(to: ControlEscape.escaped(text)) : ControlEscape.escaped(text) }
        let shown = ControlEscape.escaped
        var out = "Drift in \(shown(report.target)): \(report.summaryLine).\n"
        if !report.schema.isEmpty {
            out += "\n" + bold("Schema") + "\n"
            for item in report.schema { out += "  ! \(shown(item.message))\n" }
        }
        for (table, records) in grouped(report) {
            out += "\n" + bold(table) + "\n"
            for record in records {
                switch record.kind {
                case .deleted:
                    out += "  - \(shown(record.key)) (\(shown(record.recordID))) deleted in the base\n"
                case .changed:
                    out += "  ~ \(shown(record.key)) (\(shown(record.recordID)))\n"
                    for field in record.fields {
                        out += "      \(shown(field.name)): applied \(PlanValueText.describe(field.recorded)), now \(PlanValueText.describe(field.before))\n"
                    }
                }
            }
        }
        for error in report.integrityErrors {
            out += shown("\nIntegrity error: key \(error.key) of \(error.table) is held by \(error.recordIDs.count) records (\(error.recordIDs.joined(separator: ", "))).") + "\n"
        }
        out += "\nRun 'recon plan' to see how the next apply resolves it (policy.drift decides).\n"
        return out
    }

    public static func markdown(_ report: DriftReport) -> String {
        var out = "### Recon drift: \(report.isEmpty ? "none" : report.summaryLine)\n\nTarget `\(cell(report.target))`\n"
        guard !report.isEmpty else { return out + "\nNo drift. The base matches the last apply.\n" }
        if !report.schema.isEmpty {
            out += "\n**Schema**\n\n" + report.schema.map { "- ⚠️ \(cell($0.message))\n" }.joined()
        }
        for (table, records) in grouped(report) {
            out += "\n<details><summary><b>\(cell(table))</b>: \(records.count) record\(records.count == 1 ? "" : "s")</summary>\n\n"
            out += "| | record | field | applied | now |\n|---|---|---|---|---|\n"
            for record in records.prefix(100) {
                if record.kind == .deleted {
                    out += "| - | `\(cell(record.key))` | | | deleted in the base |\n"
                }
                for field in record.fields {
                    out += "| ~ | `\(cell(record.key))` | \(cell(field.name)) | \(cell(PlanValueText.describe(field.recorded))) | \(cell(PlanValueText.describe(field.before))) |\n"
                }
            }
            if records.count > 100 { out += "\n_… and \(records.count - 100) more (see `recon drift --format json`)._\n" }
            out += "\n</details>\n"
        }
        return out
    }

    public static func json(_ report: DriftReport) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("format_version", 1)
        w.key("integrity_errors")
        w.beginArray()
        for error in report.integrityErrors {
            w.value(["key": .string(error.key), "record_ids": .array(error.recordIDs.map(JSONValue.string)), "table": .string(error.table)])
        }
        w.endArray()
        w.key("records")
        w.beginArray()
        for record in report.records {
            w.beginObject()
            w.key("fields")
            w.beginArray()
            for field in record.fields {
                w.beginObject()
                PlanEncoder.optional("base", field.before, &w)
                w.field("name", field.name)
                PlanEncoder.optional("recorded", field.recorded, &w)
                w.endObject()
            }
            w.endArray()
            w.field("key", record.key)
            w.field("kind", record.kind.rawValue)
            w.field("record_id", record.recordID)
            w.field("table", record.table)
            w.endObject()
        }
        w.endArray()
        w.key("schema")
        w.beginArray()
        for item in report.schema {
            w.beginObject()
            if let field = item.field { w.field("field", field) }
            w.field("message", item.message)
            w.field("table", item.table)
            w.endObject()
        }
        w.endArray()
        w.key("summary")
        w.value(["changed": .number(Double(report.changedCount)), "deleted": .number(Double(report.deletedCount)),
                 "schema": .number(Double(report.schema.count))])
        w.field("target", report.target)
        w.endObject()
        return w.finish()
    }

    private static func grouped(_ report: DriftReport) -> [(String, [DriftReport.RecordDrift])] {
        var order: [String] = []
        var byTable: [String: [DriftReport.RecordDrift]] = [:]
        for record in report.records {
            if byTable[record.table] == nil { order.append(record.table) }
            byTable[record.table, default: []].append(record)
        }
        return order.map { ($0, byTable[$0]!) }
    }

    private static func cell(_ text: String) -> String { MarkdownCell.escape(text) }
}
