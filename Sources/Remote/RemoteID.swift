/// Ids in Airtable's shape (`rec`/`tbl`/`fld` + 14 letters and digits), random and then stored,
/// so they never change and read the same as the Airtable provider's. Shared by the SQL providers.
public enum RemoteID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Two 64-bit draws give 20 base-62 digits; 14 are used. (One draw per character would cost a
    /// system call each at 100,000 records.)
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array(prefix.utf8)
        for _ in 0..<2 {
            var bits: UInt64 = generator.next()
            for _ in 0..<7 {
                bytes.append(alphabet[Int(bits % 62)])
                bits /= 62
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func record() -> String { make("rec") }
    public static func table() -> String { make("tbl") }
    public static func field() -> String { make("fld") }
}
