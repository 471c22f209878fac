import ReconCore

/// A file pattern of an extract rule: `*` and `?` within one path segment, `[...]` classes,
/// `**` for any number of whole segments (`**/SKILL.md` also matches `SKILL.md`).
struct GlobPattern: Sendable {
    private enum Segment: Sendable {
        case anyDepth
        case pattern([UInt8])
    }

    private let segments: [Segment]
    let text: String

    init(_ text: String) {
        self.text = text
        segments = PathBytes.components(text).map { part in
            PathBytes.equal(part, "**") ? .anyDepth : .pattern(Array(part.utf8))
        }
    }

    /// Matched over the path's bytes split at `/` (empty parts dropped), without copying the path or allocating its
    /// parts: called for every tree entry and rule (100,000 entries at issue 12's size).
    func matches(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            let slash = UInt8(ascii: "/")
            var count = 1
            for byte in bytes where byte == slash { count += 1 }
            return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: count) { parts in
                var found = 0
                var start = 0
                for index in 0..<bytes.count where bytes[index] == slash {
                    if index > start {
                        parts.initializeElement(at: found, to: start..<index)
                        found += 1
                    }
                    start = index + 1
                }
                if bytes.count > start {
                    parts.initializeElement(at: found, to: start..<bytes.count)
                    found += 1
                }
                return match(segment: 0, part: 0, UnsafeBufferPointer(rebasing: parts[..<found]), in: bytes)
            }
        }
    }

    private func match(segment: Int, part: Int, _ parts: UnsafeBufferPointer<Range<Int>>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if segment == segments.count { return part == parts.count }
        switch segments[segment] {
        case .anyDepth:
            for next in part...parts.count where match(segment: segment + 1, part: next, parts, in: bytes) { return true }
            return false
        case .pattern(let pattern):
            guard part < parts.count, GlobPattern.match(pattern, 0, UnsafeBufferPointer(rebasing: bytes[parts[part]]), 0) else { return false }
            return match(segment: segment + 1, part: part + 1, parts, in: bytes)
        }
    }

    /// Wildcard match of one segment; `*` backtracks, which is fine at path-segment lengths.
    private static func match(_ pattern: [UInt8], _ p: Int, _ name: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        var p = p
        var n = n
        while p < pattern.count {
            switch pattern[p] {
            case UInt8(ascii: "*"):
                while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
                if p == pattern.count { return true }
                for start in n...name.count where match(pattern, p, name, start) { return true }
                return false
            case UInt8(ascii: "?"):
                guard n < name.count else { return false }
            case UInt8(ascii: "["):
                guard n < name.count, let (matched, end) = matchClass(pattern, p, name[n]) else { return false }
                guard matched else { return false }
                p = end
                n += 1
                continue
            case let literal:
                guard n < name.count, name[n] == literal else { return false }
            }
            p += 1
            n += 1
        }
        return n == name.count
    }

    /// Whether `byte` is in the class starting at `pattern[start]` (`[abc]`, `[a-z]`, `[!x]`), and
    /// where the class ends; nil for an unclosed `[`, which then never matches.
    private static func matchClass(_ pattern: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negate = false
        if index < pattern.count, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negate = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count, first || pattern[index] != UInt8(ascii: "]") {
            first = false
            let low = pattern[index]
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if low <= pattern[index + 2], (low...pattern[index + 2]).contains(byte) { matched = true }
                index += 3
            } else {
                if low == byte { matched = true }
                index += 1
            }
        }
        guard index < pattern.count else { return nil }
        return (matched != negate, index + 1)
    }
}
