import YAML

/// Follows a key path (`author.name`, `tags.0`) through mappings and lists.
enum NodePath {
    static func lookup(_ path: [String], in node: Node) -> Node? {
        var current = node
        for component in path {
            if let pairs = current.mapping {
                guard let pair = pairs.first(where: { $0.key.scalar == component }) else { return nil }
                current = pair.value
            } else if let items = current.sequence, let index = Int(component), items.indices.contains(index) {
                current = items[index]
            } else {
                return nil
            }
        }
        return current
    }
}
