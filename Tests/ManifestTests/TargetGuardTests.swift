import Foundation
import ReconCore
import XCTest
@testable import Manifest

/// Issue 14 review: names SQLite would confuse, a `~` Recon does not expand, and an api_url that
/// would carry the token in the clear are refused at validate, at their line and column.
final class TargetGuardTests: XCTestCase {
    private func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try ManifestLoader().load(sources: [("m.yaml", Array(text.utf8))])
            return []
        } catch {
            return error.errors
        }
    }

    /// Finding 11a: `Docs` and `DOCS` passed validate; apply created one and failed on the other.
    func testSQLiteTableNamesThatDifferOnlyInASCIICaseAreRefused() {
        let found = errors("""
            tables:
              - {name: Docs, key: K, fields: [{name: K, type: singleLineText}]}
              - {name: DOCS, key: K, fields: [{name: K, type: singleLineText}]}
            """)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.location?.line, 3)
        XCTAssertEqual(found.first?.location?.file, "m.yaml")
        XCTAssertTrue(found.first?.message.contains("ignoring case") == true, "\(found)")
    }

    func testReservedSQLiteTableAndFieldNamesAreRefusedInAnyCase() {
        for name in ["_RECON_Tables", "_recon_x", "SQLITE_master", "sqlite_x"] {
            let found = errors("tables:\n  - {name: \(name), key: K, fields: [{name: K, type: singleLineText}]}\n")
            XCTAssertEqual(found.count, 1, "\(name): \(found)")
            XCTAssertEqual(found.first?.location?.line, 2, name)
            XCTAssertTrue(found.first?.message.contains("reserved") == true, "\(name): \(found)")
        }
        for name in ["_RECON_ID", "_recon_id"] {
            let found = errors("tables:\n  - name: T\n    key: K\n    fields:\n      - {name: K, type: singleLineText}\n      - {name: \(name), type: number}\n")
            XCTAssertEqual(found.count, 1, "\(name): \(found)")
            XCTAssertEqual(found.first?.location?.line, 6, name)
            XCTAssertTrue(found.first?.message.contains("reserved") == true, "\(name): \(found)")
        }
    }

    func testSQLiteFieldNamesThatDifferOnlyInASCIICaseAreRefused() {
        let found = errors("tables:\n  - name: T\n    key: K\n    fields:\n      - {name: K, type: singleLineText}\n      - {name: Title, type: singleLineText}\n      - {name: TITLE, type: number}\n")
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.location?.line, 7)
        XCTAssertTrue(found.first?.message.contains("ignoring case") == true, "\(found)")
    }

    func testNonASCIICaseVariantsAndAirtableTablesStillLoad() {
        XCTAssertEqual(errors("""
            tables:
              - {name: Émile, key: K, fields: [{name: K, type: singleLineText}, {name: é, type: number}, {name: É, type: number}]}
              - {name: émile, key: K, fields: [{name: K, type: singleLineText}]}
            """).map(\.message), [], "SQLite folds ASCII case only")
    }

    /// Finding 11b: `~/x.sqlite` made a folder named `~` in the working directory.
    func testADatabaseStartingWithATildeIsRefused() {
        for bad in ["~/x.sqlite", "~", "~user/x.sqlite"] {
            let found = errors("target: {provider: sqlite, database: \"\(bad)\"}\n")
            XCTAssertEqual(found.count, 1, "\(bad): \(found)")
            XCTAssertEqual(found.first?.location?.column, 38, bad)
            XCTAssertTrue(found.first?.message.contains("'~'") == true, "\(bad): \(found)")
        }
        XCTAssertEqual(errors("target: {provider: sqlite, database: \"a/~b.sqlite\"}\n").map(\.message), [])
    }

    /// Finding 11d: the token went as a Bearer header to any plain-http host the manifest named.
    func testAPlainHTTPAPIURLIsRefusedUnlessItIsLoopback() {
        let head = "target: {provider: airtable, base: appABCDEFGHIJKLMN, api_url: \""
        for bad in ["http://example.com", "http://10.0.0.1:8080", "http://127.0.0.1.evil.com", "http://localhost.evil.com/x", "ftp://x"] {
            let found = errors(head + bad + "\"}\n")
            XCTAssertEqual(found.count, 1, "\(bad): \(found)")
            XCTAssertEqual(found.first?.location?.line, 1, bad)
            XCTAssertTrue(found.first?.message.contains("api_url") == true, "\(bad): \(found)")
        }
        for good in ["https://api.airtable.com", "https://proxy.example.com:8443/v0", "http://127.0.0.1:8080", "http://localhost:9",
                     "http://[::1]:8080", "http://127.1.2.3"] {
            XCTAssertEqual(errors(head + good + "\"}\n").map(\.message), [], good)
        }
    }
}
