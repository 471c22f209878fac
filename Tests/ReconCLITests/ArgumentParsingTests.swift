import ReconCore
import XCTest
@testable import ReconCLI

final class ArgumentParsingTests: XCTestCase {
    private let specs: [OptionSpec] = [
        .option("out", value: "FILE", help: ""),
        .flag("detailed-exitcode", help: ""),
        .option("manifests", short: "m", value: "DIR", help: ""),
        .option("target", value: "T", help: "", repeatable: true),
    ]

    func testEveryFlagSpelling() throws {
        for tokens in [["--out", "p.json"], ["--out=p.json"], ["-out", "p.json"], ["-out=p.json"]] {
            XCTAssertEqual(try ParsedArguments.parse(tokens, specs: specs, command: "plan").value("out"), "p.json", "\(tokens)")
        }
        let parsed = try ParsedArguments.parse(["-detailed-exitcode", "-m", "dir", "pos"], specs: specs, command: "plan")
        XCTAssertTrue(parsed.has("detailed-exitcode"))
        XCTAssertEqual(parsed.value("manifests"), "dir")
        XCTAssertEqual(parsed.positionals, ["pos"])
    }

    func testRepeatableAndDoubleDash() throws {
        let parsed = try ParsedArguments.parse(["--target", "A", "--target=B", "--", "--out"], specs: specs, command: "plan")
        XCTAssertEqual(parsed.all("target"), ["A", "B"])
        XCTAssertEqual(parsed.positionals, ["--out"])
    }

    func testUnknownFlagSuggestsTheClosest() {
        XCTAssertThrowsError(try ParsedArguments.parse(["--detailed-exit-code"], specs: specs, command: "plan")) { error in
            XCTAssertEqual(error as? ReconError, ReconError("unknown flag '--detailed-exit-code' for 'plan'", hint: "did you mean '--detailed-exitcode'?"))
        }
    }

    func testMissingValueAndRepeatedOption() {
        XCTAssertThrowsError(try ParsedArguments.parse(["--out"], specs: specs, command: "plan")) { error in
            XCTAssertEqual((error as? ReconError)?.message, "flag '--out' needs a value (FILE)")
        }
        XCTAssertThrowsError(try ParsedArguments.parse(["--out", "a", "--out", "b"], specs: specs, command: "plan")) { error in
            XCTAssertEqual((error as? ReconError)?.message, "flag '--out' is given more than once")
        }
        XCTAssertThrowsError(try ParsedArguments.parse(["--detailed-exitcode=maybe"], specs: specs, command: "plan"))
    }
}
