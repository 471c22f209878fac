import ReconCore

/// The `--format` of reports and listings; each command says which it supports.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown

    static func parse(_ value: String?, allowed: [OutputFormat]) throws(ReconError) -> OutputFormat {
        guard let value else { return .text }
        guard let format = OutputFormat(rawValue: value), allowed.contains(format) else {
            let names = allowed.map(\.rawValue)
            throw ReconError("invalid --format '\(value)'",
                             hint: Suggestion.hint(value, among: names, known: "expected one of: " + names.joined(separator: ", ")))
        }
        return format
    }

    static func spec(_ allowed: [OutputFormat]) -> OptionSpec {
        let names = allowed.map(\.rawValue).joined(separator: "|")
        return .option("format", value: names, help: "Output format (default: text)")
    }
}
