import Foundation
import ReconCore

/// A file kept open after it was read whole and hashed, so parts of it can be read again later without holding all its
/// bytes (a lean state load's values, 63 MB at 100,000 records, were the 1% run's peak beside the extract cache's;
/// issue 12). The parts are read in one pass over the whole file that hashes it again: they are the bytes first hashed
/// only when that pass hashes to the same digest, whatever was done to the file or its name meanwhile.
final class HeldFile: @unchecked Sendable {
    private let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// The file's bytes, or nil when it does not exist; with the file held open when `holding` and it is a regular file.
    static func read(_ path: String, holding: Bool) throws -> (bytes: [UInt8], held: HeldFile?)? {
        guard holding else { return try AtomicFile.read(path).map { ($0, nil) } }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw AtomicFile.failure("cannot read", path)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw AtomicFile.failure("cannot read", path)
        }
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(descriptor, size: Int(info.st_size), path: path)
        } catch {
            close(descriptor)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return (bytes, nil)
        }
        return (bytes, HeldFile(descriptor: descriptor, path: path))
    }

    /// The bytes at each of `ranges` (ascending, not overlapping), taken on a pass over the whole file that hashes it
    /// (`VerifiedFileReader`); throws `StateRefusal.changedSinceLoad` unless that pass hashes to `digest` (the bytes are
    /// then those first read).
    func read(_ ranges: [Range<Int>], digest: String) throws -> [[UInt8]] {
        guard let reader = VerifiedFileReader(reading: descriptor, digest: Array(digest.utf8), chunkSize: 1 << 20) else {
            throw AtomicFile.failure("cannot read", path)
        }
        do {
            let parts = try ranges.map { Array(try reader.bytes($0)) }
            try reader.finish()
            return parts
        } catch is VerifiedFileReader.Changed {
            throw StateRefusal.changedSinceLoad(path: path)
        }
    }
}
