import ReconCore
import XCTest
@testable import Plan

/// A large plan file's body is decoded on a second thread while its digest is taken: whatever the file, the answer
/// must be the one-after-the-other read's, the same plan or the same refusal.
final class PlanBodyDecodingTests: XCTestCase {
    private func bothWays(_ bytes: [UInt8]) -> (alongside: Result<VerifiedPlan, ReconError>, inline: Result<VerifiedPlan, ReconError>) {
        func read(_ threshold: Int) -> Result<VerifiedPlan, ReconError> {
            do { return .success(try PlanFile.verify(bytes, decodingAlongsideFrom: threshold)) } catch { return .failure(error) }
        }
        return (read(0), read(.max))
    }

    private func assertSameAnswer(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        switch bothWays(bytes) {
        case (.success(let alongside), .success(let inline)):
            XCTAssertEqual(alongside.plan, inline.plan, file: file, line: line)
            XCTAssertEqual(alongside.digest, inline.digest, file: file, line: line)
        case (.failure(let alongside), .failure(let inline)):
            XCTAssertEqual(alongside.message, inline.message, file: file, line: line)
        case let (alongside, inline):
            XCTFail("alongside \(alongside), inline \(inline)", file: file, line: line)
        }
    }

    func testTheHeaderScanFindsTheBodyTheDigestCovers() throws {
        for plan in [try PlanFileTests.samplePlan(), try PlanFileStreamTests.largePlan()] {
            let bytes = PlanFile.encode(plan)
            let document = try CanonicalJSONHasher.read(bytes, hashing: "plan")
            XCTAssertNotNil(document.start)
            XCTAssertEqual(PlanBodyDecoding.bodyStart(bytes), document.start)
            XCTAssertEqual(try PlanFile.verify(bytes, decodingAlongsideFrom: 0).plan, plan)
            assertSameAnswer(bytes)
        }
    }

    func testAnEditedLargeBodyIsRefusedAsBefore() throws {
        let text = String(decoding: PlanFile.encode(try PlanFileStreamTests.largePlan()), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "Skill 700 with", with: "Skill 999 with")
        XCTAssertNotEqual(edited, text)
        XCTAssertThrowsError(try PlanFile.verify(Array(edited.utf8), decodingAlongsideFrom: 0)) { error in
            XCTAssertTrue((error as? ReconError)?.message.contains("modified after it was made") == true, "\(error)")
        }
        assertSameAnswer(Array(edited.utf8))
    }

    /// The decoder's own refusals (a digest made over a bad body, a duplicate record) come out the same way.
    func testABodyOnlyTheDecoderRefusesGivesItsError() throws {
        let plan = try PlanFileStreamTests.largePlan()
        let body = try XCTUnwrap(try JSONParser.parse(PlanFile.encode(plan))["plan"])
        guard case .object(var members) = body, case .array(var changes)? = members["record_changes"] else { return XCTFail("no changes") }
        changes.append(changes[0])
        members["record_changes"] = .array(changes)
        let doubled = JSONValue.object(members)
        let file = Array(#"{"digest": "sha256:\#(SHA256.hex(doubled.canonicalBytes()))", "format_version": 1, "plan": "#.utf8)
            + doubled.canonicalBytes() + Array("}".utf8)
        XCTAssertThrowsError(try PlanFile.verify(file, decodingAlongsideFrom: 0)) { error in
            XCTAssertTrue("\(error)".contains("two changes for"), "\(error)")
        }
        assertSameAnswer(file)
    }

    /// Bodies the header scan places differently or not at all: a second `plan` member, a body first, no object.
    func testOddHeadersGiveTheInlineAnswer() throws {
        let bytes = PlanFile.encode(try PlanFileStreamTests.largePlan())
        let text = String(decoding: bytes, as: UTF8.self)
        let twice = text.replacingOccurrences(of: #""format_version": 1,"#, with: #""format_version": 1, "plan": {},"#)
        XCTAssertNotEqual(twice, text)
        XCTAssertThrowsError(try PlanFile.verify(Array(twice.utf8), decodingAlongsideFrom: 0)) { error in
            XCTAssertTrue("\(error)".contains("duplicate key"), "\(error)")
        }
        assertSameAnswer(Array(twice.utf8))
        let body = try XCTUnwrap(try JSONParser.parse(bytes)["plan"])
        let bodyFirst = Array(#"{"plan": "#.utf8) + body.canonicalBytes()
            + Array(#", "format_version": 1, "digest": "sha256:\#(SHA256.hex(body.canonicalBytes()))"}"#.utf8)
        XCTAssertEqual(PlanBodyDecoding.bodyStart(bodyFirst), 9)
        assertSameAnswer(bodyFirst)
        for garbage in ["not json", "{}", "[1]", #"{"plan": "#] {
            XCTAssertNil(PlanBodyDecoding.bodyStart(Array(garbage.utf8)))
            assertSameAnswer(Array(garbage.utf8))
        }
    }
}
