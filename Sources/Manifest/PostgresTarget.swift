import ReconCore
import YAML

/// A PostgreSQL schema as the base (`provider: postgres`). The manifests hold only the NAME of the
/// variable with the libpq URI: the URI may hold a password, so it never sits in a file or a plan.
public struct PostgresTarget: Sendable, Equatable {
    /// The variable holding the libpq URI (`url_env`).
    public var urlEnv: String
    /// The schema holding one SQL table per manifest table (`schema`).
    public var schema: String
    /// `host[:port]/database`, read from the URI when the run selects its target (never user or password),
    /// so the state and plans name which server and database they belong to. Nil until then.
    public var address: String?

    public static let defaultURLEnv = "RECON_BASE_URL"
    public static let defaultSchema = "catalog"
    /// Recon's metadata lives beside the base, in `<schema>_recon`, so the base schema holds only the tables.
    public static let metadataSuffix = "_recon"

    public init(urlEnv: String = defaultURLEnv, schema: String = defaultSchema, address: String? = nil) {
        self.urlEnv = urlEnv
        self.schema = schema
        self.address = address
    }

    /// The schema Recon's metadata (table and field ids, types, choices) lives in.
    public var metadataSchema: String { schema + Self.metadataSuffix }

    /// Why `name` cannot be a base schema, or nil: lowercase ASCII (named unquoted in messages), and room for
    /// the metadata schema's suffix within PostgreSQL's 63 bytes; a name ending in the suffix would meet another
    /// base's metadata.
    public static func problem(withSchema name: String) -> String? {
        guard StateSpec.isSchemaName(name) else { return "use lowercase letters, digits and _ (not starting with a digit)" }
        if name.utf8.count > 63 - metadataSuffix.utf8.count {
            return "at most \(63 - metadataSuffix.utf8.count) bytes: Recon's metadata goes in '<schema>\(metadataSuffix)'"
        }
        if name.hasSuffix(metadataSuffix) { return "it must not end in '\(metadataSuffix)', which names Recon's metadata schemas" }
        return nil
    }
}

extension PostgresTarget {
    static let keys = ["url_env", "schema"]

    static func decode(_ reader: MappingReader, sink: DiagnosticSink) -> PostgresTarget {
        var target = PostgresTarget()
        if let found = reader.value("url_env"), !found.isNull {
            // A value that is not a name (a pasted URI) is refused without being repeated.
            if let text = found.scalar, StateSpec.isVariableName(text) {
                target.urlEnv = text
            } else {
                sink.error(found.location, "'url_env' in target must name an environment variable (letters, digits, _), not its value",
                           hint: "put the URI in a variable, e.g. export \(defaultURLEnv)='postgresql://...', and write url_env: \(defaultURLEnv)")
            }
        }
        if let schema = reader.string("schema") {
            if let problem = problem(withSchema: schema.value) {
                sink.error(schema.location, "invalid PostgreSQL schema name '\(ControlEscape.escaped(NameLimit.shown(schema.value)))' for 'schema' in target: \(problem)",
                           hint: "e.g. schema: \(defaultSchema)")
            } else {
                target.schema = schema.value
            }
        }
        return target
    }
}
