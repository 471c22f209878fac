import Foundation
import ReconCore
import TestSupport
import XCTest
@testable import Manifest

/// Each fixture under Fixtures/invalid marks every line that must get an error with
/// `# ERROR: text` (several texts joined by `&&`); no other line may get one.
final class InvalidManifestTests: XCTestCase {
    private let folder = Golden.folder() + "/Fixtures/invalid"

    func testEveryInvalidFixtureReportsExactlyTheMarkedLines() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 7)
        for name in names {
            try check(fixture: name)
        }
    }

    private func check(fixture name: String) throws {
        let path = "\(folder)/\(name)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var expected: [Int: [String]] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: "# ERROR:") else { continue }
            expected[index + 1] = line[range.upperBound...].components(separatedBy: "&&")
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertFalse(expected.isEmpty, "\(name) marks no error")

        let diagnostics: [Diagnostic]
        do {
            _ = try ManifestLoader().load(sources: [(name, Array(text.utf8))])
            XCTFail("\(name): expected errors, the manifest loaded")
            return
        } catch {
            diagnostics = error.errors
        }
        var byLine: [Int: [Diagnostic]] = [:]
        for diagnostic in diagnostics {
            let location = try XCTUnwrap(diagnostic.location, "\(name): an error without a location: \(diagnostic)")
            XCTAssertEqual(location.file, name)
            XCTAssertGreaterThan(location.column, 0)
            byLine[location.line, default: []].append(diagnostic)
        }
        for line in byLine.keys.sorted() where expected[line] == nil {
            XCTFail("\(name):\(line): unexpected error(s): \(byLine[line]!.map(\.description))")
        }
        for (line, fragments) in expected.sorted(by: { $0.key < $1.key }) {
            let found = byLine[line] ?? []
            XCTAssertFalse(found.isEmpty, "\(name):\(line): expected an error, found none")
            let rendered = found.map(\.description).joined(separator: "\n")
            for fragment in fragments where !fragment.isEmpty {
                XCTAssertTrue(rendered.contains(fragment), "\(name):\(line): expected '\(fragment)' in:\n\(rendered)")
            }
        }
    }

    func testErrorsComeInAStableOrder() throws {
        let text = try String(contentsOfFile: "\(folder)/schema-cross-checks.yaml", encoding: .utf8)
        var runs: [[String]] = []
        for _ in 0..<3 {
            do {
                _ = try ManifestLoader().load(sources: [("a.yaml", Array(text.utf8))])
            } catch {
                runs.append(error.diagnostics.map(\.description))
            }
        }
        XCTAssertEqual(runs.count, 3)
        XCTAssertEqual(runs[0], runs[1])
        XCTAssertEqual(runs[1], runs[2])
        let lines = try runs[0].map { line -> Int in
            let parts = line.split(separator: ":")
            return try XCTUnwrap(Int(parts[1]))
        }
        XCTAssertEqual(lines, lines.sorted())
    }

    func testSectionsGivenTwiceAcrossFilesNameTheFirst() throws {
        let first = "target: {provider: sqlite, database: a.sqlite}\ntables: [{name: A, key: K, fields: [{name: K, type: singleLineText}]}]\n"
        let second = "\n\ntarget: {provider: sqlite}\n"
        do {
            _ = try ManifestLoader().load(sources: [("m/a.yaml", Array(first.utf8)), ("m/b.yaml", Array(second.utf8))])
            XCTFail("expected an error")
        } catch {
            let diagnostic = try XCTUnwrap(error.errors.first)
            XCTAssertEqual(error.errors.count, 1)
            XCTAssertEqual(diagnostic.location, SourceLocation(file: "m/b.yaml", line: 3, column: 1))
            XCTAssertEqual(diagnostic.message, "'target' is given more than once")
            XCTAssertEqual(diagnostic.hint, "first given at m/a.yaml:1:1")
        }
    }

    func testBillionLaughsInAManifestIsAnErrorNotAHang() throws {
        var text = "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...9 {
            text += "x\(level): &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let start = Date()
        XCTAssertThrowsError(try ManifestLoader().load(sources: [("bomb.yaml", Array(text.utf8))])) { error in
            let diagnostics = (error as? DiagnosticsError)?.diagnostics ?? []
            XCTAssertTrue(diagnostics.contains { $0.message.contains("aliases expand to more than") })
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testMissingDirectoryAndEmptyDirectory() throws {
        let temp = TemporaryDirectory()
        XCTAssertThrowsError(try ManifestLoader().load(directory: temp.path + "/nope")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"))
        }
        XCTAssertThrowsError(try ManifestLoader().load(directory: temp.path)) { error in
            XCTAssertTrue("\(error)".contains("no manifest files"))
        }
    }
}
