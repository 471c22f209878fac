import Extract
import ReconCore
import XCTest
@testable import ReconCLI

/// `recon extract --format json` streams its document in chunks: joined, they are the one-buffer document.
final class ExtractJSONStreamTests: XCTestCase {
    func testChunkedDocumentIsTheOneBufferDocument() throws {
        let records = (0..<500).map { index in
            DesiredRecord(table: "Skills", key: "core:skills/s\(index)",
                          fields: ["Name": .text("Skill \(index) \"quoted\" é\nsecond line"), "Weight": .number(Double(index) / 4)],
                          provenance: Provenance(repo: "core", path: "skills/s\(index)/SKILL.md", sourceCommit: "c0ffee"))
        }
        let result = ExtractResult(records: records, repos: [RepoExtraction(name: "core", commit: "c0ffee", cached: false, filesRead: 500, recordCount: 500)],
                                   diagnostics: [])
        var whole: [UInt8] = []
        ExtractView.json(records: records, result: result, chunk: .max) { whole += $0 }
        var chunked: [UInt8] = [], parts = 0
        ExtractView.json(records: records, result: result, chunk: 512) { chunked += $0; parts += 1 }
        XCTAssertGreaterThan(parts, 50, "small chunks: the document is handed over in many parts")
        XCTAssertEqual(chunked, whole)
        XCTAssertEqual(try JSONParser.parse(whole).canonicalBytes(pretty: true), whole, "still the canonical form")
    }
}
