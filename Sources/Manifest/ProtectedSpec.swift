import ReconCore
import YAML

/// Human-curated fields of one table: written on create, never overwritten after.
public struct ProtectedSpec: Sendable, Equatable {
    public var table: Located<String>
    public var fields: [Located<String>]

    static func decode(_ node: Node, sink: DiagnosticSink) -> [ProtectedSpec] {
        guard let reader = MappingReader(node, context: "protected", sink: sink) else { return [] }
        return reader.entries.map { entry in
            let fields = entry.value.isNull ? [] : (MappingReader.stringList(entry.value, what: "the protected fields of '\(entry.key.value)'", sink: sink))
            return ProtectedSpec(table: entry.key, fields: fields)
        }
    }
}

extension MappingReader {
    static func stringList(_ node: Node, what: String, sink: DiagnosticSink) -> [Located<String>] {
        if node.scalar != nil { return string(node, what: what, sink: sink).map { [$0] } ?? [] }
        guard let items = node.sequence else {
            sink.error(node.location, "expected a list of field names for \(what), found \(node.summary)")
            return []
        }
        return items.compactMap { string($0, what: "an item of \(what)", sink: sink) }
    }
}
