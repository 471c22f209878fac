import Foundation

/// How much of a file the page cache holds: for tests of writes meant to leave none of it there.
public enum PageCacheProbe {
    /// The file's pages in the page cache (`mincore` of a shared read-only mapping, which maps without reading);
    /// nil when the file cannot be opened or mapped. An empty file has none.
    public static func residentPages(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if size == 0 { return 0 }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, size) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (size + page - 1) / page)
        guard mincore(mapped, size, &vector) == 0 else { return nil }
        return vector.filter { $0 & 1 != 0 }.count
    }

    /// Whether the folder's file system drops a flushed file's pages when advised to (ext4, XFS, btrfs; not tmpfs,
    /// whose pages are the file), found with the kernel's own calls.
    public static func dropsFlushedPages(in directory: String) -> Bool {
        let path = "\(directory)/.page-cache-probe"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        let block = [UInt8](repeating: 7, count: 1 << 16)
        defer { close(fd) }
        let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        // Cached once written (else a file system that never caches would pass any test of dropping), gone once dropped.
        guard written == block.count, fsync(fd) == 0, (residentPages(path) ?? 0) > 0 else { return false }
        return posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 && residentPages(path) == 0
    }

    /// Whether the folder's file system really writes around the cache with `O_DIRECT` (ext4, XFS; not tmpfs, which
    /// takes the flag since Linux 6.6 and caches anyway), found with the kernel's own calls and its own value of the
    /// flag, not Recon's: an aligned block written direct leaves no page cached, and a write at an unaligned offset is
    /// refused.
    public static func writesAroundTheCache(in directory: String) -> Bool {
        #if os(Linux) && arch(x86_64)
        let flag: Int32 = 0o40000
        #elseif os(Linux) && arch(arm64)
        let flag: Int32 = 0o200000
        #else
        return false
        #endif
        let path = "\(directory)/.direct-io-probe"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | flag) == 0 else { return false }
        var block: UnsafeMutableRawPointer?
        guard posix_memalign(&block, 4096, 4096) == 0, let block else { return false }
        defer { free(block) }
        memset(block, 7, 4096)
        guard write(fd, block, 4096) == 4096, residentPages(path) == 0 else { return false }
        _ = lseek(fd, 1, SEEK_SET)
        return write(fd, block, 4096) < 0 && errno == EINVAL
    }
}
