import Plan
import ReconCore
import XCTest

/// `Corpus/plan`: plan files (the valid one made by `recon plan -out`) through the real decoder.
/// Cases that change types carry a recomputed digest, so they reach the body decoder.
final class PlanFileCorpusTests: XCTestCase {
    func testEveryPlanCaseHasItsExpectedOutcome() throws {
        let cases = try CorpusCase.all("plan")
        for item in cases {
            do {
                let plan = try PlanFile.decode(item.bytes)
                guard case .ok = item.expectation else {
                    XCTFail("\(item.name): expected \(item.expectation), decoded \(plan.recordChanges.count) changes")
                    continue
                }
                XCTAssertEqual(try PlanFile.decode(PlanFile.encode(plan)), plan, "\(item.name): encode → decode")
            } catch {
                item.expectation.checkRefusal(error.description, line: nil, column: nil, case: item.name)
            }
        }
        print("Plan file corpus: \(cases.count) cases")
    }
}
