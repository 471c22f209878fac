import Foundation

/// Test-only: `RECON_TEST_KILL_AFTER_BATCH=N` makes the process SIGKILL itself right after the Nth create or update
/// batch reached the base and before its outcomes are written, the one moment a crash loses the batch in flight.
/// Read from the environment only (manifests cannot set it); unset, it does nothing.
enum TestKillPoint {
    static let variable = "RECON_TEST_KILL_AFTER_BATCH"
    static let batch: Int? = ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }

    static func batchWritten(_ number: Int) {
        if number == batch { kill(getpid(), SIGKILL) }
    }
}
