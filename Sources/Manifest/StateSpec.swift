import ReconCore
import YAML

/// Where the state lives (`state:`): local files (the default) or a PostgreSQL schema shared by a
/// team. Holds only the NAME of the variable with the libpq URI: the URI is a secret, so it never
/// sits in a manifest, a plan or a message.
public struct StateSpec: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable {
        case local
        case postgres
    }

    public static let defaultURLEnv = "RECON_STATE_URL"
    public static let defaultSchema = "recon"
    public static let `default` = StateSpec(backend: .local)

    public var backend: Backend
    public var urlEnv: String
    public var schema: String
    /// Where the block was written; nil when it was not.
    public var location: SourceLocation?

    public init(backend: Backend, urlEnv: String = StateSpec.defaultURLEnv, schema: String = StateSpec.defaultSchema,
                at location: SourceLocation? = nil) {
        self.backend = backend
        self.urlEnv = urlEnv
        self.schema = schema
        self.location = location
    }

    /// A schema Recon creates and names in messages unquoted: lowercase ASCII, at most 63 bytes
    /// (PostgreSQL cuts longer names silently).
    public static func isSchemaName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, first == UInt8(ascii: "_") || (0x61...0x7A).contains(first) else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// An environment variable's name as a shell writes it.
    public static func isVariableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !(0x30...0x39).contains(first) else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }
}

extension StateSpec {
    static func decode(_ node: Node, sink: DiagnosticSink) -> StateSpec {
        var spec = StateSpec(backend: .local, at: node.location)
        guard let reader = MappingReader(node, context: "state", sink: sink) else { return spec }
        reader.rejectUnknownKeys(allowed: ["backend", "url_env", "schema"])
        let backend = reader.choice("backend", as: Backend.self)
        if let backend { spec.backend = backend.value }
        // An invalid backend was reported; what else applies to it cannot be told.
        if backend == nil, reader.value("backend").map({ !$0.isNull }) ?? false { return spec }
        let urlEnv = variable(reader, sink: sink)
        let schema = reader.string("schema")
        if let schema, !isSchemaName(schema.value) {
            sink.error(schema.location, "invalid PostgreSQL schema name '\(ControlEscape.escaped(schema.value))' for 'schema' in state",
                       hint: "use lowercase letters, digits and _ (not starting with a digit), at most 63 bytes, e.g. recon")
        }
        switch spec.backend {
        case .postgres:
            if reader.value("url_env")?.isNull ?? true {
                sink.error(node.location, "state with 'backend: postgres' is missing the required key 'url_env'",
                           hint: "name the environment variable that holds the libpq URI, e.g. url_env: \(defaultURLEnv)")
            }
            if let urlEnv { spec.urlEnv = urlEnv }
            if let schema { spec.schema = schema.value }
        case .local:
            for key in ["url_env", "schema"] {
                guard let found = reader.value(key), !found.isNull else { continue }
                sink.error(found.location, "'\(key)' in state applies only to 'backend: postgres'",
                           hint: "add 'backend: postgres', or remove '\(key)'")
            }
        }
        return spec
    }

    /// The variable's name; a value that is not a name (a pasted URI) is refused without being repeated.
    private static func variable(_ reader: MappingReader, sink: DiagnosticSink) -> String? {
        guard let found = reader.value("url_env"), !found.isNull else { return nil }
        guard let text = found.scalar, isVariableName(text) else {
            sink.error(found.location, "'url_env' in state must name an environment variable (letters, digits, _), not its value",
                       hint: "put the URI in a variable, e.g. export \(defaultURLEnv)='postgresql://...', and write url_env: \(defaultURLEnv)")
            return nil
        }
        return text
    }
}
