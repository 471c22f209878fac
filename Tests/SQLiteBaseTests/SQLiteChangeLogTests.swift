import Foundation
import ReconCore
import Remote
@testable import SQLiteBase
import TestSupport
import XCTest

/// The change log that lets a no-op run skip reading the records (issue 12): Recon's writes are not logged, every
/// write from another program is, and the mark changes with either.
final class SQLiteChangeLogTests: XCTestCase {
    /// Kept for the whole test: a folder is removed when its last reference goes.
    private var folders: [TemporaryDirectory] = []

    private func tracked() throws -> (TemporaryDirectory, SQLiteBase, RemoteTable, RemoteTable) {
        let scratch = TemporaryDirectory("changelog")
        folders.append(scratch)
        let (base, plugins, skills) = try Fixtures.base(in: scratch)
        try base.installChangeTracking(tables: [plugins, skills])
        _ = try base.upsert([["Key": .text("alpha"), "Name": .text("Alpha")]], in: plugins, mergeOn: "Key")
        return (scratch, base, plugins, skills)
    }

    /// The sqlite3 program: a writer that is not Recon.
    private func outside(_ path: String, _ sql: String, line: UInt = #line) {
        SQLiteShell.run(sql, on: path, line: line)
    }

    private func mark(_ path: String, _ tables: [RemoteTable]) throws -> ChangeMark? {
        try SQLiteBase(path: path).changeMark(tables: tables)
    }

    func testReconsOwnWritesAreNotLoggedButMoveTheMark() throws {
        let (scratch, base, plugins, skills) = try tracked()
        let before = try XCTUnwrap(try mark(base.path, [plugins, skills]))
        XCTAssertEqual(try mark(base.path, [plugins, skills]), before, "reading moves nothing")
        let written = try base.upsert([["Key": .text("beta"), "Name": .text("Beta")]], in: plugins, mergeOn: "Key")
        try base.delete([written[0].record.id], in: plugins)
        XCTAssertNotEqual(try mark(base.path, [plugins, skills]), before)
        let probe = SQLiteBase(path: scratch.file("state/catalog.sqlite"))
        XCTAssertEqual(try probe.changeMark(tables: [plugins, skills])?.token.contains("count=0"), true, "no row in _recon_changes")
    }

    func testEveryOutsideWriteAndSchemaChangeMovesTheMark() throws {
        for sql in [#"INSERT INTO "Plugins" ("_recon_id", "Key", "Name") VALUES ('recX', 'gamma', 'Gamma')"#,
                    #"UPDATE "Plugins" SET "Name" = 'Changed'"#,
                    #"DELETE FROM "Plugins""#,
                    #"ALTER TABLE "Plugins" ADD COLUMN "Extra" TEXT"#] {
            let (_, base, plugins, skills) = try tracked()
            let before = try XCTUnwrap(try mark(base.path, [plugins, skills]))
            XCTAssertEqual(try base.isUnchanged(since: before, tables: [plugins, skills]), true)
            outside(base.path, sql)
            XCTAssertEqual(try SQLiteBase(path: base.path).isUnchanged(since: before, tables: [plugins, skills]), false, sql)
        }
    }

