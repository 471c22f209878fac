import Foundation
import ReconCore
import State
import TestSupport
import XCTest
@testable import Plan

/// A file whose body's bytes a receipt vouches for is not hashed again in canonical form (issue 12): `save` gives the
/// raw digest of the body's bytes, `verify` compares the file's with the one vouched for, and anything not exactly as
/// written (another header, a signature to check, other bytes) takes the strict read and canonical digest as before.
/// A vouched body is decoded in two halves at once; the plan must be the one-go decode's, change for change.
final class PlanFileVouchedTests: XCTestCase {
    /// `verify` vouching for `vouched` (nil: no receipt); returns what it read and the digests it was asked about.
    private func verify(_ bytes: [UInt8], signature: PlanSignature? = nil, threshold: Int = 1 << 20,
                        vouching vouched: String?) throws -> (plan: VerifiedPlan, asked: [String]) {
        var asked: [String] = []
        let plan = try PlanFile.verify(bytes, signature: signature, decodingAlongsideFrom: threshold) { digest in
            asked.append(digest)
            return vouched
        }
        return (plan, asked)
    }

    func testTheSavedBodyDigestIsTheOneComparedAndAVouchedFileReadsTheSameInOneGoOrInHalves() throws {
        let folder = TemporaryDirectory()
        for plan in [try PlanFileTests.samplePlan(), try PlanFileStreamTests.largePlan()] {
            let path = folder.path + "/plan.json"
            let saved = try PlanFile.save(plan, to: path, chunkSize: 4096)
            let bytes = try XCTUnwrap(AtomicFile.read(path))
            XCTAssertEqual(bytes, PlanFile.encode(plan))
            XCTAssertEqual(saved.digest, try PlanFile.write(plan, to: path))
            XCTAssertEqual(PlanFile.bodyBytesDigest(bytes), saved.bodyBytes)
            for threshold in [0, Int.max] {
                let (vouched, asked) = try verify(bytes, threshold: threshold, vouching: saved.bodyBytes)
                XCTAssertEqual(asked, [saved.digest])
                XCTAssertNotNil(vouched.receiptSeconds)
                XCTAssertEqual(vouched.plan, plan)
                XCTAssertEqual(vouched.digest, saved.digest)
                XCTAssertEqual(vouched.bytes, bytes)
                for other in [nil, String(repeating: "0", count: 64)] {
                    let (strict, _) = try verify(bytes, threshold: threshold, vouching: other)
                    XCTAssertNil(strict.receiptSeconds, "not vouched: the canonical digest was taken")
                    XCTAssertEqual(strict.plan, plan)
                    XCTAssertEqual(strict.digest, saved.digest)
                }
            }
        }
    }

    func testABodyEditedUnderItsRecordedDigestIsRefusedAndAReformattedOneReadStrictly() throws {
        let bytes = PlanFile.encode(try PlanFileStreamTests.largePlan())
        let saved = try XCTUnwrap(PlanFile.bodyBytesDigest(bytes))
        let text = String(decoding: bytes, as: UTF8.self)
        let edited = Array(text.replacingOccurrences(of: "Skill 700 with", with: "Skill 999 with").utf8)
        XCTAssertThrowsError(try verify(edited, threshold: 0, vouching: saved)) {
            XCTAssertTrue("\($0)".contains("modified after it was made"), "\($0)")
        }
        // Reformatted (compact): the same canonical body, other bytes; read strictly, and valid.
        let compact = try JSONParser.parse(bytes).canonicalBytes()
        let (plan, asked) = try verify(compact, threshold: 0, vouching: saved)
        XCTAssertEqual(asked.count, 1)
        XCTAssertNil(plan.receiptSeconds)
        XCTAssertEqual(plan.plan, try PlanFile.decode(bytes))
    }

