import Manifest
import ReconCore
import YAML

/// A matched file parsed by its rule's format: structured data (as YAML nodes, which keep line
/// numbers) and, for Markdown, what the body built-ins read.
struct SourceDocument {
    /// Front matter, JSON or YAML data; nil for plain Markdown or a file without front matter.
    var data: Node?
    var markdown: MarkdownSummary?

    /// A file that cannot be parsed, with the line and column where it went wrong.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    /// `summarize`: whether a rule reads the body (`$title`, `$summary`, `$words`, `$links`); when none does, the
    /// body is not summarized (most front matter rules read only the front matter).
    init(_ file: SourceFile, format: ExtractRule.Format, summarize: Bool = true) throws(Failure) {
        let name = "\(file.repo):\(file.path)"
        if format == .markdown || format == .frontmatter { try Self.requireUTF8(file) }
        switch format {
        case .frontmatter:
            let parts: FrontMatter
            do {
                parts = try FrontMatter(file.bytes)
            } catch {
                throw Failure(diagnostic: .error(at: file.location(), "front matter opened with '---' is never closed",
                                                 hint: "end it with a line holding only '---'"))
            }
            data = try parts.yaml.map { yaml throws(Failure) in try SourceDocument.loadYAML(yaml, file: name, what: "front matter") }
            markdown = summarize ? MarkdownSummary(parts.body) : nil
        case .markdown:
            // Front matter is metadata, not prose: the title and summary come from the body after it.
            guard summarize else { break }
            let body = (try? FrontMatter(file.bytes))?.body ?? file.bytes
            markdown = MarkdownSummary(body)
        case .yaml:
            data = try SourceDocument.loadYAML(file.bytes, file: name, what: "YAML")
        case .json:
            do {
                data = JSONNode.node(try JSONParser.parse(file.bytes), at: file.location())
            } catch {
                throw Failure(diagnostic: .error(at: file.location(line: error.line, column: error.column), "invalid JSON: \(error.message)"))
            }
        }
    }

    /// Markdown is refused, like JSON and YAML, when it is not UTF-8: `String(decoding:)` would turn
    /// the bad bytes into U+FFFD and store a value the file does not hold.
    private static func requireUTF8(_ file: SourceFile) throws(Failure) {
        guard let bad = UTF8Validation.firstInvalidIndex(file.bytes) else { return }
        let before = file.bytes[..<bad]
        let line = before.lazy.filter { $0 == 0x0A }.count + 1
        let column = bad - ((before.lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0) + 1
        throw Failure(diagnostic: .error(at: file.location(line: line, column: column),
                                         "not valid UTF-8: byte \(hex(file.bytes[bad])) at byte offset \(bad)",
                                         hint: "save the file as UTF-8"))
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    private static func loadYAML(_ bytes: [UInt8], file: String, what: String) throws(Failure) -> Node {
        let documents: [Node]
        do {
            documents = try YAMLLoader().load(bytes, file: file)
        } catch {
            throw Failure(diagnostic: .error(at: error.location, "invalid \(what): \(error.message)", hint: error.hint))
        }
        guard let first = documents.first, !first.isNull else {
            return Node(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
        guard first.mapping != nil else {
            throw Failure(diagnostic: .error(at: first.location, "expected the \(what) to be a mapping, found \(first.summary)"))
        }
        return first
    }
}
