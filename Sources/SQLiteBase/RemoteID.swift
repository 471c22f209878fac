/// Ids in Airtable's shape (`rec`/`tbl`/`fld` + 14 letters and digits), random and then stored,
/// so they never change and read the same as the Airtable provider's.
enum RemoteID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var id = prefix
        for _ in 0..<14 { id.append(alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))]) }
        return id
    }

    static func record() -> String { make("rec") }
    static func table() -> String { make("tbl") }
    static func field() -> String { make("fld") }
}
