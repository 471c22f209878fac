import Extract
import Manifest
import Plan
import ReconCore
import Remote
import State

/// Runs the pipeline up to a plan: manifests → extract → refresh → plan. Writes only caches.
public struct PlanRunner {
    public struct Outcome {
        public var manifest: Manifest
        public var state: StateModel
        public var plan: Plan
        public var warnings: [Diagnostic]
        public var timings: StageTimings
        /// What was read, for apply when it applies this plan right away.
        public var refreshed: Refreshed
        /// The plan came from the no-op seal: nothing was read, and there is nothing to apply (issue 12).
        public var sealed = false
    }

    public var manifestDirectory: String
    public var statePath: String
    public var stateDirectory: String
    public var environment: [String: String]
    public var scope: PlanScope
    /// Plan on no state even when the base holds the manifests' records (`--allow-empty-state`).
    public var allowEmptyState: Bool
    /// The manifests when the caller read them already and nothing could change them since (`recon apply` with no
    /// `pre_plan` hook), so they are read once.
    public var manifest: Manifest?
    /// `--refresh=full`: read everything even when the no-op seal still holds (then seal again).
    public var fullRefresh = false

    public init(manifestDirectory: String, statePath: String = StateStore.defaultPath, stateDirectory: String = "state",
                environment: [String: String], scope: PlanScope = .all, allowEmptyState: Bool = false, manifest: Manifest? = nil) {
        self.allowEmptyState = allowEmptyState
        self.manifest = manifest
        self.manifestDirectory = manifestDirectory
        self.statePath = statePath
        self.stateDirectory = stateDirectory
        self.environment = environment
        self.scope = scope
    }

