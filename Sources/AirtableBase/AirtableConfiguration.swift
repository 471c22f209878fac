import Foundation

/// The token, kept out of every description so printing a configuration or an error cannot leak it.
public struct AirtableToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    public init(_ secret: String) { self.secret = secret }

    public var description: String { "[redacted token]" }
    public var debugDescription: String { description }

    /// `text` with every occurrence of the token replaced, for anything a server sends back: as is,
    /// percent-encoded (any byte as `%XX`, either case) or form-encoded (`+` for a space), since a
    /// server may echo a URL or a form. Run it before any cut, or a cut token escapes whole-token matching.
    func redact(_ text: String) -> String {
        let token = Array(secret.utf8)
        guard token.count >= 4 else { return text }
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if let end = AirtableToken.match(token, in: bytes, at: index) {
                result.append(contentsOf: "[redacted]".utf8)
                index = end
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Where a (possibly encoded) copy of `token` starting at `start` ends, or nil when none starts there.
    private static func match(_ token: [UInt8], in bytes: [UInt8], at start: Int) -> Int? {
        var index = start
        for byte in token {
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]), high << 4 | low == byte {
                index += 3
            } else if bytes[index] == byte || (byte == UInt8(ascii: " ") && bytes[index] == UInt8(ascii: "+")) {
                index += 1
            } else {
                return nil
            }
        }
        return index
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
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

    public init(requestTimeout: Double = 10, penaltySeconds: Double = 30, backoffBase: Double = 1,
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
    /// Where the pace file of the base is shared with other Recon processes (`state/cache/airtable-pace`).
    public var paceFolder: String?

    public static let defaultRequestsPerSecond = 5.0

    public init(baseID: String, apiURL: URL, token: AirtableToken,
                requestsPerSecond: Double = AirtableConfiguration.defaultRequestsPerSecond,
                timing: AirtableTiming = .standard, typecastFields: [String: Set<String>] = [:], paceFolder: String? = nil) {
        self.paceFolder = paceFolder
        self.baseID = baseID
        self.apiURL = apiURL
        self.token = token
        self.requestsPerSecond = requestsPerSecond
        self.timing = timing
        self.typecastFields = typecastFields
    }
}
