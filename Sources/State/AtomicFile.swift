import Foundation
import ReconCore

/// Whole-file reads and crash-safe replacement: write a temp file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old file or the new one, never half.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = directoryOf(path)
        try createDirectory(directory)
        let temp = "\(directory)/.\((path as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", temp) }
        do {
            try writeAll(bytes, to: fd, path: temp)
            guard fsync(fd) == 0 else { throw failure("cannot flush", temp) }
            close(fd)
            guard rename(temp, path) == 0 else { throw failure("cannot rename \(temp) to", path) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        try syncDirectory(directory)
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
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
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
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open directory", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot flush directory", directory) }
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
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

    static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    static func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReconError("cannot create directory \(directory): \(error.localizedDescription)")
        }
    }

    static func failure(_ action: String, _ path: String) -> ReconError {
        ReconError("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
