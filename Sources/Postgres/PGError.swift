/// A PostgreSQL failure. The message is libpq's or the server's with every secret of the
/// connection URI removed (libpq can echo the URI or its password), and never holds the URI.
public struct PGError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The connection could not be made or was lost.
        case connection
        /// The server refused or failed a statement.
        case statement
        /// A parameter or name could not be sent (a NUL in text, an over-long name).
        case parameter
    }

    public var kind: Kind
    /// The five-character SQLSTATE the server gave, when it gave one (`28P01`: wrong password).
    public var sqlState: String?
    public var message: String

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        let code = sqlState.map { " [\($0)]" } ?? ""
        return "PostgreSQL \(kind.rawValue) error\(code): \(message)"
    }
}
