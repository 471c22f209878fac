import Foundation

/// A fresh directory under the system temp dir, removed when the value goes away, or at the latest when the test
/// process exits: XCTest on Linux keeps every test case (and so the directories it holds) alive to the end of the run,
/// where no deinit runs, and a suite run left some 40 folders in /tmp.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ prefix: String = "recon-test") {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths compare equal to what git reports.
        path = base.resolvingSymlinksInPath().path
        Remaining.shared.add(path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        Remaining.shared.remove(path)
    }

    /// The directories not yet removed, removed at exit.
    private final class Remaining: @unchecked Sendable {
        static let shared = Remaining()
        private let lock = NSLock()
        private var paths: Set<String> = []

        private init() {
            atexit { Remaining.shared.removeAll() }
        }

        func add(_ path: String) { lock.withLock { _ = paths.insert(path) } }
        func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

        private func removeAll() {
            for path in lock.withLock({ paths }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    public func url(_ relative: String = "") -> URL {
        URL(fileURLWithPath: path).appendingPathComponent(relative)
    }

    /// Writes `text` at `relative`, creating folders; returns the full path.
    @discardableResult
    public func write(_ relative: String, _ text: String) -> String {
        write(relative, Array(text.utf8))
    }

    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let url = url(relative)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
        return url.path
    }

    /// `path/relative`.
    public func file(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Names in `relative` (or the root), sorted; empty when it does not exist.
    public func list(_ relative: String = "") -> [String] {
        let directory = relative.isEmpty ? path : file(relative)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    public func write(_ text: String, to relative: String) {
        write(relative, text)
    }

    public func data(_ relative: String) -> Data? {
        FileManager.default.contents(atPath: file(relative))
    }

    public func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: "\(path)/\(relative)").map { String(decoding: $0, as: UTF8.self) }
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(relative)")
    }

    /// Every file below the directory, relative, sorted: to prove nothing was written.
    public func listing() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let next = enumerator?.nextObject() as? String { files.append(next) }
        return files.sorted()
    }
}
