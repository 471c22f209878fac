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

    /// Escapes over Unicode scalars, not Characters (a quote plus a combining mark is one
    /// Character), and shows control characters as `\u{XX}`: a raw terminal escape in a value
    /// could otherwise rewrite the plan a reviewer reads.
    private static func quote(_ text: String) -> String {
        var result = escaped(text)
        if result.count > maximumLength { result = String(result.prefix(maximumLength - 1)) + "…" }
        return "\"\(result)\""
    }

    /// Whether `describe` would cut this text: then an edit of it is shown as a diff (`ValueDiff`).
    static func isLong(_ text: String) -> Bool {
        escaped(text).count > maximumLength
    }

    /// The text between the quotes, whole.
    static func escaped(_ text: String) -> String {
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": shown.append(contentsOf: #"\\"#.unicodeScalars)
            case "\"": shown.append(contentsOf: #"\""#.unicodeScalars)
            case "\n": shown.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": shown.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": shown.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where ControlEscape.isControl(scalar): shown.append(contentsOf: ControlEscape.escape(scalar).unicodeScalars)
            default: shown.append(scalar)
            }
        }
        return String(shown)
    }
}
