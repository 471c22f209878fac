import Foundation
import ReconCore
import State
import TestSupport
import XCTest
@testable import Plan

/// The plan file written in chunks (`PlanFile.write`) and the change-by-change round trip must give exactly what
/// the whole-buffer forms gave: the same bytes, the same digest, the same decoded plan; and a failed write must
/// leave the file that was there.
final class PlanFileStreamTests: XCTestCase {
    /// Enough creates for a file of several hundred kilobytes: many chunks at a small chunk size.
    static func largePlan(creates: Int = 1500) throws -> Plan {
        var fixture = try PlanFixture()
        for index in 0..<creates {
            fixture.want("core:skills/s\(index)", ["Name": .text("Skill \(index) with \"quotes\" and é"), "Score": .number(Double(index) / 8),
                                                    "Ready": .bool(index % 2 == 0), "Notes": .text("line one\nline two \(index)")])
        }
        fixture.want("core:skills/changed", ["Name": .text("After")])
        fixture.applied("core:skills/changed", id: "recChanged", ["Name": .text("Before")], remote: ["Name": .text("Before")])
        fixture.applied("core:skills/gone", id: "recGone", ["Name": .text("Gone")], remote: ["Name": .text("Gone")])
        return try fixture.plan()
    }

    func testStreamedFileIsExactlyTheEncodedBytes() throws {
        let folder = TemporaryDirectory()
        let signature = try PlanSignature.fromEnvironment([PlanSignature.environmentVariable: "k3y"])
        for plan in [try PlanFileTests.samplePlan(), try Self.largePlan()] {
            for signed in [nil, signature] {
                let path = folder.path + "/plan.json"
                let digest = try PlanFile.write(plan, signature: signed, to: path, chunkSize: 4096)
                let written = try XCTUnwrap(AtomicFile.read(path))
                XCTAssertEqual(written, PlanFile.encode(plan, signature: signed), "the streamed file is byte for byte the buffered one")
                XCTAssertEqual(digest, PlanFile.digest(of: plan))
                XCTAssertEqual(try PlanFile.verify(written, signature: signed).plan, plan)
            }
        }
        XCTAssertGreaterThan(PlanFile.encode(try Self.largePlan()).count, 100 * 4096, "the large plan spans many chunks")
    }

    func testRoundTripChangeByChangeEqualsDecodingTheWholeFile() throws {
        for plan in [try PlanFileTests.samplePlan(), try Self.largePlan()] {
            XCTAssertEqual(try PlanFile.roundTrip(plan), try PlanFile.decode(PlanFile.encode(plan)))
        }
    }

    func testRoundTripRefusesTwoChangesForOneRecordAsTheFileDecoderDoes() throws {
        var plan = try Self.largePlan(creates: 3)
        plan.recordChanges.append(plan.recordChanges[0])
        XCTAssertThrowsError(try PlanFile.decode(PlanFile.encode(plan))) { XCTAssertTrue("\($0)".contains("two changes for")) }
        XCTAssertThrowsError(try PlanFile.roundTrip(plan)) { XCTAssertTrue("\($0)".contains("two changes for")) }
    }

    /// A real write failure part-way through (the file-size limit, EFBIG): the old file stays, no temp file is left.
    func testFailureMidWriteLeavesTheOldFile() throws {
        let folder = TemporaryDirectory()
        let path = folder.write("plan.json", "the reviewed plan\n")
        let plan = try Self.largePlan()
        var limit = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit), 0)
        let saved = limit
        let previous = signal(SIGXFSZ, SIG_IGN)
        limit.rlim_cur = 64 * 1024
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit), 0)
        var failure: Error?
        do {
            _ = try PlanFile.write(plan, to: path, chunkSize: 4096)
        } catch {
            failure = error
        }
        var restore = saved
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &restore), 0)
        signal(SIGXFSZ, previous)
        XCTAssertTrue("\(failure.map { "\($0)" } ?? "no error")".contains("cannot write"), "got \(String(describing: failure))")
        XCTAssertEqual(try AtomicFile.read(path), Array("the reviewed plan\n".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["plan.json"], "the temp file is removed")
    }
}

