import Postgres
import TestSupport
import XCTest

/// PGConnection against the real throwaway server: parameters, names, transactions, errors.
final class PGConnectionTests: XCTestCase {
    private func connect() throws -> PGConnection {
        try PGConnection(PostgresServer.shared().uri())
    }

    private func freshSchema(_ connection: PGConnection, _ name: String) throws {
        try connection.exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(name)) CASCADE")
        try connection.exec("CREATE SCHEMA \(PGIdentifier.quote(name))")
    }

    func testParametersTravelApartFromTheSQLText() throws {
        let connection = try connect()
        let hostile = "'); DROP TABLE pg_class; -- \u{301}\"名"
        let blob: [UInt8] = [0, 1, 0x5C, 0x78, 0xFF, 0x27]
        let result = try connection.exec("SELECT $1::text, $2::bytea, $3::bigint, $4::text IS NULL",
                                          [.text(hostile), .bytes(blob), .integer(-42), .null])
        XCTAssertEqual(result.text(0, 0), hostile)
        XCTAssertEqual(result.bytes(0, 1), blob)
        XCTAssertEqual(result.integer(0, 2), -42)
        XCTAssertEqual(result.text(0, 3), "t")
    }

    func testHostileNamesAreQuotedOverBytes() throws {
        let connection = try connect()
        // A quote followed by a combining mark is one Character: per-Character escaping missed it.
        let schema = "pg \"\u{301}; DROP SCHEMA public; --"
        let table = "Skïlls \"\" 名前"
        try freshSchema(connection, schema)
        let name = "\(PGIdentifier.quote(schema)).\(PGIdentifier.quote(table))"
        try connection.exec("CREATE TABLE \(name) (\(PGIdentifier.quote("Key \"x\"")) text PRIMARY KEY)")
        try connection.exec("INSERT INTO \(name) VALUES ($1)", [.text("a")])
        let found = try connection.exec("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
                                        [.text(schema)])
        XCTAssertEqual(found.rows, [[schema, table]])
        XCTAssertEqual(try connection.exec("SELECT count(*) FROM \(name)").integer(0, 0), 1)
        try connection.exec("DROP SCHEMA \(PGIdentifier.quote(schema)) CASCADE")
    }

    func testNamesPostgreSQLWouldCutOrEndAreRefused() {
        XCTAssertNotNil(PGIdentifier.problem(with: "a\u{0}b"))
        XCTAssertNotNil(PGIdentifier.problem(with: String(repeating: "é", count: 32)))
        XCTAssertNotNil(PGIdentifier.problem(with: ""))
        XCTAssertNil(PGIdentifier.problem(with: "recon \"state\""))
    }

    func testTransactionRollsBackWhenTheBodyThrows() throws {
        let connection = try connect()
        try freshSchema(connection, "recon_tx_test")
        try connection.exec("CREATE TABLE recon_tx_test.t (v text)")
        struct Boom: Error {}
        XCTAssertThrowsError(try connection.transaction {
            try connection.exec("INSERT INTO recon_tx_test.t VALUES ($1)", [.text("lost")])
            throw Boom()
        })
        try connection.transaction { try connection.exec("INSERT INTO recon_tx_test.t VALUES ($1)", [.text("kept")]) }
        XCTAssertEqual(try connection.exec("SELECT v FROM recon_tx_test.t").rows, [["kept"]])
    }

    func testStatementErrorsKeepTheSQLState() throws {
        let connection = try connect()
        XCTAssertThrowsError(try connection.exec("SELECT * FROM no_such_table_here")) { error in
            let failure = error as? PGError
            XCTAssertEqual(failure?.kind, .statement)
            XCTAssertEqual(failure?.sqlState, "42P01")
            XCTAssertTrue(failure?.message.contains("no_such_table_here") == true, "\(error)")
        }
        XCTAssertThrowsError(try connection.exec("SELECT $1::text", [.text("a\u{0}b")])) { error in
            XCTAssertEqual((error as? PGError)?.kind, .parameter)
        }
    }

    // MARK: Secrets

    func testWrongPasswordFailsWithoutTheSecret() throws {
        let server = try PostgresServer.shared()
        let uri = server.uri(password: "Wr0ng-Secret-pw")
        XCTAssertThrowsError(try PGConnection(uri)) { error in
            let text = "\(error)"
            XCTAssertEqual((error as? PGError)?.kind, .connection)
            XCTAssertTrue(text.contains("password authentication failed"), text)
            XCTAssertFalse(text.contains("Wr0ng-Secret-pw"), text)
            XCTAssertFalse(text.contains(uri), text)
        }
    }

    /// libpq echoes a malformed URI, password and all, in its message: it must come out redacted.
    func testMalformedURIsAreNeverEchoed() throws {
        let server = try PostgresServer.shared()
        let secret = "S3cret-pw"
        let uris = [
            "postgresql://recon:\(secret)@[::1/postgres",                              // whole URI echoed
            "postgresql://recon:\(secret)%zz@/postgres?host=\(server.socketDirectory)",    // token echoed
            "postgresql://recon:p%40\(secret)@/postgres?host=\(server.socketDirectory)&bogus=1",
            "postgresql://recon@/postgres?host=\(server.socketDirectory)&password=\(secret)&port=x\(secret)",
            "host=\(server.socketDirectory) user=recon password='\(secret)' port=x\(secret)",
        ]
        for uri in uris {
            XCTAssertThrowsError(try PGConnection(uri), uri) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains(secret), "\(uri) → \(text)")
                XCTAssertFalse(text.contains(uri), "\(uri) → \(text)")
                XCTAssertFalse((error as? PGError)?.message.isEmpty ?? true, text)
            }
        }
    }

    func testServerMessagesDoNotCarryThePassword() throws {
        let server = try PostgresServer.shared()
        // Whatever brings the password into a message (here the server echoing a value), it is removed.
        let connection = try PGConnection(server.uri())
        XCTAssertThrowsError(try connection.exec("SELECT '\(server.password)'::int")) { error in
            XCTAssertFalse("\(error)".contains(server.password), "\(error)")
        }
    }
}
