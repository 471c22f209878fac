import ReconCore

/// Typed reads of a plan body. An absent key (or null) reads as nil, so plans written before a key
/// existed still decode; a key that is present with the wrong type is refused, naming the key,
/// instead of reading as empty (an object where a list belongs once decoded as "no changes").
enum PlanJSON {
    static func string(_ json: JSONValue, _ key: String) throws(ReconError) -> String? {
        try read(json, key, "text", \.stringValue)
    }

    static func int(_ json: JSONValue, _ key: String) throws(ReconError) -> Int? {
        try read(json, key, "a whole number", \.intValue)
    }

    static func array(_ json: JSONValue, _ key: String) throws(ReconError) -> [JSONValue] {
        try read(json, key, "a list", \.arrayValue) ?? []
    }

    static func object(_ json: JSONValue, _ key: String) throws(ReconError) -> [String: JSONValue]? {
        try read(json, key, "an object", \.objectValue)
    }

    static func strings(_ json: JSONValue, _ key: String) throws(ReconError) -> [String]? {
        try read(json, key, "a list of text") { value in
            guard let items = value.arrayValue else { return nil }
            let texts = items.compactMap(\.stringValue)
            return texts.count == items.count ? texts : nil
        }
    }

    /// An object of `key → list of text` (field orders, managed fields).
    static func stringLists(_ json: JSONValue, _ key: String) throws(ReconError) -> [String: [String]] {
        var lists: [String: [String]] = [:]
        for (name, _) in try object(json, key) ?? [:] {
            lists[name] = try strings(json[key]!, name) ?? []
        }
        return lists
    }

    /// An object of cell values; null members are "no value" and left out.
    static func fieldValues(_ json: JSONValue, _ key: String) throws(ReconError) -> FieldCells? {
        guard let members = try object(json, key) else { return nil }
        var values = FieldCells.Builder(capacity: members.count)
        for (name, member) in members {
            if let value = try fieldValue(member, name: "'\(JSONParser.shown(name))' in '\(key)'") { values.append(name, value) }
        }
        return values.cells()
    }

    /// One cell value, or nil for null; `name` says where it is for the error.
    static func fieldValue(_ json: JSONValue?, name: String) throws(ReconError) -> FieldValue? {
        guard let json, json != .null else { return nil }
        if case .array(let items) = json, items.contains(where: { $0.stringValue == nil }) {
            throw mistyped(name, "text, a number, true/false or a list of text")
        }
        guard let value = FieldValue(json: json) else { throw mistyped(name, "text, a number, true/false or a list of text") }
        return value
    }

    private static func read<T>(_ json: JSONValue, _ key: String, _ expected: String,
                                _ convert: (JSONValue) -> T?) throws(ReconError) -> T? {
        guard let value = json[key], value != .null else { return nil }
        guard let converted = convert(value) else { throw mistyped("'\(key)'", expected) }
        return converted
    }

    static func mistyped(_ name: String, _ expected: String) -> ReconError {
        ReconError("the plan file is damaged: \(name) must be \(expected)", hint: "make the plan again with 'recon plan -out FILE'")
    }
}
