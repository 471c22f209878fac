import Foundation
import ReconCore

/// An Airtable Web API on 127.0.0.1 for tests: the metadata and records endpoints, Airtable's id
/// formats and error bodies, a bearer token, the 10-record write limit, pages of at most 100, a
/// per-base rate limit with a penalty, and switchable faults. Every request is logged.
public final class AirtableEmulator: @unchecked Sendable {
    public struct LoggedRequest: Sendable, Equatable {
        public var method: String
        public var path: String
        /// 0 when the response was dropped on purpose, or the body never arrived whole.
        public var status: Int
        /// Bytes of the body received, and whether that was the whole `Content-Length`.
        public var bodyLength = 0
        public var bodyComplete = true
        /// The `Connection` header sent, lowercased ("" when none).
        public var connection = ""
        /// The `filterByFormula` received, decoded; nil when none.
        public var formula: String?
        /// Characters of the URL as sent (`http://127.0.0.1:port` and the encoded path and query).
        public var urlLength = 0
    }

    /// Airtable's longest URL; a longer one is refused with 414.
    public static let maxURLLength = 16_000

    public let token: String
    /// Requests per second per base; the one over the limit gets 429 and starts the penalty.
    public let requestsPerSecond: Int
    /// How long a base refuses every request after a 429 (Airtable: 30 s).
    public let penaltySeconds: Double

    let lock = NSLock()
    var bases: [String: EmulatedBase] = [:]
    var offsets: [String: (table: String, index: Int)] = [:]
    private var arrivals: [String: [Double]] = [:]
    private var penaltyUntil: [String: Double] = [:]
    private var log: [LoggedRequest] = []
    private var failures: (count: Int, status: Int) = (0, 503)
    private var drops: (count: Int, methods: Set<String>) = (0, [])
    /// Every `every`-th request with one of `methods` loses its answer (0: none), counted in `seen`.
    private var lossPattern: (every: Int, methods: Set<String>, seen: Int) = (0, [], 0)
    private var delay: Double = 0
    private var arrivalDelays: [Double] = []
    private var echo = false
    private var retryAfter: Int?
    /// Seconds the emulator's clock runs ahead of the machine's (`advanceClock`).
    private var clockOffset: Double = 0
    private var server: LoopbackHTTPServer!

    public static let defaultToken = "patEmulatorTOKEN.0123456789abcdef0123456789abcdef"

    /// `keepAlive`: connections stay open between requests, as Airtable's do (a lost answer then ends
    /// a connection the client may have reused).
    public init(token: String = AirtableEmulator.defaultToken, requestsPerSecond: Int = 5, penaltySeconds: Double = 30,
                keepAlive: Bool = false) throws {
        self.token = token
        self.requestsPerSecond = requestsPerSecond
        self.penaltySeconds = penaltySeconds
        server = try LoopbackHTTPServer(keepAlive: keepAlive) { [unowned self] request in self.handle(request) }
    }

    deinit { server.stop() }

    public func stop() { server.stop() }

    public var url: URL { URL(string: "http://127.0.0.1:\(server.port)")! }

    /// Adds an empty base (the API cannot create bases) and returns its id.
    @discardableResult
    public func addBase(_ id: String = EmulatorIDs.make("app")) -> String {
        lock.withLock { bases[id] = EmulatedBase(id: id) }
        return id
    }

    // MARK: Faults

    /// The next `count` requests get `status` (5xx) without being handled.
    public func failNext(_ count: Int, status: Int = 503) { lock.withLock { failures = (count, status) } }

    /// The next `count` requests with one of `methods` are committed, then the connection is
    /// closed without an answer, as when a response is lost on the way back.
    public func dropResponses(_ count: Int, methods: Set<String> = ["POST", "PATCH", "DELETE"]) {
        lock.withLock { drops = (count, methods) }
    }

    /// From now on every `n`-th request with one of `methods` is committed and its answer lost
    /// (n = 10: 10% of answers lost, deterministically); 0 stops it.
    public func loseEvery(_ n: Int, methods: Set<String> = ["POST", "PATCH", "DELETE"]) {
        lock.withLock { lossPattern = (n, methods, 0) }
    }

    /// Added to every request before it is handled.
    public func setLatency(_ seconds: Double) { lock.withLock { delay = seconds } }

    /// The next requests are held these many seconds each, in turn, before they arrive: jitter
    /// on the way in, as when one packet is slow and the ones after it are not.
    public func delayNextArrivals(_ seconds: [Double]) { lock.withLock { arrivalDelays = seconds } }

    /// 429s carry `Retry-After: seconds` (Airtable's do not; proxies' and other APIs' may).
    public func setRetryAfter(_ seconds: Int?) { lock.withLock { retryAfter = seconds } }

    /// Moves the server's clock (its `Date` header and every time stamp it writes) forward.
    public func advanceClock(by seconds: Double) { lock.withLock { clockOffset += seconds } }

