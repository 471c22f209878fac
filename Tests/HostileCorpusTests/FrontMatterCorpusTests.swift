@testable import Extract
import ReconCore
import XCTest
import YAML

/// `Corpus/frontmatter`: each file read as a `frontmatter` source, as extraction does. `ok none`
/// means no front matter; `ok name=X` means the front matter's `name` is X.
final class FrontMatterCorpusTests: XCTestCase {
    func testEveryFrontMatterCaseHasItsExpectedOutcome() throws {
        let cases = try CorpusCase.all("frontmatter")
        for item in cases {
            let file = SourceFile(repo: "core", path: (item.name as NSString).lastPathComponent, bytes: item.bytes, sourceCommit: "c0")
            let document: SourceDocument
            do {
                document = try SourceDocument(file, format: .frontmatter)
            } catch {
                let diagnostic = error.diagnostic
                XCTAssertEqual(diagnostic.location?.file, "core:\(file.path)", item.name)
                item.expectation.checkRefusal(diagnostic.description, line: diagnostic.location?.line,
                                              column: diagnostic.location?.column, case: item.name)
                continue
            }
            guard case .ok(let detail) = item.expectation else {
                XCTFail("\(item.name): expected \(item.expectation), read \(String(describing: document.data?.summary))")
                continue
            }
            XCTAssertNotNil(document.markdown, item.name)
            if detail == "none" {
                XCTAssertNil(document.data, item.name)
            } else if detail.hasPrefix("name=") {
                let name = document.data?.mapping?.first { $0.key.scalar == "name" }?.value.scalar
                XCTAssertEqual(name, String(detail.dropFirst(5)), item.name)
            } else {
                XCTAssertNotNil(document.data?.mapping, "\(item.name): no front matter")
            }
        }
        print("Front matter corpus: \(cases.count) cases")
    }
}
