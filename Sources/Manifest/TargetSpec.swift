import ReconCore
import YAML

/// Where the base lives. Paths are relative to the working directory, as in Terraform.
public struct TargetSpec: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        case sqlite, airtable, postgres
    }

    public enum Kind: Sendable, Equatable {
        case sqlite(database: String)
        case airtable(AirtableTarget)
        case postgres(PostgresTarget)
    }

    public var kind: Kind
    public var location: SourceLocation?

    public var provider: Provider {
        switch kind {
        case .sqlite: .sqlite
        case .airtable: .airtable
        case .postgres: .postgres
        }
    }

    public init(_ kind: Kind, at location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    public static let defaultDatabase = "state/catalog.sqlite"
    /// Used when no manifest declares a target.
    public static let `default` = TargetSpec(.sqlite(database: defaultDatabase))
}

public struct AirtableTarget: Sendable, Equatable {
    public var base: String
    /// The name of the environment variable holding the token; never the token itself.
    public var tokenEnv: String
    public var apiURL: String
    public var requestsPerSecond: Double
    /// Seconds before a request without an answer is given up and retried (`request_timeout`).
    public var requestTimeout: Double

    public static let defaultTokenEnv = "AIRTABLE_TOKEN"
    public static let defaultAPIURL = "https://api.airtable.com"
    public static let defaultRequestsPerSecond = 5.0
    /// Airtable answers in well under a second; 10 s bounds what a lost answer costs.
    public static let defaultRequestTimeout = 10.0

    public init(base: String, tokenEnv: String = defaultTokenEnv, apiURL: String = defaultAPIURL,
                requestsPerSecond: Double = defaultRequestsPerSecond, requestTimeout: Double = defaultRequestTimeout) {
        self.base = base
        self.tokenEnv = tokenEnv
        self.apiURL = apiURL
        self.requestsPerSecond = requestsPerSecond
        self.requestTimeout = requestTimeout
    }
}

extension TargetSpec {
    static let keys = ["provider", "database", "base", "token_env", "api_url", "requests_per_second", "request_timeout"] + PostgresTarget.keys
    static let airtableKeys = ["base", "token_env", "api_url", "requests_per_second", "request_timeout"]

    static func decode(_ node: Node, sink: DiagnosticSink) -> TargetSpec? {
        guard let reader = MappingReader(node, context: "target", sink: sink) else { return nil }
        reader.rejectUnknownKeys(allowed: keys)
        let provider = reader.choice("provider", as: Provider.self)?.value ?? .sqlite
        switch provider {
        case .sqlite:
            misplaced(airtableKeys, of: "airtable", in: reader, provider: provider, sink: sink)
            misplaced(PostgresTarget.keys, of: "postgres", in: reader, provider: provider, sink: sink)
            let database = reader.string("database")
            if let database, let problem = PathRule.problem(withFilePath: database.value) {
                sink.error(database.location, "invalid database path \(PathRule.quoted(database.value)): \(problem)",
                           hint: "name the SQLite file, e.g. state/catalog.sqlite")
            }
            return TargetSpec(.sqlite(database: database?.value ?? defaultDatabase), at: node.location)
        case .airtable:
            misplaced(["database"], of: "sqlite", in: reader, provider: provider, sink: sink)
            misplaced(PostgresTarget.keys, of: "postgres", in: reader, provider: provider, sink: sink)
            guard let base = reader.string("base", required: true) else { return nil }
            if !AirtableTarget.isBaseID(base.value) {
                sink.error(base.location, "invalid Airtable base id '\(base.value)'",
                           hint: "expected 'app' followed by 14 letters or digits, as in the base's URL")
            }
            let tokenEnv = reader.string("token_env")
            if let tokenEnv, !AirtableTarget.isEnvironmentName(tokenEnv.value) {
                sink.error(tokenEnv.location, "invalid environment variable name '\(tokenEnv.value)' for 'token_env'",
                           hint: "name the variable that holds the token (e.g. AIRTABLE_TOKEN), never the token itself")
            }
            let apiURL = reader.string("api_url")
            if let apiURL, let problem = AirtableTarget.problem(withAPIURL: apiURL.value) {
                sink.error(apiURL.location, "invalid 'api_url' \(PathRule.quoted(apiURL.value)): \(problem)",
                           hint: "the token is sent to this URL: use https://, or http:// only to localhost or 127.x.x.x (a local emulator)")
            }
            let rate = reader.number("requests_per_second", minimum: 0.1)
            let timeout = reader.duration("request_timeout", minimum: 1)
            return TargetSpec(.airtable(AirtableTarget(
                base: base.value,
                tokenEnv: tokenEnv?.value ?? AirtableTarget.defaultTokenEnv,
                apiURL: apiURL?.value ?? AirtableTarget.defaultAPIURL,
                requestsPerSecond: rate?.value ?? AirtableTarget.defaultRequestsPerSecond,
                requestTimeout: timeout?.value ?? AirtableTarget.defaultRequestTimeout)), at: node.location)
        case .postgres:
            misplaced(["database"], of: "sqlite", in: reader, provider: provider, sink: sink)
            misplaced(airtableKeys, of: "airtable", in: reader, provider: provider, sink: sink)
            return TargetSpec(.postgres(PostgresTarget.decode(reader, sink: sink)), at: node.location)
        }
    }

    private static func misplaced(_ keys: [String], of owner: String, in reader: MappingReader, provider: Provider, sink: DiagnosticSink) {
        for key in keys where reader.contains(key) {
            sink.error(reader.value(key)?.location, "'\(key)' applies to the \(owner) provider, not \(provider.rawValue)")
        }
    }
}

extension AirtableTarget {
    public static func isBaseID(_ text: String) -> Bool {
        text.count == 17 && text.hasPrefix("app") && text.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Why the token must not be sent to `url`, or nil: https to any host, plain http only to a
    /// loopback host, so a manifest change cannot carry the token in the clear across a network.
    public static func problem(withAPIURL url: String) -> String? {
        let https = url.hasPrefix("https://")
        guard https || url.hasPrefix("http://") else { return "expected an https:// URL" }
        let authority = url.dropFirst(https ? 8 : 7).prefix { !"/?#".contains($0) }
        if authority.contains("@") { return "it must not hold a user name or password" }
        let host = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
        if host.isEmpty || host == "]" { return "it names no host" }
        if https || host == "localhost" || host == "[::1]" { return nil }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets[0] == "127", octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            return nil
        }
        return "plain http:// is allowed only to a loopback host (localhost, 127.x.x.x, [::1])"
    }

    static func isEnvironmentName(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}

extension TargetSpec {
    /// `sqlite:<database>`, `airtable:<base>` or `postgres:<host>/<database>/<schema>`: names the base in the
    /// state and in plans, never with a user or password.
    public var identifier: String {
        switch kind {
        case .sqlite(let database): "sqlite:\(database)"
        case .airtable(let airtable): "airtable:\(airtable.base)"
        case .postgres(let postgres): "postgres:\(postgres.address ?? "$" + postgres.urlEnv)/\(postgres.schema)"
        }
    }
}
