/// The documented exit codes; docs/cli.md lists them.
public enum ExitCode: Int32, Sendable {
    /// Success; for `plan -detailed-exitcode` and `drift`, success with nothing to change.
    case success = 0
    /// An error: invalid input, a failed run, a usage mistake.
    case failure = 1
    /// Success with changes present (`plan -detailed-exitcode`) or drift found (`drift`).
    case changes = 2
    /// Interrupted (SIGINT/SIGTERM) after finishing the batch in flight.
    case cancelled = 130
}
