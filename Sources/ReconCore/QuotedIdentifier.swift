/// A SQL identifier in double quotes, as SQLite and PostgreSQL both read it: any name (quotes, spaces,
/// keywords, any Unicode) becomes exactly that identifier.
///
/// Works on UTF-8 bytes, never on `Character`s: a quote followed by a combining mark is one
/// Character that is not equal to `"`, so per-Character escaping let it end the identifier.
public enum QuotedIdentifier {
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
}
