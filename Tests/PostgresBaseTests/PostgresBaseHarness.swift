import Foundation
import Postgres
import PostgresBase
import Remote
import TestSupport
import XCTest

/// A fresh base schema on the shared test cluster, dropped (with its metadata schema) at the end.
class PostgresBaseTestCase: XCTestCase {
    private(set) var schema = ""
    private(set) var uri = ""

    override func setUpWithError() throws {
        schema = "pgbase_\(UUID().uuidString.prefix(8).lowercased())"
        uri = try PostgresServer.shared().uri()
    }

    override func tearDownWithError() throws {
        guard !uri.isEmpty else { return }
        let connection = try PGConnection(uri)
        for name in [schema, schema + "_recon"] { try connection.exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(name)) CASCADE") }
    }

    func provider(batch: Int = PostgresBase.defaultMaxRecordsPerBatch) -> PostgresBase {
        PostgresBase(connectionString: uri, schema: schema, maxRecordsPerBatch: batch)
    }

    func connection() throws -> PGConnection { try PGConnection(uri) }

    /// `schema."name"`.
    func qualified(_ name: String) -> String { "\(PGIdentifier.quote(schema)).\(PGIdentifier.quote(name))" }

    /// Column name → `format_type`, in column order.
    func columnTypes(_ table: String) throws -> [[String?]] {
        try connection().exec("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.text(schema), .text(table)]).rows
    }

    static let every = TableDefinition(name: "Every", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText),
        FieldDefinition(name: "Body", type: .multilineText),
        FieldDefinition(name: "Score", type: .number, precision: 2),
        FieldDefinition(name: "Ready", type: .checkbox),
        FieldDefinition(name: "Day", type: .date),
        FieldDefinition(name: "At", type: .dateTime),
        FieldDefinition(name: "Status", type: .singleSelect, choices: ["Draft", "Published"]),
        FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["a", "b"]),
        FieldDefinition(name: "Links", type: .multipleRecordLinks, linkedTable: "Every"),
    ])
}
