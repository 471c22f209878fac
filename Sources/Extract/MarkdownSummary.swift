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
        // Windows line endings become plain newlines first: "\r\n" is one Character in Swift, so the
        // String reading would otherwise never see a line break.
        var bytes = Array(bytes)
        if bytes.contains(0x0D) { bytes = MarkdownSummary.normalizingLineEndings(bytes) }
        // In ASCII without carriage returns every byte is one Character, so the byte reading is exact;
        // anything else (graphemes, CRLF as one Character) takes the String reading.
        if bytes.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            self.init(ascii: bytes)
        } else {
            self.init(text: bytes)
        }
    }

    /// CRLF and lone CR → LF.
    static func normalizingLineEndings(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D {
                out.append(0x0A)
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                out.append(bytes[index])
            }
            index += 1
        }
        return out
    }

    /// The reading on Characters, for any text.
    init(text bytes: [UInt8]) {
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

    /// The same reading as `init(text:)` on bytes, for ASCII text without carriage returns: line
    /// ranges instead of substrings, no String until a title, summary or link is kept.
    init(ascii b: [UInt8]) {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        var lines: [Range<Int>] = []
        var start = 0
        for index in b.indices where b[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        lines.append(start..<b.count)

        func trimmedStart(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound
            while lower < range.upperBound, blank(b[lower]) { lower += 1 }
            return lower..<range.upperBound
        }
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            let start = trimmedStart(range)
            var upper = start.upperBound
            while upper > start.lowerBound, blank(b[upper - 1]) { upper -= 1 }
            return start.lowerBound..<upper
        }
        func hasPrefix(_ range: Range<Int>, _ prefix: StaticString) -> Bool {
            guard range.count >= prefix.utf8CodeUnitCount else { return false }
            return prefix.withUTF8Buffer { p in p.indices.allSatisfy { b[range.lowerBound + $0] == p[$0] } }
        }
        func text(_ range: Range<Int>) -> String { String(decoding: b[range], as: UTF8.self) }
        func isSetextUnderline(_ line: Range<Int>) -> Bool {
            let range = trimmed(line)
            guard !range.isEmpty else { return false }
            return range.allSatisfy { b[$0] == UInt8(ascii: "=") } || (range.count >= 3 && range.allSatisfy { b[$0] == UInt8(ascii: "-") })
        }
        func atxHeading(_ line: Range<Int>) -> String? {
            var index = line.lowerBound
            while index < line.upperBound, b[index] == UInt8(ascii: "#") { index += 1 }
            guard (1...6).contains(index - line.lowerBound) else { return nil }
            guard index == line.upperBound || blank(b[index]) else { return nil }
            var range = trimmed(index..<line.upperBound)
            while !range.isEmpty, b[range.upperBound - 1] == UInt8(ascii: "#") { range = range.lowerBound..<(range.upperBound - 1) }
            return text(trimmed(range))
        }
        func startsNonParagraph(_ line: Range<Int>) -> Bool {
            var index = line.lowerBound
            while index < line.upperBound, (0x30...0x39).contains(b[index]) { index += 1 }
            if index > line.lowerBound, hasPrefix(index..<line.upperBound, ". ") || hasPrefix(index..<line.upperBound, ") ") { return true }
            return hasPrefix(line, "<") || hasPrefix(line, "- ") || hasPrefix(line, "* ") || hasPrefix(line, "+ ")
                || hasPrefix(line, ">") || hasPrefix(line, "|") || hasPrefix(line, "![")
        }
        func wordCount(_ line: Range<Int>) -> Int {
            var count = 0
            var inWord = false
            var alphanumeric = false
            for index in line {
                let byte = b[index]
                if blank(byte) {
                    if inWord, alphanumeric { count += 1 }
                    inWord = false
                    alphanumeric = false
                } else {
                    inWord = true
                    if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { alphanumeric = true }
                }
            }
            return inWord && alphanumeric ? count + 1 : count
        }
        func hasLink(_ line: Range<Int>) -> Bool {
            guard line.count >= 2 else { return false }
            return (line.lowerBound..<(line.upperBound - 1)).contains { b[$0] == UInt8(ascii: "]") && b[$0 + 1] == UInt8(ascii: "(") }
        }
        // `join(_:)` on bytes: lines trimmed and joined by spaces, the first `](` repeatedly folded
        // from `[text](target)` to `text` while it has a `[` before and a `)` after, then `**` and backticks dropped.
        func join(_ paragraph: [Range<Int>]) -> String {
            var joined: [UInt8] = []
            for (index, line) in paragraph.enumerated() {
                if index > 0 { joined.append(0x20) }
                joined += b[trimmed(line)]
            }
            while let open = joined.indices.dropLast().first(where: { joined[$0] == UInt8(ascii: "]") && joined[$0 + 1] == UInt8(ascii: "(") }),
                  let close = joined[(open + 2)...].firstIndex(of: UInt8(ascii: ")")),
                  let bracket = joined[..<open].lastIndex(of: UInt8(ascii: "[")) {
                joined.replaceSubrange(bracket...close, with: Array(joined[(bracket + 1)..<open]))
            }
            var result: [UInt8] = []
            result.reserveCapacity(joined.count)
            var index = 0
            while index < joined.count {
                if joined[index] == UInt8(ascii: "*"), index + 1 < joined.count, joined[index + 1] == UInt8(ascii: "*") {
                    index += 2
                    continue
                }
                if joined[index] != UInt8(ascii: "`") { result.append(joined[index]) }
                index += 1
            }
            return String(decoding: result, as: UTF8.self)
        }

        var title: String?
        var paragraph: [Range<Int>] = []
        var summary: String?
        var words = 0
        var links: [String] = []
        var seenLinks = Set<String>()
        var fence: Range<Int>?
        for (index, line) in lines.enumerated() {
            let current = trimmedStart(line)
            if let open = fence {
                if current.count >= 3, (0..<3).allSatisfy({ b[current.lowerBound + $0] == b[open.lowerBound + $0] }) { fence = nil }
                continue
            }
            if hasPrefix(current, "```") || hasPrefix(current, "~~~") {
                fence = current.lowerBound..<(current.lowerBound + 3)
                if summary == nil, !paragraph.isEmpty { summary = join(paragraph) }
                continue
            }
            words += wordCount(current)
            if hasLink(current) {
                for link in MarkdownSummary.linkTargets(ascii: b, current) where seenLinks.insert(link).inserted {
                    links.append(link)
                }
            }
            let heading = atxHeading(current)
            let underline = index + 1 < lines.count && isSetextUnderline(lines[index + 1]) && !current.isEmpty
            if title == nil, let heading = heading ?? (underline && paragraph.isEmpty ? text(current) : nil) {
                title = heading
            }
            guard summary == nil else { continue }
            if current.isEmpty || heading != nil || underline || isSetextUnderline(line) {
                if !paragraph.isEmpty { summary = join(paragraph) }
                paragraph = []
            } else if paragraph.isEmpty && startsNonParagraph(current) {
                continue
            } else {
                paragraph.append(current)
            }
        }
        if summary == nil, !paragraph.isEmpty { summary = join(paragraph) }
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

    /// `linkTargets(in:)` on bytes, for a line of ASCII without carriage returns (each byte one Character): the
    /// String reading's `range(of:)` cost ~57,000 instructions a line (issue 12, cold plan).
    static func linkTargets(ascii b: [UInt8], _ line: Range<Int>) -> [String] {
        let (bracket, paren, tick) = (UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: "`"))
        func first(_ byte: UInt8, in range: Range<Int>) -> Int? { range.first { b[$0] == byte } }
        var targets: [String] = []
        var rest = line.lowerBound
        while true {
            var open = rest
            while open + 1 < line.upperBound, !(b[open] == bracket && b[open + 1] == paren) { open += 1 }
            guard open + 1 < line.upperBound else { return targets }
            let ticks = (rest..<open).reduce(0) { $0 + (b[$1] == tick ? 1 : 0) }
            rest = open + 2
            guard ticks % 2 == 0, let close = first(UInt8(ascii: ")"), in: rest..<line.upperBound) else { continue }
            var (lower, upper) = (rest, close)
            while lower < upper, b[lower] == 0x20 || b[lower] == 0x09 { lower += 1 }
            while upper > lower, b[upper - 1] == 0x20 || b[upper - 1] == 0x09 { upper -= 1 }
            if lower < upper, b[lower] == UInt8(ascii: "<"), let end = first(UInt8(ascii: ">"), in: lower..<upper) { (lower, upper) = (lower + 1, end) }
            if let space = first(0x20, in: lower..<upper) { upper = space }
            if let hash = first(UInt8(ascii: "#"), in: lower..<upper) { upper = hash }
            let scheme = first(UInt8(ascii: ":"), in: lower..<upper).map { colon in first(UInt8(ascii: "/"), in: lower..<colon) == nil } ?? false
            guard lower < upper, !scheme, b[lower] != UInt8(ascii: "/") else { continue }
            targets.append(String(decoding: b[lower..<upper], as: UTF8.self))
        }
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
