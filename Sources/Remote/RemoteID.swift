/// Ids in Airtable's shape (`rec`/`tbl`/`fld` + 14 letters and digits), random and then stored,
/// so they never change and read the same as the Airtable provider's. Shared by the SQL providers.
public enum RemoteID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let pool = RandomPool()

    /// Two 64-bit draws give 20 base-62 digits; 14 are used. The draws come from a pool the system generator
    /// fills 512 at a time: a `getrandom` per draw cost 200,000 system calls at 100,000 creates (issue 12).
    public static func make(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        bytes.reserveCapacity(bytes.count + 14)
        let draws = pool.next()
        for var bits in [draws.0, draws.1] {
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
