import ReconCore
import XCTest

/// `Corpus/json`: every case through the one JSON parser; accepted values must also survive
/// encode → parse unchanged.
final class JSONCorpusTests: XCTestCase {
    func testEveryJSONCaseHasItsExpectedOutcome() throws {
        let cases = try CorpusCase.all("json")
        for item in cases {
            do {
                let value = try JSONParser.parse(item.bytes)
                let canonical = value.canonicalString()
                switch item.expectation {
                case .value(let expected): XCTAssertEqual(canonical, expected, item.name)
                case .ok: break
                default: XCTFail("\(item.name): expected \(item.expectation), parsed \(canonical.prefix(200))")
                }
                XCTAssertEqual(try JSONParser.parse(value.canonicalBytes()), value, "\(item.name): round trip")
            } catch {
                item.expectation.checkRefusal(error.message, line: error.line, column: error.column, case: item.name)
            }
        }
        print("JSON corpus: \(cases.count) cases")
    }
}
