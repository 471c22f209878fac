import CYAML
import ReconCore

/// Reads YAML text into node trees, one per document, with line and column on every node.
///
/// Aliases are expanded by sharing, never by copying, and the total size they add is capped:
/// a "billion laughs" document is refused in microseconds instead of eating memory.
public struct YAMLLoader {
    public struct Limits: Sendable {
        /// Nodes that aliases may add to one document, all expansions together.
        public var aliasExpansion = 100_000
        /// Nesting depth of sequences and mappings.
        public var depth = 256

        public init() {}
    }

    public var limits = Limits()

    public init() {}

    public func load(_ text: String, file: String) throws(YAMLError) -> [Node] {
        try load(Array(text.utf8), file: file)
    }

    public func load(_ bytes: [UInt8], file: String) throws(YAMLError) -> [Node] {
        if let flat = FlatMapping.read(bytes, file: file) { return [flat] }
        return try compose(bytes, file: file)
    }

    /// The full path: libyaml's events composed into nodes. `load` takes it for everything `FlatMapping` declines.
    func compose(_ bytes: [UInt8], file: String) throws(YAMLError) -> [Node] {
        try Self.checkEncoding(bytes, file: file)
        var composer = Composer(file: file, limits: limits)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(at: SourceLocation(file: file, line: 1, column: 1), "could not initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }

        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> [Node] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Self.syntaxError(parser, bytes: bytes, file: file)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try composer.handle(event)
            }
            return composer.documents
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, bytes: [UInt8], file: String) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var (line, column) = (parser.problem_mark.line + 1, parser.problem_mark.column + 1)
        var message = problem
        var hint: String?
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context))"
            let at = parser.context_mark
            hint = "the construct began at line \(at.line + 1), column \(at.column + 1)"
        }
        if parser.error == YAML_READER_ERROR {
            // The reader (control characters, bad UTF-16) reports only a byte offset: count lines up to it.
            message = problem
            (line, column) = position(of: parser.problem_offset, in: bytes)
        }
        return YAMLError(at: SourceLocation(file: file, line: line, column: column), message, hint: hint)
    }

    /// UTF-8 is checked here, before libyaml, whose reader reports the byte after a bad lead and
    /// counts columns oddly: the error names the bad byte at its own line and column.
    /// UTF-16 (with its byte order mark) is left to libyaml, which decodes it.
    private static func checkEncoding(_ bytes: [UInt8], file: String) throws(YAMLError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return }
        guard let index = UTF8Validation.firstInvalidIndex(bytes) else { return }
        let (line, column) = position(of: index, in: bytes)
        let byte = "0x" + String(bytes[index], radix: 16, uppercase: true)
        throw YAMLError(at: SourceLocation(file: file, line: line, column: column), "the byte \(byte) is not valid UTF-8",
                        hint: "YAML is read as UTF-8 (or UTF-16 with a byte order mark): save the file as UTF-8")
    }

    /// Line and column (in characters, counting UTF-8 lead bytes) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}

/// Builds nodes from parser events with an explicit stack, so depth costs no recursion.
private struct Composer {
    /// An open container. Items are appended in place (`stack[last].items.append`), never to a
    /// copy taken out of the stack, so a long sequence or mapping loads in linear time.
    struct Frame {
        enum Kind { case sequence, mapping }
        let kind: Kind
        let info: Node.Frame
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        var pendingKey: Node?

        init(_ kind: Kind, _ info: Node.Frame) {
            self.kind = kind
            self.info = info
        }
    }

    let file: String
    let limits: YAMLLoader.Limits
    var documents: [Node] = []
    var stack: [Frame] = []
    var anchors: [String: Node] = [:]
    var openAnchors: Set<String> = []
    var expanded = 0
    var root: Node?

