import Plan
import ReconCore

/// `--detail concise|full`: how much of a large plan the text view lists (see `PlanTextCut`).
enum DetailArgument {
    static let spec = OptionSpec.option("detail", value: "concise|full",
                                        help: "Text view of a plan over 500 changes: the first of each table and a count (concise, default), or every change (full)")

    static func parse(_ value: String?) throws(ReconError) -> PlanDetail {
        guard let value else { return .concise }
        guard let detail = PlanDetail(rawValue: value) else {
            let names = PlanDetail.allCases.map(\.rawValue)
            throw ReconError("invalid --detail '\(ControlEscape.escaped(value))'",
                             hint: Suggestion.hint(value, among: names, known: "expected one of: " + names.joined(separator: ", ")))
        }
        return detail
    }
}
