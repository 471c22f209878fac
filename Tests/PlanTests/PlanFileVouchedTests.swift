import Foundation
import ReconCore
import State
import TestSupport
import XCTest
@testable import Plan

/// A file whose body's bytes a receipt vouches for is not hashed again in canonical form (issue 12): `save` gives the
/// raw digest of the body's bytes, `verify` asks about exactly that, and anything not exactly as written (another
/// header, a signature to check, other bytes) takes the strict read and canonical digest as before.
final class PlanFileVouchedTests: XCTestCase {
    private struct Asked: Equatable { var digest: String; var bodyBytes: String }

    /// `verify` with a closure that records what it is asked and answers `answer`.
    private func verify(_ bytes: [UInt8], signature: PlanSignature? = nil, threshold: Int = 1 << 20,
                        answer: Bool) throws -> (plan: VerifiedPlan, asked: [Asked]) {
        var asked: [Asked] = []
        let plan = try PlanFile.verify(bytes, signature: signature, decodingAlongsideFrom: threshold) { digest, body in
            asked.append(Asked(digest: digest, bodyBytes: body))
            return answer
        }
        return (plan, asked)
    }

    func testTheSavedBodyDigestIsTheOneVerifyAsksAboutAndAVouchedFileReadsTheSame() throws {
        let folder = TemporaryDirectory()
        for plan in [try PlanFileTests.samplePlan(), try PlanFileStreamTests.largePlan()] {
            let path = folder.path + "/plan.json"
            let saved = try PlanFile.save(plan, to: path, chunkSize: 4096)
            let bytes = try XCTUnwrap(AtomicFile.read(path))
            XCTAssertEqual(bytes, PlanFile.encode(plan))
            XCTAssertEqual(saved.digest, try PlanFile.write(plan, to: path))
            XCTAssertEqual(PlanFile.bodyBytesDigest(bytes), saved.bodyBytes)
            for threshold in [0, Int.max] {
                let (vouched, asked) = try verify(bytes, threshold: threshold, answer: true)
                XCTAssertEqual(asked, [Asked(digest: saved.digest, bodyBytes: saved.bodyBytes)])
                XCTAssertNotNil(vouched.receiptSeconds)
                XCTAssertEqual(vouched.plan, plan)
                XCTAssertEqual(vouched.digest, saved.digest)
                XCTAssertEqual(vouched.bytes, bytes)
                let (strict, _) = try verify(bytes, threshold: threshold, answer: false)
                XCTAssertNil(strict.receiptSeconds, "not vouched: the canonical digest was taken")
                XCTAssertEqual(strict.plan, plan)
                XCTAssertEqual(strict.digest, saved.digest)
            }
        }
    }

    func testABodyEditedUnderItsRecordedDigestIsAskedAboutOtherBytesAndRefusedWhenNotVouched() throws {
        let bytes = PlanFile.encode(try PlanFileStreamTests.largePlan())
        let saved = try XCTUnwrap(PlanFile.bodyBytesDigest(bytes))
        let text = String(decoding: bytes, as: UTF8.self)
        let edited = Array(text.replacingOccurrences(of: "Skill 700 with", with: "Skill 999 with").utf8)
        var asked: [String] = []
        XCTAssertThrowsError(try PlanFile.verify(edited) { _, body in asked.append(body); return body == saved }) {
            XCTAssertTrue("\($0)".contains("modified after it was made"), "\($0)")
        }
        XCTAssertEqual(asked.count, 1)
        XCTAssertNotEqual(asked.first, saved, "the raw digest covers every byte of the body")
        // Reformatted (compact): the same canonical body, other bytes; read strictly, and valid.
        let compact = try JSONParser.parse(bytes).canonicalBytes()
        let (plan, compactAsked) = try verify(compact, answer: false)
        XCTAssertEqual(compactAsked.count, 1)
        XCTAssertNotEqual(compactAsked.first?.bodyBytes, saved)
        XCTAssertNil(plan.receiptSeconds)
    }

    func testASignedFileOrAnotherHeaderIsNeverAskedAbout() throws {
        let plan = try PlanFileTests.samplePlan()
        let signature = try XCTUnwrap(PlanSignature.fromEnvironment([PlanSignature.environmentVariable: "k3y"]))
        let signed = PlanFile.encode(plan, signature: signature)
        let (checked, asked) = try verify(signed, signature: signature, answer: true)
        XCTAssertEqual(asked, [], "a signature is checked over the canonical bytes, which only the strict read makes")
        XCTAssertNil(checked.receiptSeconds)
        // The signature not asked for: the file is still as written, header and all, so it may be vouched for.
        XCTAssertEqual(try verify(signed, answer: true).asked.count, 1)

        let text = String(decoding: PlanFile.encode(plan), as: UTF8.self)
        let extra = Array(text.replacingOccurrences(of: "{\n  \"digest\"", with: "{\n  \"comment\": \"x\",\n  \"digest\"").utf8)
        XCTAssertEqual(try verify(extra, answer: true).asked, [], "a member plan -out does not write")
        let digest = try XCTUnwrap(try JSONParser.parse(Array(text.utf8))["digest"]?.stringValue)
        let twice = Array(text.replacingOccurrences(of: "{\n  \"digest\"", with: "{\n  \"digest\": \"\(digest)\",\n  \"digest\"").utf8)
        XCTAssertThrowsError(try verify(twice, answer: true)) { XCTAssertTrue("\($0)".contains("duplicate key"), "\($0)") }
        let newer = Array(text.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 99").utf8)
        XCTAssertThrowsError(try verify(newer, answer: true)) { XCTAssertTrue("\($0)".contains("newer"), "\($0)") }
    }
}
