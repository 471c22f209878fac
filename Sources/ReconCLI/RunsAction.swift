import ReconCore

/// What `recon runs` was asked to do: list, or one of its verbs on a run or a bundle.
enum RunsAction: Equatable {
    case list
    case show(run: String)
    case export(run: String)
    case verify(file: String)

    static let verbs = ["show", "export", "verify"]

    static func parse(_ positionals: [String]) throws(ReconError) -> RunsAction {
        guard let verb = positionals.first else { return .list }
        let usage = "usage: recon runs [show RUN | export RUN | verify FILE]"
        guard verbs.contains(verb) else {
            throw ReconError("'runs' has no verb '\(ControlEscape.escaped(verb))'",
                             hint: Suggestion.didYouMean(verb, in: verbs) ?? usage)
        }
        let noun = verb == "verify" ? "the bundle file" : "the run id"
        guard positionals.count == 2 else {
            throw ReconError(positionals.count < 2 ? "'runs \(verb)' needs \(noun)" : "'runs \(verb)' takes one argument", hint: usage)
        }
        switch verb {
        case "show": return .show(run: positionals[1])
        case "export": return .export(run: positionals[1])
        default: return .verify(file: positionals[1])
        }
    }
}
