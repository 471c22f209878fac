import AirtableBase
import Foundation
import Manifest
import PostgresBase
import ReconCore
import Remote
import SQLiteBase

/// Opens the provider a manifest's target names. The only place that knows every provider.
public enum BaseConnector {
    /// Where Airtable's pace is shared by the Recon processes of one state folder.
    public static let paceSubdirectory = "cache/airtable-pace"

    /// Opens the manifest's target, with the fields that allow `typecast` passed to Airtable.
    /// `statePath`: the run's state; an Airtable base's pace is shared through its folder.
    public static func open(_ manifest: Manifest, environment: [String: String], batchSize: Int? = nil,
                            statePath: String? = nil) throws -> any BaseProvider {
        var typecast: [String: Set<String>] = [:]
        for table in manifest.tables {
            let fields = Set(table.fields.filter(\.typecast).map(\.name))
            if !fields.isEmpty { typecast[table.name] = fields }
        }
        return try open(manifest.target, environment: environment, batchSize: batchSize, typecastFields: typecast, statePath: statePath)
    }

    /// `target` must already carry the chosen base (see `TargetSelection`); a base chosen in the
    /// environment that the target does not carry is refused, so state and base cannot diverge.
    /// `batchSize` lowers the provider's records per batch; one above the provider's limit is refused
    /// rather than silently cut, so the size asked for is the size used.
    public static func open(_ target: TargetSpec, environment: [String: String], batchSize: Int? = nil,
                            typecastFields: [String: Set<String>] = [:], statePath: String? = nil) throws -> any BaseProvider {
        switch target.kind {
        case .sqlite(let database):
            try check(batchSize, limit: SQLiteBase.defaultMaxRecordsPerBatch, provider: "SQLite")
            return SQLiteBase(path: database, maxRecordsPerBatch: max(1, batchSize ?? SQLiteBase.defaultMaxRecordsPerBatch))
        case .airtable(let airtable):
            try check(batchSize, limit: AirtableBase.maxRecordsPerBatch, provider: "Airtable")
            if let chosen = environment[TargetSelection.baseEnvironment], !chosen.isEmpty, chosen != airtable.base {
                throw ReconError("the run targets Airtable base \(airtable.base) but \(TargetSelection.baseEnvironment) selects \(chosen)",
                                 hint: "this command does not follow --base-id; unset it or run a command that does")
            }
            var configuration = try configuration(airtable, environment: environment, typecastFields: typecastFields)
            // A symlinked pace folder is not used (the run paces itself alone): it would be written through.
            configuration.paceFolder = statePath.map { PrivateFile.directoryOf($0) }.flatMap { state in
                let folder = state + "/" + paceSubdirectory
                return StateFolderGuard.isPlain(folder, below: state) ? folder : nil
            }
            return AirtableBase(configuration: configuration, maxRecordsPerBatch: batchSize)
        case .postgres(let postgres):
            try check(batchSize, limit: PostgresBase.defaultMaxRecordsPerBatch, provider: "PostgreSQL")
            return PostgresBase(connectionString: try PostgresAddressing.connectionString(postgres, environment: environment), schema: postgres.schema,
                                maxRecordsPerBatch: max(1, batchSize ?? PostgresBase.defaultMaxRecordsPerBatch))
        }
    }

    private static func check(_ batchSize: Int?, limit: Int, provider: String) throws {
        guard let batchSize, batchSize > limit else { return }
        throw ReconError("--batch-size \(batchSize) is more than \(provider) takes: it writes at most \(limit) records per batch",
                         hint: "give --batch-size \(limit) or less, or leave it out for \(limit)")
    }

    /// Shorter tokens are refused: redaction must be able to find the token in a message.
    static let minimumTokenLength = 8

    /// The token is read here, at connection time, from the variable `token_env` names, and kept
    /// in a value whose description is redacted. Errors name the variable, never a value.
    static func configuration(_ airtable: AirtableTarget, environment: [String: String],
                              typecastFields: [String: Set<String>]) throws -> AirtableConfiguration {
        guard let secret = environment[airtable.tokenEnv]?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw ReconError("no Airtable token: the environment variable \(airtable.tokenEnv) is not set",
                             hint: "create a personal access token (see docs/airtable.md) and export it as \(airtable.tokenEnv); token_env names the variable")
        }
        // A value this short could not be told apart in messages to redact it, and is no Airtable token anyway.
        guard secret.count >= minimumTokenLength else {
            throw ReconError("the Airtable token in \(airtable.tokenEnv) is shorter than \(minimumTokenLength) characters: it needs at least \(minimumTokenLength)",
                             hint: "check that \(airtable.tokenEnv) holds the whole personal access token (see docs/airtable.md)")
        }
        let problem = AirtableTarget.problem(withAPIURL: airtable.apiURL)
        guard problem == nil, let url = URL(string: airtable.apiURL), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw ReconError("invalid api_url '\(ControlEscape.escaped(airtable.apiURL))'\(problem.map { ": \($0)" } ?? "")",
                             hint: "expected an https:// URL such as \(AirtableTarget.defaultAPIURL), or http:// to a loopback host")
        }
        var timing = AirtableTiming.standard
        timing.requestTimeout = airtable.requestTimeout
        return AirtableConfiguration(baseID: airtable.base, apiURL: url, token: AirtableToken(secret),
                                     requestsPerSecond: airtable.requestsPerSecond, timing: timing, typecastFields: typecastFields)
    }
}
