/// Control characters (general category Cc: U+0000–U+001F, U+007F–U+009F) written as `\u{XX}`
/// for messages and plans: raw, they are invisible, cut C strings, or drive the terminal.
public enum ControlEscape {
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// `\u{1B}` for ESC; at least two hex digits.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "\\u{" + (digits.count < 2 ? "0" + digits : digits) + "}"
    }

    /// `text` with every control character escaped, everything else as it is.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) { shown.append(contentsOf: escape(scalar).unicodeScalars) } else { shown.append(scalar) }
        }
        return String(shown)
    }
}
