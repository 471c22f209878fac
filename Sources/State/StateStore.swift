import Foundation
import ReconCore

/// Where the state lives and how it is read and written: the snapshot (`recon.state.json`),
/// its journal (`recon.state.journal`) and its history (`history/`), side by side.
public struct StateStore: Sendable {
    public static let defaultPath = "state/recon.state.json"

    public let path: String
    public let journalPath: String
    public let history: StateHistory

    public init(path: String = StateStore.defaultPath) {
        self.path = path
        let directory = AtomicFile.directoryOf(path)
        let name = (path as NSString).lastPathComponent
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        journalPath = "\(directory)/\(stem).journal"
        history = StateHistory(directory: "\(directory)/history", stem: stem)
    }

    /// A new state for `target`: a fresh lineage, serial 0 (the first write makes it 1).
    public static func newState(target: String) -> StateModel {
        StateModel(lineage: UUID().uuidString.lowercased(), target: target)
    }

    /// The state on disk with its journal replayed, or nil when there is none yet. Refuses (and never
    /// touches) a corrupt, truncated, newer-format or other-target file. Pass nil to accept any target.
    public func load(expectedTarget: String?) throws -> StateModel? { try load(expectedTarget: expectedTarget, valuesOf: nil) }

    /// `load`, keeping the values of the records `valuesOf` names (table → keys) only, for a reader that needs no more.
    public func load(expectedTarget: String?, valuesOf kept: [String: Set<String>]?) throws -> StateModel? {
        var layout: StateFileLayout?
        return try load(expectedTarget: expectedTarget, valuesOf: kept, digesting: false, layout: &layout).state
    }

    /// `load`, with the SHA-256 of the file's bytes when the state is exactly what they decode to (no journal line
    /// replayed into it): a run's backup then copies the file (`copySnapshot`) instead of encoding the state again.
    public func loadWithDigest(expectedTarget: String?) throws -> (state: StateModel?, fileDigest: String?) {
        var layout: StateFileLayout?
        return try load(expectedTarget: expectedTarget, valuesOf: nil, digesting: true, layout: &layout)
    }

    /// `loadWithDigest`, with where each record is in the file when the state is exactly its bytes, so the next
    /// `write` can copy the records left as loaded (`StateFileLayout`; its digest is the file's).
    public func loadWithLayout(expectedTarget: String?) throws -> (state: StateModel?, layout: StateFileLayout?) {
        var layout: StateFileLayout? = StateFileLayout(digest: "", tables: [:])
        let state = try load(expectedTarget: expectedTarget, valuesOf: nil, digesting: true, layout: &layout).state
        return (state, layout)
    }

    /// The lean load of a delta run (issue 12, goal 4). When the file's bytes hash to `digest` (what the last apply's
    /// write returned: its canonical encoding) and no journal line is replayed into them, every record is read for its
    /// key and id alone and its values are left in the file (`StateModel.isPartial`): `decodeValues` decodes those the run
    /// needs, and the write copies the others (`write(_:keepHistory:splicing:)`, which refuses to encode them). Else the
    /// state is loaded whole, as `loadWithLayout` loads it. The file is hashed whole either way.
    public func loadLean(expectedTarget: String?, digest: String) throws -> (state: StateModel?, layout: StateFileLayout?) {
        var layout: StateFileLayout? = StateFileLayout(digest: "", tables: [:])
        let state = try load(expectedTarget: expectedTarget, valuesOf: nil, digesting: true, layout: &layout, lean: digest).state
        return (state, layout)
    }

    /// The refusal of a write from a lean load's state (`isPartial`) once the file it left values in is another.
    public static func changedSinceLoad(path: String) -> ReconError { StateRefusal.changedSinceLoad(path: path) }

    /// Decodes into `state` (and `layout`) the values a lean load left in the file of the records `keys` names (table →
    /// keys), from the bytes it hashed, then lets them go. They are read again from the file held open, on a pass that
    /// hashes it whole (`HeldFile`): a file changed since the load is refused. A record that does not read as one is a
    /// corrupt file.
    public func decodeValues(of keys: [String: Set<String>], in state: inout StateModel, layout: inout StateFileLayout) throws {
        let bytes = layout.bytes, file = layout.held
        guard bytes != nil || file != nil else { return }
        layout.bytes = nil
        layout.held = nil
        var wanted: [(table: String, key: String, index: Int)] = []
        for (table, keys) in keys {
            for key in keys {
                guard let held = state.records[table]?[key], let index = layout.index(of: key, in: table),
                      StateFileLayout.sameValue(held, layout.tables[table]![index].record) else { continue }
                wanted.append((table, key, index))
            }
        }
        wanted.sort { layout.tables[$0.table]![$0.index].range.lowerBound < layout.tables[$1.table]![$1.index].range.lowerBound }
        let ranges = wanted.map { layout.tables[$0.table]![$0.index].range }
        let parts = try bytes == nil && !ranges.isEmpty ? file!.read(ranges, digest: layout.digest) : []
        for (number, (table, key, index)) in wanted.enumerated() {
            let record: ManagedRecord
            do {
                if let bytes {
                    record = try StateCodec.decodeRecord(bytes, at: ranges[number])
                } else {
                    record = try StateCodec.decodeRecord(parts[number], at: 0..<parts[number].count)
                }
            } catch {
                throw StateRefusal.corrupt(path: path, detail: StateRefusal.describe(error.within("records.\(table).\(key)")),
                                           newestHistory: newestHistory)
            }
            guard record.id == state.records[table]![key]!.id else {
                throw StateRefusal.corrupt(path: path, detail: "the record at 'records.\(table).\(key)' reads another id",
                                           newestHistory: newestHistory)
            }
            state.records[table]![key] = record
            layout.tables[table]![index].record = record
        }
    }

