import Foundation

/// This build of Recon: its version and the executable's size and modification time. Another build of the same
/// version (a development build, an upgrade in place) may extract or plan differently, so what one build kept for
/// itself (a no-op seal, a sealed extract cache entry) is never taken on its word by another.
public enum ReconBuild {
    public static let identity: String = {
        var info = stat()
        guard let path = Bundle.main.executablePath, stat(path, &info) == 0 else { return "\(ReconVersion.current) unknown" }
        return "\(ReconVersion.current) \(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()
}
