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

    /// A copy of the state file at `source`, just written: copied in chunks, so the state is never whole in memory, and
    /// around the page cache (`PrivateFile.write(to:bypassingCache:streaming:)`): the next run reads the state file, not this copy.
    @discardableResult
    func save(copying source: String, serial: Int, at date: Date = Date()) throws -> String {
        let path = self.path(serial: serial, stamp: StateHistory.timestamp(date))
        try StateFolderGuard.require(directory, below: AtomicFile.directoryOf(directory))
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.failure("cannot read", source) }
        defer { close(fd) }
        try PrivateFile.write(to: path, bypassingCache: true) { put in
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw AtomicFile.failure("cannot read", source) }
                if count == 0 { break }
                try put(Array(chunk[..<count]))
            }
        }
        return path
    }

    /// With the timestamp as written (a version moved from another backend keeps its own).
    @discardableResult
    func save(_ bytes: [UInt8], serial: Int, stamp: String) throws -> String {
        let path = self.path(serial: serial, stamp: stamp)
        try StateFolderGuard.require(directory, below: AtomicFile.directoryOf(directory))
        try AtomicFile.write(bytes, to: path)
        return path
    }

    private func path(serial: Int, stamp: String) -> String {
        "\(directory)/\(stem).\(String(format: "%08d", serial)).\(stamp).json"
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
