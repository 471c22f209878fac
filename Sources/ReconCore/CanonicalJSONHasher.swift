/// Reads a JSON document strictly and hashes the canonical compact bytes of one top-level member as they are made,
/// with no tree and, unless asked, without keeping them: a 90 MB plan file's body is verified this way (the tree
/// took three times the file in memory). The rules are the tree parser's, whose routines it calls, plus one: a key
/// given twice in an object is refused where it stands, since a reader keeping the first and one keeping the last
/// would see two different documents under one digest.
///
/// The canonical form is `JSONValue.canonicalBytes()`'s: keys sorted as Swift sorts strings, `JSONWriter`'s
/// escapes and numbers. Objects whose keys already come sorted (every file Recon writes) stream; the first one
/// that does not makes the reader start again, sorting each object's members in memory.
public struct CanonicalJSONHasher: ~Copyable {
    /// What was read: the other members (small: a header), and where the hashed one starts.
    public struct Document {
        /// The top-level members but the hashed one; empty when the document is not an object.
        public var members: [String: JSONValue] = [:]
        /// The index of the hashed member's value in the bytes, nil when the document has no such member.
        public var start: Int?
        /// SHA-256 (hex) of the hashed member's canonical bytes.
        public var digest = ""
        /// Those bytes, when asked to keep them (a signature needs them whole).
        public var canonical: [UInt8]?
    }

    private static let chunk = 1 << 20

    private var parser: JSONParser
    private var hasher = SHA256()
    private var out: [UInt8] = []
    private var kept: [UInt8] = []
    private let keeping: Bool
    /// Members are sorted in memory rather than checked to come sorted.
    private let sorting: Bool
    /// Inside the hashed member (only its bytes go to the hasher).
    private var hashing = false
    /// Set with the failure thrown when an object's keys are not sorted, so `read` starts again sorting.
    private var unsorted = false

    private init(_ bytes: [UInt8], keeping: Bool, sorting: Bool) {
        parser = JSONParser(bytes: bytes)
        self.keeping = keeping
        self.sorting = sorting
    }

    /// Reads `bytes`, hashing the top-level member `name`; errors are the tree parser's, with line and column.
    public static func read(_ bytes: [UInt8], hashing name: String, keeping: Bool = false) throws(JSONParser.Failure) -> Document {
        var streamed = CanonicalJSONHasher(bytes, keeping: keeping, sorting: false)
        do {
            var document = try streamed.document(name)
            document.digest = streamed.hexDigest()
            return document
        } catch {
            guard streamed.unsorted else { throw error }
        }
        var sorted = CanonicalJSONHasher(bytes, keeping: keeping, sorting: true)
        var document = try sorted.document(name)
        document.digest = sorted.hexDigest()
        return document
    }

    private consuming func hexDigest() -> String {
        hasher.hexDigest()
    }

    private mutating func document(_ name: String) throws(JSONParser.Failure) -> Document {
        var document = Document()
        parser.skipWhitespace()
        if parser.peek(UInt8(ascii: "{")) {
            try parser.enter()
            parser.index += 1
            var separated = false
            while true {
                parser.skipWhitespace()
                if !separated, parser.peek(UInt8(ascii: "}")) { parser.index += 1; break }
                let keyAt = parser.index
                let key = try key()
                if key == name ? document.start != nil : document.members[key] != nil {
                    parser.index = keyAt
                    throw parser.failure("duplicate key \"\(JSONParser.shown(key))\"")
                }
                parser.skipWhitespace()
                let valueAt = parser.index
                if key == name {
                    document.start = valueAt
                    hashing = true
                    try value()
                    flush()
                    hashing = false
                } else {
                    try value()
                    out = []
                    parser.index = valueAt
                    document.members[key] = try parser.parseValue()
                }
                parser.skipWhitespace()
                if parser.peek(UInt8(ascii: ",")) { parser.index += 1; separated = true; continue }
                if parser.peek(UInt8(ascii: "}")) { parser.index += 1; break }
                throw parser.failure("expected ',' or '}' in object")
            }
            parser.depth -= 1
        } else {
            try value()
            out = []
        }
        parser.skipWhitespace()
        if parser.index != parser.bytes.count { throw parser.failure("unexpected text after the JSON value") }
        if keeping { document.canonical = kept }
        return document
    }

    /// A key and its colon; the colon is consumed.
    private mutating func key() throws(JSONParser.Failure) -> String {
        guard parser.peek(UInt8(ascii: "\"")) else { throw parser.failure("expected a string key") }
        let key = try parser.parseString()
        parser.skipWhitespace()
        guard parser.peek(UInt8(ascii: ":")) else { throw parser.failure("expected ':' after key \"\(JSONParser.shown(key))\"") }
        parser.index += 1
        return key
    }

