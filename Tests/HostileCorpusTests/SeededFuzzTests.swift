import Foundation
@testable import Extract
import Manifest
import Plan
import ReconCore
import State
import XCTest
import YAML

/// A seeded mutation loop over the readers of untrusted bytes (the four the issue names, and the state's), seeded from the corpus. Each
/// input must come back as a value or a thrown error: a trap would kill the test process, which is
/// the check. Cheap invariants are asserted for what is accepted. Each target stops after
/// `inputsPerTarget` inputs or `secondsPerTarget`, whichever comes first (CI time stays bounded);
/// `RECON_FUZZ_INPUTS` raises the count for a longer local run.
final class SeededFuzzTests: XCTestCase {
    private static let inputsPerTarget = Int(ProcessInfo.processInfo.environment["RECON_FUZZ_INPUTS"] ?? "") ?? 30_000
    private static let minimumInputs = 2_000
    private static let secondsPerTarget = ProcessInfo.processInfo.environment["RECON_FUZZ_INPUTS"] == nil ? 5.0 : 3600

    private func seeds(_ categories: String...) throws -> [[UInt8]] {
        try categories.flatMap { try CorpusCase.all($0) }.map(\.bytes).filter { $0.count <= 64 * 1024 }
    }

    /// Runs `body` over mutated seeds; returns how many inputs ran.
    private func fuzz(_ target: String, seed: UInt64, seeds: [[UInt8]], _ body: ([UInt8]) -> Void) -> Int {
        var mutator = ByteMutator(seed: seed)
        let deadline = Date().addingTimeInterval(SeededFuzzTests.secondsPerTarget)
        var count = 0
        for input in seeds { body(input); count += 1 }
        // At least `minimumInputs` whatever the machine's speed, so the counts asserted below never depend on timing.
        while count < SeededFuzzTests.inputsPerTarget, count < SeededFuzzTests.minimumInputs || count % 256 != 0 || Date() < deadline {
            let base = seeds[mutator.below(seeds.count)]
            body(mutator.mutate(base, other: seeds[mutator.below(seeds.count)]))
            count += 1
        }
        print("Seeded fuzz \(target): \(count) inputs (seed \(seed))")
        return count
    }

    func testJSONParserNeverTrapsAndAcceptedValuesRoundTrip() throws {
        let count = fuzz("JSON parser", seed: 0x4A53_4F4E, seeds: try seeds("json", "plan")) { bytes in
            guard let value = try? JSONParser.parse(bytes) else { return }
            XCTAssertEqual(try? JSONParser.parse(value.canonicalBytes()), value, "round trip of \(bytes)")
        }
        XCTAssertGreaterThanOrEqual(count, SeededFuzzTests.minimumInputs)
    }

    func testYAMLLoaderAndManifestLoaderNeverTrap() throws {
        let count = fuzz("YAML loader", seed: 0x5941_4D4C, seeds: try seeds("yaml", "frontmatter")) { bytes in
            if let documents = try? YAMLLoader().load(bytes, file: "fuzz.yaml") {
                for document in documents { XCTAssertGreaterThan(document.location.line, 0) }
            }
            do {
                _ = try ManifestLoader().load(sources: [("fuzz.yaml", bytes)])
            } catch let error as DiagnosticsError {
                XCTAssertTrue(error.errors.allSatisfy { $0.location?.file == "fuzz.yaml" }, "\(error.errors)")
            } catch {
                XCTFail("not a diagnostics error: \(error)")
            }
        }
        XCTAssertGreaterThanOrEqual(count, SeededFuzzTests.minimumInputs)
    }

    func testFrontMatterReaderNeverTraps() throws {
        let count = fuzz("front matter", seed: 0x464D_4154, seeds: try seeds("frontmatter", "yaml")) { bytes in
            let file = SourceFile(repo: "core", path: "fuzz.md", bytes: bytes, sourceCommit: "c0")
            do {
                _ = try SourceDocument(file, format: .frontmatter)
            } catch let error as SourceDocument.Failure {
                XCTAssertEqual(error.diagnostic.location?.file, "core:fuzz.md")
            } catch {
                XCTFail("not a source failure: \(error)")
            }
            _ = try? SourceDocument(file, format: .markdown)
        }
        XCTAssertGreaterThanOrEqual(count, SeededFuzzTests.minimumInputs)
    }

    /// Mutated files mostly fail the digest; each is also re-sealed with a correct digest so the
    /// mutation reaches the body decoder. An accepted plan, encoded, must decode and encode to the same file.
    func testPlanDecoderNeverTrapsAndAcceptedPlansRoundTrip() throws {
        let count = fuzz("plan decoder", seed: 0x504C_414E, seeds: try seeds("plan")) { bytes in
            _ = try? PlanFile.decode(bytes)
            guard case .object(var document)? = try? JSONParser.parse(bytes), let body = document["plan"] else { return }
            document["digest"] = .string("sha256:" + SHA256.hex(body.canonicalBytes()))
            guard let plan = try? PlanFile.decode(JSONValue.object(document).canonicalBytes()) else { return }
            // Empty and absent values are one value, so compare the files, not the models.
            let file = PlanFile.encode(plan)
            XCTAssertEqual((try? PlanFile.decode(file)).map { PlanFile.encode($0) }, file)
        }
        XCTAssertGreaterThanOrEqual(count, SeededFuzzTests.minimumInputs)
    }

    /// The state reader has a cursor of its own (no tree); an accepted state must encode to itself.
    func testStateDecoderNeverTrapsAndAcceptedStatesRoundTrip() throws {
        var state = StateModel(lineage: "8d2f4c1e-0000-4000-8000-000000000001", target: "sqlite:base.sqlite", serial: 3)
        state.tables["Skills"] = TableState(id: "tbl1", fields: ["Key": "fld1", "Name\u{1B}": "fld2"])
        state.records["Skills"] = ["core:a": ManagedRecord(id: "rec1", values: [
            "Name": .text("q\"\\\n\u{0}é😀"), "Stars": .number(-2.5e-3), "Done": .bool(true), "Tags": .list(["a", "b"])])]
        state.repos["core"] = RepoState(commit: String(repeating: "ab", count: 20))
        let seeds = [StateCodec.encode(state)] + (try self.seeds("json"))
        let count = fuzz("state decoder", seed: 0x5354_4154, seeds: seeds) { bytes in
            guard let decoded = try? StateCodec.decode(bytes) else { return }
            let file = StateCodec.encode(decoded)
            XCTAssertEqual((try? StateCodec.decode(file)).map(StateCodec.encode), file)
        }
        XCTAssertGreaterThanOrEqual(count, SeededFuzzTests.minimumInputs)
    }

    func testTheCorpusHoldsAtLeast200DistinctInputs() throws {
        var inputs = Set<[UInt8]>()
        for category in ["json", "yaml", "frontmatter", "plan", "repo"] {
            let folder = CorpusCase.root + "/" + category
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasSuffix(".expect") {
                inputs.insert([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
            }
        }
        let names = try NameList("repo-names.txt").entries.count + NameList("sql-names.txt").entries.count
        print("Hostile corpus: \(inputs.count) distinct files and \(names) names")
        XCTAssertGreaterThanOrEqual(inputs.count + names, 200)
    }
}
