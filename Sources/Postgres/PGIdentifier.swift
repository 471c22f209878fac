/// Quoting for PostgreSQL names (schemas, tables), which may come from the manifests or a
/// target id: quotes, spaces, keywords and any Unicode are allowed.
///
/// Works on UTF-8 bytes, never on `Character`s: a quote followed by a combining mark is one
/// Character that is not equal to `"`, so per-Character escaping would let it end the identifier.
public enum PGIdentifier {
    private static let quoteByte = UInt8(ascii: "\"")

    public static func quote(_ name: String) -> String {
        var quoted: [UInt8] = [quoteByte]
        quoted.reserveCapacity(name.utf8.count + 2)
        for byte in name.utf8 {
            quoted.append(byte)
            if byte == quoteByte { quoted.append(quoteByte) }
        }
        quoted.append(quoteByte)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Why `name` cannot be a PostgreSQL name, or nil. SQL text is a C string (a NUL would end it),
    /// and the server cuts names at 63 bytes, which would silently merge two long names.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.contains(0) { return "holds a NUL character, which PostgreSQL cannot store in a name" }
        if name.utf8.count > maxBytes { return "is \(name.utf8.count) bytes long; PostgreSQL names hold at most \(maxBytes)" }
        return nil
    }

    public static let maxBytes = 63
}