    /// Copies the state file to `path` (crash-safe, private) if its bytes still hash to `digest`; false, with `path`
    /// untouched, when they do not (or it cannot be read): the caller encodes the state instead. A backup, so written
    /// around the page cache (`PrivateFile.write(to:bypassingCache:streaming:)`).
    public func copySnapshot(digest: String, to path: String) throws -> Bool {
        let fd = open(self.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        do {
            try PrivateFile.write(to: path, bypassingCache: true) { put in
                var hasher = SHA256()
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    guard count >= 0 else { throw SnapshotChanged() }
                    if count == 0 { break }
                    let part = Array(chunk[..<count])
                    hasher.update(part)
                    try put(part)
                }
                // Checked before the copy is renamed into place: a file edited since it was loaded is never the backup.
                guard hasher.hexDigest() == digest else { throw SnapshotChanged() }
            }
        } catch is SnapshotChanged {
            return false
        }
        return true
    }

    private struct SnapshotChanged: Error {}

    /// `layout` in: non-nil to ask for one; out: the file's, or nil when the state is not exactly the file.
    /// `lean`: the digest under which the records may be read for their ids alone (`loadLean`).
    private func load(expectedTarget: String?, valuesOf kept: [String: Set<String>]?, digesting: Bool,
                      layout: inout StateFileLayout?, lean: String? = nil) throws -> (state: StateModel?, fileDigest: String?) {
        let wanted = layout != nil
        layout = nil
        // A lean load leaves values in the file: held open, so its bytes need not be (`HeldFile`).
        guard let (bytes, held) = try HeldFile.read(path, holding: wanted && lean != nil) else {
            if let size = try AtomicFile.read(journalPath)?.count, size > 0 {
                throw StateRefusal.journalWithoutState(path: path, journal: journalPath, newestHistory: newestHistory)
            }
            return (nil, nil)
        }
        var state: StateModel
        var carried: [String: [StateFileLayout.Carried]]? = wanted ? [:] : nil
        // Hashed before it is decoded: only the bytes the digest names are read lean.
        let leanDigest = lean.map { _ in SHA256.hex(bytes) }
        let leanly = wanted && leanDigest != nil && leanDigest == lean
        do {
            state = leanly ? try StateCodec.decodeLean(bytes, layout: &carried) : try StateCodec.decode(bytes, valuesOf: kept, layout: &carried)
        } catch .newerVersion(let version) {
            throw StateRefusal.newer(path: path, version: version)
        } catch {
            throw StateRefusal.corrupt(path: path, detail: StateRefusal.describe(error), newestHistory: newestHistory)
        }
        if let expectedTarget, state.target != expectedTarget {
            throw StateRefusal.otherTarget(path: path, found: state.target, expected: expectedTarget)
        }
        let replayed = try replayJournal(into: &state)
        if replayed > 0, state.isPartial {
            // Not the file's bytes: decoded whole, as any state with a journal replayed into it.
            layout = StateFileLayout(digest: "", tables: [:])
            return try load(expectedTarget: expectedTarget, valuesOf: kept, digesting: digesting, layout: &layout)
        }
        let digest = digesting && replayed == 0 ? leanDigest ?? SHA256.hex(bytes) : nil
        if let digest, let carried {
            layout = StateFileLayout(digest: digest, tables: carried)
            if state.isPartial {
                if let held { layout?.held = held } else { layout?.bytes = bytes }
            }
        }
        return (state, digest)
    }

    /// `load`, or a new state when there is none.
    public func loadOrCreate(target: String) throws -> StateModel {
        try load(expectedTarget: target) ?? StateStore.newState(target: target)
    }

    /// A full write: serial + 1, the snapshot replaced atomically, the journal folded in (removed),
    /// a copy kept in history and the history pruned to `keepHistory`. O(state): once per run.
    public func write(_ state: inout StateModel, keepHistory: Int) throws {
        try write(&state, keepHistory: keepHistory, splicing: nil)
    }