    init(file: String, limits: YAMLLoader.Limits) {
        self.file = file
        self.limits = limits
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let location = SourceLocation(file: file, line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
            expanded = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            documents.append(root ?? Node(.scalar("", .plain), at: location))
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let node = Node(.scalar(text, Self.style(data.style)), at: location, tag: data.tag.map(Self.string))
            try complete(node, anchor: data.anchor.map(Self.string))
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor)
            guard let target = anchors[name] else {
                if openAnchors.contains(name) {
                    throw YAMLError(at: location, "alias '*\(name)' refers to the node that contains it")
                }
                throw YAMLError(at: location, "unknown alias '*\(name)'", hint: "define it first with '&\(name)'")
            }
            expanded &+= target.weight
            if expanded > limits.aliasExpansion {
                throw YAMLError(
                    at: location, "aliases expand to more than \(limits.aliasExpansion) nodes",
                    hint: "the document multiplies its size through aliases (a \"billion laughs\" shape); it was not expanded")
            }
            var copy = target
            copy.location = location
            try complete(copy, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try push(Frame(.sequence, Node.Frame(location: location, tag: data.tag.map(Self.string), anchor: data.anchor.map(Self.string))), at: location)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try push(Frame(.mapping, Node.Frame(location: location, tag: data.tag.map(Self.string), anchor: data.anchor.map(Self.string))), at: location)
        case YAML_SEQUENCE_END_EVENT:
            guard let top = stack.popLast(), top.kind == .sequence else { return }
            try complete(Node(.sequence(top.items), at: top.info.location, tag: top.info.tag), anchor: top.info.anchor)
        case YAML_MAPPING_END_EVENT:
            guard let top = stack.popLast(), top.kind == .mapping else { return }
            let merged = try Self.applyMerges(top.pairs)
            try Self.checkDuplicates(merged)
            try complete(Node(.mapping(merged), at: top.info.location, tag: top.info.tag), anchor: top.info.anchor)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame, at location: SourceLocation) throws(YAMLError) {
        guard stack.count < limits.depth else {
            throw YAMLError(at: location, "nesting deeper than \(limits.depth) levels")
        }
        if let anchor = frame.info.anchor { openAnchors.insert(anchor) }
        stack.append(frame)
    }

    private mutating func complete(_ node: Node, anchor: String?) throws(YAMLError) {
        if let anchor {
            anchors[anchor] = node
            openAnchors.remove(anchor)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let last = stack.count - 1
        switch stack[last].kind {
        case .sequence:
            stack[last].items.append(node)
        case .mapping:
            if let key = stack[last].pendingKey {
                stack[last].pairs.append(Node.Pair(key: key, value: node))
                stack[last].pendingKey = nil
            } else {
                stack[last].pendingKey = node
            }
        }
    }

    /// YAML 1.1 merge keys (`<<: *defaults`): keys written in the mapping win over merged ones.
    private static func applyMerges(_ pairs: [Node.Pair]) throws(YAMLError) -> [Node.Pair] {
        guard pairs.contains(where: isMergeKey) else { return pairs }
        var own = pairs.filter { !isMergeKey($0) }
        var seen = Set(own.compactMap(\.key.scalar))
        for pair in pairs where isMergeKey(pair) {
            let sources: [Node]
            switch pair.value.kind {
            case .mapping: sources = [pair.value]
            case .sequence(let items): sources = items
            case .scalar: throw YAMLError(at: pair.value.location, "a merge key '<<' takes a mapping or a list of mappings")
            }
            for source in sources {
                guard let merged = source.mapping else {
                    throw YAMLError(at: source.location, "a merge key '<<' takes a mapping or a list of mappings")
                }
                for item in merged where !seen.contains(item.key.scalar ?? "\u{0}") {
                    own.append(item)
                    if let name = item.key.scalar { seen.insert(name) }
                }
            }
        }
        return own
    }

    private static func isMergeKey(_ pair: Node.Pair) -> Bool {
        pair.key.style == .plain && pair.key.scalar == "<<"
    }

    private static func checkDuplicates(_ pairs: [Node.Pair]) throws(YAMLError) {
        guard pairs.count > 1 else { return }
        var first: [String: SourceLocation] = [:]
        for pair in pairs {
            guard let name = pair.key.scalar else { continue }
            if let earlier = first[name] {
                throw YAMLError(
                    at: pair.key.location, "duplicate key '\(name)'",
                    hint: "first given at line \(earlier.line), column \(earlier.column)")
            }
            first[name] = pair.key.location
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: pointer)
    }

    private static func style(_ style: yaml_scalar_style_t) -> Node.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

extension Node {
    /// Where a container began and what was attached to it, kept until it closes.
    struct Frame {
        var location: SourceLocation
        var tag: String?
        var anchor: String?
    }
}
