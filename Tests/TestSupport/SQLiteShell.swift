import Foundation
import XCTest

/// The sqlite3 program: a writer that is not Recon, as a person or another tool edits the base.
public enum SQLiteShell {
    /// Runs `sql` on `database`; a failed statement fails the test, with sqlite3's message.
    public static func run(_ sql: String, on database: String, file: StaticString = #filePath, line: UInt = #line) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database, sql]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return XCTFail("sqlite3: \(error)", file: file, line: line) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, sql + ": " + message, file: file, line: line)
    }
}
