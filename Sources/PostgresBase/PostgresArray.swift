/// A `text[]` parameter in PostgreSQL's array input syntax, so a list of ids or keys travels as one
/// parameter (`= ANY($1::text[])`) instead of one per value. Every element is quoted: any text is safe.
enum PostgresArray {
    static func literal(_ items: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in item.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
