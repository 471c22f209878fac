
/// A pull reader over JSON bytes: the caller asks for the shape it expects and values are decoded
/// straight into model types, with no tree of `JSONValue`s in between (reading a 100,000-record
/// state through a tree took twice the time and three times the memory).
public struct JSONCursor {
    private let bytes: [UInt8]
    private var index = 0
    /// Per open container: whether a member has been read (so a comma is due).
    private var started: [Bool] = []
    /// Set by readers of many records: repeated cell values read by `fieldValue()` share one storage.
    public var interner: ValueInterner?

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// A cursor on the value at `index` of `bytes` (a member a strict reader found), so errors still say where
    /// they are in the whole document.
    public init(_ bytes: [UInt8], at index: Int) {
        self.bytes = bytes
        self.index = index
    }

    /// A cursor inside a list, just after one of its elements (at the comma before the next one, or the closing
    /// bracket): for a caller that knows where a list's elements lie and reads its second part apart from the first.
    public init(_ bytes: [UInt8], afterElementAt index: Int) {
        self.bytes = bytes
        self.index = index
        started = [true]
    }

    /// Moves on to `index`, which the caller knows to be just after an element of the list being read (its next comma
    /// or closing bracket): the elements in between are read by someone else (`init(_:afterElementAt:)`).
    public mutating func jump(to index: Int) {
        self.index = index
    }

    /// Where the next read starts (after `nextElement()`, the element's first byte), so a caller can keep a value's bytes.
    public var offset: Int { index }

    // MARK: Containers

    public mutating func beginObject() throws(JSONDecodeFailure) { try open(UInt8(ascii: "{"), "an object") }
    public mutating func beginArray() throws(JSONDecodeFailure) { try open(UInt8(ascii: "["), "a list") }

