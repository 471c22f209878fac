/// Paths as git and Linux see them: bytes. `String` splits by Character and compares by canonical
/// equivalence, so a `/` followed by a combining mark is no separator there, and "café" (NFC) equals
/// "cafe\u{301}" (NFD), which is another folder on disk. Path splits and confinement checks use these.
public enum PathBytes {
    private static let slash = UInt8(ascii: "/")

    /// True when the two paths are the same bytes.
    public static func equal(_ left: String, _ right: String) -> Bool {
        left.utf8.elementsEqual(right.utf8)
    }

    /// True when `path` starts with a `/` byte.
    public static func isAbsolute(_ path: String) -> Bool {
        path.utf8.first == slash
    }

    /// The text before the first `/` byte and after it; nil when there is none.
    public static func splitFirst(_ path: String) -> (head: String, tail: String)? {
        guard let index = path.utf8.firstIndex(of: slash) else { return nil }
        return (text(path.utf8[..<index]), text(path.utf8[path.utf8.index(after: index)...]))
    }

    /// The text before the last `/` byte and after it; nil when there is none.
    public static func splitLast(_ path: String) -> (head: String, tail: String)? {
        guard let index = path.utf8.lastIndex(of: slash) else { return nil }
        return (text(path.utf8[..<index]), text(path.utf8[path.utf8.index(after: index)...]))
    }

    /// The parts between `/` bytes, empty ones left out.
    public static func components(_ path: String) -> [String] {
        path.utf8.split(separator: slash).map(text)
    }

    /// What follows `folder` and a `/` in `path` ("" for `path` equal to `folder` + "/"); nil when
    /// `path` is not spelled below `folder`. A trailing `/` on `folder` is ignored, so "/" holds every absolute path.
    public static func relative(_ path: String, below folder: String) -> String? {
        var base = folder.utf8[...]
        if base.last == slash { base = base.dropLast() }
        let bytes = path.utf8
        guard bytes.count > base.count, bytes.starts(with: base),
              bytes[bytes.index(bytes.startIndex, offsetBy: base.count)] == slash else { return nil }
        return text(bytes.dropFirst(base.count + 1))
    }

    /// True when `path` lies strictly below `folder`, byte for byte.
    public static func isBelow(_ path: String, _ folder: String) -> Bool {
        relative(path, below: folder).map { !$0.isEmpty } ?? false
    }

    private static func text(_ bytes: Substring.UTF8View) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
