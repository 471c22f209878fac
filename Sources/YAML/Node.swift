import ReconCore

/// A YAML node with the place it was written, so every later error can point at it.
public struct Node: Sendable {
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public enum Kind: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([Node])
        case mapping([Pair])
    }

    public struct Pair: Sendable {
        public var key: Node
        public var value: Node

        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    public var kind: Kind
    public var location: SourceLocation
    /// The explicit tag, if one was written (`!!str`, `!custom`), in its resolved long form.
    public var tag: String?

    /// Nodes in this subtree, counting expanded aliases; what the alias limit measures.
    /// Stored, because walking an alias-heavy tree to count it is the very blow-up being guarded.
    public let weight: Int

    public init(_ kind: Kind, at location: SourceLocation, tag: String? = nil) {
        self.kind = kind
        self.location = location
        self.tag = tag
        switch kind {
        case .scalar: weight = 1
        case .sequence(let items): weight = items.reduce(1) { $0 &+ $1.weight }
        case .mapping(let pairs): weight = pairs.reduce(1) { $0 &+ $1.key.weight &+ $1.value.weight }
        }
    }
}

// MARK: - Reading a node as the type the caller expects

extension Node {
    /// The text as written, for any scalar; a text field keeps `no`, `0755` or `1e3` verbatim.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    public var style: ScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }

    public var sequence: [Node]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var mapping: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// YAML 1.2 core-schema null: an unquoted `~`, `null` or nothing at all.
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = kind, tag == nil || tag == Node.nullTag else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// YAML 1.2 core-schema booleans only: `yes`, `on` and friends are text, not booleans.
    public var bool: Bool? {
        guard case .scalar(let text, .plain) = kind else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// A plain integer (decimal, or `0x`/`0o` prefixed), as YAML 1.2 core reads it.
    public var int: Int? {
        guard case .scalar(var text, .plain) = kind else { return nil }
        var sign = 1
        if text.hasPrefix("-") { sign = -1; text.removeFirst() } else if text.hasPrefix("+") { text.removeFirst() }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return sign * value }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return sign * value }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text).map { sign * $0 }
    }

    /// A plain number as YAML 1.2 core writes one: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    /// Not `.inf`, `nan` or hex floats, which Swift's own parser would accept.
    public var double: Double? {
        if let int { return Double(int) }
        guard case .scalar(let text, .plain) = kind, Node.isDecimal(text) else { return nil }
        return Double(text)
    }

    static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(whole.count)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let digits = bytes.prefix(while: isDigit)
            fraction = digits.count
            bytes = bytes.dropFirst(fraction)
        }
        guard whole.count + fraction > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            let exponent = bytes.prefix(while: isDigit)
            guard !exponent.isEmpty else { return false }
            bytes = bytes.dropFirst(exponent.count)
        }
        return bytes.isEmpty
    }

    /// How the node reads in an error message: "a mapping", "the text 'abc'".
    public var summary: String {
        switch kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let text, let style):
            if isNull { return "nothing (null)" }
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            if style == .plain, bool != nil { return "the boolean \(shown)" }
            if style == .plain, double != nil { return "the number \(shown)" }
            return "the text '\(shown)'"
        }
    }

    static let nullTag = "tag:yaml.org,2002:null"
}
