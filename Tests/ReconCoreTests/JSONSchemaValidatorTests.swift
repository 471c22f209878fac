import ReconCore
import TestSupport
import XCTest

/// The schema validator the machine-output tests rely on: each keyword accepts what it should and refuses
/// what it should, so a schema check built on it can fail.
final class JSONSchemaValidatorTests: XCTestCase {
    func testType() throws {
        try expect(#"{"type": "string"}"#, accepts: [#""a""#], refuses: ["1", "null", "true", "[]", "{}"])
        try expect(#"{"type": "integer"}"#, accepts: ["3", "-2", "1.0"], refuses: ["1.5", #""3""#])
        try expect(#"{"type": "number"}"#, accepts: ["1.5", "2"], refuses: [#""1""#, "false"])
        try expect(#"{"type": ["string", "null"]}"#, accepts: [#""a""#, "null"], refuses: ["0", "[]"])
        try expect(#"{"type": "boolean"}"#, accepts: ["true", "false"], refuses: ["0", "null"])
        try expect(#"{"type": "array"}"#, accepts: ["[]", "[1]"], refuses: ["{}"])
        try expect(#"{"type": "object"}"#, accepts: ["{}"], refuses: ["[]", #""{}""#])
        try expect(#"{"type": "null"}"#, accepts: ["null"], refuses: ["0", #""""#])
    }

    func testPropertiesAndRequired() throws {
        let schema = #"{"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}"#
        try expect(schema, accepts: [#"{"a": 1}"#, #"{"a": 1, "b": "extra"}"#], refuses: ["{}", #"{"a": "1"}"#, #"{"b": 1}"#])
    }

    func testAdditionalProperties() throws {
        try expect(#"{"properties": {"a": {}}, "additionalProperties": false}"#,
                   accepts: ["{}", #"{"a": [1]}"#], refuses: [#"{"a": 1, "b": 2}"#])
        try expect(#"{"additionalProperties": {"type": "string"}}"#,
                   accepts: ["{}", #"{"x": "1", "y": "2"}"#], refuses: [#"{"x": "1", "y": 2}"#])
    }

    func testPatternProperties() throws {
        let schema = #"{"patternProperties": {"^RC[0-9]+$": {"type": "integer"}}, "additionalProperties": false}"#
        try expect(schema, accepts: [#"{"RC101": 3}"#], refuses: [#"{"RC101": "3"}"#, #"{"XX": 3}"#])
    }

    func testItemsAndMinItems() throws {
        try expect(#"{"type": "array", "items": {"type": "string"}, "minItems": 1}"#,
                   accepts: [#"["a"]"#, #"["a", "b"]"#], refuses: ["[]", #"["a", 2]"#])
    }

    func testEnumAndConst() throws {
        try expect(#"{"enum": ["create", "update", 1]}"#, accepts: [#""create""#, "1", "1.0"], refuses: [#""Create""#, "2", "null"])
        try expect(#"{"const": 1}"#, accepts: ["1"], refuses: [#""1""#, "2", "true"])
        try expect(#"{"const": {"a": [1, "x"]}}"#, accepts: [#"{"a": [1, "x"]}"#], refuses: [#"{"a": ["x", 1]}"#])
    }

    func testOneOfNeedsExactlyOneBranch() throws {
        let schema = #"{"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]}"#
        // 12 matches both branches, so oneOf refuses it; 3 matches only the first, 10.5 only the second.
        try expect(schema, accepts: ["3", "10.5"], refuses: ["12", "2.5", #""a""#])
    }

    func testAnyOfNeedsOneBranch() throws {
        let schema = #"{"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]}"#
        try expect(schema, accepts: ["3", "12", "10.5"], refuses: ["2.5", #""a""#])
    }

    func testMinimum() throws {
        try expect(#"{"minimum": 0}"#, accepts: ["0", "4.5", #""not a number""#], refuses: ["-1", "-0.5"])
    }

    func testPatternMatchesAnywhereUnlessAnchored() throws {
        try expect(#"{"pattern": "b+"}"#, accepts: [#""abbc""#], refuses: [#""ac""#])
        try expect(#"{"pattern": "^sha256:[0-9a-f]{64}$"}"#, accepts: ["\"sha256:" + String(repeating: "a", count: 64) + "\""],
                   refuses: ["\"sha256:" + String(repeating: "a", count: 63) + "\"", #""xsha256:""#])
    }

    func testRefToDefs() throws {
        let schema = ##"{"$defs": {"name": {"type": "string"}}, "type": "array", "items": {"$ref": "#/$defs/name"}}"##
        try expect(schema, accepts: [#"["a"]"#], refuses: ["[1]"])
    }

    func testBooleanSchemas() throws {
        try expect(#"{"properties": {"gone": false, "any": true}}"#, accepts: [#"{"any": 1}"#], refuses: [#"{"gone": 1}"#])
    }

    func testErrorsNameTheMemberByPointer() throws {
        let validator = try JSONSchemaValidator(schema: try JSONParser.parse(
            #"{"properties": {"runs": {"items": {"properties": {"a/b": {"type": "string"}}}}}}"#))
        let errors = validator.errors(try JSONParser.parse(#"{"runs": [{"a/b": "x"}, {"a/b": 3}]}"#))
        XCTAssertEqual(errors, ["/runs/1/a~1b: expected string, found an integer"])
    }

    /// Unknown keywords, dangling references and unsatisfiable closed objects are refused when the schema
    /// is loaded, so a typo cannot turn a schema into one that accepts everything.
    func testASchemaOutsideTheSubsetIsRefused() throws {
        for bad in [#"{"requred": ["a"]}"#, #"{"properties": {"a": {"maxLength": 3}}}"#, ##"{"$ref": "#/$defs/missing"}"##,
                    #"{"type": "text"}"#, #"{"pattern": "("}"#, #"{"enum": []}"#, #"{"oneOf": []}"#,
                    #"{"required": ["a"], "properties": {"b": {}}, "additionalProperties": false}"#,
                    #"{"items": {"$defs": {"x": {"format": "uri"}}}}"#, "3"] {
            XCTAssertThrowsError(try JSONSchemaValidator(schema: try JSONParser.parse(bad)), bad)
        }
    }

    private func expect(_ schema: String, accepts good: [String], refuses bad: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let validator = try JSONSchemaValidator(schema: try JSONParser.parse(schema))
        for document in good {
            XCTAssertEqual(validator.errors(try JSONParser.parse(document)), [], "\(schema) should accept \(document)", file: file, line: line)
        }
        for document in bad {
            XCTAssertFalse(validator.errors(try JSONParser.parse(document)).isEmpty, "\(schema) should refuse \(document)", file: file, line: line)
        }
    }
}
