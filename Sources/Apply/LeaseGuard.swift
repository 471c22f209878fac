import Foundation
import ReconCore

/// A short exclusive `flock` on `<lease>.guard` held while a lease is created, renewed, broken or removed.
///
/// Breaking a stale lease is check-then-act ("still the stale one? then remove it"); without a mutex two
/// breakers could each remove the other's fresh lease. The kernel drops a flock when its holder dies, so the
/// guard itself can never go stale. The guard file is never deleted: deleting it would reintroduce the race.
struct LeaseGuard {
    /// `createDirectory` makes the state directory when missing (acquiring); other callers never create it.
    static func withLock<T>(leasePath: String, createDirectory: Bool = false, _ body: () throws -> T) throws -> T {
        let path = leasePath + ".guard"
        var fd = PrivateFile.open(path, O_RDWR)
        if fd < 0, errno == ENOENT, createDirectory {
            try PrivateFile.createDirectory(PrivateFile.directoryOf(leasePath))
            fd = PrivateFile.open(path, O_RDWR)
        }
        guard fd >= 0 else {
            throw ReconError("cannot open the lock guard \(path): \(String(cString: strerror(errno)))",
                             hint: "check that the state directory exists and is writable")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw ReconError("cannot lock \(path): \(String(cString: strerror(errno)))",
                                 hint: "the state directory must be on a file system that supports flock")
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
