import Foundation
import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

final class SQLiteFailureTests: XCTestCase {
    func testAFileThatIsNotADatabaseGivesAClearErrorAndIsNotChanged() throws {
        let scratch = TemporaryDirectory()
        let text = String(repeating: "these are notes, not a database\n", count: 200)
        scratch.write(text, to: "notes.sqlite")
        let base = SQLiteBase(path: scratch.file("notes.sqlite"))

        XCTAssertThrowsError(try base.inspectSchema()) { error in
            let error = error as? ReconError
            XCTAssertEqual(error?.message.contains("is not a SQLite database"), true, "\(String(describing: error))")
            XCTAssertEqual(error?.hint?.contains("fix 'database' in the target"), true)
        }
        XCTAssertThrowsError(try base.createTable(Fixtures.plugins))
        XCTAssertEqual(scratch.data("notes.sqlite"), Data(text.utf8))
    }

    func testACorruptDatabaseGivesAClearError() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert((1...300).map { ["Key": .text("k\($0)"), "Description": .text(String(repeating: "x", count: 200))] },
                            in: skills, mergeOn: "Key")
        var bytes = [UInt8](scratch.data("state/catalog.sqlite")!)
        let pageSize = 4096
        for index in pageSize..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: base.path))

        XCTAssertThrowsError(try SQLiteBase(path: base.path).snapshot(tables: ["Agent Skills"])) { error in
            let message = (error as? ReconError)?.description ?? "\(error)"
            XCTAssertTrue(message.contains("is corrupt"), message)
            XCTAssertTrue(message.contains(".recover"), message)
        }
    }

    func testALockedDatabaseSaysSoInsteadOfHanging() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        let other = try Fixtures.rawConnection(base.path)
        try other.execute("BEGIN EXCLUSIVE")
        defer { try? other.execute("ROLLBACK") }
        let blocked = SQLiteBase(path: base.path, busyTimeoutMilliseconds: 50)

        XCTAssertThrowsError(try blocked.upsert([["Key": .text("k")]], in: skills, mergeOn: "Key")) {
            XCTAssertTrue("\($0)".contains("is locked by another connection"), "\($0)")
        }
    }

    func testANewerMetadataFormatIsRefused() throws {
        let scratch = TemporaryDirectory()
        let (base, _, _) = try Fixtures.base(in: scratch)
        try Fixtures.rawConnection(base.path).execute("UPDATE _recon_base SET value = '99' WHERE key = 'format_version'")

        XCTAssertThrowsError(try SQLiteBase(path: base.path).inspectSchema()) {
            XCTAssertTrue("\($0)".contains("written by a newer recon"), "\($0)")
        }
    }

    func testTheBaseIsOneSelfContainedFileAfterWrites() throws {
        let scratch = TemporaryDirectory()
        let (base, _, skills) = try Fixtures.base(in: scratch)
        _ = try base.upsert([["Key": .text("k")]], in: skills, mergeOn: "Key")

        XCTAssertEqual(scratch.list("state"), ["catalog.sqlite"])
    }
}
