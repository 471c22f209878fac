import Foundation

/// The process groups of the children running now, so that recon's own SIGINT/SIGTERM (or a timeout)
/// can kill each whole group: git and whatever it started (ssh, remote helpers), with no orphans.
///
/// Once `stopAll()` was called no new child starts: a run being interrupted does not begin more work.
public enum ChildProcessGroups {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: Set<pid_t> = []
    nonisolated(unsafe) private static var stopping = false

    /// Records a started group; false (and the group is killed) when recon is already stopping.
    static func register(_ group: pid_t) -> Bool {
        lock.withLock {
            guard !stopping else {
                kill(-group, SIGKILL)
                return false
            }
            groups.insert(group)
            return true
        }
    }

    /// Forgets a group whose leader has exited but is not yet reaped, so its id cannot have been reused.
    static func unregister(_ group: pid_t) {
        lock.withLock { _ = groups.remove(group) }
    }

    /// True once `stopAll()` ran.
    public static var isStopping: Bool { lock.withLock { stopping } }

    /// Kills every running group and refuses new children; safe to call from a signal's dispatch source.
    public static func stopAll() {
        lock.withLock {
            stopping = true
            for group in groups { kill(-group, SIGKILL) }
        }
    }
}
