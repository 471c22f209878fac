import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

/// The state, its journal and its history are private whatever the umask; a replaced file keeps its mode.
final class StateFileModeTests: XCTestCase {
    func testStateJournalAndHistoryAreCreatedPrivateWhateverTheUmask() throws {
        for mask: mode_t in [0o022, 0o000] {
            let scratch = TemporaryDirectory()
            let previous = umask(mask)
            defer { umask(previous) }
            let store = StateSamples.store(in: scratch)
            var state = StateSamples.populated()
            let journal = try store.beginJournal(for: &state, keepHistory: 10)
            try journal.append([.putRepo(name: "core", repo: RepoState(commit: "feedface"))], to: &state)
            journal.close()
            let stateDirectory = scratch.file("state")
            XCTAssertEqual(mode(stateDirectory), 0o700, "umask \(String(mask, radix: 8))")
            XCTAssertEqual(mode(stateDirectory + "/history"), 0o700)
            let names = try FileManager.default.subpathsOfDirectory(atPath: stateDirectory)
            XCTAssertGreaterThanOrEqual(names.count, 4, "\(names)")
            for name in names {
                let path = "\(stateDirectory)/\(name)"
                let expected: mode_t = name == "history" ? 0o700 : 0o600
                XCTAssertEqual(mode(path), expected, "\(name) under umask \(String(mask, radix: 8))")
            }
        }
    }

    func testAReplacedFileKeepsTheModeItHad() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("deep/er/file.json")
        try AtomicFile.write(Array("one".utf8), to: path)
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(chmod(path, 0o640), 0)
        let previous = umask(0o077)
        defer { umask(previous) }
        try AtomicFile.write(Array("two".utf8), to: path)
        XCTAssertEqual(scratch.read("deep/er/file.json"), "two")
        XCTAssertEqual(mode(path), 0o640)
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0, path)
        return info.st_mode & 0o777
    }
}
