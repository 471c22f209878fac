import Foundation

/// The one door for creating what Recon keeps: state, journals, history, backups, ledgers, caches and
/// plan files can hold a private base's data, so files are created 0600 and folders 0700 whatever
/// the umask. A file replaced keeps the mode it had, so a deliberate `chmod` survives the next write.
public enum PrivateFile {
    public static let fileMode: mode_t = 0o600
    public static let directoryMode: mode_t = 0o700

    /// `open(2)` with `O_CREAT` at 0600: a umask can only take bits away, never add them.
    public static func open(_ path: String, _ flags: Int32) -> Int32 {
        Foundation.open(path, flags | O_CREAT | O_CLOEXEC, fileMode)
    }

    /// Creates `directory` and its missing parents at 0700 (`mkdir -p`); folders that exist keep their mode.
    public static func createDirectory(_ directory: String) throws {
        if mkdir(directory, directoryMode) == 0 {
            _ = chmod(directory, directoryMode)
            return
        }
        switch errno {
        case EEXIST:
            var info = stat()
            guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ReconError("cannot create directory \(directory): a file of that name exists")
            }
        case ENOENT:
            let parent = (directory as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != directory else { throw failure("cannot create directory", directory) }
            try createDirectory(parent)
            guard mkdir(directory, directoryMode) == 0 || errno == EEXIST else { throw failure("cannot create directory", directory) }
            _ = chmod(directory, directoryMode)
        default:
            throw failure("cannot create directory", directory)
        }
    }

    /// Creates Recon's own state folder at 0700, or takes group and other access away from it when it
    /// exists and belongs to this user: a fresh clone leaves `state/` 0755, and its listing names the
    /// runs and backups. Only for the state folder, never for a folder the user chose (a plan's).
    public static func claimStateDirectory(_ directory: String) throws {
        try createDirectory(directory)
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o077 != 0 else { return }
        guard chmod(directory, mode_t(info.st_mode & 0o700)) == 0 else { throw failure("cannot make private", directory) }
    }

    /// Replaces `path` crash-safely: a temp file in the same folder, fsynced, renamed over the target,
    /// the folder fsynced. A reader sees the old file or the new one, never half. The new file gets the
    /// old one's mode, or 0600 when there was none.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { put in try put(bytes) }
    }

    /// As `write(_:to:)`, with the bytes handed over in chunks by `produce` (each `put` writes one), so a large
    /// file is never whole in memory. When `produce` or a `put` throws, the old file stays as it was.
    ///
    /// `bypassingCache`: written around the page cache (`UncachedFileWriter`), for a copy kept against a bad day (a
    /// history version, a backup) that no later run reads on its way, so it need not displace the files one does.
    public static func write(to path: String, bypassingCache: Bool = false,
                             streaming produce: (_ put: ([UInt8]) throws -> Void) throws -> Void) throws {
        try writePatched(to: path, bypassingCache: bypassingCache) { put in
            try withoutActuallyEscaping(put) { put in try produce(put) }
            return []
        }
    }

    /// As `write(to:streaming:)`; `produce` returns bytes to write over what it put at the given offsets (a header
    /// known only at the end, such as a digest of what follows it), written before the file is flushed and renamed.
    public static func writePatched(to path: String, bypassingCache: Bool = false,
                                    streaming produce: (_ put: ([UInt8]) throws -> Void) throws -> [(offset: Int, bytes: [UInt8])]) throws {
        try replace(path) { fd, temp in
            let writer = bypassingCache ? UncachedFileWriter(fd: fd, path: temp, direct: UncachedFileWriter.bypassCache(of: fd)) : nil
            let patches = try produce { bytes in
                if let writer { try writer.put(bytes) } else { try writeAll(bytes, to: fd, path: temp) }
            }
            try writer?.finish()
            for patch in patches {
                let count = patch.bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(patch.offset)) }
                guard count == patch.bytes.count else { throw failure("cannot write", temp) }
            }
        }
    }

    /// The temp file, flush and rename both writers share; `fill` writes the temp file's bytes.
    private static func replace(_ path: String, fill: (_ fd: Int32, _ temp: String) throws -> Void) throws {
        try prepare(path, fill: fill).commit()
    }

    /// As `write(to:streaming:)`, but the file is only written aside (flushed, not yet in place): `commit` puts it in
    /// place, `discard` removes it. For a write made on another core before the run knows it will keep it.
    public static func prepare(_ path: String, streaming produce: (_ put: ([UInt8]) throws -> Void) throws -> Void) throws -> PreparedFile {
        try prepare(path) { fd, temp in try produce { bytes in try writeAll(bytes, to: fd, path: temp) } }
    }

    private static func prepare(_ path: String, fill: (_ fd: Int32, _ temp: String) throws -> Void) throws -> PreparedFile {
        let directory = directoryOf(path)
        let created = firstMissing(directory)
        do {
            try createDirectory(directory)
        } catch {
            removeEmpty(directory, upTo: created)
            throw error
        }
        var existing = stat()
        let mode = stat(path, &existing) == 0 ? existing.st_mode & 0o7777 : fileMode
        let temp = "\(directory)/.\((path as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_EXCL)
        guard fd >= 0 else {
            let error = failure("cannot create", temp)
            removeEmpty(directory, upTo: created)
            throw error
        }
        do {
            guard fchmod(fd, mode) == 0 else { throw failure("cannot set the mode of", temp) }
            try fill(fd, temp)
            guard fsync(fd) == 0 else { throw failure("cannot flush", temp) }
            close(fd)
        } catch {
            close(fd)
            _ = try? SafeRemoval.remove(temp, inside: directory)
            removeEmpty(directory, upTo: created)
            throw error
        }
        return PreparedFile(temp: temp, path: path, createdFolder: created)
    }

    /// The outermost folder on the way to `directory` that does not exist yet; nil when `directory` exists.
    static func firstMissing(_ directory: String) -> String? {
        var missing: String?
        var current = directory
        while current != "." && current != "/" && !current.isEmpty && access(current, F_OK) != 0 {
            missing = current
            current = directoryOf(current)
        }
        return missing
    }

    /// Removes `directory` and its parents up to `created` while they are empty (`rmdir`): the folders a write made,
    /// taken back when it is not kept, so a failed run leaves no trace. Nothing when `created` is nil.
    static func removeEmpty(_ directory: String, upTo created: String?) {
        guard let created, directory.hasPrefix(created) else { return }
        var current = directory
        // A folder a failed `createDirectory` did not get to is not there: its parents may be.
        while rmdir(current) == 0 || access(current, F_OK) != 0, current != created, current.count > created.count {
            current = directoryOf(current)
        }
    }

    /// Makes a rename or unlink in `directory` durable.
    public static func syncDirectory(_ directory: String) throws {
        let fd = Foundation.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open directory", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot flush directory", directory) }
    }

    public static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            written += count
        }
    }

    public static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    public static func failure(_ action: String, _ path: String) -> ReconError {
        ReconError("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
