import Foundation
import ReconCore
import TestSupport
import XCTest

/// Paths are bytes: a `/` before a combining mark still separates, and NFC and NFD spellings of a
/// name are two folders, never one.
final class PathBytesTests: XCTestCase {
    private let nfc = "caf\u{E9}"
    private let nfd = "cafe\u{301}"

    func testASlashBeforeACombiningMarkSeparates() {
        XCTAssertEqual(PathBytes.splitLast("docs/\u{338}x.md")?.head, "docs")
        XCTAssertEqual(PathBytes.splitLast("docs/\u{338}x.md")?.tail, "\u{338}x.md")
        XCTAssertEqual(PathBytes.splitFirst("Skills/\u{338}k/l")?.head, "Skills")
        XCTAssertEqual(PathBytes.splitFirst("Skills/\u{338}k/l")?.tail, "\u{338}k/l")
        XCTAssertNil(PathBytes.splitLast("name"))
        XCTAssertEqual(PathBytes.components("/a//\u{338}b/c/"), ["a", "\u{338}b", "c"])
        XCTAssertTrue(PathBytes.isAbsolute("/\u{338}etc"))
        XCTAssertFalse(PathBytes.isAbsolute("etc/"))
    }

    func testNFCAndNFDAreDifferentPaths() {
        XCTAssertEqual(nfc, nfd, "String compares by canonical equivalence")
        XCTAssertFalse(PathBytes.equal(nfc, nfd))
        XCTAssertTrue(PathBytes.equal(nfc, "caf\u{E9}"))
        XCTAssertFalse(PathBytes.isBelow("/tmp/\(nfd)/x", "/tmp/\(nfc)"))
        XCTAssertTrue(PathBytes.isBelow("/tmp/\(nfc)/x", "/tmp/\(nfc)"))
    }

    func testBelowIsStrictAndIgnoresATrailingSlash() {
        XCTAssertEqual(PathBytes.relative("/a/b/c", below: "/a/"), "b/c")
        XCTAssertEqual(PathBytes.relative("/a/b", below: "/a"), "b")
        XCTAssertEqual(PathBytes.relative("/a/", below: "/a"), "")
        XCTAssertNil(PathBytes.relative("/a", below: "/a"))
        XCTAssertNil(PathBytes.relative("/ab", below: "/a"))
        XCTAssertNil(PathBytes.relative("/a/\u{338}b", below: "/a/\u{338}"), "a combining mark is part of the name")
        XCTAssertEqual(PathBytes.relative("/a/\u{338}b", below: "/a"), "\u{338}b")
        XCTAssertTrue(PathBytes.isBelow("/x", "/"))
        XCTAssertFalse(PathBytes.isBelow("/", "/"))
        XCTAssertFalse(PathBytes.isBelow("/a/", "/a"))
    }

    func testWithinComparesBytes() {
        XCTAssertFalse(PathRule.isWithin("/tmp/\(nfd)", "/tmp/\(nfc)"))
        XCTAssertFalse(PathRule.isWithin("/tmp/\(nfd)/plan.json", "/tmp/\(nfc)"))
        XCTAssertTrue(PathRule.isWithin("/tmp/\(nfc)/plan.json", "/tmp/\(nfc)/"))
        XCTAssertTrue(PathRule.isWithin("/tmp/\(nfc)", "/tmp/\(nfc)"))
    }

    /// A link whose name starts with a combining mark is still a component below the state folder.
    func testStateFolderGuardSeesALinkNamedWithACombiningMark() throws {
        let scratch = TemporaryDirectory()
        scratch.write("elsewhere/.keep", "")
        scratch.write("state/.keep", "")
        let root = scratch.file("state")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/\u{338}link", withDestinationPath: scratch.file("elsewhere"))
        XCTAssertEqual(StateFolderGuard.link(in: "\(root)/\u{338}link/cache", below: root), "\(root)/\u{338}link")
        XCTAssertEqual(StateFolderGuard.link(in: "\(root)/\u{338}link/cache", below: root + "/"), "\(root)/\u{338}link")
        XCTAssertNil(StateFolderGuard.link(in: "\(root)/cache", below: root))
    }
}
