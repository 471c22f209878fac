import Manifest
import Remote
import State

extension BaseProvider {
    /// Refresh for plan, drift and rollback: every declared table and every table the state knows,
    /// each found by the id the state recorded, then by name (one identity from refresh to apply).
    /// A refresh that will take a while says so first. Read records share the storage of the state's equal values.
    /// A PostgreSQL base that lost every table the state holds records for is an error (`MissingBaseCheck`).
    func refresh(_ manifest: Manifest, state: StateModel, statePath: String) throws -> RemoteSnapshot {
        let tables = Set(manifest.tables.map(\.name)).union(state.tables.keys)
        RefreshNotice.report(state: state, tables: tables.count, limits: limits)
        let snapshot = try snapshot(tables: tables.sorted(), ids: state.tables.mapValues(\.id),
                                    sharing: CellSharing.remote(from: state, manifest: manifest))
        try MissingBaseCheck.check(manifest, state: state, schema: snapshot.schema, statePath: statePath)
        return snapshot
    }
}