    /// `write`, copying from the file `layout` was loaded from the bytes of every record the state still holds as
    /// loaded, when the layout is `canonical` and the file still hashes to its digest (else everything is encoded):
    /// the same bytes either way. Returns the SHA-256 of the file written (never nil), the journal folded (removed).
    @discardableResult
    public func write(_ state: inout StateModel, keepHistory: Int, splicing layout: StateFileLayout?) throws -> String? {
        try checkOverwrite(lineage: state.lineage)
        var next = state
        next.serial += 1
        try PrivateFile.claimStateDirectory(AtomicFile.directoryOf(path))
        let digest = try writeSnapshot(next, splicing: layout)
        state = next
        let directory = AtomicFile.directoryOf(journalPath)
        if try SafeRemoval.remove(journalPath, inside: directory) { try AtomicFile.syncDirectory(directory) }
        try history.save(copying: path, serial: next.serial)
        try history.prune(keepLast: keepHistory)
        return digest
    }

    /// The snapshot streamed into place, hashed on the way; records copied when `layout` allows (see `write`).
    private func writeSnapshot(_ state: StateModel, splicing layout: StateFileLayout?) throws -> String {
        // Opened before the new file is renamed over it: the old one is read again while the new one is written.
        if let layout, layout.canonical,
           let source = VerifiedFileReader(path: path, digest: Array(layout.digest.utf8), chunkSize: Self.chunkSize) {
            do {
                return try writeHashed(state, copying: (layout, source))
            } catch is VerifiedFileReader.Changed {
                // The file is no longer the one loaded: every record is encoded.
            }
        }
        // Records a lean load left in the file have no values here to encode: nothing is written.
        if state.isPartial { throw StateRefusal.changedSinceLoad(path: path) }
        return try writeHashed(state, copying: nil)
    }

    private static let chunkSize = 1 << 20

    /// `PrivateFile.write` of the state's encoding, returning the SHA-256 of the bytes written.
    private func writeHashed(_ state: StateModel, copying: (StateFileLayout, VerifiedFileReader)?) throws -> String {
        let hasher = DigestSink()
        try PrivateFile.write(to: path) { put in
            let hashing = { (bytes: [UInt8]) throws in
                hasher.update(bytes)
                try put(bytes)
            }
            if let (layout, source) = copying {
                try StateCodec.encode(state, chunkSize: Self.chunkSize, copying: layout, from: source, put: hashing)
                // Every copied byte is the one loaded, or nothing is renamed into place.
                try source.finish()
            } else {
                try StateCodec.encode(state, chunkSize: Self.chunkSize, put: hashing)
            }
        }
        return hasher.hexDigest()
    }

    /// Opens the journal for a run's batches. The snapshot is written first when there is none yet or
    /// when a journal from a crashed run is still waiting to be folded, so every line builds on it.
    public func beginJournal(for state: inout StateModel, keepHistory: Int) throws -> StateJournal {
        let pending = (try AtomicFile.read(journalPath)?.isEmpty == false)
        if pending || !FileManager.default.fileExists(atPath: path) {
            try write(&state, keepHistory: keepHistory)
        }
        return try StateJournal(path: journalPath)
    }

    // MARK: Internals

    private var newestHistory: String? { history.entries().last?.path }

    /// Applies the journal lines that follow the snapshot's serial; lines at or below it were
    /// folded already (a crash between rename and journal removal leaves them behind).
    /// Returns how many lines it applied.
    @discardableResult
    private func replayJournal(into state: inout StateModel) throws -> Int {
        var applied = 0
        for entry in try StateJournal.entries(at: journalPath) {
            guard entry.lineage == state.lineage else {
                throw StateRefusal.foreignJournal(path: journalPath, lineage: entry.lineage, expected: state.lineage)
            }
            guard entry.serial > state.serial else { continue }
            guard entry.serial == state.serial + 1 else {
                throw StateRefusal.journalGap(path: journalPath, found: entry.serial, expected: state.serial + 1)
            }
            state.apply(entry.changes)
            state.serial = entry.serial
            applied += 1
        }
        return applied
    }

    /// Never replace a file this run did not load: it must be absent, or a state of the same lineage.
    /// Reads only the head when it can: `lineage` is the first key of the canonical form.
    private func checkOverwrite(lineage: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw AtomicFile.failure("cannot read", path)
        }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        let count = head.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, $0.count) }
        let text = String(decoding: head.prefix(max(count, 0)), as: UTF8.self)
        let marker = "{\n  \"lineage\": \""
        if text.hasPrefix(marker) {
            let rest = text.dropFirst(marker.count)
            if let end = rest.firstIndex(of: "\""), rest[..<end] == lineage { return }
            throw StateRefusal.wouldOverwrite(path: path)
        }
        // Not in canonical form (edited by hand?): decode it all before deciding.
        guard let bytes = try AtomicFile.read(path), let found = try? StateCodec.decode(bytes), found.lineage == lineage else {
            throw StateRefusal.wouldOverwrite(path: path)
        }
    }
}

/// A SHA-256 that a closure can feed (the hasher itself cannot be copied into one).
private final class DigestSink {
    private var hasher: SHA256? = SHA256()

    func update(_ bytes: [UInt8]) { hasher?.update(bytes) }

    func hexDigest() -> String { hasher.take()?.hexDigest() ?? "" }
}
