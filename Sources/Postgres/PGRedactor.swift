import Foundation

/// Removes the secrets of one connection string from the messages libpq and the server give:
/// libpq quotes a malformed URI whole, or the token it stumbled on, password included.
struct PGRedactor: Sendable {
    static let mask = "[redacted]"

    /// Longest first, so a secret that contains another is masked whole.
    private let secrets: [String]

    init(connectionString: String) {
        var found = [connectionString]
        for password in Self.passwords(in: connectionString) {
            found.append(password)
            if let decoded = password.removingPercentEncoding { found.append(decoded) }
        }
        secrets = Set(found.filter { !$0.isEmpty }).sorted { $0.utf8.count > $1.utf8.count }
    }

    func clean(_ message: String) -> String {
        var text = message
        for secret in secrets { text = text.replacingOccurrences(of: secret, with: Self.mask) }
        return Self.maskingURICredentials(text)
    }

    /// Every value that may be the password: the URI's `user:password@` part (up to the first and to
    /// the last `@`, whichever libpq reads), a `password=` query parameter, a `password=` keyword.
    static func passwords(in connection: String) -> [String] {
        var found: [String] = []
        if let scheme = connection.range(of: "://") {
            let rest = connection[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            for at in [authority.firstIndex(of: "@"), authority.lastIndex(of: "@")].compactMap({ $0 }) {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") { found.append(String(userInfo[userInfo.index(after: colon)...])) }
            }
            if let query = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: query)...].split(separator: "&") where pair.hasPrefix("password=") {
                    found.append(String(pair.dropFirst("password=".count)))
                }
            }
        } else if let keyword = connection.range(of: #"password\s*=\s*"#, options: .regularExpression) {
            let value = connection[keyword.upperBound...]
            if value.first == "'" {
                let body = value.dropFirst()
                found.append(String(body.prefix { $0 != "'" }))
                found.append(String(body.prefix { $0 != "'" }).replacingOccurrences(of: "\\", with: ""))
            } else {
                found.append(String(value.prefix { !$0.isWhitespace }))
            }
        }
        return found
    }

    /// Any other `scheme://user:password@` in a message (another URI a server echoed) loses its password.
    static func maskingURICredentials(_ text: String) -> String {
        text.replacingOccurrences(of: #"(postgres(?:ql)?://[^:/@\s"]*):[^@\s"]*@"#, with: "$1:\(mask)@",
                                  options: .regularExpression)
    }
}
