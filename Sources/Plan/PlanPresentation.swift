import ReconCore

/// The plan as people read it, shared by the text and Markdown views so the two cannot disagree.
public struct PlanPresentation: Sendable {
    public struct Line: Sendable {
        public var symbol: String
        public var headline: String
        public var details: [String]
        public var style: TextStyle
    }

    public struct TableSection: Sendable {
        public var table: String
        public var counts: String
        /// The table's changes; their lines are made on demand, since a cut view shows a few of 100,000. A slice of the
        /// plan's own changes where the table's are together (as the planner writes them), so none is copied.
        public var changes: ArraySlice<RecordChange>
        /// Each line's action, for views that count what they leave out (`PlanTextCut`).
        public var actions: [RecordAction] { changes.indices.map { changes[$0].action } }
        public var lines: [Line] { changes.indices.map { PlanPresentation.line(for: changes[$0]) } }

        /// The line of the table's change at `index`, counted from 0.
        public func line(at index: Int) -> Line { PlanPresentation.line(for: changes[changes.startIndex + index]) }
    }

    public let plan: Plan
    public let schema: [Line]
    public let manual: [ManualItem]
    /// Rollback conflicts: records the rolled-back run wrote that changed since, left alone.
    public let conflicts: [Line]
    public let tables: [TableSection]
    public let notes: [String]
    /// "Targeted plan: Skills/alpha only; …" for a plan `--target` or `--repo` limited; nil for a whole plan.
    public let scopeNote: String?

    public init(_ plan: Plan) {
        self.plan = plan
        var schema: [Line] = []
        for change in plan.schemaChanges {
            if let line = Self.line(for: change) { schema.append(line) }
        }
        self.schema = schema
        manual = plan.manualItems
        conflicts = plan.rollbackConflicts.map(Self.line(for:))
        tables = Self.sections(plan.recordChanges).map { table, changes in
            TableSection(table: table, counts: Self.counts(changes), changes: changes)
        }
        notes = Self.notes(plan)
        scopeNote = Self.scopeNote(plan.scope)
    }

    /// Like Terraform's warning on `-target`: the plan is not the whole picture.
    public static func scopeNote(_ scope: PlanScope) -> String? {
        guard !scope.isAll else { return nil }
        let parts = scope.targets + scope.repos.sorted().map { "repo \($0)" }
        var covered = parts.isEmpty ? "" : parts.joined(separator: ", ") + " only"
        if !scope.excludes.isEmpty { covered += (covered.isEmpty ? "" : ", ") + "excluding " + scope.excludes.joined(separator: ", ") }
        return "Targeted plan: \(covered); other changes are not shown."
    }

    public var isEmpty: Bool {
        schema.isEmpty && manual.isEmpty && conflicts.isEmpty && tables.isEmpty && plan.integrityErrors.isEmpty
    }

    /// What heads the conflicts section in every view.
    public static let conflictsNote = "left alone: roll back the later runs first, newest first, or settle them by hand, then plan the rollback again"

    // MARK: Lines

