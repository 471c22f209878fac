import Foundation
import ReconCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Counters of what the client sent and met, for benchmarks and tests.
public struct AirtableStatistics: Sendable, Equatable {
    /// Every HTTP request sent, retries included.
    public var requests = 0
    /// 429 answers received.
    public var throttled = 0
    /// 5xx answers and transport failures (timeouts, lost connections) that were retried or surfaced.
    public var failures = 0
    public var retries = 0
}

/// JSON over HTTP to one base: paces every request through the base's limiter, waits out a 429's
/// penalty, retries 5xx and timeouts with capped exponential backoff and jitter, and turns error
/// bodies into `AirtableFailure`s with the token redacted.
final class AirtableClient: @unchecked Sendable {
    let configuration: AirtableConfiguration
    let limiter: AirtableRateLimiter
    private let transport: AirtableTransport
    private let lock = NSLock()
    private var counters = AirtableStatistics()

    init(configuration: AirtableConfiguration, limiter: AirtableRateLimiter? = nil) {
        self.configuration = configuration
        self.limiter = limiter ?? AirtableRateLimiter.shared(
            baseID: configuration.baseID, apiURL: configuration.apiURL, requestsPerSecond: configuration.requestsPerSecond,
            paceFolder: configuration.paceFolder)
        transport = AirtableTransport(timeout: configuration.timing.requestTimeout)
    }

    var statistics: AirtableStatistics { lock.withLock { counters } }

    /// Sends one request (retrying as described) and returns the parsed JSON body.
    /// `path` is relative to `/v0/`; query items are percent-encoded here.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil) throws(AirtableFailure) -> JSONValue {
        try exchange(method, path, query: query, body: body).json
    }

    /// As `send`, with the server's clock: the answer's `Date` header (whole seconds), nil when absent or unreadable.
    func sendDated(_ method: String, _ path: String, query: [(String, String)] = []) throws(AirtableFailure) -> (json: JSONValue, date: Date?) {
        let answer = try exchange(method, path, query: query, body: nil)
        return (answer.json, answer.headers["date"].flatMap(Self.httpDate))
    }

    /// An HTTP `Date` header (IMF-fixdate, RFC 9110).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// Builds the full URL of a request, as `send` would send it: callers budget its length.
    func urlLength(_ path: String, query: [(String, String)]) -> Int {
        makeRequest("GET", path, query: query, body: nil).url?.absoluteString.count ?? 0
    }

    private func exchange(_ method: String, _ path: String, query: [(String, String)], body: JSONValue?) throws(AirtableFailure)
        -> (json: JSONValue, headers: [String: String]) {
        let request = makeRequest(method, path, query: query, body: body)
        let timing = configuration.timing
        var attempt = 0
        while true {
            let ticket = limiter.acquire(sleep: timing.sleep)
            count { $0.requests += 1 }
            let failure: AirtableFailure
            // A write, or any retry, never rides a connection the server may have closed meanwhile.
            let outcome = transport.perform(request, freshConnection: body != nil || attempt > 0)
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                limiter.finished(ticket, .answered)
                do {
                    return (try JSONParser.parse(Array(response.body)), response.headers)
                } catch {
                    throw AirtableFailure(method: method, path: path, cause: .transport("the response was not JSON"))
                }
            case .success(let response):
                failure = AirtableFailure(method: method, path: path, cause: parseError(response))
                if response.status == 429 {
                    count { $0.throttled += 1 }
                    limiter.finished(ticket, .throttled(penalty: Self.retryAfter(response) ?? timing.penaltySeconds))
                } else if response.status >= 500 {
                    count { $0.failures += 1 }
                    limiter.finished(ticket, .failed)
                } else {
                    limiter.finished(ticket, .answered)
                    throw failure
                }
            case .failure(let error):
                count { $0.failures += 1 }
                limiter.finished(ticket, .failed)
                failure = AirtableFailure(method: method, path: path, cause: .transport(describe(error)))
            }
            guard attempt < timing.maxRetries else { throw failure }
            // After a 429 the limiter holds every request until the penalty is over (and says so).
            if failure.status != 429 {
                let delay = timing.backoff(attempt: attempt)
                WaitNotice.report(WaitNotice(seconds: delay, reason: "\(Self.summary(failure)) from Airtable base "
                    + "\(configuration.baseID); retry \(attempt + 1) of \(timing.maxRetries)"))
                timing.sleep(delay)
            }
            attempt += 1
            count { $0.retries += 1 }
        }
    }

    /// A 429's `Retry-After` in seconds, when the server sent one.
    static func retryAfter(_ response: AirtableTransport.Response) -> Double? {
        guard let text = response.headers["retry-after"], let seconds = Double(text.trimmingCharacters(in: .whitespaces)),
              seconds.isFinite, seconds >= 0 else { return nil }
        return min(seconds, 3600)
    }

    /// `HTTP 503` or `no answer`, for a wait notice.
    private static func summary(_ failure: AirtableFailure) -> String {
        failure.status.map { "HTTP \($0)" } ?? "no answer"
    }

    // MARK: Internals

    private func count(_ change: (inout AirtableStatistics) -> Void) { lock.withLock { change(&counters) } }

    private func makeRequest(_ method: String, _ path: String, query: [(String, String)], body: JSONValue?) -> URLRequest {
        var base = configuration.apiURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = "\(base)/v0/\(path)"
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var request = URLRequest(url: URL(string: text)!)
        request.httpMethod = method
        request.timeoutInterval = transport.timeout
        request.setValue("Bearer \(configuration.token.secret)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.canonicalBytes())
        }
        return request
    }

    /// Reads Airtable's error shapes: `{"error": {"type", "message"}}`, `{"error": "TYPE"}` and
    /// `{"errors": [{"error", "message"}]}`.
    private func parseError(_ response: AirtableTransport.Response) -> AirtableFailure.Cause {
        let json = try? JSONParser.parse(Array(response.body))
        var type = "HTTP_\(response.status)"
        var message = ""
        if let error = json?["error"] {
            type = error["type"]?.stringValue ?? error.stringValue ?? type
            message = error["message"]?.stringValue ?? ""
        } else if let first = json?["errors"]?.arrayValue?.first {
            type = first["error"]?.stringValue ?? type
            message = first["message"]?.stringValue ?? ""
        }
        // Redact first: a token cut in two by the limit would no longer match.
        let token = configuration.token
        return .status(response.status, type: token.redact(type), message: String(token.redact(message).prefix(500)))
    }

    private func describe(_ error: Error) -> String {
        let text: String
        if let urlError = error as? URLError {
            text = AirtableNetworkError.describe(urlError, url: configuration.apiURL, timeout: transport.timeout)
        } else {
            text = "\(error)"
        }
        return configuration.token.redact(text)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