    public func run() throws -> Outcome {
        var timings = StageTimings()
        var manifest = try timings.measure("manifests") { try self.manifest ?? ManifestLoader().load(directory: manifestDirectory) }
        let statePath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: self.statePath)
        try checkScope(manifest)
        let backend = try StateBackendChoice.resolve(manifest, statePath: statePath, environment: environment)
        let gate = scope.isAll ? NoChangeSealGate(kind: .plan, manifest: manifest, backend: backend, stateDirectory: stateDirectory) : nil
        // Opened early only for the seal, and quietly: a provider that cannot open fails where it always did.
        let early = gate == nil ? nil : try? BaseConnector.open(manifest, environment: environment, statePath: statePath)
        if let gate, let early, !fullRefresh, let sealed = try sealedOutcome(gate, provider: early, manifest: manifest, timings: &timings) {
            return sealed
        }
        let before = early.flatMap { gate?.before(provider: $0) }
        let readSince = before?.mark ?? early.flatMap(Self.markNow)
        let store = backend.store
        let desired = DesiredExtraction(manifest: manifest, stateDirectory: stateDirectory)
        let runs = backend.runStore(layout: RunLayout(stateDirectory: stateDirectory))
        // A delta run: the last apply's baseline still holds, so only the records that can differ are read and planned.
        var read: (loaded: StateModel?, digest: String?, extracted: ExtractResult, layout: StateFileLayout?)?
        var checking = StageTimings()
        let baselines = if case .local(let local) = backend.place, scope.isAll, !fullRefresh {
            DeltaBaselineGate(manifest: manifest, store: local, stateDirectory: stateDirectory, runs: runs)
        } else {
            nil as DeltaBaselineGate?
        }
        if let baselines, let early, let checked = checking.measure("delta", { baselines.check(provider: early) }) {
            // `--timings` names the path: a `delta` stage, then `refresh.delta` and `diff.delta` when it is taken.
            timings.append(checking)
            // Lean when the file is the one the last apply wrote: records keep their values in it until the plan's keys are
            // known. Loaded on the other core while the repos are extracted: neither reads the other (issue 12, goal 4).
            let both = try StateAndExtraction.read(
                loading: { [store = baselines.store, target = manifest.target.identifier, stateDigest = checked.baseline.stateDigest] in
                    try store.loadLean(expectedTarget: target, digest: stateDigest)
                },
                // The delta plan reads the cells of the records it plans only. Its records entry is stored on the other
                // core while the base is read and the plan made; waited for when this path is left, by a return or for the
                // full path.
                extracting: { try desired.extract(readingFew: true, deferringStores: true) },
                timings: &timings)
            let (lean, loadedLayout) = (both.state, both.layout)
            var extracted = both.extracted
            let deltaStores = extracted.entryStores
            defer { deltaStores?.wait() }
            let digest = loadedLayout?.digest
            // The file the last apply wrote (its digest is the baseline's): canonical, so the write may copy from it.
            var layout = loadedLayout
            layout?.canonical = digest == checked.baseline.stateDigest
            read = (lean, digest, extracted, layout)
            try MissingBaseCheck.check(manifest, state: lean, statePath: store.location)
            if var loaded = lean, let (delta, remote) = try timings.measure("refresh.delta", {
                try baselines.read(checked, state: loaded, stateDigest: digest, extraction: extracted)
            }) {
                // The values of the records planned, and only those (docs/decisions.md, "The lean state load").
                if loaded.isPartial, layout != nil {
                    try timings.measure("state.values") { try baselines.store.decodeValues(of: delta.keys, in: &loaded, layout: &layout!) }
                    read = (loaded, digest, extracted, layout)
                }
                let (planState, recovered) = InFlightRecovery(runs: runs, manifest: manifest)
                    .recover(loaded, desired: extracted.records, schema: remote.schema, records: remote.records)
                let commits = Dictionary(uniqueKeysWithValues: extracted.repos.map { ($0.name, $0.commit) })
                let plan = try timings.measure("diff.delta") {
                    try Planner.plan(PlanInput(manifest: manifest, desired: extracted.records, state: planState, remote: remote,
                                               scope: scope, repoCommits: commits, delta: delta))
                }
                // Only what the apply left: a schema to change or a run to recover is the full path's.
                if recovered.isEmpty, plan.schemaChanges.isEmpty {
                    extracted.settleEntryStores()
                    var refreshed = Refreshed(snapshot: remote, state: loaded, stateDigest: digest)
                    refreshed.stateLayout = layout
                    refreshed.entries = Self.entries(extracted)
                    refreshed.outside = checked.baseline.outside
                    refreshed.readSince = readSince
                    return finish(gate: gate, before: before, plan: plan, planState: planState, loaded: loaded, notes: [],
                                  extraction: extracted, manifest: manifest, timings: timings, refreshed: refreshed)
                }
            }
        }
        if let lean = read, lean.loaded?.isPartial == true, case .local(let local) = backend.place {
            // The delta path was left: the full path plans every record, so the state is loaded again, whole.
            let (whole, wholeLayout) = try timings.measure("state.whole") { try local.loadWithLayout(expectedTarget: manifest.target.identifier) }
            var layout = wholeLayout
            layout?.canonical = lean.layout?.canonical == true && wholeLayout?.digest == lean.digest
            read = (whole, wholeLayout?.digest, lean.extracted, layout)
        }
        var loaded: StateModel?
        let loadedDigest: String?
        if let read {
            (loaded, loadedDigest) = (read.loaded, read.digest)
        } else {
            (loaded, loadedDigest) = try timings.measure("state") { try store.loadWithDigest(expectedTarget: manifest.target.identifier) }
        }
        try MissingBaseCheck.check(manifest, state: loaded, statePath: store.location)
        // Records applied as desired keep one copy of their values (issue 12, goal 5): a cached record takes the state's
        // storage as it is read, others give theirs to the state after. Not on the way from the delta path, where the
        // write may copy records from the file (`StateFileLayout.sameValue` asks for the storage the load made).
        // Its records entries are stored on the other core while the base is read and the plan made (issue 12).
        let extracted = try read?.extracted ?? timings.measure("extract") { try desired.extract(sharingWith: loaded, deferringStores: true) }
        let stores = extracted.entryStores
        defer { stores?.wait() }
        if loaded != nil, read == nil { CellSharing.share(&loaded!, with: extracted.records) }
        // No state yet: an empty lineage marks it, so apply knows to start a new one.
        let state = loaded ?? StateModel(lineage: "", target: manifest.target.identifier)
        let provider = try early ?? BaseConnector.open(manifest, environment: environment, statePath: statePath)
        let remote = try timings.measure("refresh") { try provider.refresh(manifest, state: state, statePath: store.location) }
        if loaded == nil, !allowEmptyState {
            try EmptyStateCheck.check(manifest, desired: extracted.records, remote: remote, noStateMessage: backend.noStateMessage)
        }
        // The state planned against: with the records a killed run created but never recorded.
        let (planState, recovered) = InFlightRecovery(runs: runs, manifest: manifest)
            .recover(state, desired: extracted.records, schema: remote.schema, records: remote.records)
        try checkKeys(PlanInput(manifest: manifest, desired: extracted.records, state: planState, remote: remote, scope: scope))
        let makePlan = { (extraction: ExtractResult) throws -> Plan in
            let commits = Dictionary(uniqueKeysWithValues: extraction.repos.map { ($0.name, $0.commit) })
            return try Planner.plan(PlanInput(manifest: manifest, desired: extraction.records, state: planState, remote: remote,
                                              scope: scope, repoCommits: commits))
        }
        var (extraction, plan) = try desired.confirm(extracted, planFirst: { try timings.measure("diff") { try makePlan(extracted) } },
                                                     plan: makePlan, reread: { timings.record("confirm", seconds: $0) })
        extraction.settleEntryStores()
        var refreshed = Refreshed(snapshot: remote, state: loaded, stateDigest: loadedDigest)
        refreshed.stateLayout = read?.layout
        refreshed.entries = Self.entries(extraction)
        refreshed.readSince = readSince
        return finish(gate: gate, before: before, plan: plan, planState: planState, loaded: loaded,
                      notes: recovered.map { Diagnostic(.note, at: nil, $0) }, extraction: extraction, manifest: manifest,
                      timings: timings, refreshed: refreshed)
    }

    /// The base's change mark now, over the tables it has (none on a first apply: then no mark).
    private static func markNow(_ provider: any BaseProvider) -> ChangeMark? {
        guard let tracking = provider as? any ChangeTracking, let schema = try? provider.inspectSchema() else { return nil }
        return (try? tracking.changeMark(tables: schema.tables)) ?? nil
    }

    /// Repo name → the sealed entry its records were; nil when any repo had none.
    private static func entries(_ extraction: ExtractResult) -> [String: String]? {
        var entries: [String: String] = [:]
        for repo in extraction.repos {
            guard let entry = repo.sealedEntry else { return nil }
            entries[repo.name] = entry
        }
        return entries
    }

    /// Seals a plan that found nothing to do (or unseals), and hands the plan back.
    private func finish(gate: NoChangeSealGate?, before: NoChangeSealGate.Before?, plan: Plan, planState: StateModel,
                        loaded: StateModel?, notes: [Diagnostic], extraction: ExtractResult, manifest: Manifest,
                        timings: StageTimings, refreshed: Refreshed) -> Outcome {
        if let gate {
            let quiet = notes.isEmpty && extraction.diagnostics.isEmpty && plan.integrityErrors.isEmpty
                && !plan.hasChanges && !plan.changesState(from: planState) && loaded != nil
            if quiet, let bytes = try? PlanFile.roundTrip(plan) == plan ? PlanFile.encode(plan) : nil {
                gate.seal(before, repoCommits: plan.repoCommits, payload: String(decoding: bytes, as: UTF8.self))
            } else {
                gate.unseal()
            }
        }
        return Outcome(manifest: manifest, state: planState, plan: plan, warnings: notes + extraction.diagnostics, timings: timings,
                       refreshed: refreshed)
    }

    /// The no-op plan the seal holds, when every fact it depended on still holds; nil for the full path.
    private func sealedOutcome(_ gate: NoChangeSealGate, provider: any BaseProvider, manifest: Manifest,
                               timings: inout StageTimings) throws -> Outcome? {
        var checked = StageTimings()
        guard let plan = checked.measure("seal", { () -> Plan? in
            guard let seal = gate.check(provider: provider), let plan = try? PlanFile.decode(Array(seal.payload.utf8)),
                  plan.target == seal.target, plan.manifestDigest == seal.manifestDigest, plan.repoCommits == seal.repoCommits,
                  !plan.hasChanges, plan.integrityErrors.isEmpty, plan.scope.isAll else { return nil }
            return plan
        }) else { return nil }
        timings.append(checked)
        let state = StateModel(lineage: plan.lineage, target: plan.target, serial: plan.serial)
        return Outcome(manifest: manifest, state: state, plan: plan, warnings: [], timings: timings,
                       refreshed: Refreshed(snapshot: RemoteSnapshot(schema: RemoteSchema(tables: []), records: [:]), state: nil),
                       sealed: true)
    }

    /// `--target TABLE/KEY` and `--exclude TABLE/KEY` must name a record of the desired records, the state or the base.
    private func checkKeys(_ input: PlanInput) throws {
        let all = TargetMatch.misses(input)
        guard let flag = all.first?.flag else { return }
        let misses = all.filter { $0.flag == flag }
        let shown = misses.map { ControlEscape.escaped($0.target) }
        let hints = misses.compactMap { miss in miss.suggestion.map { "did you mean '\(ControlEscape.escaped($0))'?" } }
        let whole = flag == .target ? "--target TABLE plans the whole table" : "--exclude TABLE leaves out the whole table"
        throw ReconError("--\(flag.rawValue) \(shown.joined(separator: ", --\(flag.rawValue) ")) \(misses.count == 1 ? "matches" : "match") no record: no such key in the manifests' records, the state or the base",
                         hint: hints.isEmpty ? "'recon extract --table TABLE' lists the keys the manifests make; \(whole)"
                             : hints.joined(separator: " "))
    }

    /// `--target`, `--exclude` and `--repo` must name what the manifests declare.
    private func checkScope(_ manifest: Manifest) throws {
        let tables = manifest.tables.map(\.name)
        let named = scope.tables.sorted().map { ("target", $0) }
            + Set(scope.excludedTables).union(scope.excludedKeys.keys).sorted().map { ("exclude", $0) }
        for (flag, table) in named where !tables.contains(table) {
            throw ReconError("--\(flag) names undeclared table '\(ControlEscape.escaped(table))'",
                             hint: Suggestion.hint(table, among: tables, known: "declared tables: " + tables.joined(separator: ", ")))
        }
        let repos = manifest.repos.map(\.name)
        for repo in scope.repos where !repos.contains(repo) {
            throw ReconError("--repo names undeclared repo '\(repo)'",
                             hint: Suggestion.hint(repo, among: repos, known: "declared repos: " + repos.joined(separator: ", ")))
        }
    }
}
