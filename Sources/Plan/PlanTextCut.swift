/// What the concise text view shows of a table in a large plan: the first changes of each action (so a few updates
/// are not buried under thousands of creates), more of its deletes (what a reviewer must not miss), and a count of
/// the rest by action. Schema changes, manual steps,
/// conflicts, findings and notes are never cut; JSON, Markdown and `--detail full` are not affected.
struct PlanTextCut {
    /// Record changes in the whole plan above which tables are cut (a terminal page of changes is fine, 100,000 is not).
    static let conciseAbove = 500
    /// Changes of each action other than delete shown per table.
    static let linesPerAction = 20
    /// Deletes shown per table: destructive, so more of them are listed before they are counted.
    static let deletesPerTable = 200

    /// Whether `plan` is cut under `detail`.
    static func applies(to plan: Plan, detail: PlanDetail) -> Bool {
        detail == .concise && plan.recordChanges.count > conciseAbove
    }

    /// The indexes of the lines shown, in plan order, and the line counting the others (nil when nothing is left out).
    static func select(_ section: PlanPresentation.TableSection) -> (shown: [Int], rest: String?) {
        var shown: [Int] = []
        var seen: [RecordAction: Int] = [:]
        var hidden: [RecordAction: Int] = [:]
        for (index, action) in section.actions.enumerated() {
            if seen[action, default: 0] < (action == .delete ? deletesPerTable : linesPerAction) {
                shown.append(index)
            } else {
                hidden[action, default: 0] += 1
            }
            seen[action, default: 0] += 1
        }
        guard !hidden.isEmpty else { return (shown, nil) }
        let total = hidden.values.reduce(0, +)
        let kinds = hidden.keys.sorted()
        let what: String
        if kinds.count == 1 {
            what = "\(ValueDiff.grouped(total)) more \(noun(kinds[0], total))"
        } else {
            what = "\(ValueDiff.grouped(total)) more changes (" + kinds.map { ValueDiff.grouped(hidden[$0]!) + " " + noun($0, hidden[$0]!) }
                .joined(separator: ", ") + ")"
        }
        return (shown, "… and \(what) in \(section.table) (use --detail full to list every change)")
    }

    private static func noun(_ action: RecordAction, _ count: Int) -> String {
        let word = switch action {
        case .create: "create"
        case .recreate: "recreate"
        case .adopt: "adoption"
        case .update: "update"
        case .archive: "archive"
        case .delete: "delete"
        case .forget: "forget"
        case .refreshState: "state catch-up"
        }
        return count == 1 ? word : word + "s"
    }
}
