import ReconCore

/// Why a state file was refused, worded to say what to do. A refused file is never written.
enum StateRefusal {
    static func corrupt(path: String, detail: String, newestHistory: String?) -> ReconError {
        ReconError("the state file \(path) is corrupt or truncated: \(detail)",
                   hint: "it was left untouched. \(restoreAdvice(newestHistory))")
    }

    static func newer(path: String, version: Int) -> ReconError {
        ReconError("the state file \(path) has format version \(version), written by a newer recon (this one reads up to \(StateModel.formatVersion))",
                   hint: "upgrade recon to use this state; the file was left untouched")
    }

    static func otherTarget(path: String, found: String, expected: String) -> ReconError {
        ReconError("the state file \(path) describes target '\(found)', but the manifests target '\(expected)'",
                   hint: "pass --state with the state file for '\(expected)', or fix 'target' in the manifests; the file was left untouched")
    }

    static func corruptJournal(path: String, line: Int, detail: String) -> ReconError {
        ReconError("the state journal \(path) is damaged at line \(line): \(detail)",
                   hint: "it was left untouched. Only its last line may be torn by a crash; move the journal away to use the state without the batches it recorded, then run 'recon plan' to see what is left")
    }

    static func foreignJournal(path: String, lineage: String, expected: String) -> ReconError {
        ReconError("the state journal \(path) belongs to another state (lineage \(lineage), not \(expected))",
                   hint: "the state file was replaced after a crash; move the journal away if that was on purpose")
    }

    static func journalGap(path: String, found: Int, expected: Int) -> ReconError {
        ReconError("the state journal \(path) skips from serial \(expected - 1) to \(found)",
                   hint: "a batch record is missing; move the journal away and run 'recon plan' to see what is left")
    }

    static func journalWithoutState(path: String, journal: String, newestHistory: String?) -> ReconError {
        ReconError("found the state journal \(journal) but no state file \(path)",
                   hint: restoreAdvice(newestHistory))
    }

    static func wouldOverwrite(path: String) -> ReconError {
        ReconError("refusing to overwrite the state file \(path): it is not the state this run loaded",
                   hint: "it is corrupt or belongs to another lineage; move it away or pass --state with another path")
    }

    /// A lean load left records in the file (`StateStore.loadLean`), and the file is no longer the one loaded.
    static func changedSinceLoad(path: String) -> ReconError {
        ReconError("the state file \(path) changed while this run held the lock: it is no longer the file the run loaded",
                   hint: "nothing was written from this run's state; something outside recon edits the state folder: stop it, then run 'recon plan' to see what is left")
    }

    static func restoreAdvice(_ newestHistory: String?) -> String {
        if let newestHistory {
            return "Restore the last good version (newest: \(newestHistory)) by copying it over the state file, or move the file away to start a new state."
        }
        return "Restore it from a backup, or move it away to start a new state (the next apply adopts existing records by key)."
    }

    static func describe(_ failure: StateCodec.Failure) -> String {
        switch failure {
        case .syntax(let line, let column, let message): "line \(line), column \(column): \(message)"
        case .shape(let path, let expected): "expected \(expected) at '\(path)'"
        case .newerVersion(let version): "format version \(version) is newer than this recon reads"
        }
    }

    static func describe(_ error: any Error) -> String {
        if let failure = error as? StateCodec.Failure { return describe(failure) }
        return "\(error)"
    }
}
