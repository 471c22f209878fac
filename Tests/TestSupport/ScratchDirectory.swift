import Foundation

/// A fresh directory under the system temp dir, removed when the value goes away.
/// Tests use real files in it: no mocks of the file system.
public final class ScratchDirectory {
    public let path: String

    public init(_ label: String = "recon") {
        let base = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/relative`.
    public func file(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Names in `relative` (or the root), sorted; empty when it does not exist.
    public func list(_ relative: String = "") -> [String] {
        let directory = relative.isEmpty ? path : file(relative)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    public func write(_ text: String, to relative: String) {
        let target = file(relative)
        try! FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }

    public func read(_ relative: String) -> Data? {
        FileManager.default.contents(atPath: file(relative))
    }
}
