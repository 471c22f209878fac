import Foundation
import ReconCore

/// Copies of the state as it stood after each full write, in `<state dir>/history/`, named
/// `<state name>.<serial>.<UTC time>.json` so they sort and say what they are.
public struct StateHistory: Sendable {
    public struct Entry: Sendable, Equatable {
        public var serial: Int
        /// `yyyyMMdd'T'HHmmss.SSS'Z'`, UTC.
        public var timestamp: String
        public var path: String
    }

    public let directory: String
    /// The state file's name without `.json`, so two state files in one directory keep apart.
    public let stem: String

    public init(directory: String, stem: String) {
        self.directory = directory
        self.stem = stem
    }

    /// Every saved version, oldest first (by time, then serial).
    public func entries() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let prefix = stem + "."
        var entries: [Entry] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".json") {
            let middle = name.dropFirst(prefix.count).dropLast(5)
            guard let dot = middle.firstIndex(of: "."), let serial = Int(middle[..<dot]) else { continue }
            entries.append(Entry(serial: serial, timestamp: String(middle[middle.index(after: dot)...]),
                                 path: "\(directory)/\(name)"))
        }
        return entries.sorted { ($0.timestamp, $0.serial) < ($1.timestamp, $1.serial) }
    }

    @discardableResult
    func save(_ bytes: [UInt8], serial: Int, at date: Date = Date()) throws -> String {
        try save(bytes, serial: serial, stamp: StateHistory.timestamp(date))
    }

    /// With the timestamp as written (a version moved from another backend keeps its own).
    @discardableResult
    func save(_ bytes: [UInt8], serial: Int, stamp: String) throws -> String {
        let path = "\(directory)/\(stem).\(String(format: "%08d", serial)).\(stamp).json"
        try StateFolderGuard.require(directory, below: AtomicFile.directoryOf(directory))
        try AtomicFile.write(bytes, to: path)
        return path
    }

    /// Removes all but the newest `keepLast` versions (at least one is always kept); returns what went.
    @discardableResult
    public func prune(keepLast: Int) throws -> [Entry] {
        try StateFolderGuard.require(directory, below: AtomicFile.directoryOf(directory))
        let all = entries()
        let doomed = all.dropLast(max(keepLast, 1))
        for entry in doomed { try SafeRemoval.remove(entry.path, inside: directory) }
        if !doomed.isEmpty { try AtomicFile.syncDirectory(directory) }
        return Array(doomed)
    }

    static func timestamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int((date.timeIntervalSince1970 - Double(time)) * 1000)
        return String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}
