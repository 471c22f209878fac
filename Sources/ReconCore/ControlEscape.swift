/// Control characters (general category Cc: U+0000–U+001F, U+007F–U+009F) and the bidi controls
/// (U+200E/F, U+202A–U+202E, U+2066–U+2069) written as `\u{XX}` for messages, plans and views: raw,
/// they are invisible, cut C strings, drive the terminal, or reorder the text a reviewer reads.
public enum ControlEscape {
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || isBidiControl(scalar)
    }

    /// The marks, embeddings, overrides and isolates that reorder text ("Trojan Source").
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `\u{1B}` for ESC; at least two hex digits.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "\\u{" + (digits.count < 2 ? "0" + digits : digits) + "}"
    }

    /// `text` with every control character escaped, everything else as it is.
    public static func escaped(_ text: String) -> String {
        escaped(text, keeping: [])
    }

    /// `text` escaped but for its line breaks: for whole views and messages whose lines are Recon's own;
    /// values that may hold a newline are escaped with `escaped(_:)` where they are put in.
    public static func escapedKeepingLines(_ text: String) -> String {
        escaped(text, keeping: ["\n"])
    }

    private static func escaped(_ text: String, keeping: Set<Unicode.Scalar>) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping.contains($0) }) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar), !keeping.contains(scalar) {
                shown.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