    /// The next member's key, or nil after consuming the closing brace.
    public mutating func nextKey() throws(JSONDecodeFailure) -> String? {
        guard try advance(closing: UInt8(ascii: "}")) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        let key = try readString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after key \"\(JSONParser.shown(key))\"") }
        index += 1
        return key
    }

    /// True when another element follows; false after consuming the closing bracket.
    public mutating func nextElement() throws(JSONDecodeFailure) -> Bool {
        try advance(closing: UInt8(ascii: "]"))
    }

    /// At the end: only whitespace may follow the document.
    public mutating func finish() throws(JSONDecodeFailure) {
        skipWhitespace()
        if index != bytes.count { throw failure("unexpected text after the JSON value") }
    }

    // MARK: Values

    public mutating func string() throws(JSONDecodeFailure) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        return try readString()
    }

    public mutating func int() throws(JSONDecodeFailure) -> Int {
        let number = try self.number()
        guard number == number.rounded(), abs(number) < 9.0e15 else { throw failure("expected a whole number") }
        return Int(number)
    }

    public mutating func bool() throws(JSONDecodeFailure) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "t"): try word("true"); return true
        case UInt8(ascii: "f"): try word("false"); return false
        default: throw failure("expected true or false")
        }
    }

    public mutating func number() throws(JSONDecodeFailure) -> Double {
        skipWhitespace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("expected a number") }
        while index < bytes.count {
            let byte = bytes[index]
            guard isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else { break }
            index += 1
        }
        guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            index = start
            throw failure("invalid number")
        }
        guard number.isFinite else {
            index = start
            throw failure("number out of range (beyond ±1.8e308)")
        }
        return number
    }

    /// A cell value: text, number, true/false, a list of text; nil for null ("no value").
    public mutating func fieldValue() throws(JSONDecodeFailure) -> FieldValue? {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""):
            let text = try readString()
            return .text(interner?.text(text) ?? text)
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return nil
        case UInt8(ascii: "["):
            try beginArray()
            var items: [String] = []
            while try nextElement() { items.append(try string()) }
            return .list(interner?.list(items) ?? items)
        default: return .number(try number())
        }
    }

    /// Consumes a null and says so; anything else is left to read.
    public mutating func null() -> Bool {
        skipWhitespace()
        guard bytes[index...].starts(with: [0x6E, 0x75, 0x6C, 0x6C]) else { return false }
        index += 4
        return true
    }

    /// One value of any shape as a tree, for the small parts of a document that a cursor need not stream.
    public mutating func value() throws(JSONDecodeFailure) -> JSONValue {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [String: JSONValue] = [:]
            while let key = try nextKey() { members[key] = try value() }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var items: [JSONValue] = []
            while try nextElement() { items.append(try value()) }
            return .array(items)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        default: return .number(try number())
        }
    }

    /// Passes over one value of any shape, checking its syntax but keeping nothing.
    public mutating func skipValue() throws(JSONDecodeFailure) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try passKey() { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            try passString()
        default:
            _ = try fieldValue()
        }
    }

    /// Passes over a fields object, `{` to `}` (its range is returned), accepting exactly what `fieldCells()` reads:
    /// its keys and strings with `nextKey`'s and `readString`'s checks, values of `fieldValue()`'s shapes. Nothing is
    /// made, so a reader may keep the bytes and decode them later (`EncodedFieldCells`) without a failure then.
    public mutating func passFieldCells() throws(JSONDecodeFailure) -> Range<Int> {
        skipWhitespace()
        let start = index
        try beginObject()
        while try passKey() {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "\""): try passString()
            case UInt8(ascii: "t"): try word("true")
            case UInt8(ascii: "f"): try word("false")
            case UInt8(ascii: "n"): try word("null")
            case UInt8(ascii: "["):
                try beginArray()
                while try nextElement() {
                    skipWhitespace()
                    guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
                    try passString()
                }
            default: _ = try number()
            }
        }
        return start..<index
    }

    public func failure(_ message: String) -> JSONDecodeFailure {
        var line = 1, column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        if index >= bytes.count { return .syntax(line: line, column: column, message: "unexpected end of input, \(message)") }
        return .syntax(line: line, column: column, message: message)
    }

    // MARK: Internals

    private mutating func open(_ bracket: UInt8, _ what: String) throws(JSONDecodeFailure) {
        skipWhitespace()
        guard peek() == bracket else { throw failure("expected \(what)") }
        if started.count >= JSONParser.maximumDepth { throw failure("nesting too deep") }
        index += 1
        started.append(false)
    }

    /// Consumes the comma before a member, or the closing bracket (returning false).
    private mutating func advance(closing: UInt8) throws(JSONDecodeFailure) -> Bool {
        skipWhitespace()
        if peek() == closing {
            index += 1
            started.removeLast()
            return false
        }
        if started[started.count - 1] {
            guard peek() == UInt8(ascii: ",") else {
                throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
            }
            index += 1
            skipWhitespace()
        }
        started[started.count - 1] = true
        return true
    }

    private mutating func readString() throws(JSONDecodeFailure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            case UInt8(ascii: "\\"):
                return try readEscapedString(from: start)
            case 0..<0x20:
                throw failure("control character in string")
            default:
                guard let length = UTF8Validation.sequenceLength(bytes, at: index) else { throw failure("invalid UTF-8 in string") }
                index += length
            }
        }
        throw failure("unterminated string")
    }

    /// `nextKey`'s checks without making the key: true when a member follows, its key passed.
    private mutating func passKey() throws(JSONDecodeFailure) -> Bool {
        guard try advance(closing: UInt8(ascii: "}")) else { return false }
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        let start = index
        try passString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else {
            index = start
            let key = try readString()
            skipWhitespace()
            throw failure("expected ':' after key \"\(JSONParser.shown(key))\"")
        }
        index += 1
        return true
    }

    /// `readString`'s checks without making the string (a lean state load passes over every record's values, issue 12).
    private mutating func passString() throws(JSONDecodeFailure) {
        let start = index
        // Printable ASCII up to the closing quote, the usual case, in a tight loop; anything else is checked below.
        let quote: Int? = bytes.withUnsafeBufferPointer { buffer in
            var at = start + 1
            while at < buffer.count {
                let byte = buffer[at]
                if byte == UInt8(ascii: "\"") { return at }
                if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\\") { return nil }
                at += 1
            }
            return nil
        }
        if let quote {
            index = quote + 1
            return
        }
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index = start
                _ = try readString()
                return
            case 0..<0x20:
                throw failure("control character in string")
            case 0x20..<0x80:
                index += 1
            default:
                guard let length = UTF8Validation.sequenceLength(bytes, at: index) else { throw failure("invalid UTF-8 in string") }
                index += length
            }
        }
        throw failure("unterminated string")
    }

    /// The slow path: hands the whole string literal to the tree parser, which knows every escape;
    /// its errors are reported at the literal's opening quote.
    private mutating func readEscapedString(from start: Int) throws(JSONDecodeFailure) -> String {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard index < bytes.count else { throw failure("unterminated string") }
        index += 1
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(Array(bytes[(start - 1)..<index]))
        } catch {
            index = start - 1
            throw failure(error.message)
        }
        guard case .string(let text) = parsed else { throw failure("expected a string") }
        return text
    }

    private mutating func word(_ text: String) throws(JSONDecodeFailure) {
        for expected in text.utf8 {
            guard index < bytes.count, bytes[index] == expected else { throw failure("invalid literal, expected '\(text)'") }
            index += 1
        }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        let start = index
        index = bytes.withUnsafeBufferPointer { buffer in
            var at = start
            while at < buffer.count {
                switch buffer[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return at
                }
            }
            return at
        }
    }
}
