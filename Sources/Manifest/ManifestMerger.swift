import ReconCore
import YAML

/// Folds the top-level keys of many documents into one manifest: lists concatenate,
/// single sections may be given once.
struct ManifestMerger {
    let sink: DiagnosticSink
    private(set) var manifest = Manifest()
    private var firstSeen: [String: SourceLocation] = [:]

    /// Whether some document gave `target`; a default stands in otherwise.
    var hasTarget: Bool { firstSeen["target"] != nil }

    init(sink: DiagnosticSink) {
        self.sink = sink
    }

    mutating func merge(_ document: Node) {
        if document.isNull { return }
        guard let reader = MappingReader(document, context: "a manifest document", sink: sink) else { return }
        reader.rejectUnknownKeys(allowed: ManifestLoader.topLevelKeys)
        for (key, node) in reader.entries {
            switch key.value {
            case "target":
                guard once(key) else { continue }
                if let target = TargetSpec.decode(node, sink: sink) { manifest.target = target }
            case "retention":
                guard once(key) else { continue }
                manifest.retention = RetentionPolicy.decode(node, sink: sink)
            case "policy":
                guard once(key) else { continue }
                manifest.policy = PlanPolicy.decode(node, sink: sink)
            case "checks":
                guard once(key) else { continue }
                manifest.checks = CheckPolicy.decode(node, sink: sink)
            case "state":
                guard once(key) else { continue }
                manifest.state = StateSpec.decode(node, sink: sink)
            case "tables":
                manifest.tables += items(of: node, key: key).compactMap { TableSpec.decode($0, sink: sink) }
            case "repos":
                manifest.repos += items(of: node, key: key).compactMap { RepoSpec.decode($0, sink: sink) }
            case "protected":
                manifest.protected += ProtectedSpec.decode(node, sink: sink)
            case "hooks":
                manifest.hooks += HookSpec.decodeSection(node, sink: sink)
            default:
                continue
            }
        }
    }

    /// Single sections: a second one is an error naming the first.
    private mutating func once(_ key: Located<String>) -> Bool {
        if let earlier = firstSeen[key.value] {
            sink.error(key.location, "'\(key.value)' is given more than once", hint: "first given at \(earlier)")
            return false
        }
        firstSeen[key.value] = key.location
        return true
    }

    private func items(of node: Node, key: Located<String>) -> [Node] {
        if node.isNull { return [] }
        guard let items = node.sequence else {
            sink.error(node.location, "expected '\(key.value)' to be a list, found \(node.summary)")
            return []
        }
        return items
    }
}
