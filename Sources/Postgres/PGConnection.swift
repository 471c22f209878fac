import CLibPQ
import Foundation

/// One libpq connection. Values go only as parameters (`PQexecParams`); names only through
/// `PGIdentifier.quote`. Errors are `PGError`s with the connection's secrets redacted.
/// Not thread-safe: one connection per thread, as libpq requires.
public final class PGConnection {
    private var handle: OpaquePointer?
    private let redactor: PGRedactor

    /// Connects with a libpq URI (`postgresql://user:password@host/db?host=/socket/dir`) or
    /// key=value string. Never put the string itself in a message: it may hold a password.
    public init(_ connectionString: String) throws(PGError) {
        redactor = PGRedactor(connectionString: connectionString)
        let keywords = ["dbname", "client_encoding", "fallback_application_name"]
        let values = [connectionString, "UTF8", "recon"]
        let connection = Self.withCStrings(keywords) { keys in
            Self.withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw PGError(.connection, "libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = redactor.clean(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw PGError(.connection, Self.trimmed(message))
        }
        // Notices (`NOTICE: ... does not exist, skipping`) are chatter, not for the user's terminal.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit { close() }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// The server process serving this connection (what `pg_terminate_backend` takes).
    public var backendPID: Int { handle.map { Int(PQbackendPID($0)) } ?? 0 }

    /// Runs one statement with `parameters` bound to `$1`, `$2`...
    @discardableResult
    public func exec(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        guard let handle else { throw PGError(.connection, "the connection is closed") }
        var texts: [String?] = []
        var formats: [Int32] = []
        var lengths: [Int32] = []
        var blobs: [[UInt8]] = []
        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .text(let text):
                guard !text.utf8.contains(0) else {
                    throw PGError(.parameter, "parameter $\(index + 1) holds a NUL character, which PostgreSQL text cannot store")
                }
                texts.append(text); formats.append(0); lengths.append(0); blobs.append([])
            case .integer(let value):
                texts.append(String(value)); formats.append(0); lengths.append(0); blobs.append([])
            case .bytes(let bytes):
                texts.append(nil); formats.append(1); lengths.append(Int32(bytes.count)); blobs.append(bytes)
            case .null:
                texts.append(nil); formats.append(0); lengths.append(0); blobs.append([])
            }
        }
        let result: OpaquePointer? = Self.withParameterPointers(parameters, texts: texts, blobs: blobs) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, lengths, formats, 0)
        }
        guard let result else {
            throw PGError(.connection, Self.trimmed(redactor.clean(String(cString: PQerrorMessage(handle)))))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PGResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = Self.trimmed(redactor.clean(String(cString: PQresultErrorMessage(result))))
            let lost = PQstatus(handle) != CONNECTION_OK
            throw PGError(lost ? .connection : .statement, message, sqlState: state)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try exec("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            _ = try? exec("ROLLBACK")
            throw error
        }
        try exec("COMMIT")
        return value
    }

    // MARK: Internals

    static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) } + [nil])
    }

    private static func withParameterPointers<R>(_ parameters: [PGValue], texts: [String?], blobs: [[UInt8]],
                                                 _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var owned: [UnsafeMutableRawPointer?] = []
        defer { owned.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = []
        for index in parameters.indices {
            if let text = texts[index] {
                let copy = strdup(text)
                owned.append(UnsafeMutableRawPointer(copy))
                pointers.append(UnsafePointer(copy))
            } else if case .bytes = parameters[index] {
                let blob = blobs[index]
                let copy = malloc(max(blob.count, 1))!
                blob.withUnsafeBytes { if let base = $0.baseAddress { copy.copyMemory(from: base, byteCount: blob.count) } }
                owned.append(copy)
                pointers.append(UnsafePointer(copy.assumingMemoryBound(to: CChar.self)))
            } else {
                pointers.append(nil)
            }
        }
        return body(pointers)
    }
}