    private mutating func value() throws(JSONParser.Failure) {
        parser.skipWhitespace()
        guard parser.index < parser.bytes.count else { throw parser.failure("unexpected end of input, expected a value") }
        switch parser.bytes[parser.index] {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            out.append(contentsOf: JSONWriter.format(try parser.parseNumber()).utf8)
        default:
            // true, false, null, or the parser's error for anything else.
            let start = parser.index
            _ = try parser.parseValue()
            out.append(contentsOf: parser.bytes[start..<parser.index])
        }
        if hashing, !sorting, out.count >= Self.chunk { flush() }
    }

    private mutating func object() throws(JSONParser.Failure) {
        try parser.enter()
        parser.index += 1
        var members: [(key: String, at: Int, bytes: [UInt8])] = []
        var previous: String?
        // Sorting, each object's members are made apart (the enclosing bytes set aside), then joined in order.
        var outer: [UInt8] = []
        if sorting { swap(&outer, &out) } else { out.append(UInt8(ascii: "{")) }
        parser.skipWhitespace()
        if parser.peek(UInt8(ascii: "}")) {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                let keyAt = parser.index
                let key = try key()
                if sorting {
                    try value()
                    members.append((key, keyAt, out))
                    out = []
                } else {
                    if let previous, !(previous < key) {
                        parser.index = keyAt
                        if previous == key { throw parser.failure("duplicate key \"\(JSONParser.shown(key))\"") }
                        unsorted = true
                        throw parser.failure("keys out of order")
                    }
                    if previous != nil { out.append(UInt8(ascii: ",")) }
                    appendString(key, literalAt: keyAt)
                    out.append(UInt8(ascii: ":"))
                    previous = key
                    try value()
                }
                parser.skipWhitespace()
                if parser.peek(UInt8(ascii: ",")) { parser.index += 1; continue }
                if parser.peek(UInt8(ascii: "}")) { parser.index += 1; break }
                throw parser.failure("expected ',' or '}' in object")
            }
        }
        parser.depth -= 1
        guard sorting else { out.append(UInt8(ascii: "}")); return }
        swap(&outer, &out)
        members.sort { $0.key < $1.key || ($0.key == $1.key && $0.at < $1.at) }
        out.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 {
                guard members[index - 1].key != member.key else {
                    parser.index = member.at
                    throw parser.failure("duplicate key \"\(JSONParser.shown(member.key))\"")
                }
                out.append(UInt8(ascii: ","))
            }
            appendString(member.key, literalAt: member.at)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.bytes)
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func array() throws(JSONParser.Failure) {
        try parser.enter()
        parser.index += 1
        out.append(UInt8(ascii: "["))
        parser.skipWhitespace()
        if parser.peek(UInt8(ascii: "]")) {
            parser.index += 1
        } else {
            var first = true
            while true {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try value()
                parser.skipWhitespace()
                if parser.peek(UInt8(ascii: ",")) { parser.index += 1; continue }
                if parser.peek(UInt8(ascii: "]")) { parser.index += 1; break }
                throw parser.failure("expected ',' or ']' in array")
            }
        }
        parser.depth -= 1
        out.append(UInt8(ascii: "]"))
    }

    /// A string value: a literal without escapes is its own canonical form (the writer escapes only what such a
    /// literal cannot hold), copied after checking it; anything else goes through the parser and the writer.
    private mutating func string() throws(JSONParser.Failure) {
        let bytes = parser.bytes
        let start = parser.index
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[start...index])
                parser.index = index + 1
                return
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte < 0x80 {
                index += 1
            } else if let length = UTF8Validation.sequenceLength(bytes, at: index) {
                index += length
            } else {
                break
            }
        }
        // Escapes, or an error the parser names and places.
        let text = try parser.parseString()
        appendString(text, literalAt: start)
    }

    /// `text` as the writer writes it; the literal at `literalAt` is copied when it had no escapes.
    private mutating func appendString(_ text: String, literalAt start: Int) {
        let end = parser.bytes[(start + 1)...].firstIndex(of: UInt8(ascii: "\"")) ?? start
        if end > start, !parser.bytes[(start + 1)..<end].contains(UInt8(ascii: "\\")) {
            out.append(contentsOf: parser.bytes[start...end])
            return
        }
        var writer = JSONWriter(capacity: text.utf8.count + 16)
        writer.string(text)
        out.append(contentsOf: writer.finish())
    }

    /// Hands what the hashed member made so far to the hasher.
    private mutating func flush() {
        hasher.update(out)
        if keeping { kept.append(contentsOf: out) }
        out.removeAll(keepingCapacity: true)
    }
}
