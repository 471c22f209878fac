import Foundation
import ReconCore
import TestSupport
import XCTest

/// The schemas of docs/schemas/ and assertions that real outputs conform to them. Tests name a schema as
/// `against: "NAME.schema.json"`, the spelling `JSONSchemaTests` looks for to prove every schema is used.
enum OutputSchema {
    static let folder = URL(fileURLWithPath: Golden.folder()).appendingPathComponent("../../docs/schemas").standardized.path

    /// Every schema file under docs/schemas/.
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".schema.json") }.sorted()
    }

    static func document(_ name: String) throws -> JSONValue {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/" + name), "no schema docs/schemas/\(name)")
        return try JSONParser.parse([UInt8](data))
    }

    static func validator(_ name: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: try document(name))
    }

    /// Parses `text` as one JSON document and fails with every schema error; returns the document.
    @discardableResult
    static func assertValid(_ text: String, against name: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            XCTFail("not JSON (\(error)): \(text.prefix(300))", file: file, line: line)
            throw error
        }
        let errors = try validator(name).errors(value)
        XCTAssertEqual(errors, [], "\(name): \(text.prefix(2000))", file: file, line: line)
        return value
    }

    /// One JSON document per line (an event stream), each checked; returns them in order.
    @discardableResult
    static func assertValidLines(_ text: String, against name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [JSONValue] {
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.isEmpty, "no lines to check against \(name)", file: file, line: line)
        return try lines.map { try assertValid($0, against: name, file: file, line: line) }
    }

    /// The result's stdout checked, after its exit status.
    @discardableResult
    static func assertValid(_ result: ReconProcess.Result, status: Int32, against name: String,
                            file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        return try assertValid(result.stdout, against: name, file: file, line: line)
    }
}
