import Foundation
import ReconCore

/// Checks JSON against the subset of JSON Schema (draft 2020-12) that docs/schemas/ uses, with no package.
/// A schema with a keyword outside that subset is refused when loaded: an unsupported or misspelt keyword
/// would otherwise be ignored, and the schema would accept what it means to refuse.
public struct JSONSchemaValidator {
    /// Why a schema cannot be used: an unknown keyword, a `$ref` to nowhere, a malformed value.
    public struct SchemaError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "schema \(path.isEmpty ? "/" : path): \(message)" }
    }

    /// Keywords checked here; the annotations (`$schema`, `$id`, `title`, `description`) carry no rule.
    static let keywords: Set<String> = [
        "$schema", "$id", "$defs", "$ref", "title", "description",
        "type", "properties", "required", "additionalProperties", "patternProperties",
        "items", "minItems", "enum", "const", "oneOf", "anyOf", "minimum", "pattern",
    ]
    static let types: Set<String> = ["null", "boolean", "object", "array", "number", "integer", "string"]

    let root: JSONValue

    public init(schema: JSONValue) throws(SchemaError) {
        root = schema
        try check(schema, at: "")
    }

    /// Loads a schema file (JSON).
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw SchemaError(path: "", message: "cannot read \(path)") }
        try self.init(schema: try JSONParser.parse([UInt8](data)))
    }

    /// Every way `instance` breaks the schema, each as `JSON pointer: what was expected`; empty when it conforms.
    public func errors(_ instance: JSONValue) -> [String] {
        var found: [String] = []
        validate(instance, root, at: "", into: &found)
        return found
    }

    // MARK: Validation

    private func validate(_ value: JSONValue, _ schema: JSONValue, at path: String, into errors: inout [String]) {
        if case .bool(let accepts) = schema {
            if !accepts { errors.append("\(shown(path)): no value is allowed here") }
            return
        }
        if let reference = schema["$ref"]?.stringValue { validate(value, resolve(reference)!, at: path, into: &errors) }
        if let type = schema["type"], !Self.matches(value, type: type) {
            errors.append("\(shown(path)): expected \(Self.describe(type)), found \(Self.kind(of: value))")
            return
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            errors.append("\(shown(path)): expected \(constant.canonicalString()), found \(Self.brief(value))")
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(where: { Self.equal(value, $0) }) {
            errors.append("\(shown(path)): \(Self.brief(value)) is not one of \(options.map { $0.canonicalString() }.joined(separator: ", "))")
        }
        if let minimum = schema["minimum"]?.numberValue, let number = value.numberValue, number < minimum {
            errors.append("\(shown(path)): \(JSONWriter.format(number)) is below the minimum \(JSONWriter.format(minimum))")
        }
        if let pattern = schema["pattern"]?.stringValue, let text = value.stringValue, !Self.regex(pattern).matches(text) {
            errors.append("\(shown(path)): \(Self.brief(value)) does not match /\(pattern)/")
        }
        if let items = value.arrayValue {
            if let minimum = schema["minItems"]?.intValue, items.count < minimum {
                errors.append("\(shown(path)): \(items.count) items, at least \(minimum) expected")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { validate(item, itemSchema, at: "\(path)/\(index)", into: &errors) }
            }
        }
        if let members = value.objectValue { validateObject(members, schema, at: path, into: &errors) }
        if let branches = schema["anyOf"]?.arrayValue {
            let outcomes = branches.map { branch in var found: [String] = []; validate(value, branch, at: path, into: &found); return found }
            if !outcomes.contains(where: \.isEmpty) {
                errors.append("\(shown(path)): matches none of anyOf (\(Self.summary(outcomes)))")
            }
        }
        if let branches = schema["oneOf"]?.arrayValue {
            let outcomes = branches.map { branch in var found: [String] = []; validate(value, branch, at: path, into: &found); return found }
            let passing = outcomes.filter(\.isEmpty).count
            if passing == 0 { errors.append("\(shown(path)): matches none of oneOf (\(Self.summary(outcomes)))") }
            if passing > 1 { errors.append("\(shown(path)): matches \(passing) branches of oneOf, exactly one expected") }
        }
    }

    private func validateObject(_ members: [String: JSONValue], _ schema: JSONValue, at path: String, into errors: inout [String]) {
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            errors.append("\(shown(path)): the required member '\(name)' is missing")
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        let patterns = (schema["patternProperties"]?.objectValue ?? [:]).map { (Self.regex($0.key), $0.value) }
        for name in members.keys.sorted() {
            let member = members[name]!
            let memberPath = "\(path)/\(Self.escapePointer(name))"
            var matched = false
            if let propertySchema = properties[name] {
                matched = true
                validate(member, propertySchema, at: memberPath, into: &errors)
            }
            for (regex, patternSchema) in patterns where regex.matches(name) {
                matched = true
                validate(member, patternSchema, at: memberPath, into: &errors)
            }
            if !matched, let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    errors.append("\(shown(path)): the member '\(name)' is not allowed")
                } else {
                    validate(member, additional, at: memberPath, into: &errors)
                }
            }
        }
    }

    private func resolve(_ reference: String) -> JSONValue? {
        if reference == "#" { return root }
        guard reference.hasPrefix("#/$defs/") else { return nil }
        return root["$defs"]?[String(reference.dropFirst("#/$defs/".count))]
    }

    // MARK: Checking the schema itself

    private func check(_ schema: JSONValue, at path: String) throws(SchemaError) {
        if case .bool = schema { return }
        guard let object = schema.objectValue else { throw SchemaError(path: path, message: "a schema is an object or a boolean") }
        for keyword in object.keys.sorted() where !Self.keywords.contains(keyword) {
            throw SchemaError(path: path, message: "'\(keyword)' is not a keyword this validator supports")
        }
        if let reference = object["$ref"] {
            guard let text = reference.stringValue, resolve(text) != nil else {
                throw SchemaError(path: path, message: "$ref \(reference.canonicalString()) does not name an entry of $defs")
            }
        }
        if let type = object["type"] {
            let names = type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
            guard !names.isEmpty, names.allSatisfy(Self.types.contains), type.arrayValue.map({ $0.count == names.count }) ?? true else {
                throw SchemaError(path: path, message: "type \(type.canonicalString()) is not a type name or a list of them")
            }
        }
        if let pattern = object["pattern"] {
            guard let text = pattern.stringValue, (try? NSRegularExpression(pattern: text)) != nil else {
                throw SchemaError(path: path, message: "pattern \(pattern.canonicalString()) is not a regular expression")
            }
        }
        for keyword in ["minimum", "minItems"] where object[keyword] != nil && object[keyword]?.numberValue == nil {
            throw SchemaError(path: path, message: "\(keyword) must be a number")
        }
        if let options = object["enum"], (options.arrayValue ?? []).isEmpty {
            throw SchemaError(path: path, message: "enum must be a non-empty list")
        }
        let required = object["required"].map { $0.arrayValue?.compactMap(\.stringValue) }
        if let required, required == nil { throw SchemaError(path: path, message: "required must be a list of names") }
        for pattern in (object["patternProperties"]?.objectValue ?? [:]).keys where (try? NSRegularExpression(pattern: pattern)) == nil {
            throw SchemaError(path: path, message: "patternProperties key /\(pattern)/ is not a regular expression")
        }
        let properties = object["properties"]?.objectValue ?? [:]
        if object["additionalProperties"] == .bool(false) {
            // A required member that no property allows makes the schema refuse everything.
            let patterns = (object["patternProperties"]?.objectValue ?? [:]).keys.map(Self.regex)
            for name in (required ?? nil) ?? [] where properties[name] == nil && !patterns.contains(where: { $0.matches(name) }) {
                throw SchemaError(path: path, message: "'\(name)' is required but additionalProperties: false forbids it")
            }
        }
        for (name, member) in properties { try check(member, at: "\(path)/properties/\(name)") }
        for (pattern, member) in object["patternProperties"]?.objectValue ?? [:] { try check(member, at: "\(path)/patternProperties/\(pattern)") }
        for (name, member) in object["$defs"]?.objectValue ?? [:] { try check(member, at: "\(path)/$defs/\(name)") }
        for keyword in ["additionalProperties", "items"] {
            if let member = object[keyword] { try check(member, at: "\(path)/\(keyword)") }
        }
        for keyword in ["oneOf", "anyOf"] {
            guard let branches = object[keyword] else { continue }
            guard let list = branches.arrayValue, !list.isEmpty else { throw SchemaError(path: path, message: "\(keyword) must be a non-empty list") }
            for (index, branch) in list.enumerated() { try check(branch, at: "\(path)/\(keyword)/\(index)") }
        }
    }

    // MARK: Helpers

    private static func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        let names = type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
        return names.contains { name in
            switch (name, value) {
            case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number), ("string", .string): true
            case ("integer", .number(let number)): number.rounded() == number && number.isFinite
            default: false
            }
        }
    }

    /// JSON equality; numbers compare by value, so 1 and 1.0 are equal as the specification says.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let number): number.rounded() == number ? "an integer" : "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func describe(_ type: JSONValue) -> String {
        type.stringValue ?? (type.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " or ")
    }

    private static func brief(_ value: JSONValue) -> String {
        let text = value.canonicalString()
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// The branch that came nearest (fewest errors), with its errors: for a `oneOf` over event kinds, the kind meant.
    private static func summary(_ outcomes: [[String]]) -> String {
        guard let nearest = outcomes.enumerated().min(by: { $0.element.count < $1.element.count }) else { return "no branches" }
        return "nearest is branch \(nearest.offset): " + nearest.element.joined(separator: "; ")
    }

    private static func escapePointer(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private func shown(_ path: String) -> String { path.isEmpty ? "/" : path }

    nonisolated(unsafe) private static var compiled: [String: NSRegularExpression] = [:]
    private static let lock = NSLock()

    /// ECMA-262 semantics as JSON Schema uses them: the pattern may match anywhere in the text.
    private static func regex(_ pattern: String) -> NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        let regex = try! NSRegularExpression(pattern: pattern)
        compiled[pattern] = regex
        return regex
    }
}

extension NSRegularExpression {
    fileprivate func matches(_ text: String) -> Bool {
        firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
