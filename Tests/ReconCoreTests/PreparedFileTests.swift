import Foundation
import ReconCore
import TestSupport
import XCTest

/// A file written aside replaces its target only on `commit`; discarded or dropped, it leaves the target as it was.
final class PreparedFileTests: XCTestCase {
    private let folder = TemporaryDirectory("recon-prepared")

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private var listing: [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? [] }

    func testCommitPutsTheFileInPlacePrivately() throws {
        let path = folder.path + "/cache/one.json"
        let prepared = try PrivateFile.prepare(path) { put in try put(Array("new".utf8)) }
        XCTAssertNil(contents(path), "nothing is in place before the commit")
        try prepared.commit()
        XCTAssertEqual(contents(path), "new")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/cache"), ["one.json"], "no temp file is left")
    }

    func testDiscardAndDroppingLeaveTheTargetAsItWas() throws {
        let path = folder.path + "/one.json"
        try PrivateFile.write(Array("old".utf8), to: path)
        let discarded = try PrivateFile.prepare(path) { put in try put(Array("new".utf8)) }
        XCTAssertEqual(listing.count, 2, "the new bytes are written aside")
        discarded.discard()
        XCTAssertEqual(contents(path), "old")
        XCTAssertEqual(listing, ["one.json"])
        try discarded.commit()
        XCTAssertEqual(contents(path), "old", "a discarded file cannot be committed after")

        do { _ = try PrivateFile.prepare(path) { put in try put(Array("dropped".utf8)) } }
        XCTAssertEqual(contents(path), "old")
        XCTAssertEqual(listing, ["one.json"], "a prepared file dropped unsettled is removed")
    }

    func testFoldersMadeForADiscardedFileAreTakenBack() throws {
        let path = folder.path + "/state/cache/extract/one.files.json"
        try PrivateFile.prepare(path) { put in try put(Array("new".utf8)) }.discard()
        XCTAssertEqual(listing, [], "state/cache/extract was made for the file and is removed with it")

        try PrivateFile.createDirectory(folder.path + "/state")
        try PrivateFile.write(Array("kept".utf8), to: folder.path + "/state/other")
        try PrivateFile.prepare(path) { put in try put(Array("new".utf8)) }.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/state"), ["other"], "a folder that was there stays")
    }

    func testAFolderThatCannotBeMadeTakesBackItsParents() {
        let path = folder.path + "/new/" + String(repeating: "a", count: 300) + "/one.json"
        XCTAssertThrowsError(try PrivateFile.prepare(path) { put in try put(Array("new".utf8)) })
        XCTAssertEqual(listing, [], "'new' was made on the way and is taken back")
    }

    func testAProducerThatThrowsLeavesNothingAside() throws {
        let path = folder.path + "/new/one.json"
        XCTAssertThrowsError(try PrivateFile.prepare(path) { put in
            try put(Array("half".utf8))
            throw ReconError("stopped")
        })
        XCTAssertEqual(listing, [])
    }
}
