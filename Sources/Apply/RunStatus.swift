/// How a run ended, or that it is still going. A closed set; `interrupted` is never written, only shown.
public enum RunStatus: String, Sendable, CaseIterable {
    case running
    case succeeded
    case succeededWithWarnings = "succeeded_with_warnings"
    case failed
    case cancelled
    /// Shown for a ledger that still says `running` while no live lease of that run exists: the process
    /// was killed or the machine went down. Derived by `RunLedger.list`, never stored.
    case interrupted

    /// Whether the run has ended and will not change again.
    public var isFinal: Bool { self != .running }
}

/// What a run does to the base. A rollback is applied like any plan, but is listed apart; a drift check
/// only reads the base and takes no lock.
public enum RunOperation: String, Sendable, CaseIterable {
    case apply
    case rollback
    case drift
}
