import XCTest
@testable import YAML

/// Scalars are read as the type the caller expects: the text of a scalar is never rewritten.
final class ScalarResolutionTests: XCTestCase {
    private func scalar(_ text: String) throws -> Node {
        let root = try XCTUnwrap(try YAMLLoader().load("v: \(text)\n", file: "t.yaml").first)
        return try XCTUnwrap(root.mapping?.first?.value)
    }

    func testTextKeepsWhatWasWritten() throws {
        for written in ["no", "on", "off", "yes", "0755", "1e3", "0x1F", "~x", "1_000", "12:30", ".5", "True1"] {
            XCTAssertEqual(try scalar(written).scalar, written, written)
        }
    }

    func testCoreSchemaBooleansOnly() throws {
        XCTAssertEqual(try scalar("true").bool, true)
        XCTAssertEqual(try scalar("False").bool, false)
        XCTAssertEqual(try scalar("TRUE").bool, true)
        for notBoolean in ["yes", "no", "on", "off", "y", "n", "'true'", "\"false\""] {
            XCTAssertNil(try scalar(notBoolean).bool, notBoolean)
        }
    }

    func testIntegersAndNumbers() throws {
        XCTAssertEqual(try scalar("42").int, 42)
        XCTAssertEqual(try scalar("-7").int, -7)
        XCTAssertEqual(try scalar("0x1F").int, 31)
        XCTAssertEqual(try scalar("0o17").int, 15)
        XCTAssertEqual(try scalar("0755").int, 755, "YAML 1.2: a leading zero is decimal")
        XCTAssertNil(try scalar("'42'").int, "quoted is text")
        XCTAssertNil(try scalar("4.2").int)
        XCTAssertEqual(try scalar("1e3").double, 1000)
        XCTAssertEqual(try scalar("4.25").double, 4.25)
        XCTAssertNil(try scalar("abc").double)
        XCTAssertNil(try scalar(".inf").double)
        for notNumber in ["+inf", "-nan", "nan", "inf", "0x1.8p1", "1e", "1.2.3", ".", "1_000"] {
            XCTAssertNil(try scalar(notNumber).double, notNumber)
        }
        XCTAssertEqual(try scalar(".5").double, 0.5)
        XCTAssertEqual(try scalar("-2.5E-1").double, -0.25)
        XCTAssertEqual(try scalar("7.").double, 7)
    }

    func testNullForms() throws {
        for written in ["", "~", "null", "Null", "NULL"] {
            XCTAssertTrue(try scalar(written).isNull, "'\(written)'")
        }
        XCTAssertFalse(try scalar("'null'").isNull, "quoted null is text")
        XCTAssertFalse(try scalar("\"\"").isNull, "an empty quoted string is text")
        XCTAssertEqual(try scalar("\"\"").scalar, "")
    }

    func testSummaryNamesWhatWasFound() throws {
        XCTAssertEqual(try scalar("[1]").summary, "a list")
        XCTAssertEqual(try scalar("{a: 1}").summary, "a mapping")
        XCTAssertEqual(try scalar("true").summary, "the boolean true")
        XCTAssertEqual(try scalar("12").summary, "the number 12")
        XCTAssertEqual(try scalar("hello").summary, "the text 'hello'")
        XCTAssertEqual(try scalar("").summary, "nothing (null)")
    }
}
