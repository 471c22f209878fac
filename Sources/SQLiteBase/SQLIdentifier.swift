/// Quoting for table and column names, which come straight from the manifests
/// (spaces, quotes, keywords are all allowed there).
///
/// Works on UTF-8 bytes, never on `Character`s: a quote followed by a combining mark is one
/// Character that is not equal to `"`, so per-Character escaping let it end the identifier.
enum SQLIdentifier {
    private static let quoteByte = UInt8(ascii: "\"")

    static func quote(_ name: String) -> String {
        var quoted: [UInt8] = [quoteByte]
        quoted.reserveCapacity(name.utf8.count + 2)
        for byte in name.utf8 {
            quoted.append(byte)
            if byte == quoteByte { quoted.append(quoteByte) }
        }
        quoted.append(quoteByte)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Why `name` cannot be a SQLite name, or nil: SQL text is a C string, so a NUL would end it.
    static func problem(with name: String) -> String? {
        name.utf8.contains(0) ? "holds a NUL character, which SQLite cannot store in a name" : nil
    }
}
