import Foundation
import ReconCore
import TestSupport
import XCTest

/// Every deletion goes through SafeRemoval: only what lies strictly inside its root is removed.
final class SafeRemovalTests: XCTestCase {
    func testOnlyWhatLiesStrictlyInsideTheRootIsRemoved() throws {
        let scratch = TemporaryDirectory()
        scratch.write("outside.txt", "keep")
        scratch.write("state/keep.txt", "keep")
        scratch.write("state/repos/mirror/HEAD", "x")
        scratch.write("state/repos/old.tmp", "x")
        let root = scratch.file("state/repos")
        for hostile in ["\(root)/..", "\(root)/.", "\(root)/../..", "\(root)/", root, scratch.file("state"),
                        scratch.file("outside.txt"), "\(root)/../keep.txt"] {
            XCTAssertThrowsError(try SafeRemoval.remove(hostile, inside: root), hostile) { error in
                XCTAssertTrue("\(error)".contains("refusing to remove"), "\(error)")
            }
        }
        XCTAssertEqual(scratch.read("outside.txt"), "keep")
        XCTAssertEqual(scratch.read("state/keep.txt"), "keep")

        XCTAssertTrue(try SafeRemoval.remove("\(root)/mirror", inside: root))
        XCTAssertTrue(try SafeRemoval.remove("\(root)/old.tmp", inside: root))
        XCTAssertFalse(try SafeRemoval.remove("\(root)/missing", inside: root), "nothing there is not an error")
        XCTAssertEqual(scratch.list("state/repos"), [])
        XCTAssertEqual(scratch.list("state"), ["keep.txt", "repos"], "the root itself stays")
    }

    func testSymlinksNeverLeadARemovalOutOfTheRoot() throws {
        let scratch = TemporaryDirectory()
        scratch.write("elsewhere/precious.txt", "keep")
        scratch.write("state/runs/.keep", "")
        let root = scratch.file("state/runs")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link", withDestinationPath: scratch.file("elsewhere"))
        XCTAssertThrowsError(try SafeRemoval.remove("\(root)/link/precious.txt", inside: root))
        XCTAssertEqual(scratch.read("elsewhere/precious.txt"), "keep")
        XCTAssertTrue(try SafeRemoval.remove("\(root)/link", inside: root), "the link itself may go")
        XCTAssertEqual(scratch.read("elsewhere/precious.txt"), "keep", "its target stays")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(root)/link"))
    }

    func testARelativeRootWorksFromTheWorkingDirectory() throws {
        let scratch = TemporaryDirectory()
        scratch.write("state/history/a.json", "{}")
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertThrowsError(try SafeRemoval.remove("state/history/..", inside: "state/history"))
        XCTAssertTrue(try SafeRemoval.remove("state/history/a.json", inside: "state/history"))
        XCTAssertEqual(scratch.list("state/history"), [])
    }

    /// "café" spelled NFD is a sibling of the NFC root on disk, though `String` calls them equal.
    func testASiblingThatDiffersOnlyByNormalizationIsOutside() throws {
        let scratch = TemporaryDirectory()
        scratch.write("caf\u{E9}/.keep", "")
        scratch.write("cafe\u{301}/precious.txt", "keep")
        let root = scratch.file("caf\u{E9}")
        XCTAssertThrowsError(try SafeRemoval.remove(scratch.file("cafe\u{301}/precious.txt"), inside: root)) { error in
            XCTAssertTrue("\(error)".contains("refusing to remove"), "\(error)")
        }
        XCTAssertEqual(scratch.read("cafe\u{301}/precious.txt"), "keep")
        XCTAssertTrue(try SafeRemoval.remove(scratch.file("caf\u{E9}/.keep"), inside: root))
    }
}
