import Foundation

/// Writes a file around the page cache (`O_DIRECT`), staged through one aligned buffer, for the copies Recon keeps and
/// rarely reads again: history versions, the prior state's backup, a saved plan's backup. A buffered 63 MB copy puts
/// 15,000 new pages in the page cache; on a VM whose host backs guest memory on first touch that cost 0.15 s a copy,
/// against 0.03 s around the cache (issue 12). Wherever the file system or a write refuses `O_DIRECT`, the rest of the
/// file is written through the cache as ever: the bytes on disk are the same either way. A hook handed such a copy
/// (`RECON_PLAN_FILE` after the backup) reads it from disk.
final class UncachedFileWriter {
    /// The file offset and length a direct write must keep to (the largest logical block size in common use).
    static let alignment = 4096
    static let bufferSize = 1 << 20

    private let fd: Int32
    private let path: String
    private let buffer: UnsafeMutableRawPointer
    private var filled = 0
    /// Whether writes still go around the cache; false once anything refused it.
    private(set) var direct: Bool

    /// Sets `O_DIRECT` on `fd`; false where the file system refuses it (older tmpfs, some FUSE mounts). tmpfs since
    /// Linux 6.6 takes the flag and caches anyway: no worse than a buffered write. Set after `open`, not in it: an
    /// `open` that creates the file and then refuses the flag leaves the file behind.
    static func bypassCache(of fd: Int32) -> Bool {
        guard let flag = directFlag else { return false }
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | flag) == 0
    }

    /// `fd` is open for writing at offset 0; `direct` says whether `O_DIRECT` is set on it (`bypassCache`).
    init(fd: Int32, path: String, direct: Bool) {
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, Self.alignment, Self.bufferSize) == 0, let memory else {
            fatalError("out of memory for a \(Self.bufferSize)-byte write buffer")
        }
        self.fd = fd
        self.path = path
        buffer = memory
        self.direct = direct
    }

    deinit { free(buffer) }

    /// `O_DIRECT`, which Glibc's Swift overlay leaves out (it sits behind `_GNU_SOURCE`); nil where it is not known.
    static var directFlag: Int32? {
        #if os(Linux) && arch(x86_64)
        return 0o40000
        #elseif os(Linux) && arch(arm64)
        return 0o200000
        #else
        return nil
        #endif
    }

    func put(_ bytes: [UInt8]) throws {
        guard direct else {
            try flush()
            return try PrivateFile.writeAll(bytes, to: fd, path: path)
        }
        try bytes.withUnsafeBytes { source in
            var offset = 0
            while offset < source.count {
                let count = min(Self.bufferSize - filled, source.count - offset)
                (buffer + filled).copyMemory(from: source.baseAddress! + offset, byteCount: count)
                filled += count
                offset += count
                if filled == Self.bufferSize { try flush() }
            }
        }
    }

    /// Writes what is staged (the aligned part direct, the last partial block through the cache) and leaves `fd`
    /// buffered, so a patch written after it (`PrivateFile.writePatched`) may be at any offset and of any length.
    func finish() throws {
        let tail = filled % Self.alignment
        if direct, filled > tail {
            try flush(upTo: filled - tail)
            buffer.copyMemory(from: buffer + (filled - tail), byteCount: tail)
            filled = tail
        }
        try bufferRest()
        try flush()
    }

    private func flush() throws { try flush(upTo: filled) }

    /// Writes the first `end` staged bytes; `filled` is left to the caller when `end` is not all of them.
    private func flush(upTo end: Int) throws {
        var written = 0
        while written < end {
            let count = Foundation.write(fd, buffer + written, end - written)
            if count < 0 {
                if errno == EINTR { continue }
                // The file system takes no direct write of this size or at this offset: the cache takes the rest.
                if errno == EINVAL && direct {
                    try bufferRest()
                    continue
                }
                throw PrivateFile.failure("cannot write", path)
            }
            written += count
            // A short write leaves the offset unaligned for the next direct one.
            if written < end { try bufferRest() }
        }
        if end == filled { filled = 0 }
    }

    private func bufferRest() throws {
        guard direct, let flag = Self.directFlag else { return }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~flag) == 0 else { throw PrivateFile.failure("cannot clear O_DIRECT on", path) }
        direct = false
    }
}
