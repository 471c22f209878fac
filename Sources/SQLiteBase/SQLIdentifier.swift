import ReconCore

/// Quoting for table and column names, which come straight from the manifests
/// (spaces, quotes, keywords are all allowed there): over UTF-8 bytes (`QuotedIdentifier`),
/// plus what this database cannot hold in a name.
enum SQLIdentifier {
    static func quote(_ name: String) -> String { QuotedIdentifier.quote(name) }

    /// Why `name` cannot be a SQLite name, or nil: SQL text is a C string, so a NUL would end it.
    static func problem(with name: String) -> String? {
        name.utf8.contains(0) ? "holds a NUL character, which SQLite cannot store in a name" : nil
    }
}
