import Manifest
import ReconCore
import YAML

/// Turns one parsed file into the entities one rule makes of it: key, built-ins, key paths,
/// constants converted by field type, and links left pending.
struct EntityBuilder {
    let repo: String
    let rule: ExtractRule
    let table: TableSpec
    /// The table's field for each of `rule.fields`, looked up once per rule rather than once per file.
    let targets: [FieldSpec?]
    /// The positions of `targets` in field-name order, so an entity's cells go into the compact form in order.
    let nameOrder: [Int]
    /// Equal values of other entities share one storage (`SharedInterner`); nil: none.
    let interner: SharedInterner?

    init(repo: String, rule: ExtractRule, table: TableSpec, targets: [FieldSpec?]? = nil, interner: SharedInterner? = nil) {
        self.repo = repo
        self.interner = interner
        self.rule = rule
        self.table = table
        self.targets = targets ?? EntityBuilder.targets(of: rule, in: table)
        nameOrder = FieldCells.nameOrder(self.targets.map { $0?.name ?? "" })
    }

    static func targets(of rule: ExtractRule, in table: TableSpec) -> [FieldSpec?] {
        rule.fields.map { table.field(named: $0.field.value) }
    }

    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    func entities(from file: SourceFile, document: SourceDocument) throws(Failure) -> [PendingEntity] {
        var root: String?
        if let relative = rule.root {
            guard let resolved = RepoPath.resolve(relative, from: RepoPath.directory(of: file.path)) else {
                throw Failure(diagnostic: .error(at: file.location(), "root '\(relative)' of the '\(table.name)' rule climbs above the repo root"))
            }
            root = resolved
        }
        let base = "\(repo):\(root.map(RepoPath.display) ?? file.path)"
        guard let each = rule.each else {
            return [try entity(key: base, root: root, context: document.data, file: file, document: document)]
        }
        guard let data = document.data, let list = NodePath.lookup(each, in: data), !list.isNull else { return [] }
        guard let items = list.sequence else {
            throw Failure(diagnostic: .error(at: list.location, "'each: \(each.joined(separator: "."))' expects a list, found \(list.summary)"))
        }
        var entities: [PendingEntity] = []
        for (index, item) in items.enumerated() {
            entities.append(try entity(key: "\(base)#\(index)", root: root, context: item, file: file, document: document))
        }
        return entities
    }

    private func entity(key: String, root: String?, context: Node?, file: SourceFile, document: SourceDocument) throws(Failure) -> PendingEntity {
        var entity = PendingEntity(table: table.name, key: key, repo: repo, file: file.path, root: root,
                                   fields: [:], links: [], sourceCommit: file.sourceCommit, ruleLocation: rule.location, onError: rule.onError)
        // Converted in the rule's order, then made cells in name order sharing the table's layout (issue 12).
        var converted = [FieldValue?](repeating: nil, count: targets.count)
        for (position, (mapping, target)) in zip(rule.fields, targets).enumerated() {
            guard let field = target else { continue }
            let node: Node?
            switch mapping.source {
            case .keyPath(let path):
                node = context.flatMap { NodePath.lookup(path, in: $0) }
            case .constant(let constant):
                node = constant
            case .builtin(let builtin):
                node = value(of: builtin, key: key, root: root, file: file, document: document)
            case .link(let link):
                var candidates: [String]?
                switch link.by {
                case .ancestor: candidates = nil
                case .key(let fixed): candidates = [fixed]
                case .keyPath(let path):
                    let found = context.flatMap { NodePath.lookup(path, in: $0) }
                    candidates = found.map { $0.sequence?.compactMap(\.scalar) ?? $0.scalar.map { [$0] } ?? [] } ?? []
                }
                let location = mapping.field.location
                entity.links.append(PendingLink(field: field.name, table: link.table.value, candidates: candidates, location: location))
                continue
            }
            guard let node else { continue }
            do {
                // "No value" (false, empty) is left out here: kept, every record holding one was copied into a second,
                // normalized dictionary (issue 12).
                if let value = try FieldConverter(field: field).convert(node)?.normalized { converted[position] = interner?.intern(value) ?? value }
            } catch {
                throw Failure(diagnostic: .error(at: error.location, error.message))
            }
        }
        var fields = FieldCells.Builder(capacity: targets.count)
        for position in nameOrder {
            if let value = converted[position], let field = targets[position] { fields.append(field.name, value) }
        }
        entity.fields = fields.cells()
        return entity
    }

    /// Built-ins as nodes, so they convert by field type like any other value.
    private func value(of builtin: FieldMapping.Builtin, key: String, root: String?, file: SourceFile, document: SourceDocument) -> Node? {
        let location = file.location()
        func text(_ value: String?) -> Node? { value.map { Node(.scalar($0, .doubleQuoted), at: location) } }
        func list(_ values: [String]) -> Node { Node(.sequence(values.map { Node(.scalar($0, .doubleQuoted), at: location) }), at: location) }
        let directory = root ?? RepoPath.directory(of: file.path)
        switch builtin {
        case .key: return text(key)
        case .repo: return text(repo)
        case .path: return text(root.map(RepoPath.display) ?? file.path)
        case .file: return text(file.path)
        case .dir: return text(directory.isEmpty ? nil : RepoPath.name(of: directory))
        case .dirs: return list(PathBytes.components(directory))
        case .commit: return text(file.sourceCommit)
        case .title: return text(document.markdown?.title)
        case .summary: return text(document.markdown?.summary)
        case .words: return document.markdown.map { Node(.scalar(String($0.words), .plain), at: location) }
        case .links: return document.markdown.map { list($0.links) }
        }
    }
}
