import Manifest
import Remote
import State

extension BaseProvider {
    /// Refresh for plan, drift and rollback: every declared table and every table the state knows,
    /// each found by the id the state recorded, then by name (one identity from refresh to apply).
    /// A refresh that will take a while says so first.
    func refresh(_ manifest: Manifest, state: StateModel) throws -> RemoteSnapshot {
        let tables = Set(manifest.tables.map(\.name)).union(state.tables.keys)
        RefreshNotice.report(state: state, tables: tables.count, limits: limits)
        return try snapshot(tables: tables.sorted(), ids: state.tables.mapValues(\.id))
    }
}
