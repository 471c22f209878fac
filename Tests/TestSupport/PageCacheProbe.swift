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
        let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let flushed = written == block.count && fsync(fd) == 0 && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0
        close(fd)
        return flushed && residentPages(path) == 0
    }
}
