import Foundation
import ReconCore
@testable import State
import TestSupport
import XCTest

final class StateRefusalTests: XCTestCase {
    /// Loads, expects a refusal whose message and hint mention the given words, and checks the file
    /// and directory were left exactly as they were.
    private func assertRefused(_ scratch: TemporaryDirectory, target: String = StateSamples.target,
                               message: String, hint: String, file: StaticString = #filePath, line: UInt = #line) {
        let store = StateSamples.store(in: scratch)
        let before = scratch.data("state/recon.state.json")
        let listing = scratch.list("state")
        XCTAssertThrowsError(try store.load(expectedTarget: target), file: file, line: line) { error in
            guard let error = error as? ReconError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(error.message.contains(message), error.message, file: file, line: line)
            XCTAssertTrue(error.hint?.contains(hint) == true, error.hint ?? "no hint", file: file, line: line)
        }
        var fresh = StateStore.newState(target: target)
        XCTAssertThrowsError(try store.write(&fresh, keepHistory: 5), file: file, line: line) {
            XCTAssertTrue("\($0)".contains("refusing to overwrite"), "\($0)", file: file, line: line)
        }
        XCTAssertEqual(scratch.data("state/recon.state.json"), before, file: file, line: line)
        XCTAssertEqual(scratch.list("state"), listing, file: file, line: line)
    }

    private func writeValidState(_ scratch: TemporaryDirectory, writes: Int = 1) throws -> [UInt8] {
        let store = StateSamples.store(in: scratch)
        var state = StateSamples.populated()
        for _ in 0..<writes { try store.write(&state, keepHistory: 10) }
        return [UInt8](scratch.data("state/recon.state.json")!)
    }

    func testATruncatedFileIsRefusedWithWhereAndWhatToDo() throws {
        let scratch = TemporaryDirectory()
        let bytes = try writeValidState(scratch, writes: 2)
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: scratch.file("state/recon.state.json")))

        assertRefused(scratch, message: "is corrupt or truncated: line ", hint: "recon.state.00000002.")
    }

    func testACorruptFileIsRefused() throws {
        let scratch = TemporaryDirectory()
        scratch.write("{\"lineage\": \"x\", \"version\": 1, oops}", to: "state/recon.state.json")

        assertRefused(scratch, message: "line 1, column 32: expected a string key", hint: "move it away to start a new state")
    }

    func testAFileOfTheWrongShapeIsRefusedNamingTheKey() throws {
        let scratch = TemporaryDirectory()
        let text = String(decoding: try writeValidState(scratch), as: UTF8.self)
            .replacingOccurrences(of: "\"id\": \"recP\"", with: "\"id\": 7")
        scratch.write(text, to: "state/recon.state.json")

        assertRefused(scratch, message: "expected a string (in 'records.Plugins.core:plugins/p0')", hint: "Restore the last good version")
    }

    func testANewerFormatIsRefused() throws {
        let scratch = TemporaryDirectory()
        let text = String(decoding: try writeValidState(scratch), as: UTF8.self)
            .replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
        scratch.write(text, to: "state/recon.state.json")

        assertRefused(scratch, message: "format version 2, written by a newer recon", hint: "upgrade recon")
    }

    func testAStateForAnotherTargetIsRefusedButTheSameLineageMayStillWrite() throws {
        let scratch = TemporaryDirectory()
        _ = try writeValidState(scratch)
        let other = "airtable:appABCDEFGHIJKLMN"
        let store = StateSamples.store(in: scratch)

        XCTAssertThrowsError(try store.load(expectedTarget: other)) { error in
            let error = error as! ReconError
            XCTAssertTrue(error.message.contains("describes target 'sqlite:state/catalog.sqlite', but the manifests target '\(other)'"))
            XCTAssertTrue(error.hint!.contains("pass --state"))
        }
        XCTAssertNotNil(try store.load(expectedTarget: nil))
    }

    func testAStateOfAnotherLineageIsNeverOverwritten() throws {
        let scratch = TemporaryDirectory()
        let bytes = try writeValidState(scratch)
        let store = StateSamples.store(in: scratch)
        var stranger = StateSamples.populated()

        XCTAssertThrowsError(try store.write(&stranger, keepHistory: 10)) {
            XCTAssertTrue("\($0)".contains("refusing to overwrite"))
        }
        XCTAssertEqual(stranger.serial, 0)
        XCTAssertEqual(scratch.data("state/recon.state.json"), Data(bytes))
    }

    func testAnEmptyFileIsRefused() throws {
        let scratch = TemporaryDirectory()
        scratch.write("", to: "state/recon.state.json")

        assertRefused(scratch, message: "unexpected end of input", hint: "move it away")
    }
}
