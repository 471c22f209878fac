import Foundation

/// A file written aside by `PrivateFile.prepare` (a flushed temp file in the target's folder): `commit` renames it over
/// the target, as `PrivateFile.write` does; `discard`, or dropping it unsettled, removes it, so a run that fails after
/// preparing a write leaves the target as it was.
public final class PreparedFile: @unchecked Sendable {
    public let path: String
    private let temp: String
    /// The outermost folder `prepare` made for it, taken back (when empty) on `discard`.
    private let createdFolder: String?
    /// Set by `commit` or `discard`; the owner settles a prepared file on one thread.
    private var settled = false
    /// What `commit`'s errors are said to be about ("cannot write the extract cache"), set by whoever prepared it.
    public var failureContext: String?

    init(temp: String, path: String, createdFolder: String?) {
        self.temp = temp
        self.path = path
        self.createdFolder = createdFolder
    }

    /// Puts the file in place (rename, then the folder flushed): a reader sees the old file or the new one.
    public func commit() throws {
        guard !settled else { return }
        settled = true
        let directory = PrivateFile.directoryOf(path)
        do {
            guard rename(temp, path) == 0 else {
                let error = PrivateFile.failure("cannot rename \(temp) to", path)
                _ = try? SafeRemoval.remove(temp, inside: directory)
                throw error
            }
            try PrivateFile.syncDirectory(directory)
        } catch let error as ReconError {
            throw failureContext.map { ReconError("\($0): \(error.message)") } ?? error
        }
    }

    /// Removes the file written aside, and the folders made for it; the target is not touched.
    public func discard() {
        guard !settled else { return }
        settled = true
        let directory = PrivateFile.directoryOf(path)
        _ = try? SafeRemoval.remove(temp, inside: directory)
        PrivateFile.removeEmpty(directory, upTo: createdFolder)
    }

    deinit { discard() }
}
