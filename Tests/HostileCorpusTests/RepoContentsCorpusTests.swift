import Foundation
import ReconCore
import TestSupport
import XCTest

/// `Corpus/repo`: each `.repo` file builds a real git repo (files, raw bytes, big files, symlinks in
/// and out of it) and runs the real `recon extract` on it. Lines are tab-separated, values unescaped
/// like the name lists; `$outside` is a folder beside the repo holding `secret.json` ("SECRET").
///
///     worktree                      the rule reads the working tree instead of HEAD
///     file|bytes|big|link  PATH  TEXT | HEX | SIZE | TARGET
///     expect  exit N | record KEY NAME | no-record KEY | diagnostic TEXT | absent TEXT
final class RepoContentsCorpusTests: XCTestCase {
    func testEveryRepoCaseHasItsExpectedOutcome() throws {
        let folder = CorpusCase.root + "/repo"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".repo") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 15)
        for name in names {
            let lines = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8).split(separator: "\n")
            try run(name, lines.map { try $0.split(separator: "\t", omittingEmptySubsequences: false).map(NameList.unescape) })
        }
        print("Repo contents corpus: \(names.count) cases")
    }

    private func run(_ name: String, _ lines: [[String]]) throws {
        let scratch = TemporaryDirectory("corpus-repo")
        let repo = scratch.file("repo"), outside = scratch.file("outside")
        scratch.write("outside/secret.json", #"{"name": "SECRET"}"#)
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        GitFixture.run(["init", "--quiet", "--initial-branch=main"], in: repo)
        var worktree = false
        var expectations: [[String]] = []
        for line in lines {
            switch line[0] {
            case "worktree": worktree = true
            case "file": scratch.write("repo/" + line[1], line[2])
            case "bytes": scratch.write("repo/" + line[1], hex(line[2]))
            case "big": scratch.write("repo/" + line[1], Array(#"{"name": ""#.utf8) + [UInt8](repeating: 0x78, count: Int(line[2])!) + Array(#""}"#.utf8))
            case "link":
                let path = repo + "/" + line[1]
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: line[2].replacingOccurrences(of: "$outside", with: outside))
            case "expect": expectations.append(Array(line.dropFirst()))
            default: XCTFail("\(name): unknown line \(line)")
            }
        }
        GitFixture.run(["add", "--all"], in: repo)
        GitFixture.run(["commit", "--quiet", "-m", "corpus"], in: repo)
        scratch.write("project/manifests/all.yaml", """
            tables:
              - name: Items
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
            repos:
              - name: core
                path: \(repo)
                worktree: \(worktree)
                extract:
                  - {table: Items, files: ["**/*.json"], as: json, fields: {Name: name}}
            """)
        let result = try ReconProcess.run(["extract", "--format", "json"], in: scratch.file("project"))
        let output = (try? JSONParser.parse(result.stdout)) ?? .object([:])
        var records: [String: String] = [:]
        for record in output["records"]?.arrayValue ?? [] {
            records[record["key"]?.stringValue ?? ""] = record["fields"]?["Name"]?.stringValue ?? ""
        }
        let diagnostics = (output["diagnostics"]?.arrayValue ?? []).map { d in
            "\(d["file"]?.stringValue ?? ""):\(d["line"]?.intValue ?? 0):\(d["column"]?.intValue ?? 0): "
                + "\(d["severity"]?.stringValue ?? ""): \(d["message"]?.stringValue ?? "")"
        }.joined(separator: "\n") + "\n" + result.stderr
        let shown = "\(name): exit \(result.status), records \(records.keys.sorted()), diagnostics:\n\(diagnostics)"
        for expectation in expectations {
            switch expectation[0] {
            case "exit": XCTAssertEqual(result.status, Int32(expectation[1]), shown)
            case "record": XCTAssertEqual(records[expectation[1]], expectation[2], "record \(expectation[1]): \(shown)")
            case "no-record": XCTAssertNil(records[expectation[1]], "record \(expectation[1]): \(shown)")
            case "diagnostic": XCTAssertTrue(diagnostics.contains(expectation[1]), "'\(expectation[1])': \(shown)")
            case "absent":
                XCTAssertFalse(result.stdout.contains(expectation[1]) || result.stderr.contains(expectation[1]), "'\(expectation[1])': \(shown)")
                let cache = scratch.file("project/state")
                let written = FileManager.default.subpaths(atPath: cache)?.compactMap { FileManager.default.contents(atPath: cache + "/" + $0) } ?? []
                XCTAssertFalse(written.contains { String(decoding: $0, as: UTF8.self).contains(expectation[1]) }, "'\(expectation[1])' in state: \(name)")
            default: XCTFail("\(name): unknown expectation \(expectation)")
            }
        }
    }

    private func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
