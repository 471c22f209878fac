import ReconCore

/// An edit of a long text as a reviewer can read it: the changed region with some context, the unchanged rest
/// elided with a count, a multi-line text as a line diff. Cuts fall between Characters, so none is split. Pure.
enum ValueDiff {
    /// Characters kept either side of a change.
    static let context = 30
    /// How much further the context may reach to start or end at a space.
    static let wordReach = 15
    /// Characters of one side's changed region shown before the rest is counted.
    static let changedShown = 120
    /// Unchanged lines kept either side of a changed line.
    static let lineContext = 2
    /// Changed lines shown before the rest is counted.
    static let changedLinesShown = 40

    /// The detail lines for `label before → after note`; nil when `PlanValueText.describe` shows both values
    /// whole (a short value reads best as it is).
    static func lines(_ before: FieldValue?, _ after: FieldValue?, label: String, note: String = "") -> [String]? {
        guard case .text(let old)? = before?.normalized, case .text(let new)? = after?.normalized,
              !old.unicodeScalars.elementsEqual(new.unicodeScalars), PlanValueText.isLong(old) || PlanValueText.isLong(new)
        else { return nil }
        if old.contains("\n") || new.contains("\n") { return lineDiff(old, new, label: label, note: note) }
        return [label + inline(old, new) + note]
    }

    /// `… N unchanged characters … "context OLD context" → "context NEW context" … M unchanged characters …`:
    /// the counts stand outside the quotes, so they cannot be read as part of the value.
    static func inline(_ old: String, _ new: String) -> String {
        let a = Array(old), b = Array(new)
        func same(_ x: Character, _ y: Character) -> Bool { x.unicodeScalars.elementsEqual(y.unicodeScalars) }
        var prefix = 0
        while prefix < a.count, prefix < b.count, same(a[prefix], b[prefix]) { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, same(a[a.count - 1 - suffix], b[b.count - 1 - suffix]) { suffix += 1 }
        var lead = max(0, prefix - context), trail = max(0, suffix - context)
        // The context starts and ends at a word when one is near, so it reads as words.
        if lead > 0, let space = (max(0, lead - wordReach)..<lead).last(where: { a[$0] == " " }) { lead = space + 1 }
        if trail > 0, let space = ((a.count - trail)..<min(a.count, a.count - trail + wordReach)).first(where: { a[$0] == " " }) {
            trail = a.count - space
        }
        let before = String(a[lead..<prefix]), after = String(a[(a.count - suffix)..<(a.count - trail)])
        func side(_ characters: [Character]) -> String {
            let changed = characters[prefix..<(characters.count - suffix)]
            guard changed.count > changedShown else { return quoted(before + String(changed) + after) }
            let more = changed.count - changedShown + (suffix - trail)
            return quoted(before + String(changed.prefix(changedShown))) + " … \(counted(more, "more character")) …"
        }
        var out = lead > 0 ? "… \(counted(lead, "unchanged character")) … " : ""
        out += side(a) + " → " + side(b)
        if trail > 0 { out += " … \(counted(trail, "unchanged character")) …" }
        return out
    }

    /// A heading, then `-`/`+` lines with a few unchanged ones around them and the other unchanged runs counted;
    /// a long line changed in place reads as one `~` line with its change shown inline.
    static func lineDiff(_ old: String, _ new: String, label: String, note: String) -> [String] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ops = LineDiff.ops(a, b)
        let isChange = ops.map { if case .same = $0 { false } else { true } }
        let removed = ops.filter { if case .removed = $0 { true } else { false } }.count
        var out = ["\(label)\(counted(a.count, "line")) → \(counted(b.count, "line")) (\(removed) removed, \(ops.count - a.count) added)\(note)"]
        var near = [Bool](repeating: false, count: ops.count)
        for index in ops.indices where isChange[index] {
            for other in max(0, index - lineContext)...min(ops.count - 1, index + lineContext) { near[other] = true }
        }
        var hidden = 0, shownChanges = 0, index = 0
        func flushHidden() {
            if hidden > 0 { out.append("  … \(counted(hidden, "unchanged line")) …") }
            hidden = 0
        }
        while index < ops.count {
            guard near[index] else { hidden += 1; index += 1; continue }
            flushHidden()
            if isChange[index], shownChanges >= changedLinesShown {
                out.append("  … \(counted(isChange[index...].filter { $0 }.count, "more changed line")) not shown …")
                return out
            }
            // A run of removed lines followed by as many added: long ones are paired and shown inline.
            var end = index
            while end < ops.count, case .removed = ops[end] { end += 1 }
            var added = end
            while added < ops.count, case .added = ops[added] { added += 1 }
            if end > index, added - end == end - index {
                for offset in 0..<(end - index) {
                    guard case .removed(let r) = ops[index + offset], case .added(let n) = ops[end + offset] else { continue }
                    if r.count + n.count > 2 * (changedShown + context) {
                        out.append("  ~ " + inline(r, n))
                    } else {
                        out.append("  - " + line(r))
                        out.append("  + " + line(n))
                    }
                    shownChanges += 2
                }
                index = added
                continue
            }
            switch ops[index] {
            case .same(let text): out.append("    " + line(text))
            case .removed(let text): out.append("  - " + line(text)); shownChanges += 1
            case .added(let text): out.append("  + " + line(text)); shownChanges += 1
            }
            index += 1
        }
        flushHidden()
        return out
    }

    /// One line of a line diff, escaped, long ones cut with a count.
    private static func line(_ text: String) -> String {
        let limit = 2 * (changedShown + context)
        guard text.count > limit else { return ControlEscape.escaped(text) }
        return ControlEscape.escaped(String(text.prefix(limit))) + " … \(counted(text.count - limit, "more character")) …"
    }

    private static func quoted(_ text: String) -> String { "\"" + PlanValueText.escaped(text) + "\"" }

    /// `1,240 unchanged characters`, `1 unchanged character`.
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(grouped(count)) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Thousands grouped with commas, whatever the locale, so golden files hold.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (number < 0 ? "-" : "") + out
    }
}
