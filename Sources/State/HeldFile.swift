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

    /// The bytes at each of `ranges` (ascending, not overlapping), taken on a pass over the whole file that hashes it;
    /// throws `StateRefusal.changedSinceLoad` unless that pass hashes to `digest` (the bytes are then those first read).
    func read(_ ranges: [Range<Int>], digest: String) throws -> [[UInt8]] {
        var parts = ranges.map { range -> [UInt8] in
            var part: [UInt8] = []
            part.reserveCapacity(range.count)
            return part
        }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0, next = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(offset)) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw AtomicFile.failure("cannot read", path) }
            if count == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            let end = offset + count
            // The ranges this chunk holds a part of: those before `end`, from the first not yet whole.
            var index = next
            while index < ranges.count, ranges[index].lowerBound < end {
                let from = max(ranges[index].lowerBound, offset), to = min(ranges[index].upperBound, end)
                if from < to { parts[index] += chunk[(from - offset)..<(to - offset)] }
                if ranges[index].upperBound <= end, index == next { next += 1 }
                index += 1
            }
            offset = end
        }
        guard hasher.hexDigest() == digest, zip(parts, ranges).allSatisfy({ $0.count == $1.count }) else {
            throw StateRefusal.changedSinceLoad(path: path)
        }
        return parts
    }
}
