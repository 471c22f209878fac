import ReconCore

/// `--refresh auto|full`: whether a whole-scope run may answer "no changes" from the no-op seal (auto, default) or
/// must read the repos, the state and every record of the base (full), sealing again if still nothing to do.
enum RefreshArgument {
    static let spec = OptionSpec.option("refresh", value: "auto|full",
                                        help: "auto (default): answer from the no-op seal when nothing changed; full: read every record anyway")

    /// True for `full`.
    static func parse(_ value: String?) throws(ReconError) -> Bool {
        switch value {
        case nil, "auto": return false
        case "full": return true
        // Terraform's `-refresh=false` plans on state alone; Recon never does, so the hint says what it has instead.
        case "false", "true":
            throw ReconError("invalid --refresh '\(value ?? "")': Recon never plans without reading what changed",
                             hint: "'--refresh auto' (the default) skips the read only when the no-op seal proves nothing changed; "
                                 + "'--refresh full' reads every record anyway")
        case let other?:
            throw ReconError("invalid --refresh '\(ControlEscape.escaped(other))'",
                             hint: Suggestion.hint(other, among: ["auto", "full"], known: "expected one of: auto, full"))
        }
    }
}
