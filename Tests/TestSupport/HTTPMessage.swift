import Foundation

/// One HTTP/1.1 request as the loopback server read it.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Percent-decoded path, without the query.
    public var path: String
    /// Percent-decoded query items, in order (names like `fields[]` repeat).
    public var query: [(name: String, value: String)]
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// False when the connection ended before the `Content-Length` bytes of the body arrived.
    public var bodyComplete = true
    /// Characters of the request target (path and query) as sent, still percent-encoded.
    public var targetLength = 0

    public func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }
    public func queryValue(_ name: String) -> String? { queryValues(name).first }

    /// Parses the head (request line and headers); nil when malformed.
    static func parseHead(_ head: String) -> HTTPRequest? {
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = String(parts[1])
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [(String, String)] = []
        if pathPart.count == 2 {
            for pair in pathPart[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
            }
        }
        var request = HTTPRequest(method: String(parts[0]), path: decode(pathPart[0]), query: query, headers: headers, body: [])
        request.targetLength = target.count
        return request
    }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}

/// A response to send back; the server closes the connection after it unless kept alive.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var contentType = "application/json"
    /// More header lines, e.g. `Retry-After`.
    public var headers: [String: String] = [:]
    var keepAlive = false

    public init(status: Int, body: [UInt8], contentType: String = "application/json", headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.headers = headers
    }

    var bytes: [UInt8] {
        let reason = HTTPResponse.reasons[status] ?? "Status"
        let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extra)Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Array(head.utf8) + body
    }

    static let reasons = [200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 413: "Payload Too Large",
                          422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
                          414: "URI Too Long", 502: "Bad Gateway", 503: "Service Unavailable"]
}
