import ReconCore

/// Quoting for PostgreSQL names (schemas, tables), which may come from the manifests or a
/// target id: over UTF-8 bytes (`QuotedIdentifier`),
/// plus what this database cannot hold in a name.
public enum PGIdentifier {
    public static func quote(_ name: String) -> String { QuotedIdentifier.quote(name) }

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
