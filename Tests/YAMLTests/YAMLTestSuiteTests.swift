import Foundation
import XCTest
@testable import YAML

/// Cases from the public yaml-test-suite (see Fixtures/yaml-test-suite/README.md).
///
/// Every `<ID>.in.yaml` is loaded as bytes. With an `<ID>.error` beside it the loader must refuse it
/// with a located YAMLError; with an `<ID>.out.json` the documents, read with the YAML 1.2 core schema,
/// must equal the JSON documents listed there (compared as values, numbers by value: 1 == 1.0).
final class YAMLTestSuiteTests: XCTestCase {
    struct Case {
        var id: String
        var name: String
        var expectsError: Bool
    }

    /// Beside this file, not a bundle resource: the fixtures are read where they are committed.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/yaml-test-suite")

    func testEveryCase() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 80, "the case list looks truncated")
        XCTAssertGreaterThanOrEqual(cases.filter(\.expectsError).count, 20, "too few error cases")
        var failed: [String] = []
        for testCase in cases {
            if let problem = check(testCase) {
                failed.append(testCase.id)
                XCTFail("\(testCase.id) (\(testCase.name)): \(problem)")
            }
        }
        XCTAssertTrue(failed.isEmpty, "\(failed.count) of \(cases.count) suite cases failed: \(failed.joined(separator: ", "))")
    }

    /// The list in cases.tsv and the files on disk describe the same cases, each with one expectation.
    func testCaseListMatchesFixtureFiles() throws {
        let cases = try Self.cases()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        let inputs = Set(files.filter { $0.hasSuffix(".in.yaml") }.map { String($0.dropLast(".in.yaml".count)) })
        XCTAssertEqual(inputs, Set(cases.map(\.id)), "cases.tsv and the .in.yaml files differ")
        XCTAssertEqual(Set(cases.map(\.id)).count, cases.count, "an id is listed twice in cases.tsv")
        for testCase in cases {
            let hasError = files.contains("\(testCase.id).error")
            let hasJSON = files.contains("\(testCase.id).out.json")
            XCTAssertTrue(hasError != hasJSON, "\(testCase.id) needs exactly one of .error and .out.json")
            XCTAssertEqual(hasError, testCase.expectsError, "\(testCase.id): cases.tsv and the files disagree")
        }
    }

    // MARK: Running one case

    private func check(_ testCase: Case) -> String? {
        let input: [UInt8]
        do {
            input = try Array(Data(contentsOf: Self.folder.appendingPathComponent("\(testCase.id).in.yaml")))
        } catch {
            return "cannot read the input: \(error)"
        }
        let file = "\(testCase.id).in.yaml"
        if testCase.expectsError {
            do {
                let documents = try YAMLLoader().load(input, file: file)
                return "expected an error, but it loaded \(documents.count) document(s)"
            } catch {
                guard error.location.line >= 1 else { return "the error has no line: \(error)" }
                guard error.location.file == file else { return "the error names file '\(error.location.file)'" }
                return nil
            }
        }

        let expected: [JSON]
        do {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(testCase.id).out.json"))
            expected = try JSONDecoder().decode([JSON].self, from: data)
        } catch {
            return "cannot read the expected JSON: \(error)"
        }
        let documents: [Node]
        do {
            documents = try YAMLLoader().load(input, file: file)
        } catch {
            return "expected to load, but: \(error)"
        }
        let actual: [JSON]
        do {
            actual = try documents.map(Self.json)
        } catch {
            return "cannot be read as JSON: \(error)"
        }
        guard actual.count == expected.count else {
            return "expected \(expected.count) document(s), loaded \(actual.count): \(actual)"
        }
        for (index, (got, want)) in zip(actual, expected).enumerated() where got != want {
            return "document \(index + 1) differs\n  expected: \(want)\n  actual:   \(got)"
        }
        return nil
    }

    private static func cases() throws -> [Case] {
        let text = try String(contentsOf: folder.appendingPathComponent("cases.tsv"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[1] == "ok" || fields[1] == "error" else {
                throw CaseListError(line: String(line))
            }
            return Case(id: String(fields[0]), name: String(fields[2]), expectsError: fields[1] == "error")
        }
    }

    private struct CaseListError: Error, CustomStringConvertible {
        var line: String
        var description: String { "cases.tsv: cannot read the line '\(line)'" }
    }

    // MARK: Nodes as JSON, with YAML 1.2 core-schema resolution

    private struct NotJSON: Error, CustomStringConvertible {
        var description: String
    }

    private static let coreTag = "tag:yaml.org,2002:"

    private static func json(_ node: Node) throws -> JSON {
        switch node.kind {
        case .sequence(let items):
            return .array(try items.map(json))
        case .mapping(let pairs):
            var object: [String: JSON] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar, !pair.key.isNull else {
                    throw NotJSON(description: "a key at line \(pair.key.location.line) is \(pair.key.summary), not text")
                }
                object[key] = try json(pair.value)
            }
            return .object(object)
        case .scalar(let text, let style):
            switch node.tag {
            case nil:
                return style == .plain ? core(node) : .string(text)
            case coreTag + "str":
                return .string(text)
            case coreTag + "null", coreTag + "bool", coreTag + "int", coreTag + "float":
                // An explicit core tag resolves the text whatever its quoting.
                let plain = Node(.scalar(text, .plain), at: node.location)
                let value = core(plain)
                switch (node.tag, value) {
                case (coreTag + "null", .null), (coreTag + "bool", .bool), (coreTag + "int", .number),
                     (coreTag + "float", .number):
                    return value
                default:
                    throw NotJSON(description: "'\(text)' does not match its tag \(node.tag ?? "")")
                }
            default:
                // `!`, local and unknown tags: the text, as the suite's JSON gives it.
                return .string(text)
            }
        }
    }

    /// A plain, untagged scalar read the way the YAML 1.2 core schema reads it.
    private static func core(_ node: Node) -> JSON {
        if node.isNull { return .null }
        if let bool = node.bool { return .bool(bool) }
        if let int = node.int { return .number(Double(int)) }
        if let double = node.double { return .number(double) }
        return .string(node.scalar ?? "")
    }
}

/// A JSON value; numbers compare by value, so 1 and 1.0 are equal.
private enum JSON: Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b || abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): return String(reflecting: value)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "\(String(reflecting: $0.key)): \($0.value)" }
                .joined(separator: ", ") + "}"
        }
    }
}