/// The digest is taken from the pretty bytes with the indentation dropped: it must be the compact form's, byte
/// for byte, whatever the strings hold and wherever the chunks split them.
final class PlanBodyDigestTests: XCTestCase {
    func testPrettyBytesLessIndentationAreTheCompactForm() throws {
        let tricky: [String] = ["a \\\" b", "ends in a backslash \\", "\\\\", "  spaced  ", "\"", "line\nbreak\ttab",
                                "\u{1} control", "é and 日本", "{\"not\": [json]}", ""]
        let value: JSONValue = .object(Dictionary(uniqueKeysWithValues: tricky.enumerated().map { index, text in
            ("key \(index) \(text)", .array([.string(text), .number(Double(index) / 4), .bool(index % 2 == 0), .null, .object([:])]))
        }))
        let compact = value.canonicalBytes()
        let pretty = value.canonicalBytes(pretty: true)
        XCTAssertNotEqual(pretty, compact)
        for size in [1, 2, 3, 7, pretty.count] {
            var digest = PlanBodyDigest(keeping: true)
            var start = 0
            while start < pretty.count {
                digest.feed(Array(pretty[start..<min(start + size, pretty.count)]))
                start += size
            }
            let (hash, body) = digest.digest()
            XCTAssertEqual(String(decoding: body, as: UTF8.self), String(decoding: compact, as: UTF8.self), "chunks of \(size)")
            XCTAssertEqual(hash, "sha256:" + SHA256.hex(compact))
        }
    }

    /// Strings made of the bytes that move the string state (quotes, backslashes, spaces, newlines), fed in chunks of
    /// every size from 1 to 40: the runs copied whole inside strings (`memchr`) must stop at each of them.
    func testRandomStringsInAnyChunkingGiveTheCompactForm() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["\"", "\\", " ", "\n", "a", "é", ":", ",", "{", "]", "u", "0"]
        for round in 0..<20 {
            let texts = (0..<30).map { _ in String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
            let value: JSONValue = .object(Dictionary(uniqueKeysWithValues: texts.enumerated().map { ("\($0.offset) \($0.element)", .array([.string($0.element), .object(["k \($0.element)": .string($0.element)])])) }))
            let compact = value.canonicalBytes()
            let pretty = value.canonicalBytes(pretty: true)
            for size in 1...40 {
                var digest = PlanBodyDigest(keeping: true)
                var start = 0
                while start < pretty.count {
                    digest.feed(Array(pretty[start..<min(start + size, pretty.count)]))
                    start += size
                }
                let (hash, body) = digest.digest()
                XCTAssertEqual(body, compact, "round \(round), chunks of \(size): \(texts)")
                XCTAssertEqual(hash, "sha256:" + SHA256.hex(compact))
            }
        }
    }

    /// Values with the characters that move the string state, in a plan large enough for many chunks.
    func testStreamedDigestOfTrickyValuesIsTheCompactDigest() throws {
        var fixture = try PlanFixture()
        for index in 0..<400 {
            fixture.want("core:skills/s\(index) \\ \"x\"", ["Name": .text("back\\slash \\\"\(index)\\"), "Notes": .text("  \n  \\n  "),
                                                           "Score": .number(Double(index) / 3)])
        }
        let plan = try fixture.plan()
        let folder = TemporaryDirectory()
        for signed in [nil, try PlanSignature.fromEnvironment([PlanSignature.environmentVariable: "k3y"])] {
            let digest = try PlanFile.write(plan, signature: signed, to: folder.path + "/plan.json", chunkSize: 512)
            XCTAssertEqual(digest, PlanFile.digest(of: plan))
            let written = try XCTUnwrap(AtomicFile.read(folder.path + "/plan.json"))
            XCTAssertEqual(written, PlanFile.encode(plan, signature: signed))
            XCTAssertEqual(try PlanFile.verify(written, signature: signed).plan, plan)
        }
    }
}

/// The encoder's dictionary-free check must say whether the state is what a create implies (its managed fields, which the
/// decoder gives back when the file leaves them out), or the file's bytes change.
final class PlanCompactionTests: XCTestCase {
    func testIsDerivedStateAgreesWithDerivedState() {
        let all: [(name: String, value: FieldValue)] = [("A", .text("1")), ("B", .number(2)), ("C", .list(["x"]))]
        let managedLists: [[String]?] = [nil, [], ["A"], ["A", "B"], ["A", "A", "C"], ["D"], ["C", "B", "A"]]
        let states: [[String: FieldValue]] = [[:], ["A": .text("1")], ["A": .text("1"), "B": .number(2)], ["A": .text("9")],
                                              ["D": .text("1")], ["A": .text("1"), "B": .number(2), "C": .list(["x"])], ["C": .list(["x"])]]
        var agreed = 0
        for count in 0...all.count {
            let pairs = Array(all.prefix(count))
            let values = Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.value) })
            for managed in managedLists {
                for state in states {
                    XCTAssertEqual(PlanCompaction.isDerivedState(FieldCells(state), from: pairs, managed: managed),
                                   implied(values, managed: managed) == state, "\(pairs) \(String(describing: managed)) \(state)")
                    agreed += 1
                }
            }
        }
        XCTAssertEqual(agreed, 4 * 7 * 7)
    }

    private func implied(_ values: [String: FieldValue], managed: [String]?) -> [String: FieldValue] {
        values.filter { managed?.contains($0.key) == true }
    }
}
