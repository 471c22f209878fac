import Foundation
import XCTest

/// Every rule of the contract runs against every provider: a rule added to `ProviderContract` and not to a
/// subclass would otherwise pass unseen (Linux's discovery lists only the methods a class declares).
final class ContractCoverageTests: XCTestCase {
    func testEverySubclassRunsEveryRule() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        func matches(_ pattern: String, in file: String) throws -> Set<String> {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: pattern)
            return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range(at: 1), in: text).map { String(text[$0]) }
            })
        }
        let rules = try matches(#"func rule(\w+)\(\) throws"#, in: "ProviderContract.swift")
        XCTAssertGreaterThanOrEqual(rules.count, 10)
        for subclass in ["SQLiteContractTests.swift", "AirtableContractTests.swift", "PostgresContractTests.swift"] {
            let runs = try matches(#"func test(\w+)\(\) throws \{ try rule\1\(\) \}"#, in: subclass)
            XCTAssertEqual(runs, rules, "\(subclass) runs every rule of the contract, each under its own name")
        }
    }
}
