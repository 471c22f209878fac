import ReconCore
import XCTest

/// `CanonicalJSONHasher` against the tree parser on every JSON and plan case (each wrapped as a member): the same refusals at
/// the same line and column, and the same digest as the tree's canonical bytes, except the duplicate keys only the
/// hasher refuses.
final class CanonicalHasherCorpusTests: XCTestCase {
    func testTheHasherAgreesWithTheTreeOnEveryJSONCase() throws {
        var cases = try (CorpusCase.all("json") + CorpusCase.all("plan")).map { ($0.name, $0.bytes) }
        // Keys whose order differs by bytes and by Swift's comparison, and two spellings of one key.
        cases += [("unsorted", Array(#"{"b": 1, "a": {"d": [1, 2.50, -0], "c": "\u00e9\n"}}"#.utf8)),
                  ("non-ascii keys", Array(#"{"é": 1, "z": 2, "e\u0301x": 3, "ÿ": 4, "\u0000": 5}"#.utf8)),
                  ("equivalent keys", Array("{\"\u{E9}\": 1, \"e\u{301}\": 2}".utf8))]
        var duplicates = 0, agreed = 0, refused = 0
        for (name, bytes) in cases {
            let wrapped = Array(#"{"plan":"#.utf8) + bytes + Array("}".utf8)
            let tree = Result { try JSONParser.parse(wrapped) }
            let hashed = Result { try CanonicalJSONHasher.read(wrapped, hashing: "plan") }
            switch (tree, hashed) {
            case (.success(let value), .success(let document)):
                XCTAssertEqual(document.digest, SHA256.hex(value["plan"]!.canonicalBytes()), name)
                XCTAssertEqual(document.start, 8, name)
                agreed += 1
            case (.success, .failure(let error)):
                XCTAssertTrue("\(error)".contains("duplicate key"), "\(name): \(error)")
                duplicates += 1
            case (.failure(let treeError), .failure(let error)):
                XCTAssertEqual("\(error)", "\(treeError)", name)
                refused += 1
            case (.failure(let treeError), .success):
                XCTFail("\(name): the tree refuses (\(treeError)), the hasher accepts")
            }
        }
        XCTAssertGreaterThan(duplicates, 0, "the equivalent keys at least")
        XCTAssertGreaterThan(agreed, 40)
        XCTAssertGreaterThan(refused, 50)
        print("hasher against tree: \(agreed) same digest, \(refused) same refusal, \(duplicates) duplicate keys")
    }
}
