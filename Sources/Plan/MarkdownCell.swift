import ReconCore

/// Text made safe for one cell of a GitHub Markdown table; shared by the plan and drift renderings.
/// Control and bidi characters are escaped (`ControlEscape`): a newline in a value must not end the row.
enum MarkdownCell {
    static func escape(_ text: String) -> String {
        ControlEscape.escaped(text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "<", with: "&lt;"))
    }
}
