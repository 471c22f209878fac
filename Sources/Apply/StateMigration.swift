import Foundation
import Manifest
import ReconCore
import State

/// `state migrate --to BACKEND`: copies one target's state, its history versions and its runs (ledgers, outcomes,
/// backups) from the backend the manifests (or --state-backend) name to the other, under the lock of both.
/// The destination must hold nothing of the target (or exactly the same); after writing, everything is read back
/// and compared by count and SHA-256 of its canonical bytes, and a mismatch removes what was written. It never
/// edits the manifests and never removes the source: the switch is the user's, one `state:` block.
public struct StateMigration {
    public struct Report: Sendable {
        public var from: String
        public var to: String
        public var serial: Int
        public var records: Int
        public var versions: Int
        public var runs: Int
        public var outcomes: Int
        public var backups: Int
        /// SHA-256 of the canonical state bytes, the same on both sides.
        public var digest: String
        /// The destination already held exactly this: nothing was written.
        public var alreadyThere: Bool
    }

    public var source: StateBackendChoice
    public var destination: StateBackendChoice
    public var layout: RunLayout

    /// `manifest` with its target selected; `destination` is the backend that is not the source.
    public init(_ manifest: Manifest, statePath: String, environment: [String: String], to backend: StateSpec.Backend,
                layout: RunLayout) throws {
        source = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        guard source.spec.backend != backend else {
            throw ReconError("the state is already kept in \(backend.rawValue) (\(source.location))",
                             hint: "migrate names where the state goes; pass --state-backend to say where it is now")
        }
        var moved = environment
        moved[StateBackendChoice.backendEnvironment] = backend.rawValue
        destination = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: moved)
        self.layout = layout
    }

    /// What one side holds: the state, its versions and its runs, each with its digest.
    private struct Holding {
        var state: StateModel?
        var versions: [(timestamp: String, bytes: [UInt8])]
        var runs: [RunExport]

        var isEmpty: Bool { state == nil && versions.isEmpty && runs.isEmpty }
        var digests: [String] {
            [state.map { SHA256.hex(StateCodec.encode($0)) } ?? "none"] + versions.map { "\($0.timestamp) " + SHA256.hex($0.bytes) }
                + runs.map(\.digest)
        }
    }

    private func read(_ side: StateBackendChoice, target: String) throws -> Holding {
        let store = side.store
        let state = try store.load(expectedTarget: target)
        var versions: [(timestamp: String, bytes: [UInt8])] = []
        for version in try store.versions() {
            guard let model = try store.loadVersion(serial: version.serial) else { continue }
            versions.append((version.timestamp, StateCodec.encode(model)))
        }
        let runs = side.runStore(layout: layout)
        let listing = runs.listing()
        if let (path, reason) = listing.unreadable.first {
            throw ReconError("cannot read the run \(path): \(reason)", hint: "nothing was moved; fix or remove that run first")
        }
        let exports = try listing.runs.map { try runs.export($0.id) }.sorted { $0.id < $1.id }
        return Holding(state: state, versions: versions, runs: exports)
    }

    public func run(target: String, wait: Double?) throws -> Report {
        let sourceLock = try source.lock(operation: "state migrate", layout: layout, wait: wait)
        defer { try? sourceLock.release() }
        let destinationLock = try destination.lock(operation: "state migrate", layout: layout, wait: wait)
        defer { try? destinationLock.release() }

        let from = try read(source, target: target)
        guard let state = from.state else {
            throw ReconError("\(source.noStateMessage): nothing to migrate", hint: "pass --state-backend to say where the state is now")
        }
        let there = try read(destination, target: target)
        var report = Report(from: source.location, to: destination.location, serial: state.serial,
                            records: state.records.values.reduce(0) { $0 + $1.count }, versions: from.versions.count,
                            runs: from.runs.count, outcomes: from.runs.reduce(0) { $0 + $1.lines.count },
                            backups: from.runs.filter { $0.files[.beforeImages] != nil }.count,
                            digest: SHA256.hex(StateCodec.encode(state)), alreadyThere: false)
        if !there.isEmpty {
            guard there.digests == from.digests else {
                let what = there.state.map { "a state (lineage \($0.lineage), serial \($0.serial))" } ?? "history versions or runs"
                throw ReconError("\(destination.location) already holds \(what) for target '\(ControlEscape.escaped(target))' that is not this one",
                                 hint: "nothing was moved; migrate into an empty place (another schema or state path), or remove that state on purpose")
            }
            report.alreadyThere = true
            return report
        }
        try sourceLock.verify()
        try destinationLock.verify()
        let runs = destination.runStore(layout: layout)
        do {
            try destination.importer.importState(state, versions: from.versions)
            for run in from.runs { try runs.importRun(run) }
            let written = try read(destination, target: target)
            guard written.digests == from.digests else {
                throw ReconError("the copy in \(destination.location) does not match the source (counts or SHA-256 digests differ)")
            }
        } catch {
            try? destination.importer.discard()
            for run in from.runs {
                let record = RunRecord(id: run.id, operation: .apply, planDigest: "", target: target, leaseID: nil, started: Date())
                try? runs.remove(RunSummary(record: record, status: .failed, directory: layout.runDirectory(run.id)))
            }
            throw ReconError("\(error)", hint: "what was written to \(destination.location) was removed again; the source is unchanged")
        }
        return report
    }
}
