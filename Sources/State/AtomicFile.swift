import Foundation
import ReconCore

/// Whole-file reads and crash-safe replacement; writing is `PrivateFile.write` (temp file, fsync, rename,
/// fsync of the folder; 0600 or the replaced file's mode), kept here so State's callers read as before.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try PrivateFile.write(bytes, to: path)
    }

    /// The file's bytes, or nil when it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot read", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read", path) }
        return try read(fd, size: Int(info.st_size), path: path)
    }

    /// The bytes of the file open at `fd`, from where it is to its end; `size`, what `fstat` said, sizes the buffer.
    static func read(_ fd: Int32, size: Int, path: String) throws -> [UInt8] {
        // One byte more than the file, so the read that finds its end needs no room: growing a full array doubles it,
        // and a 92 MB plan (apply FILE at 100,000 creates) or a 61 MB state was held in twice its size (issue 12).
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 65_536)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Makes a rename or unlink in `directory` durable.
    public static func syncDirectory(_ directory: String) throws {
        try PrivateFile.syncDirectory(directory)
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        try PrivateFile.writeAll(bytes, to: fd, path: path)
    }

    static func directoryOf(_ path: String) -> String {
        PrivateFile.directoryOf(path)
    }

    static func failure(_ action: String, _ path: String) -> ReconError {
        PrivateFile.failure(action, path)
    }
}
