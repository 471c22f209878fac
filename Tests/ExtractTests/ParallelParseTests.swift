import Extract
import Foundation
import Manifest
import ReconCore
import TestSupport
import XCTest

/// Files are parsed on worker threads (`ExtractLimits.workers`) while git is read: records, diagnostics and the
/// cache files written must be byte for byte what one thread makes, in the same order, on a repo large enough
/// for many batches (files of every format, bad ones skipped or refused, links, lists, a binary file).
final class ParallelParseTests: XCTestCase {
    static func repos(_ path: String, _ worktree: Bool) -> String { """
        repos:
          - name: core
            path: \(path)
            worktree: \(worktree)
            extract:
              - {table: Plugins, files: ["plugins/*/plugin.json"], as: json, root: ., fields: {Name: name, Version: version, Commit: $commit}}
              - {table: Skills, files: ["plugins/*/skills/*/SKILL.md"], as: frontmatter, root: ., on_error: skip,
                 fields: {Name: name, Count: count, Enabled: enabled, Level: level, Tags: tags, Title: $title,
                          Plugin: {link: Plugins, by: ancestor}}}
              - {table: Skills, files: ["lists/*.yaml"], as: yaml, each: items, on_error: skip, fields: {Name: name, Count: count}}
        """
    }

    /// About 700 files: a dozen batches, whichever worker takes which.
    static func makeRepo() -> GitFixture {
        let repo = GitFixture("parallel")
        for plugin in 0..<150 {
            // Three plugins without a manifest: their skills' links find no plugin, a warning made in the assembly.
            if plugin % 50 != 11 { repo.write("plugins/p\(plugin)/plugin.json", #"{"name": "plugin \#(plugin)", "version": "1.\#(plugin)"}"#) }
            for skill in 0..<3 {
                let level = ["low", "high", "medium"][(plugin + skill) % 3]  // "medium" is no choice: skipped with a warning
                repo.write("plugins/p\(plugin)/skills/s\(skill)/SKILL.md",
                           "---\nname: skill \(plugin).\(skill)\ncount: \(plugin * 3 + skill)\nenabled: \(skill % 2 == 0)\nlevel: \(level)\n"
                               + "tags: [a, \(["b", "c"][skill % 2])]\n---\n# Skill \(plugin) \(skill)\n\nBody text.\n")
            }
            if plugin % 50 == 7 { repo.write("plugins/p\(plugin)/skills/bad/SKILL.md", "---\nname: [unclosed\n---\n") }
            if plugin % 50 == 9 { repo.write("plugins/p\(plugin)/skills/bin/SKILL.md", bytes: [0x2D, 0x00, 0x01]) }
        }
        for list in 0..<100 {
            let items = (0..<3).map { "  - {name: item \(list).\($0), count: \($0)}" }.joined(separator: "\n")
            repo.write("lists/l\(list).yaml", list % 40 == 3 ? "items: {not: a list}\n" : "items:\n\(items)\n")
        }
        repo.commit("catalog")
        return repo
    }

    func testParsingOnWorkersGivesTheSerialResultAndCache() throws {
        let repo = Self.makeRepo()
        for worktree in [false, true] {
            let manifest = try ExtractHarness.manifest(Self.repos(repo.path, worktree))
            var runs: [(result: ExtractResult, cache: [String: [UInt8]])] = []
            // One state folder, so one trust key seals every run's cache alike; the cache is emptied between runs.
            let state = TemporaryDirectory("recon-state")
            // Halving from 1, 100 and 369 of the ~740 entities: the records are made in two halves at once.
            for (workers, halvingFrom) in [(1, 4096), (2, 4096), (4, 4096), (2, 1), (2, 100), (2, 369)] {
                try? FileManager.default.removeItem(atPath: state.path + "/" + FileExtractCache.subdirectory)
                var limits = ExtractLimits(maximumFileSize: 1 << 20, symlinkHops: 8, workers: workers)
                limits.halvingFrom = halvingFrom
                let result = try Extraction(manifest: manifest, stateDirectory: state.path, cache: FileExtractCache(stateDirectory: state.path),
                                            limits: limits).run()
                runs.append((result, try Self.files(under: state.path + "/" + FileExtractCache.subdirectory)))
            }
            let serial = runs[0]
            XCTAssertEqual(serial.result.records.count, 147 + 300 + 97 * 3, "plugins, skills whose level is a choice, list items")
            XCTAssertEqual(serial.result.repos[0].filesRead, 147 + 450 + 6 + 100)
            XCTAssertEqual(serial.result.diagnostics.filter { $0.message.hasPrefix("no 'Plugins' entity") }.count, 6,
                           "the skills of p11, p61 and p111 whose level is a choice")
            XCTAssertTrue(serial.result.diagnostics.contains { $0.severity == .warning }, "skipped files are reported")
            XCTAssertEqual(serial.cache.isEmpty, worktree, "a working tree is never cached")
            for run in runs.dropFirst() {
                XCTAssertEqual(run.result.records, serial.result.records, "worktree \(worktree)")
                XCTAssertEqual(run.result.diagnostics, serial.result.diagnostics, "worktree \(worktree)")
                XCTAssertEqual(run.result.repos.map(\.filesRead), serial.result.repos.map(\.filesRead))
                XCTAssertEqual(run.cache, serial.cache, "the cache files are byte for byte the serial ones")
            }
        }
    }

    /// A refused file fails the run the same way, with the same report, however many threads parse.
    func testRefusedFileFailsAlikeOnWorkers() throws {
        let repo = Self.makeRepo()
        repo.write("plugins/p3/plugin.json", "{\"name\": \"broken\",\n  \"version\": }\n")
        repo.commit("break one plugin")
        let manifest = try ExtractHarness.manifest(Self.repos(repo.path, false))
        var reports: [[Diagnostic]] = []
        for workers in [1, 2] {
            let state = TemporaryDirectory("recon-state")
            let limits = ExtractLimits(maximumFileSize: 1 << 20, symlinkHops: 8, workers: workers)
            do {
                _ = try Extraction(manifest: manifest, stateDirectory: state.path, limits: limits).run()
                XCTFail("a bad plugin.json fails the run")
            } catch {
                reports.append(error.diagnostics)
            }
        }
        XCTAssertEqual(reports[0], reports[1])
        XCTAssertTrue(reports[0].contains { $0.severity == .error && "\($0)".contains("core:plugins/p3/plugin.json:2") }, "\(reports[0])")
    }

    private static func files(under directory: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            files[name] = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/" + name)).map { $0 }
        }
        return files
    }
}
