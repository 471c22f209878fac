import ReconCore
import YAML

/// Turns parsed JSON into YAML nodes, so key paths and type conversion work one way for every format.
/// Strings become quoted scalars (never read as numbers or booleans); numbers keep a canonical spelling.
enum JSONNode {
    static func node(_ value: JSONValue, at location: SourceLocation) -> Node {
        switch value {
        case .null: Node(.scalar("null", .plain), at: location)
        case .bool(let flag): Node(.scalar(flag ? "true" : "false", .plain), at: location)
        case .number(let number): Node(.scalar(JSONWriter.format(number), .plain), at: location)
        case .string(let text): Node(.scalar(text, .doubleQuoted), at: location)
        case .array(let items): Node(.sequence(items.map { node($0, at: location) }), at: location)
        case .object(let members):
            Node(.mapping(members.keys.sorted().map { key in
                Node.Pair(key: Node(.scalar(key, .doubleQuoted), at: location), value: node(members[key]!, at: location))
            }), at: location)
        }
    }
}
