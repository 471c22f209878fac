import Apply
import Foundation
import Manifest
import ReconCore
import State

/// The one place `recon report` reads: the manifests, the state (local or PostgreSQL, as every command
/// finds it), the runs (from the state's run store: PostgreSQL runs are the same from every clone) and the lock.
public enum ReportData {
    public static func load(manifestDirectory: String, statePath: String, layout: RunLayout,
                            environment: [String: String]) throws -> ReportModel {
        var manifest = try ManifestLoader().load(directory: manifestDirectory)
        let selectedPath = try TargetSelection.apply(to: &manifest, environment: environment, statePath: statePath)
        let backend = try StateBackendChoice.resolve(manifest, statePath: selectedPath, environment: environment)
        let state = try backend.store.load(expectedTarget: manifest.target.identifier)
        let listing = backend.runStore(layout: layout).listing()
        let runs = listing.runs.filter { $0.record.target == manifest.target.identifier }
        let counted = runs.first { $0.record.operation == .drift && $0.record.drift != nil }
        let tables = manifest.tables.map { table in
            ReportModel.Table(name: table.name, managed: state?.records[table.name]?.count ?? 0,
                              unmanaged: counted?.record.drift?.tables[table.name]?.unexpected,
                              protectedFields: manifest.protectedFields(of: table.name).sorted())
        }
        return ReportModel(target: manifest.target.identifier, stateLocation: backend.location, stateSerial: state?.serial,
                           tables: tables, unmanagedCountedBy: counted, runs: runs,
                           runsWithBackup: Set(runs.filter(\.hasBackup).map(\.id)), unreadableRuns: listing.unreadable.count,
                           retention: manifest.retention, stateVersionsKept: try? backend.store.versions().count,
                           lock: try backend.lockStatus(layout: layout, statePath: statePath))
    }
}
