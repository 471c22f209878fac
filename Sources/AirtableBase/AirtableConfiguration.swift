import Foundation

/// The token, kept out of every description so printing a configuration or an error cannot leak it.
public struct AirtableToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    public init(_ secret: String) { self.secret = secret }

    public var description: String { "[redacted token]" }
    public var debugDescription: String { description }

    /// `text` with every occurrence of the token replaced, for anything a server sends back.
    func redact(_ text: String) -> String {
        guard secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }
}

/// Retry, penalty and timeout settings. The defaults are Airtable's documented behaviour; tests
/// scale them down (and may inject `sleep`) so a 30 s penalty does not cost 30 s of test time.
public struct AirtableTiming: Sendable {
    /// Every request is abandoned after this long and counts as a timeout (retried).
    public var requestTimeout: Double
    /// After a 429 Airtable refuses every request to the base for 30 s.
    public var penaltySeconds: Double
    /// First backoff delay after a 5xx or a timeout; doubled each attempt, capped, with jitter.
    public var backoffBase: Double
    public var backoffCap: Double
    /// Retries after the first attempt, for 5xx, timeouts and 429s alike; then the error surfaces.
    public var maxRetries: Int
    /// How waiting is done; injectable so tests can record waits.
    public var sleep: @Sendable (Double) -> Void

    public init(requestTimeout: Double = 30, penaltySeconds: Double = 30, backoffBase: Double = 1,
                backoffCap: Double = 16, maxRetries: Int = 5,
                sleep: @escaping @Sendable (Double) -> Void = { if $0 > 0 { Thread.sleep(forTimeInterval: $0) } }) {
        self.requestTimeout = requestTimeout
        self.penaltySeconds = penaltySeconds
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.maxRetries = maxRetries
        self.sleep = sleep
    }

    public static let standard = AirtableTiming()

    /// The delay before retry number `attempt` (0-based): exponential, capped, then scaled by a
    /// random factor in [0.5, 1] so clients that failed together do not retry together.
    func backoff(attempt: Int) -> Double {
        let raw = min(backoffCap, backoffBase * pow(2, Double(attempt)))
        return raw * Double.random(in: 0.5...1)
    }
}

/// Everything needed to talk to one base.
public struct AirtableConfiguration: Sendable {
    public var baseID: String
    /// Scheme and host (and optional path prefix) before `/v0/`; overridable for tests and proxies.
    public var apiURL: URL
    public var token: AirtableToken
    public var requestsPerSecond: Double
    public var timing: AirtableTiming
    /// Table name → fields whose values may be coerced (`typecast: true` in the manifests).
    public var typecastFields: [String: Set<String>]

    public static let defaultRequestsPerSecond = 5.0

    public init(baseID: String, apiURL: URL, token: AirtableToken,
                requestsPerSecond: Double = AirtableConfiguration.defaultRequestsPerSecond,
                timing: AirtableTiming = .standard, typecastFields: [String: Set<String>] = [:]) {
        self.baseID = baseID
        self.apiURL = apiURL
        self.token = token
        self.requestsPerSecond = requestsPerSecond
        self.timing = timing
        self.typecastFields = typecastFields
    }
}
