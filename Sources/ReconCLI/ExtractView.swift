import Extract
import ReconCore

/// The two views of `recon extract`, rendered from the same result so they cannot disagree.
struct ExtractView {
    let console: Console

    /// Longer values are cut here in the text view; the JSON view is never cut.
    static let valueWidth = 72

    /// Records grouped by table, one block per record with aligned field names, then a one-line summary.
    func text(records: [DesiredRecord], result: ExtractResult) -> String {
        var out = ""
        var index = 0
        while index < records.count {
            let table = records[index].table
            var end = index
            while end < records.count, records[end].table == table { end += 1 }
            let group = records[index..<end]
            out += console.style(ControlEscape.escaped(table), .bold) + console.style("  \(count(group.count, "record"))", .dim) + "\n"
            let width = group.flatMap(\.fields.keys).map { ControlEscape.escaped($0).count }.max() ?? 0
            for record in group {
                out += "  \(ControlEscape.escaped(record.key))" + console.style("  @\(record.provenance.sourceCommit.prefix(7))", .dim) + "\n"
                for name in record.fields.keys.sorted() {
                    let shownName = ControlEscape.escaped(name)
                    let padding = String(repeating: " ", count: width - shownName.count)
                    out += "    \(console.style(shownName, .cyan))\(padding)  \(Self.display(record.fields[name]!))\n"
                }
            }
            out += "\n"
            index = end
        }
        let cached = result.repos.filter(\.cached).count
        out += "\(count(records.count, "record")) from \(count(result.repos.count, "repo"))"
        out += " (\(result.repos.count - cached) read, \(cached) unchanged since the last extraction).\n"
        return out
    }

    static func display(_ value: FieldValue) -> String {
        let text: String
        switch value {
        case .text(let string): text = string
        case .number(let number): text = JSONWriter.format(number)
        case .bool(let flag): text = flag ? "true" : "false"
        case .list(let items): text = items.joined(separator: ", ")
        }
        var line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let cut = line.count > valueWidth || line.count < text.count
        if line.count > valueWidth { line = String(line.prefix(valueWidth - 1)) }
        // Escaped after the cut, so an escape is never cut in half (`ControlEscape`).
        return ControlEscape.escaped(cut ? line + "…" : line)
    }

    /// Canonical JSON: records, how each repo was read, and the warnings and notes; handed to `write` in chunks of
    /// about a megabyte, so 100,000 records are never one buffer and one string besides.
    static func json(records: [DesiredRecord], result: ExtractResult, chunk: Int = 1 << 20, write: ([UInt8]) -> Void) {
        var writer = JSONWriter(pretty: true, capacity: min(chunk, 1 << 20) + (1 << 16))
        writer.beginObject()
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in result.diagnostics { diagnostic.write(to: &writer) }
        writer.endArray()
        writer.field("format_version", 1)
        writer.key("records")
        writer.beginArray()
        for record in records {
            if writer.bytes.count >= chunk { write(writer.takeBytes()) }
            RecordCoding.write(record, to: &writer)
        }
        writer.endArray()
        writer.key("repos")
        writer.beginArray()
        for repo in result.repos {
            writer.beginObject()
            writer.field("cached", repo.cached)
            writer.field("commit", repo.commit)
            writer.field("files_read", repo.filesRead)
            writer.field("files_reused", repo.filesReused)
            writer.field("name", repo.name)
            writer.field("records", repo.recordCount)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        write(writer.finish())
    }
}
