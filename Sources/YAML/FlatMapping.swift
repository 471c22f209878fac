import ReconCore

/// Reads the YAML most front matter is, a few `key: value` lines, straight to nodes without libyaml: at 100,000
/// files libyaml's events turned into nodes were the largest cost of a cold plan's reading (issue 12).
///
/// Only a narrow subset is taken, ASCII throughout: unindented keys of letters, digits, `_`, `-`, `.` and inner
/// spaces; each value on its own line, a plain scalar or a one-line flow list of plain words. Anything else
/// (quotes, comments, tabs, CR, empty values, nesting, anchors, tags, duplicate keys, non-ASCII) gives nil and
/// the caller takes the full path, so the nodes, their locations and every error are the full path's own.
enum FlatMapping {
    static func read(_ bytes: [UInt8], file: String) -> Node? {
        bytes.withUnsafeBufferPointer { read($0, file: file) }
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> Node? {
        let count = bytes.count
        var pairs: [Node.Pair] = []
        var seen: Set<String> = []
        var line = 1
        var index = 0
        while index < count {
            if bytes[index] == newline {
                line += 1
                index += 1
                continue
            }
            let lineStart = index
            guard isWord(bytes[index]) else { return nil }
            index += 1
            while index < count, isKeyByte(bytes[index]) || (bytes[index] == space && index + 1 < count && isKeyByte(bytes[index + 1])) {
                index += 1
            }
            let key = lineStart..<index
            // libyaml's limit for a simple key; ': ' with a value on the same line, nothing else.
            guard key.count < 1000, index + 1 < count, bytes[index] == colon, bytes[index + 1] == space else { return nil }
            index += 2
            while index < count, bytes[index] == space { index += 1 }
            guard index < count, bytes[index] != newline else { return nil }
            let at = SourceLocation(file: file, line: line, column: index - lineStart + 1)
            let value: Node
            if bytes[index] == openBracket {
                guard let list = flowList(bytes, from: &index, line: line, lineStart: lineStart, at: at) else { return nil }
                value = list
            } else {
                guard let end = plainEnd(bytes, from: index) else { return nil }
                value = Node(.scalar(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self), .plain), at: at)
                index = end
            }
            while index < count, bytes[index] == space { index += 1 }
            guard index == count || bytes[index] == newline else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self)
            // A duplicate is libyaml's path's error to report. A few keys are compared in place; a wide mapping, hashed.
            if pairs.count < 16 {
                guard !pairs.contains(where: { $0.key.scalar == name }) else { return nil }
            } else {
                if seen.isEmpty { seen = Set(pairs.compactMap(\.key.scalar)) }
                guard seen.insert(name).inserted else { return nil }
            }
            pairs.append(Node.Pair(key: Node(.scalar(name, .plain), at: SourceLocation(file: file, line: line, column: 1)), value: value))
        }
        guard let first = pairs.first else { return nil }
        return Node(.mapping(pairs), at: first.key.location)
    }

    /// The end of a block plain scalar that starts at `start` and ends its line; nil when it starts with an
    /// indicator or holds what ends or breaks a plain scalar (`: `, ` #`) or a byte outside printable ASCII.
    private static func plainEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let first = bytes[start]
        guard first > space, first < 0x7F, !indicators.contains(first) || (first == dash && start + 1 < bytes.count && isDigit(bytes[start + 1]))
        else { return nil }
        var end = start + 1
        var index = start + 1
        while index < bytes.count, bytes[index] != newline {
            let byte = bytes[index]
            guard byte >= space, byte < 0x7F else { return nil }
            if byte == colon, index + 1 == bytes.count || bytes[index + 1] == space || bytes[index + 1] == newline { return nil }
            if byte == hash, bytes[index - 1] == space { return nil }
            index += 1
            if byte != space { end = index }
        }
        return end
    }

    /// `[a, b-c, 1.0]` on one line: words of letters, digits and `_ - . / +` (not starting with `-` unless a digit
    /// follows), with inner spaces.
    private static func flowList(_ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int, line: Int, lineStart: Int,
                                 at location: SourceLocation) -> Node? {
        let count = bytes.count
        var items: [Node] = []
        index += 1
        while index < count, bytes[index] == space { index += 1 }
        if index < count, bytes[index] == closeBracket {
            index += 1
            return Node(.sequence([]), at: location)
        }
        while true {
            guard index < count else { return nil }
            let start = index
            let first = bytes[start]
            guard isWord(first) || first == dot || first == slash || first == plus || (first == dash && start + 1 < count && isDigit(bytes[start + 1])) else { return nil }
            index += 1
            while index < count, isItemByte(bytes[index]) || (bytes[index] == space && index + 1 < count && isItemByte(bytes[index + 1])) {
                index += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            items.append(Node(.scalar(text, .plain), at: SourceLocation(file: location.file, line: line, column: start - lineStart + 1)))
            while index < count, bytes[index] == space { index += 1 }
            guard index < count else { return nil }
            if bytes[index] == closeBracket {
                index += 1
                return Node(.sequence(items), at: location)
            }
            guard bytes[index] == comma else { return nil }
            index += 1
            while index < count, bytes[index] == space { index += 1 }
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// What may start a key or a list item: a letter, a digit or `_`.
    private static func isWord(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool { isWord(byte) || byte == dash || byte == dot }

    private static func isItemByte(_ byte: UInt8) -> Bool { isKeyByte(byte) || byte == slash || byte == plus }

    /// The bytes that cannot start a plain scalar (YAML 1.1 §5.3 as libyaml reads it).
    private static let indicators: [UInt8] = Array("-?:,[]{}#&*!|>'\"%@`".utf8)
    private static let newline: UInt8 = 0x0A, space: UInt8 = 0x20, colon: UInt8 = 0x3A, hash: UInt8 = 0x23, dash: UInt8 = 0x2D
    private static let dot: UInt8 = 0x2E, slash: UInt8 = 0x2F, plus: UInt8 = 0x2B, comma: UInt8 = 0x2C
    private static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D
}
