import ReconCore

/// A PR comment as it is built: each piece is escaped as it is added (`ControlEscape`), so the comment's length
/// is known while it grows and whatever does not fit can be counted instead of shown.
struct MarkdownComment {
    /// GitHub refuses a comment longer than this (in characters, which Unicode scalars bound).
    static let limit = 65_536

    private(set) var text = ""
    /// Unicode scalars so far: never fewer than GitHub counts.
    private(set) var count = 0

    mutating func add(_ piece: String) {
        let shown = ControlEscape.escapedKeepingLines(piece)
        text += shown
        count += shown.unicodeScalars.count
    }

    /// Adds `piece` only if the comment stays within `budget`; says whether it did.
    mutating func add(_ piece: String, within budget: Int) -> Bool {
        let shown = ControlEscape.escapedKeepingLines(piece)
        guard count + shown.unicodeScalars.count <= budget else { return false }
        text += shown
        count += shown.unicodeScalars.count
        return true
    }

    /// `<!-- recon-plan target=… -->`, the first line, so a workflow finds and updates its comment for this target.
    /// The target is percent-encoded but for a few safe characters: no `--`, `>` or newline can end the comment early.
    static func marker(target: String) -> String {
        var encoded = ""
        for scalar in target.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ":/._~@+=,".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded }
            }
        }
        return "<!-- recon-plan target=\(encoded) -->"
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
