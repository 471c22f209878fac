import Manifest
import ReconCore

/// `--allow RC101[,RC102]` (repeatable): the check codes whose error findings apply lets through.
enum AllowArgument {
    static let spec = OptionSpec.option("allow", value: "CODE[,CODE]", help: "Apply despite error findings of these checks (RC101…RC106, repeatable)",
                                        repeatable: true)

    static func codes(_ values: [String]) throws(ReconError) -> Set<CheckCode> {
        var codes = Set<CheckCode>()
        let known = CheckCode.allCases.map(\.rawValue)
        for text in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let name = text.trimmingCharacters(in: .whitespaces)
            guard let code = CheckCode(rawValue: name.uppercased()) else {
                throw ReconError("invalid --allow '\(ControlEscape.escaped(name))': no such check code",
                                 hint: Suggestion.hint(name.uppercased(), among: known, known: "known codes: " + known.joined(separator: ", ")))
            }
            codes.insert(code)
        }
        return codes
    }
}