    static func line(for change: SchemaChange) -> Line? {
        switch change {
        case .createTable(let name, _, let fields):
            return Line(symbol: "+", headline: "create table \(name) (\(fields.count) field\(fields.count == 1 ? "" : "s"))",
                        details: fields.map { "\($0.name): \($0.type.rawValue)" + ($0.linkedTable.map { " → \($0)" } ?? "") }, style: .green)
        case .adoptTable(let name, let key, let fields):
            return Line(symbol: "~", headline: "adopt table \(name) (made outside Recon; key \(key), \(fields.count) field\(fields.count == 1 ? "" : "s") already there)",
                        details: fields.map { "\($0.name): \($0.type.rawValue)" }, style: .yellow)
        case .createField(let table, let field):
            return Line(symbol: "+", headline: "create field \(table).\(field.name) (\(field.type.rawValue))", details: [], style: .green)
        case .updateTable(let update):
            var details: [String] = []
            if let name = update.name { details.append("name: \(text(name.before)) → \(text(name.after)) (renamed in the base)") }
            if let description = update.description { details += describeEdit("description: ", (description.before, description.after)) }
            return Line(symbol: "~", headline: "update table \(update.table)", details: details, style: .yellow)
        case .unmanageField(let table, _, let field):
            return Line(symbol: "~", headline: "field \(table).\(field): no longer managed (kept in the base)", details: [], style: .yellow)
        case .updateField(let update):
            var details: [String] = []
            if let name = update.name { details.append("name: \(text(name.before)) → \(text(name.after)) (renamed in the \(update.renamedIn.rawValue))") }
            if let description = update.description { details += describeEdit("description: ", (description.before, description.after)) }
            if let choices = update.choices {
                let added = choices.after.filter { !choices.before.contains($0) }
                details.append("choices: add " + added.map { text($0) }.joined(separator: ", "))
            }
            return Line(symbol: "~", headline: "update field \(update.table).\(update.field)", details: details, style: .yellow)
        case .manual:
            return nil
        }
    }

    static func line(for change: RecordChange) -> Line {
        let id = change.remoteID.map { " (\($0))" } ?? ""
        // The key is the headline already; its field is not repeated below it.
        var details: [String] = change.fields.filter { !($0.kind == .set && $0.after == .text(change.key)) }.flatMap(details(for:))
        if let blocked = change.blockedBy { details.insert("waits on the manual step for \(blocked); not applied", at: 0) }
        switch change.action {
        case .create:
            return Line(symbol: "+", headline: change.key, details: details, style: .green)
        case .recreate:
            return Line(symbol: "+", headline: "\(change.key)\(id) \(change.reason.text); recreate", details: details, style: .green)
        case .adopt:
            return Line(symbol: "~", headline: "\(change.key)\(id) \(change.reason.text); adopt", details: details, style: .yellow)
        case .update:
            return Line(symbol: "~", headline: "\(change.key)\(id) \(change.reason.text)", details: details, style: .yellow)
        case .archive:
            return Line(symbol: "~", headline: "\(change.key)\(id) \(change.reason.text); archive", details: details, style: .yellow)
        case .delete:
            return Line(symbol: "-", headline: "\(change.key)\(id) \(change.reason.text)", details: [], style: .red)
        case .forget:
            return Line(symbol: ".", headline: "\(change.key)\(id) \(change.reason.text); stop managing it (the base is not changed)",
                        details: [], style: .dim)
        case .refreshState where !change.fields.isEmpty && change.fields.allSatisfy({ $0.kind == .driftReported }):
            // `policy.drift: report` keeps the last-applied value, so nothing catches up.
            return Line(symbol: "!", headline: "\(change.key)\(id) \(change.reason.text); reported only (the base and the state are not changed)",
                        details: details, style: .yellow)
        case .refreshState:
            return Line(symbol: ".", headline: "\(change.key)\(id) state catches up (the base is not changed)", details: details, style: .dim)
        }
    }

    static func line(for conflict: RollbackConflict) -> Line {
        let id = conflict.recordID.map { " (\($0))" } ?? ""
        let undo = switch conflict.action {
        case .delete: "not deleted"
        case .recreate: "not created again"
        default: "not restored"
        }
        let details = conflict.fields.map {
            "\($0.name): the run wrote \(PlanValueText.describe($0.written)), now \(PlanValueText.describe($0.current))"
        }
        return Line(symbol: "!", headline: "\(conflict.key)\(id) in \(conflict.table): \(conflict.reason.text); \(undo)",
                    details: details, style: .red)
    }

