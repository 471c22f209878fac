/// A streaming canonical JSON writer into a byte buffer.
///
/// Callers that stream (plans, state, backups) emit object keys in sorted order themselves,
/// which keeps tens of megabytes cheap: no intermediate tree, no Foundation objects.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    private var depth = 0
    /// Per open container: whether it has had a member yet.
    private var hasMember: [Bool] = []
    private var afterKey = false

    public init(pretty: Bool = false, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    public mutating func finish() -> [UInt8] {
        if pretty { bytes.append(0x0A) }
        defer { bytes = [] }
        return bytes
    }

    /// The bytes written since the last call, handed over so a large document streams out in chunks; the
    /// writer goes on where it was (`finish` then gives the rest).
    public mutating func takeBytes() -> [UInt8] {
        let taken = bytes
        bytes = []
        bytes.reserveCapacity(taken.count)
        return taken
    }

    /// An empty writer in this one's place (same form, depth and open containers, past the first member of the innermost):
    /// what it writes can follow this writer's bytes, appended by `append(_:)`. For a long array encoded in runs on two cores.
    public func continuation() -> JSONWriter {
        var next = JSONWriter(pretty: pretty, capacity: 1 << 16)
        next.depth = depth
        next.hasMember = hasMember
        if !next.hasMember.isEmpty { next.hasMember[next.hasMember.count - 1] = true }
        return next
    }

    /// The bytes of a `continuation()` of this writer, in the place it was made for.
    public mutating func append(_ continued: [UInt8]) {
        if !continued.isEmpty, !hasMember.isEmpty { hasMember[hasMember.count - 1] = true }
        bytes.append(contentsOf: continued)
    }

    // MARK: Containers

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    // MARK: Scalars

    public mutating func null() { separate(); append("null") }
    /// A value already encoded canonically (kept from a file read back), copied as it is.
    public mutating func encoded(_ value: ArraySlice<UInt8>) { separate(); bytes.append(contentsOf: value) }
    public mutating func bool(_ flag: Bool) { separate(); append(flag ? "true" : "false") }
    public mutating func string(_ text: String) { separate(); writeString(text) }
    public mutating func int(_ number: Int) { separate(); append(String(number)) }

    public mutating func number(_ number: Double) {
        separate()
        append(JSONWriter.format(number))
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for name in members.keys.sorted() {
                key(name)
                self.value(members[name]!)
            }
            endObject()
        }
    }

    /// Key and value in one call, for the common case.
    public mutating func field(_ name: String, _ text: String) { key(name); string(text) }
    public mutating func field(_ name: String, _ number: Int) { key(name); int(number) }
    public mutating func field(_ name: String, _ flag: Bool) { key(name); bool(flag) }
    public mutating func field(_ name: String, _ value: JSONValue) { key(name); self.value(value) }

    /// Integers print without a fraction; other numbers in Swift's shortest round-trip form.
    public static func format(_ number: Double) -> String {
        if number.isNaN || number.isInfinite { return "null" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return "\(number)"
    }

    // MARK: Internals

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        depth += 1
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasMember.removeLast()
        depth -= 1
        if pretty && had { newline() }
        bytes.append(bracket)
    }

    /// Writes the comma and indentation that come before a value or key.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard !hasMember.isEmpty else { return }
        if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        if pretty { newline() }
    }

    /// A line break and two spaces a level in one append: a 100k-change plan file has three million lines.
    private mutating func newline() {
        if depth < Self.indents.count {
            bytes.append(contentsOf: Self.indents[depth])
        } else {
            bytes.append(0x0A)
            for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
        }
    }

    private static let indents: [[UInt8]] = (0..<16).map { [0x0A] + [UInt8](repeating: 0x20, count: 2 * $0) }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Runs of bytes that need no escape are appended whole: this writes every string of a 100k-record file. The scan
    /// passes over eight bytes at a time while a word holds no control byte, quote or backslash (`needsEscape`).
    private mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            let count = utf8.count
            var start = 0, index = 0
            while index < count {
                if count - index >= 8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(utf8.baseAddress!).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    if !Self.needsEscape(word) {
                        index += 8
                        continue
                    }
                }
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if index - 1 > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index - 1])) }
                start = index
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(byte)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(JSONWriter.hex[Int(byte >> 4)])
                    bytes.append(JSONWriter.hex[Int(byte & 0x0F)])
                }
            }
            if count > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Whether any of the word's eight bytes is below 0x20, `"` or `\` (the classic "has a byte less than n" and "has a
    /// zero byte" tests: exact about whether one exists, which is all the scan asks).
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs != 0
    }
}
