/// Where two JSON documents first differ, as a path a person can find (`ledger.counters.created`,
/// `outcomes[3].record_id`), with both sides shown short. Members are visited in sorted order.
public struct JSONDifference: Sendable, Equatable {
    public var path: String
    /// The value at `path` on each side; nil where that side has nothing there.
    public var left: JSONValue?
    public var right: JSONValue?

    public static func first(_ left: JSONValue, _ right: JSONValue, at path: String) -> JSONDifference? {
        guard left != right else { return nil }
        switch (left, right) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = "\(path).\(key)"
                switch (a[key], b[key]) {
                case (let x?, let y?): if let found = first(x, y, at: child) { return found }
                case (let x, let y) where x != y: return JSONDifference(path: child, left: x, right: y)
                default: continue
                }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<min(a.count, b.count) {
                if let found = first(a[index], b[index], at: "\(path)[\(index)]") { return found }
            }
            let index = min(a.count, b.count)
            return JSONDifference(path: "\(path)[\(index)]", left: a.indices.contains(index) ? a[index] : nil,
                                  right: b.indices.contains(index) ? b[index] : nil)
        default:
            break
        }
        return JSONDifference(path: path, left: left, right: right)
    }

    /// A value as one short line: canonical JSON, control characters escaped, cut at `limit` characters.
    public static func shown(_ value: JSONValue?, limit: Int = 60) -> String {
        guard let value else { return "nothing" }
        let text = ControlEscape.escaped(value.canonicalString())
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
