/// A statement parameter. Values always travel as parameters (`$1`, `$2`...), never in SQL text.
public enum PGValue: Sendable, Equatable {
    case text(String)
    /// Sent in binary format, for `bytea` columns: any bytes, NUL included.
    case bytes([UInt8])
    case integer(Int)
    case null
}
