/// Text made safe for one cell of a GitHub Markdown table; shared by the plan and drift renderings.
enum MarkdownCell {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}
