/// What the `$title`, `$summary`, `$words` and `$links` built-ins read from a Markdown body.
struct MarkdownSummary: Sendable, Equatable {
    /// The first heading (ATX `# Title` or setext `Title` over `===`), without its markers.
    var title: String?
    /// The first paragraph that is not a heading, code, HTML or a list, on one line, links reduced to their text.
    var summary: String?
    /// Whitespace-separated words with a letter or digit, outside fenced code.
    var words: Int
    /// Relative link targets in order of first appearance, without `#fragment`; URLs with a scheme,
    /// site-absolute paths and pure anchors are not outgoing relative links.
    var links: [String]

    init(_ bytes: some Collection<UInt8>) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        var title: String?
        var paragraph: [Substring] = []
        var summary: String?
        var words = 0
        var links: [String] = []
        var seenLinks = Set<String>()
        var fence: Substring?
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix(3)
                if summary == nil, !paragraph.isEmpty { summary = MarkdownSummary.join(paragraph) }
                continue
            }
            words += trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                .filter { $0.contains { $0.isLetter || $0.isNumber } }.count
            for link in MarkdownSummary.linkTargets(in: trimmed) where seenLinks.insert(link).inserted {
                links.append(link)
            }
            let heading = MarkdownSummary.atxHeading(trimmed)
            let underline = index + 1 < lines.count && MarkdownSummary.isSetextUnderline(lines[index + 1]) && !trimmed.isEmpty
            if title == nil, let heading = heading ?? (underline && paragraph.isEmpty ? String(trimmed) : nil) {
                title = heading
            }
            guard summary == nil else { continue }
            if trimmed.isEmpty || heading != nil || underline || MarkdownSummary.isSetextUnderline(line) {
                if !paragraph.isEmpty { summary = MarkdownSummary.join(paragraph) }
                paragraph = []
            } else if paragraph.isEmpty && MarkdownSummary.startsNonParagraph(trimmed) {
                continue
            } else {
                paragraph.append(trimmed)
            }
        }
        if summary == nil, !paragraph.isEmpty { summary = MarkdownSummary.join(paragraph) }
        self.title = title
        self.summary = summary
        self.words = words
        self.links = links
    }

    private static func atxHeading(_ line: Substring) -> String? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingSpaces
        while text.hasSuffix("#") { text = String(text.dropLast()) }
        return text.trimmingSpaces
    }

    private static func isSetextUnderline(_ line: Substring) -> Bool {
        let trimmed = line.trimmingSpaces
        return !trimmed.isEmpty && (trimmed.allSatisfy { $0 == "=" } || (trimmed.count >= 3 && trimmed.allSatisfy { $0 == "-" }))
    }

    /// Blocks that are not prose: HTML, lists, quotes, tables, images.
    private static func startsNonParagraph(_ line: Substring) -> Bool {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        let ordered = !digits.isEmpty && (line.dropFirst(digits.count).hasPrefix(". ") || line.dropFirst(digits.count).hasPrefix(") "))
        return ordered || line.hasPrefix("<") || line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ")
            || line.hasPrefix(">") || line.hasPrefix("|") || line.hasPrefix("![")
    }

    private static func join(_ lines: [Substring]) -> String {
        var text = lines.map { $0.trimmingSpaces }.joined(separator: " ")
        // [text](target) reads as its text.
        while let open = text.range(of: "]("), let close = text[open.upperBound...].firstIndex(of: ")"),
              let bracket = text[..<open.lowerBound].lastIndex(of: "[") {
            let label = text[text.index(after: bracket)..<open.lowerBound]
            text.replaceSubrange(bracket...close, with: label)
        }
        return text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }

    /// Targets of `[text](target "title")` outside inline code.
    static func linkTargets(in line: Substring) -> [String] {
        var targets: [String] = []
        var rest = line[...]
        while let open = rest.range(of: "](") {
            let before = rest[..<open.lowerBound]
            rest = rest[open.upperBound...]
            guard before.filter({ $0 == "`" }).count % 2 == 0, let close = rest.firstIndex(of: ")") else { continue }
            var target = String(rest[..<close]).trimmingSpaces
            if target.hasPrefix("<"), let end = target.firstIndex(of: ">") { target = String(target[target.index(after: target.startIndex)..<end]) }
            if let space = target.firstIndex(of: " ") { target = String(target[..<space]) }
            if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
            let scheme = target.firstIndex(of: ":").map { colon in !target[..<colon].contains("/") } ?? false
            guard !target.isEmpty, !scheme, !target.hasPrefix("/") else { continue }
            targets.append(target)
        }
        return targets
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }
        var text = String(String.UnicodeScalarView(scalars))
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
