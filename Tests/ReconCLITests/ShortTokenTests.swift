import Foundation
import TestSupport
import XCTest

/// Issue 14 review, finding 11e: a token under 4 bytes was never redacted. Tokens under 8 characters
/// are refused before any request, naming the variable and never the value.
final class ShortTokenTests: XCTestCase {
    func testAShortTokenIsRefusedNamingTheVariableNotTheValue() throws {
        let directory = TemporaryDirectory("short-token")
        directory.write("manifests/schema.yaml", """
            target: {provider: airtable, base: appABCDEFGHIJKLMN, token_env: MY_TOKEN, api_url: "http://127.0.0.1:9"}
            tables: [{name: T, key: K, fields: [{name: K, type: singleLineText}]}]
            """)
        for token in ["zQ7", "zQ7x9Wp"] {
            let result = try ReconProcess.run(["plan"], in: directory.path, environment: ["MY_TOKEN": token])
            XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
            XCTAssertTrue(result.stderr.contains("MY_TOKEN"), result.stderr)
            XCTAssertTrue(result.stderr.contains("at least 8"), result.stderr)
            XCTAssertFalse((result.stdout + result.stderr).contains(token), result.stderr)
            XCTAssertFalse(directory.exists("state"), "nothing is written")
        }
    }
}
