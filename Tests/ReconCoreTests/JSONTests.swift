import ReconCore
import XCTest

final class JSONTests: XCTestCase {
    func testCanonicalBytesSortKeysAndAreStable() {
        let a: JSONValue = ["b": 1, "a": ["z": true, "y": nil], "c": [1.5, "x"]]
        let b: JSONValue = ["c": [1.5, "x"], "a": ["y": nil, "z": true], "b": 1]
        XCTAssertEqual(a.canonicalString(), #"{"a":{"y":null,"z":true},"b":1,"c":[1.5,"x"]}"#)
        XCTAssertEqual(a.canonicalBytes(), b.canonicalBytes())
    }

    func testPrettyOutputIsIndentedAndEndsWithNewline() {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        XCTAssertEqual(value.canonicalString(pretty: true), """
            {
              "a": [
                1,
                2
              ],
              "b": {},
              "c": []
            }

            """)
    }

    func testStringEscapes() {
        let value: JSONValue = .string("q\"b\\n\nt\t\u{01}é")
        XCTAssertEqual(value.canonicalString(), #""q\"b\\n\nt\t\u0001é""#)
        XCTAssertEqual(try JSONParser.parse(value.canonicalBytes()), value)
    }

    func testNumberFormat() {
        XCTAssertEqual(JSONWriter.format(3), "3")
        XCTAssertEqual(JSONWriter.format(-0.5), "-0.5")
        XCTAssertEqual(JSONWriter.format(0.1), "0.1")
        XCTAssertEqual(JSONWriter.format(1e20), "1e+20")
        XCTAssertEqual(JSONWriter.format(.nan), "null")
    }

    func testParserRoundTripsEveryKind() throws {
        let text = #"{"s":"a\u00e9\ud83d\ude00","n":-12.5e1,"t":true,"f":false,"z":null,"a":[1,[2],{}]}"#
        let value = try JSONParser.parse(text)
        XCTAssertEqual(value["s"]?.stringValue, "aé😀")
        XCTAssertEqual(value["n"]?.numberValue, -125)
        XCTAssertEqual(value["t"]?.boolValue, true)
        XCTAssertEqual(value["z"], .null)
        XCTAssertEqual(value["a"]?.arrayValue?.count, 3)
        XCTAssertEqual(try JSONParser.parse(value.canonicalBytes()), value)
    }

    func testParserErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")) { error in
            let failure = error as? JSONParser.Failure
            XCTAssertEqual(failure?.line, 3)
            XCTAssertEqual(failure?.column, 7)
            XCTAssertEqual(failure?.message, "expected ':' after key \"b\"")
        }
        for bad in ["", "{", "[1,]", "{\"a\":}", "tru", "01x", "\"unterminated", "[1] 2", "{\"a\":1,}"] {
            XCTAssertThrowsError(try JSONParser.parse(bad), bad)
        }
    }

    func testParserRefusesDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertTrue((error as? JSONParser.Failure)?.message.contains("nesting") == true)
        }
    }

    func testStreamingWriterMatchesTreeWriter() {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.field("a", 1)
        writer.key("b")
        writer.beginArray()
        writer.string("x")
        writer.bool(false)
        writer.null()
        writer.endArray()
        writer.field("c", "y")
        writer.endObject()
        let tree: JSONValue = ["a": 1, "b": ["x", false, nil], "c": "y"]
        XCTAssertEqual(writer.finish(), tree.canonicalBytes(pretty: true))
    }
}
