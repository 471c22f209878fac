import Foundation
import Postgres
import TestSupport

extension CLIProject {
    /// The URL variable the PostgreSQL-base projects name (`url_env`).
    static let postgresBaseVariable = "TEAM_BASE_URL"

    /// A project whose base is the PostgreSQL schema `schema` (its URL in `TEAM_BASE_URL`), with two skills committed.
    static func postgresBase(schema: String) -> CLIProject {
        let project = CLIProject(protected: false)
        let schemaFile = project.directory.read("manifests/schema.yaml") ?? ""
        project.directory.write("manifests/schema.yaml", schemaFile.replacingOccurrences(
            of: "target: {provider: sqlite, database: state/catalog.sqlite}",
            with: "target: {provider: postgres, url_env: \(postgresBaseVariable), schema: \(schema)}"))
        project.skill("alpha", "one")
        project.skill("alpha", "two")
        project.repo.commit("skills")
        return project
    }

    /// Drops a base schema and Recon's metadata schema beside it.
    static func dropPostgresBase(_ schema: String, uri: String) throws {
        let connection = try PGConnection(uri)
        for name in [schema, schema + "_recon"] { try connection.exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(name)) CASCADE") }
    }
}
