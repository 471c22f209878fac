import Apply
import Manifest

/// What `state migrate` prints: what moved, that it was verified, and the `state:` block that switches to it.
enum StateMigrateView {
    static func text(_ report: StateMigration.Report, spec: StateSpec) -> String {
        var out: String
        if report.alreadyThere {
            out = "\(report.to) already holds exactly this state (serial \(report.serial)), its history and its runs: nothing was moved.\n"
        } else {
            out = "Moved from \(report.from) to \(report.to):\n"
                + "  state: serial \(report.serial), \(count(report.records, "record")), sha256 \(report.digest)\n"
                + "  history: \(count(report.versions, "version"))\n"
                + "  runs: \(count(report.runs, "run")) with \(count(report.outcomes, "outcome line")), \(count(report.backups, "backup"))\n"
                + "Verified there: the same counts and SHA-256 digests.\n"
        }
        out += "\nTo switch, set this in the manifests (migrate does not edit them):\n\n"
        switch spec.backend {
        case .postgres:
            out += "state:\n  backend: postgres\n  url_env: \(spec.urlEnv)\n  schema: \(spec.schema)\n"
        case .local:
            out += "state:\n  backend: local\n"
        }
        out += "\nThe source in \(report.from) was kept; once every clone uses the new place, remove it "
            + (spec.backend == .postgres ? "(the local state file, state/history/ and state/runs/).\n"
                                          : "(its rows in the PostgreSQL schema, for this target).\n")
        return out
    }

}
