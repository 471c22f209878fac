import ReconCore

/// How a field value reads in plans and messages: quoted text, bare numbers, lists in brackets.
public enum PlanValueText {
    public static let maximumLength = 80

    public static func describe(_ value: FieldValue?) -> String {
        guard let value = value?.normalized else { return "(empty)" }
        switch value {
        case .text(let text): return quote(text)
        case .number(let number): return JSONWriter.format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(quote).joined(separator: ", ") + "]"
        }
    }

    private static func quote(_ text: String) -> String {
        var shown = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        if shown.count > maximumLength { shown = String(shown.prefix(maximumLength - 1)) + "…" }
        return "\"\(shown)\""
    }
}