    /// The server's time now; call under the lock.
    var now: Date { Date().addingTimeInterval(clockOffset) }

    /// Error messages quote the Authorization header back, to prove clients redact it.
    public func setEchoesAuthorization(_ on: Bool) { lock.withLock { echo = on } }

    // MARK: The log

    public var requests: [LoggedRequest] { lock.withLock { log } }
    public var throttledCount: Int { requests.filter { $0.status == 429 }.count }
    public func resetLog() { lock.withLock { log.removeAll() } }

    // MARK: Dispatch

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let pause = lock.withLock { delay + (arrivalDelays.isEmpty ? 0 : arrivalDelays.removeFirst()) }
        if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        return lock.withLock {
            var entry = LoggedRequest(method: request.method, path: request.path, status: 0, bodyLength: request.body.count,
                                      bodyComplete: request.bodyComplete, connection: request.headers["connection"]?.lowercased() ?? "",
                                      formula: request.queryValue("filterByFormula"),
                                      urlLength: url.absoluteString.count + request.targetLength)
            guard request.bodyComplete else {
                log.append(entry)
                return nil
            }
            let (response, dropped) = respond(request)
            entry.status = dropped ? 0 : response.status
            log.append(entry)
            return dropped ? nil : response
        }
    }

    /// Runs under the lock. Returns the response and whether it is to be dropped after committing.
    private func respond(_ request: HTTPRequest) -> (HTTPResponse, Bool) {
        let authorization = request.headers["authorization"] ?? ""
        do throws(EmulatorError) {
            guard authorization == "Bearer \(token)" else {
                let quoted = echo ? " (received '\(authorization)')" : ""
                throw EmulatorError(401, "AUTHENTICATION_REQUIRED", "Authentication required\(quoted)")
            }
            let parts = request.path.split(separator: "/").map(String.init)
            guard parts.first == "v0", parts.count >= 2 else { throw EmulatorError.notFound("route \(request.path)") }
            let isMeta = parts[1] == "meta"
            let baseID = isMeta ? (parts.count > 3 ? parts[3] : "") : parts[1]
            guard let base = bases[baseID] else { throw EmulatorError.notFound("base \(baseID)") }
            guard url.absoluteString.count + request.targetLength <= Self.maxURLLength else {
                throw EmulatorError(414, "INVALID_REQUEST_URL_TOO_LONG", "The URL exceeds \(Self.maxURLLength) characters")
            }
            try throttle(baseID)
            if failures.count > 0 {
                failures.count -= 1
                throw EmulatorError(failures.status, "SERVER_ERROR", "Try again. If the problem persists, contact support.")
            }
            let body = request.body.isEmpty ? JSONValue.null : try parseBody(request.body)
            let json = isMeta ? try meta(request, parts: Array(parts.dropFirst(4)), base: base, body: body)
                              : try records(request, parts: Array(parts.dropFirst(2)), base: base, body: body)
            var drop = false
            if drops.count > 0, drops.methods.contains(request.method) {
                drops.count -= 1
                drop = true
            }
            if lossPattern.every > 0, lossPattern.methods.contains(request.method) {
                lossPattern.seen += 1
                if lossPattern.seen % lossPattern.every == 0 { drop = true }
            }
            return (HTTPResponse(status: 200, body: json.canonicalBytes(), headers: ["Date": Self.httpDate(now)]), drop)
        } catch {
            var message = error.message
            if echo, !message.contains(authorization) { message += " (request authorized by '\(authorization)')" }
            let json: JSONValue = ["error": ["type": .string(error.type), "message": .string(message)]]
            var headers = error.status == 429 ? retryAfter.map { ["Retry-After": "\($0)"] } ?? [:] : [:]
            headers["Date"] = Self.httpDate(now)
            return (HTTPResponse(status: error.status, body: json.canonicalBytes(), headers: headers), false)
        }
    }

    /// A sliding one-second window per base; the request over the limit starts the penalty, and
    /// every request during the penalty is refused too.
    private func throttle(_ baseID: String) throws(EmulatorError) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if let until = penaltyUntil[baseID], now < until {
            throw EmulatorError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded; wait \(penaltySeconds) seconds")
        }
        var window = arrivals[baseID, default: []].filter { now - $0 < 1 }
        if window.count >= requestsPerSecond {
            penaltyUntil[baseID] = now + penaltySeconds
            arrivals[baseID] = window
            throw EmulatorError(429, "TOO_MANY_REQUESTS", "Rate limit exceeded; wait \(penaltySeconds) seconds")
        }
        window.append(now)
        arrivals[baseID] = window
    }

    /// An HTTP `Date` header (RFC 9110's IMF-fixdate, whole seconds), as every Airtable answer carries.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    private func parseBody(_ bytes: [UInt8]) throws(EmulatorError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw EmulatorError(422, "INVALID_REQUEST_BODY", "Could not parse request body")
        }
    }
}
