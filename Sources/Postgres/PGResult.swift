import CLibPQ

/// The rows of one statement, copied out of libpq's result (text format).
public struct PGResult: Sendable {
    public let columns: [String]
    /// Row → column → the value as text (`bytea` as `\x` hex), nil for NULL.
    public let rows: [[String?]]
    /// Rows the statement inserted, updated or deleted (`PQcmdTuples`), 0 when it does not say.
    public let affected: Int

    init(_ result: OpaquePointer) {
        let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
        columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
        affected = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    public func text(_ row: Int, _ column: Int) -> String? { rows[row][column] }

    public func integer(_ row: Int, _ column: Int) -> Int? { rows[row][column].flatMap { Int($0) } }

    /// A `bytea` value, decoded from the server's hex output (`\x0a1b...`).
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard let text = rows[row][column] else { return nil }
        let hex = Array(text.utf8.dropFirst(2))
        guard text.hasPrefix("\\x"), hex.count % 2 == 0 else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            bytes.append(Self.nibble(hex[index]) << 4 | Self.nibble(hex[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: byte - UInt8(ascii: "A") + 10
        }
    }
}