    /// One line per field; a long text's edit as a diff (`ValueDiff`), several lines for a multi-line one.
    static func details(for field: FieldChange) -> [String] {
        let before = PlanValueText.describe(field.before)
        let after = PlanValueText.describe(field.after)
        let recorded = PlanValueText.describe(field.recorded)
        let name = field.name + ": "
        func edit(_ old: FieldValue?, _ new: FieldValue?, _ oldText: String, _ newText: String, _ note: String = "") -> [String] {
            ValueDiff.lines(old, new, label: name, note: note) ?? [name + oldText + " → " + newText + note]
        }
        switch field.kind {
        case .set: return [name + after]
        case .update: return edit(field.before, field.after, before, after)
        case .drift: return edit(field.before, field.after, before, after, " (changed in the base; restoring)")
        case .driftReported: return edit(field.recorded, field.before, recorded, before, " (changed in the base; reported, not changed)")
        case .driftAdopted: return edit(field.recorded, field.before, recorded, before, " (changed in the base; adopted into the state)")
        case .conflict: return edit(field.before, field.after, before, after, " (conflict: last applied \(recorded); the manifests win)")
        case .converged: return [name + after + " (changed in the base and the manifests alike)"]
        }
    }

    /// A description's edit, as a field value's.
    private static func describeEdit(_ label: String, _ edit: (before: String?, after: String?), note: String = "") -> [String] {
        ValueDiff.lines(edit.before.map(FieldValue.text), edit.after.map(FieldValue.text), label: label, note: note)
            ?? ["\(label)\(text(edit.before)) → \(text(edit.after))\(note)"]
    }

    /// Each table's changes in the order of its first change; slices of `changes` when each table's are together,
    /// gathered into arrays of their own only when a table's changes are apart.
    static func sections(_ changes: [RecordChange]) -> [(table: String, changes: ArraySlice<RecordChange>)] {
        var runs: [(table: String, range: Range<Int>)] = []
        var start = changes.startIndex
        for index in changes.indices where index + 1 == changes.endIndex || changes[index + 1].table != changes[index].table {
            runs.append((changes[index].table, start..<index + 1))
            start = index + 1
        }
        if Set(runs.map(\.table)).count == runs.count {
            return runs.map { ($0.table, changes[$0.range]) }
        }
        var order: [String] = []
        var byTable: [String: [RecordChange]] = [:]
        for run in runs {
            if byTable[run.table] == nil { order.append(run.table) }
            byTable[run.table, default: []].append(contentsOf: changes[run.range])
        }
        return order.map { ($0, ArraySlice(byTable[$0]!)) }
    }

    static func counts(_ changes: ArraySlice<RecordChange>) -> String {
        var add = 0, change = 0, delete = 0, adopt = 0, other = 0
        for index in changes.indices {
            switch changes[index].effect {
            case .add: add += 1
            case .change: change += 1
            case .delete: delete += 1
            case .adopt: adopt += 1
            case .stateOnly: other += 1
            }
        }
        var parts = ["\(add) to add", "\(change) to change", "\(delete) to delete"]
        if adopt > 0 { parts.append("\(adopt) adopted") }
        if other > 0 { parts.append("\(other) state only") }
        return parts.joined(separator: ", ")
    }

    static func notes(_ plan: Plan) -> [String] {
        var notes: [String] = []
        if !plan.protectedSkips.isEmpty {
            var perField: [String: Int] = [:]
            for skip in plan.protectedSkips { perField["\(skip.table).\(skip.field)", default: 0] += 1 }
            let list = perField.keys.sorted().map { "\($0) on \(perField[$0]!) record\(perField[$0]! == 1 ? "" : "s")" }
            notes.append("Protected fields left as people set them: " + list.joined(separator: ", ") + ".")
        }
        if !plan.unmanaged.isEmpty {
            let list = plan.unmanaged.keys.sorted().map { "\($0) \(plan.unmanaged[$0]!)" }
            notes.append("Records not managed by Recon, left alone: " + list.joined(separator: ", ") + ".")
        }
        for error in plan.integrityErrors {
            notes.append("Integrity error: key \(error.key) of \(error.table) is held by \(error.recordIDs.count) records "
                + "(\(error.recordIDs.joined(separator: ", "))); it is left alone until one is removed.")
        }
        return notes
    }

    private static func text(_ value: String?) -> String {
        PlanValueText.describe(value.map(FieldValue.text))
    }
}
