import Manifest
import ReconCore
import XCTest

/// `Corpus/yaml`: each file is a whole manifest, loaded and validated by the real loader. A
/// refusal must carry the case's own file name and a line and column.
final class YAMLManifestCorpusTests: XCTestCase {
    func testEveryManifestCaseHasItsExpectedOutcome() throws {
        let cases = try CorpusCase.all("yaml")
        for item in cases {
            let file = (item.name as NSString).lastPathComponent
            do {
                let manifest = try ManifestLoader().load(sources: [(file, item.bytes)])
                guard case .ok = item.expectation else {
                    XCTFail("\(item.name): expected \(item.expectation), loaded \(manifest.tables.map(\.name))")
                    continue
                }
            } catch {
                XCTAssertFalse(error.errors.isEmpty, item.name)
                for diagnostic in error.errors {
                    XCTAssertEqual(diagnostic.location?.file, file, "\(item.name): \(diagnostic)")
                    XCTAssertGreaterThan(diagnostic.location?.line ?? 0, 0, "\(item.name): \(diagnostic)")
                }
                let match = error.errors.first { item.expectation.matches($0.description) } ?? error.errors[0]
                item.expectation.checkRefusal(match.description, line: match.location?.line, column: match.location?.column,
                                              case: item.name)
            }
        }
        print("YAML manifest corpus: \(cases.count) cases")
    }
}
