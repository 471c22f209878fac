import Foundation

/// Test-only: `RECON_TEST_KILL_AFTER_BATCH=N` makes the process SIGKILL itself right after the Nth create or update
/// batch reached the base and before its outcomes are written, the one moment a crash loses the batch in flight.
/// `RECON_TEST_PAUSE_AFTER_BATCH=N` with `RECON_TEST_PAUSE_FILE=PATH` pauses there instead: it creates
/// `PATH.waiting` and waits until `PATH` exists (a test stops the state's server meanwhile).
/// `RECON_TEST_PAUSE_AFTER_SCHEMA=1` with `RECON_TEST_PAUSE_FILE` pauses the same way once the schema phase created
/// its tables, before they are tracked (a test writes into one meanwhile).
/// Read from the environment only (manifests cannot set it); unset, it does nothing.
enum TestKillPoint {
    static let variable = "RECON_TEST_KILL_AFTER_BATCH"
    static let batch: Int? = ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }
    static let pauseBatch: Int? = ProcessInfo.processInfo.environment["RECON_TEST_PAUSE_AFTER_BATCH"].flatMap { Int($0) }
    static let pauseFile: String? = ProcessInfo.processInfo.environment["RECON_TEST_PAUSE_FILE"]
    static let pauseAfterSchema = ProcessInfo.processInfo.environment["RECON_TEST_PAUSE_AFTER_SCHEMA"] == "1"

    /// `RECON_TEST_KILL_BEFORE_JOURNAL=N`: SIGKILL after the Nth batch's outcomes are on record, before its state journal line.
    static let beforeJournal: Int? = ProcessInfo.processInfo.environment["RECON_TEST_KILL_BEFORE_JOURNAL"].flatMap { Int($0) }

    static func outcomesWritten(_ number: Int) {
        if number == beforeJournal { kill(getpid(), SIGKILL) }
    }

    static func batchWritten(_ number: Int) {
        if number == batch { kill(getpid(), SIGKILL) }
        if number == pauseBatch { pause() }
    }

    static func schemaApplied() {
        if pauseAfterSchema { pause() }
    }

    private static func pause() {
        guard let pauseFile else { return }
        _ = FileManager.default.createFile(atPath: pauseFile + ".waiting", contents: nil)
        while !FileManager.default.fileExists(atPath: pauseFile) { usleep(50_000) }
    }
}
