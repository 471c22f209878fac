import Manifest
import Postgres
import ReconCore

/// The one place a PostgreSQL base's URI is read from the environment: for the connection, and for the
/// address (`host/database`, no user or password) the state's and plans' target names.
enum PostgresAddressing {
    /// `target` with the address of the URI its `url_env` holds; unchanged for other providers or when unset.
    static func addressed(_ target: TargetSpec, environment: [String: String]) -> TargetSpec {
        guard case .postgres(var postgres) = target.kind, let uri = environment[postgres.urlEnv], !uri.isEmpty else { return target }
        postgres.address = PGAddress.of(uri)
        return TargetSpec(.postgres(postgres), at: target.location)
    }

    /// The URI, or an error naming the variable (never a value).
    static func connectionString(_ target: PostgresTarget, environment: [String: String]) throws -> String {
        guard let uri = environment[target.urlEnv], !uri.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReconError("the base is a PostgreSQL schema, but \(target.urlEnv) is not set",
                             hint: "export \(target.urlEnv) with a libpq URI (postgresql://user@host/db); url_env in the target names the variable (see docs/postgres.md)")
        }
        return uri
    }
}
