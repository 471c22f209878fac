@testable import Extract
import Foundation
import ReconCore
import TestSupport
import XCTest

/// The exact-commit cache entry carries its own checksum: when it verifies, the stored content hashes are
/// trusted (no re-hash per record); when it does not, the entry is read the slow way and every record re-hashed.
final class ExtractCacheChecksumTests: XCTestCase {
    private let state = TemporaryDirectory("recon-cache-checksum")
    private var cache: FileExtractCache { FileExtractCache(stateDirectory: state.path) }

    private func entry() -> CachedExtraction {
        let provenance = Provenance(repo: "core", path: "skills/é/SKILL.md", sourceCommit: String(repeating: "b", count: 40))
        let records = [
            DesiredRecord(table: "Skills", key: "core:skills/é", fields: [
                "Name": .text("quote \" backslash \\ tab \t newline \n emoji 🧪 e\u{301}"), "Count": .number(-12.5),
                "Big": .number(1e300), "Enabled": .bool(true), "Off": .bool(false), "Empty": .text(""),
                "Tags": .list(["a", "b\"c"]), "None": .list([]),
            ], provenance: provenance),
            DesiredRecord(table: "Plugins", key: "core:plugins/alpha", fields: [:], provenance: provenance),
        ]
        let diagnostics = [
            Diagnostic(.warning, at: SourceLocation(file: "skills/é/SKILL.md", line: 3, column: 7), "odd \"value\"", hint: "fix it"),
            Diagnostic(.note, at: nil, "a note"),
        ]
        return CachedExtraction(repo: "core", commit: String(repeating: "a", count: 40), fingerprint: "fp", records: records,
                                diagnostics: diagnostics, sources: [CachedSource(path: "skills/é/SKILL.md", blob: String(repeating: "c", count: 40))])
    }

    private func bytes() throws -> [UInt8] {
        [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: cache.path(for: "core"))))
    }

    private func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: cache.path(for: "core")))
    }

    /// The entry with its checksum recomputed the way the format defines it: SHA-256 of the entry without it.
    private func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let prefix = Array(#"{"checksum":""#.utf8), body = Array(bytes[(prefix.count + 66)...])
        return prefix + Array(SHA256.hex([UInt8(ascii: "{")] + body).utf8) + Array(#"","#.utf8) + body
    }

    private func replacing(_ old: String, with new: String, in bytes: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains(old))
        return Array(text.replacingOccurrences(of: old, with: new).utf8)
    }

    private func load(_ stored: CachedExtraction) -> CachedExtraction? {
        cache.load(repo: stored.repo, commit: stored.commit, fingerprint: stored.fingerprint)
    }

    func testAStoredEntryStartsWithItsChecksumAndLoadsBackEqual() throws {
        let stored = entry()
        try cache.store(stored)
        XCTAssertTrue(try bytes().starts(with: Array(#"{"checksum":""#.utf8)))
        XCTAssertTrue(try resealed(bytes()) == bytes(), "the checksum covers the entry without itself")
        XCTAssertEqual(load(stored), stored)
        XCTAssertNil(cache.load(repo: "core", commit: String(repeating: "d", count: 40), fingerprint: "fp"), "another commit")
        XCTAssertNil(cache.load(repo: "core", commit: stored.commit, fingerprint: "other"), "another fingerprint")
    }

    /// The entry is streamed to its file in chunks with the checksum patched in front: any chunk size gives the same
    /// bytes, sealed or not, and they verify.
    func testAnEntryStreamedInSmallChunksIsTheSameFile() throws {
        for vouched in [false, true] {
            var stored = entry()
            stored.vouched = vouched
            stored.records += (0..<50).map { index in
                DesiredRecord(table: "Skills", key: "core:skills/s\(index)", fields: ["Name": .text(String(repeating: "n", count: index))],
                              provenance: Provenance(repo: "core", path: "skills/s\(index)/SKILL.md", sourceCommit: String(repeating: "b", count: 40)))
            }
            try cache.store(stored)
            let whole = try bytes()
            for chunkSize in [1, 7, 300] {
                try cache.store(stored, chunkSize: chunkSize)
                XCTAssertTrue(try bytes() == whole, "chunks of \(chunkSize), vouched \(vouched)")
            }
            XCTAssertEqual(load(stored)?.vouched, vouched)
            XCTAssertEqual(load(stored)?.records, stored.records)
            if !vouched { XCTAssertTrue(resealed(whole) == whole, "the checksum covers the entry without itself") }
        }
    }

    func testAVerifiedChecksumVouchesForTheStoredHashes() throws {
        let stored = entry()
        try cache.store(stored)
        // A value edited and the checksum recomputed, the record's own hash left alone: trusted as stored,
        // which shows no record was re-hashed (the tree checks and the re-read before a write guard the rest).
        try write(resealed(try replacing("a note", with: "b note", in: try bytes())))
        XCTAssertEqual(load(stored)?.diagnostics.last?.message, "b note")
        try write(resealed(try replacing(#""Tags":["a","b\"c"]"#, with: #""Tags":["a","b\"d"]"#, in: try bytes())))
        let loaded = try XCTUnwrap(load(stored))
        XCTAssertEqual(loaded.records.first?.fields["Tags"], .list(["a", "b\"d"]))
        XCTAssertEqual(loaded.records.first?.contentHash, stored.records.first?.contentHash)
    }

    func testAnEntryWhoseChecksumDoesNotVerifyIsReHashedRecordByRecord() throws {
        let stored = entry()
        try cache.store(stored)
        let edited = try replacing(#""Tags":["a","b\"c"]"#, with: #""Tags":["a","b\"d"]"#, in: try bytes())
        try write(edited)
        XCTAssertNil(load(stored), "a record whose hash no longer matches its fields is a miss")

        // Hashes recomputed too (a careful edit): the slow path answers, as before the checksum existed.
        var records = stored.records
        records[0] = DesiredRecord(table: records[0].table, key: records[0].key,
                                   fields: records[0].fields.merging(["Tags": .list(["a", "b\"d"])]) { $1 },
                                   provenance: records[0].provenance)
        let rehashed = try replacing(stored.records[0].contentHash, with: records[0].contentHash, in: edited)
        try write(rehashed)
        XCTAssertEqual(load(stored)?.records, records)
    }

    func testAnEntryWithoutAChecksumStillAnswers() throws {
        let stored = entry()
        try cache.store(stored)
        var members = try XCTUnwrap(JSONParser.parse(try bytes()).objectValue)
        members["checksum"] = nil
        try write(JSONValue.object(members).canonicalBytes())
        XCTAssertTrue(try bytes().starts(with: Array(#"{"commit":""#.utf8)))
        XCTAssertEqual(load(stored), stored)
        try write([])
        XCTAssertNil(load(stored), "an empty file is a miss")
    }
}