    func testASignedFileOrAnotherHeaderIsNeverAskedAbout() throws {
        let plan = try PlanFileTests.samplePlan()
        let signature = try XCTUnwrap(PlanSignature.fromEnvironment([PlanSignature.environmentVariable: "k3y"]))
        let signed = PlanFile.encode(plan, signature: signature)
        let body = PlanFile.bodyBytesDigest(signed)
        let (checked, asked) = try verify(signed, signature: signature, vouching: body)
        XCTAssertEqual(asked, [], "a signature is checked over the canonical bytes, which only the strict read makes")
        XCTAssertNil(checked.receiptSeconds)
        // The signature not asked for: the file is still as written, header and all, so it may be vouched for.
        XCTAssertNotNil(try verify(signed, vouching: body).plan.receiptSeconds)

        let text = String(decoding: PlanFile.encode(plan), as: UTF8.self)
        let vouched = PlanFile.bodyBytesDigest(Array(text.utf8))
        let extra = Array(text.replacingOccurrences(of: "{\n  \"digest\"", with: "{\n  \"comment\": \"x\",\n  \"digest\"").utf8)
        XCTAssertEqual(try verify(extra, vouching: vouched).asked, [], "a member plan -out does not write")
        let digest = try XCTUnwrap(try JSONParser.parse(Array(text.utf8))["digest"]?.stringValue)
        let twice = Array(text.replacingOccurrences(of: "{\n  \"digest\"", with: "{\n  \"digest\": \"\(digest)\",\n  \"digest\"").utf8)
        XCTAssertThrowsError(try verify(twice, vouching: vouched)) { XCTAssertTrue("\($0)".contains("duplicate key"), "\($0)") }
        let newer = Array(text.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 99").utf8)
        XCTAssertThrowsError(try verify(newer, vouching: vouched)) { XCTAssertTrue("\($0)".contains("newer"), "\($0)") }
    }

    /// The cut falls between two changes of `record_changes`, whatever the values hold (brackets, braces, quotes and
    /// newlines in strings), and the two halves give the one-go decode's plan, or its refusal.
    func testTheCutFallsBetweenTwoChangesAndTheHalvesGiveTheWholePlan() throws {
        var fixture = try PlanFixture()
        for index in 0..<300 {
            fixture.want("core:skills/s\(index)", ["Name": .text("},\n      {\"x\": [\n    ]\(index)"), "Notes": .text("\n    ]"),
                                                    "Ready": .bool(index % 3 == 0)])
        }
        let plan = try fixture.plan()
        let bytes = PlanFile.encode(plan)
        let start = try XCTUnwrap(PlanFileHeader.scan(bytes)?.start)
        let split = try XCTUnwrap(RecordChangeSplit.find(bytes, body: start, minimum: 0))
        XCTAssertEqual(bytes[split.comma], UInt8(ascii: ","))
        XCTAssertEqual(bytes[split.close], UInt8(ascii: "]"))
        XCTAssertEqual(try PlanDecoder.plan(bytes, at: start, halvedAt: split), plan)
        XCTAssertNil(RecordChangeSplit.find(bytes, body: start, minimum: bytes.count), "too short to cut")
        XCTAssertNil(RecordChangeSplit.find(try JSONParser.parse(bytes).canonicalBytes(), body: 0, minimum: 0), "not the written layout")
        // A cut elsewhere than between two changes is refused by the halves, never read as another plan.
        let wrong = RecordChangeSplit(comma: split.comma - 3, close: split.close, firstCount: split.firstCount, restCount: split.restCount)
        XCTAssertThrowsError(try PlanDecoder.plan(bytes, at: start, halvedAt: wrong))
        // A record given twice, once in each half, is refused as in one go.
        var twice = plan
        twice.recordChanges.append(plan.recordChanges[0])
        let repeated = PlanFile.encode(twice)
        let cut = try XCTUnwrap(RecordChangeSplit.find(repeated, body: start, minimum: 0))
        XCTAssertThrowsError(try PlanDecoder.plan(repeated, at: start, halvedAt: cut)) { XCTAssertTrue("\($0)".contains("two changes for"), "\($0)") }
        // And a record given twice within the first half (the worker's reader leaves that to the main thread's).
        var early = plan
        early.recordChanges.insert(plan.recordChanges[0], at: 1)
        let inFirst = PlanFile.encode(early)
        let first = try XCTUnwrap(RecordChangeSplit.find(inFirst, body: start, minimum: 0))
        XCTAssertGreaterThan(first.firstCount, 2)
        XCTAssertThrowsError(try PlanDecoder.plan(inFirst, at: start, halvedAt: first)) { XCTAssertTrue("\($0)".contains("two changes for"), "\($0)") }
    }

    /// The two halves go straight into one array of the count the layout shows, no second array joined by a copy
    /// (issue 12, goal 5: the join was +22 MiB at 100,000 creates); a count the halves do not meet is refused as a
    /// wrong cut is, and the file is then read in one go.
    func testTheHalvesFillOneArrayOfTheLayoutsCountAndAWrongCountIsRefused() throws {
        var fixture = try PlanFixture()
        for index in 0..<301 {
            fixture.want("core:skills/s\(index)", ["Name": .text("},\n      {\"x\": [\n    ]\(index)"), "Ready": .bool(index % 2 == 0)])
        }
        let plan = try fixture.plan()
        let bytes = PlanFile.encode(plan)
        let start = try XCTUnwrap(PlanFileHeader.scan(bytes)?.start)
        let split = try XCTUnwrap(RecordChangeSplit.find(bytes, body: start, minimum: 0))
        XCTAssertEqual(split.count, plan.recordChanges.count)
        XCTAssertGreaterThan(split.restCount, 0)
        let halved = try PlanDecoder.plan(bytes, at: start, halvedAt: split)
        XCTAssertEqual(halved, plan)
        XCTAssertEqual(halved.recordChanges.capacity, plan.recordChanges.count, "one allocation of exactly the list's count")
        for (first, rest) in [(split.firstCount - 1, split.restCount), (split.firstCount + 1, split.restCount),
                              (split.firstCount, split.restCount - 1), (split.firstCount, split.restCount + 1)] {
            let wrong = RecordChangeSplit(comma: split.comma, close: split.close, firstCount: first, restCount: rest)
            XCTAssertThrowsError(try PlanDecoder.plan(bytes, at: start, halvedAt: wrong), "\(first) + \(rest)") {
                XCTAssertTrue("\($0)".contains("not where its layout puts them"), "\($0)")
            }
        }
        let digest = PlanFile.bodyBytesDigest(bytes)
        XCTAssertEqual(try verify(bytes, threshold: 0, vouching: digest).plan.plan, plan)
    }
}
