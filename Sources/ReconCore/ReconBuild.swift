import Foundation

/// This build of Recon: its version and the executable's device, inode, size, modification and change times.
/// Another build of the same version (a development build, an upgrade in place) may extract or plan differently,
/// so what one build kept for itself (a no-op seal, a sealed extract cache entry, a plan receipt) is never taken
/// on its word by another. The change time is the kernel's: `touch -r` can put a modification time back after an
/// edit of the same size, but not the change time, and a copy gets a new inode (found in review).
public enum ReconBuild {
    public static let identity: String = {
        var info = stat()
        guard let path = Bundle.main.executablePath, stat(path, &info) == 0 else { return "\(ReconVersion.current) unknown" }
        return "\(ReconVersion.current) \(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            + " \(info.st_dev):\(info.st_ino) c\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }()
}
