import Foundation

/// Values a command is done with, kept until the process exits instead of freed one by one: freeing a
/// 100,000-change plan took a quarter of a second of a 100k apply (issue 12), just before `exit` hands the whole
/// heap back at once. Only `ReconCLI.main` turns it on; a command run in-process (the tests) frees as usual.
enum ExitHold {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var held: [Any] = []
    nonisolated(unsafe) private static var enabled = false

    /// From here on `keep` holds what it is given; the process is to end with `exit`.
    static func enable() {
        lock.withLock { enabled = true }
    }

    static func keep(_ value: Any) {
        lock.withLock { if enabled { held.append(value) } }
    }
}
