/// A SQLite base's change mark (`SQLiteChangeLog.mark`), as its parts: the token is text in a seal or a baseline,
/// and hostile input like them, so a token this build did not make parses to nothing.
struct SQLiteChangeMark: Equatable {
    /// Recon's write transactions so far (`_recon_writes.write_serial`).
    var serial: Int
    /// Drawn anew by each of Recon's write transactions.
    var nonce: String
    /// `_recon_changes`' AUTOINCREMENT sequence and row count: only an outside row write moves them.
    var sequence: Int
    var count: Int
    /// `PRAGMA schema_version`: any DDL moves it, Recon's own included.
    var schemaVersion: Int
    /// The table ids marked, sorted and joined by commas.
    var tables: String

    var token: String {
        "sqlite1 serial=\(serial) nonce=\(nonce) seq=\(sequence) count=\(count) schema=\(schemaVersion) tables=\(tables)"
    }
}

extension SQLiteChangeMark {
    /// Nil for anything but a token this build makes.
    init?(token: String) {
        let words = token.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 7, words[0] == "sqlite1" else { return nil }
        func value(_ index: Int, _ name: String) -> String? {
            let word = words[index]
            guard word.hasPrefix(name + "=") else { return nil }
            return String(word.dropFirst(name.count + 1))
        }
        guard let serial = value(1, "serial").flatMap({ Int($0) }), let nonce = value(2, "nonce"),
              let sequence = value(3, "seq").flatMap({ Int($0) }), let count = value(4, "count").flatMap({ Int($0) }),
              let schemaVersion = value(5, "schema").flatMap({ Int($0) }), let tables = value(6, "tables") else { return nil }
        self.init(serial: serial, nonce: nonce, sequence: sequence, count: count, schemaVersion: schemaVersion, tables: tables)
    }
}