    /// An apply's window: its own record writes move the mark but are its own; a row another program writes, a schema
    /// change (DDL logs no row) and the base replaced by a copy are not.
    func testOnlyThisBasesOwnRecordWritesKeepAMarkSinceAnother() throws {
        let cases: [(String, (String) -> Void)] = [
            ("an outside insert", { self.outside($0, #"INSERT INTO "Plugins" ("_recon_id", "Key", "Name") VALUES ('recX', 'gamma', 'Gamma')"#) }),
            ("an outside update", { self.outside($0, #"UPDATE "Plugins" SET "Name" = 'Changed'"#) }),
            ("an outside delete", { self.outside($0, #"DELETE FROM "Plugins""#) }),
            ("a column dropped and added again", {
                self.outside($0, #"ALTER TABLE "Plugins" DROP COLUMN "Name"; ALTER TABLE "Plugins" ADD COLUMN "Name" TEXT"#)
            }),
        ]
        for (what, write) in cases {
            let (_, base, plugins, skills) = try tracked()
            let before = try XCTUnwrap(try mark(base.path, [plugins, skills]))
            let written = try base.upsert([["Key": .text("beta"), "Name": .text("Beta")]], in: plugins, mergeOn: "Key")
            try base.delete([written[0].record.id], in: plugins)
            XCTAssertEqual(try base.isUnchanged(since: before, tables: [plugins, skills]), false, "Recon's writes move the mark")
            let after = try XCTUnwrap(try base.markAfterOwnWrites(since: before, tables: [plugins, skills]), "only its own writes")
            XCTAssertEqual(after, try mark(base.path, [plugins, skills]))
            write(base.path)
            XCTAssertNil(try base.markAfterOwnWrites(since: before, tables: [plugins, skills]), what)
        }
        let (scratch, base, plugins, skills) = try tracked()
        let before = try XCTUnwrap(try mark(base.path, [plugins, skills]))
        let copy = scratch.file("copy.sqlite")
        try FileManager.default.copyItem(atPath: base.path, toPath: copy)
        _ = try base.upsert([["Key": .text("beta"), "Name": .text("Beta")]], in: plugins, mergeOn: "Key")
        XCTAssertNotNil(try base.markAfterOwnWrites(since: before, tables: [plugins, skills]), "control: its own write")
        XCTAssertNil(try SQLiteBase(path: base.path).markAfterOwnWrites(since: before, tables: [plugins, skills]),
                     "another connection did not make that write")
        try Data(contentsOf: URL(fileURLWithPath: copy)).write(to: URL(fileURLWithPath: base.path))
        XCTAssertNil(try base.markAfterOwnWrites(since: before, tables: [plugins, skills]), "the base replaced by a copy from before")
        XCTAssertNil(try base.markAfterOwnWrites(since: ChangeMark(token: "sqlite0 seq=0 count=0"), tables: [plugins, skills]),
                     "a mark this build did not make vouches for nothing")
    }

    func testATableWithoutItsTriggersHasNoMark() throws {
        let (_, base, plugins, skills) = try tracked()
        outside(base.path, "DROP TRIGGER \"_recon_log_\(skills.id)_update\"")
        XCTAssertNil(try mark(base.path, [plugins, skills]))
        let other = TemporaryDirectory("changelog-none")
        folders.append(other)
        let untracked = try Fixtures.base(in: other)
        XCTAssertNil(try untracked.0.changeMark(tables: [untracked.plugins]), "before install: nothing to vouch with")
        try base.installChangeTracking(tables: [plugins, skills])
        XCTAssertNotNil(try mark(base.path, [plugins, skills]), "install puts the trigger back")
    }

    func testAnOlderCopyOfTheBaseDoesNotMatch() throws {
        let (scratch, base, plugins, skills) = try tracked()
        let copy = scratch.file("older.sqlite")
        try FileManager.default.copyItem(atPath: base.path, toPath: copy)
        _ = try base.upsert([["Key": .text("beta"), "Name": .text("Beta")]], in: plugins, mergeOn: "Key")
        let now = try XCTUnwrap(try mark(base.path, [plugins, skills]))
        try FileManager.default.removeItem(atPath: base.path)
        try FileManager.default.copyItem(atPath: copy, toPath: base.path)
        XCTAssertEqual(try SQLiteBase(path: base.path).isUnchanged(since: now, tables: [plugins, skills]), false)
    }

    /// Two copies of one file, each written once by Recon: same serial, log and schema, but not the same mark.
    func testASiblingCopyOfTheBaseDoesNotMatch() throws {
        let (scratch, base, plugins, skills) = try tracked()
        let copy = scratch.file("sibling.sqlite")
        try FileManager.default.copyItem(atPath: base.path, toPath: copy)
        _ = try base.upsert([["Key": .text("beta"), "Name": .text("Prod")]], in: plugins, mergeOn: "Key")
        _ = try SQLiteBase(path: copy).upsert([["Key": .text("beta"), "Name": .text("Staging")]], in: plugins, mergeOn: "Key")
        let now = try XCTUnwrap(try mark(base.path, [plugins, skills]))
        try FileManager.default.removeItem(atPath: base.path)
        try FileManager.default.copyItem(atPath: copy, toPath: base.path)
        XCTAssertEqual(try SQLiteBase(path: base.path).isUnchanged(since: now, tables: [plugins, skills]), false)
    }

    /// A log made before the nonce: no mark (so no seal), Recon's writes still unlogged, until install adds it.
    func testALogWithoutItsNonceHasNoMarkUntilInstalledAgain() throws {
        let (_, base, plugins, skills) = try tracked()
        outside(base.path, "ALTER TABLE _recon_writes DROP COLUMN nonce")
        XCTAssertNil(try mark(base.path, [plugins, skills]))
        let earlier = SQLiteBase(path: base.path)
        _ = try earlier.upsert([["Key": .text("beta"), "Name": .text("Beta")]], in: plugins, mergeOn: "Key")
        XCTAssertNil(try mark(base.path, [plugins, skills]))
        try earlier.installChangeTracking(tables: [plugins, skills])
        let token = try XCTUnwrap(try mark(base.path, [plugins, skills])?.token)
        XCTAssertTrue(token.contains("count=0"), "Recon's write before the migration was not logged: \(token)")
        XCTAssertNotNil(token.range(of: #"nonce=[0-9a-f]{32} "#, options: .regularExpression), token)
        try earlier.installChangeTracking(tables: [plugins, skills])
        XCTAssertEqual(try mark(base.path, [plugins, skills])?.token, token, "installed: a second install writes nothing")
    }

    /// The log's triggers write only `_recon_changes`: a tracked table keeps the bulk path (no read-back per row).
    func testATrackedTableIsStillWrittenWithoutReadingRowsBack() throws {
        let (_, base, plugins, skills) = try tracked()
        let plugin = try base.upsert([["Key": .text("p")]], in: plugins, mergeOn: "Key")[0].record.id
        let before = base.statementRuns()
        let batch = (0..<200).map { Fixtures.fullSkill(key: "core:s\($0)", plugin: plugin) }
        XCTAssertTrue(try base.upsert(batch, in: skills, mergeOn: "Key").allSatisfy(\.created))
        let runs = base.statementRuns().merging(before) { $0 - $1 }.filter { $0.value > 0 }
        XCTAssertFalse(runs.keys.contains { $0.contains("RETURNING") }, "a create reads its row back: \(runs.keys)")
        XCTAssertLessThanOrEqual(runs.filter { !$0.key.hasPrefix("INSERT") }.values.reduce(0, +), 5, "per-row statements: \(runs)")
    }

    func testTriggersFollowARenameMadeInTheBase() throws {
        let (_, base, plugins, skills) = try tracked()
        outside(base.path, #"ALTER TABLE "Plugins" RENAME TO "Renamed""#)
        outside(base.path, #"UPDATE "Renamed" SET "Name" = 'x'"#)
        let log = Process()
        log.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        log.arguments = ["sqlite3", base.path, "SELECT op FROM _recon_changes"]
        let pipe = Pipe()
        log.standardOutput = pipe
        try log.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        log.waitUntilExit()
        XCTAssertEqual(output, "update\n", "the trigger moved with the table and logged the outside write")
        _ = skills
        _ = plugins
    }
}
