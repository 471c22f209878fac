import ReconCore

/// Renders diagnostics for people (compiler style) or scripts (JSON, like `terraform validate -json`).
struct DiagnosticView {
    let console: Console

    func text(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in diagnostics.sorted() {
            // Escaped before any colour is added: paths and names come from input (`ControlEscape`).
            if let location = diagnostic.location { out += console.style(ControlEscape.escaped("\(location)") + ": ", .bold) }
            switch diagnostic.severity {
            case .error: out += console.style("error:", .red)
            case .warning: out += console.style("warning:", .yellow)
            case .note: out += console.style("note:", .cyan)
            }
            out += " \(ControlEscape.escapedKeepingLines(diagnostic.message))\n"
            if let hint = diagnostic.hint { out += "  \(ControlEscape.escapedKeepingLines(hint))\n" }
        }
        return out
    }

    /// Warnings and notes of a run that went on, on stderr; quiet when there are none.
    func warnings(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        console.write(text(diagnostics), to: .err)
    }

    static func json(_ diagnostics: [Diagnostic], valid: Bool) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in diagnostics.sorted() { diagnostic.write(to: &writer) }
        writer.endArray()
        writer.field("error_count", diagnostics.filter { $0.severity == .error }.count)
        writer.field("format_version", 1)
        writer.field("valid", valid)
        writer.field("warning_count", diagnostics.filter { $0.severity == .warning }.count)
        writer.endObject()
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}
