import Foundation
import PostgresBase
import Remote
import TestSupport
import XCTest

/// A cluster brought back from a physical copy (a volume snapshot, a promoted replica) that then took another
/// write of Recon's has the same oids, serial and log as the base it replaces: its mark must still differ.
final class PostgresSiblingCopyTests: XCTestCase {
    func testABaseReplacedByASiblingCopyDoesNotMatch() throws {
        let server = try PostgresServer.makePrivate()
        func base() -> PostgresBase { PostgresBase(connectionString: server.uri(), schema: "sibling") }
        let table = try base().createTable(TableDefinition(name: "Notes", keyField: "Key", fields: [
            FieldDefinition(name: "Key", type: .singleLineText), FieldDefinition(name: "Body", type: .multilineText)]))
        try base().installChangeTracking(tables: [table])
        _ = try base().upsert([["Key": .text("a")]], in: table, mergeOn: "Key")
        let data = server.directory + "/data", copy = server.directory + "/copy"
        try server.stop()
        try shell("cp", "-a", data, copy)
        try server.start()
        _ = try base().upsert([["Key": .text("b"), "Body": .text("prod")]], in: table, mergeOn: "Key")
        let prod = try XCTUnwrap(try base().changeMark(tables: [table]))

        try server.stop()
        try shell("rm", "-rf", data)
        try shell("mv", copy, data)
        try server.start()
        _ = try base().upsert([["Key": .text("b"), "Body": .text("staging")]], in: table, mergeOn: "Key")
        XCTAssertFalse(try base().isUnchanged(since: prod, tables: [table]), prod.token)
        try server.stop()
    }

    private func shell(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(arguments)")
    }
}
