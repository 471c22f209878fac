import CLibPQ

/// Where a connection string points, without who connects: `host[:port]/database`, for naming a base in
/// the state and in plans. Parsed by libpq itself (`PQconninfoParse`), so URIs and `key=value` strings
/// read the same way; the user and password are never part of it.
public enum PGAddress {
    /// Nil when libpq cannot parse the string (the connection then fails with a redacted error).
    public static func of(_ connectionString: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        let host = values["host"].flatMap { $0.isEmpty ? nil : $0 } ?? values["hostaddr"] ?? "localhost"
        let port = values["port"].flatMap { $0.isEmpty ? nil : ":" + $0 } ?? ""
        let database = values["dbname"] ?? ""
        return "\(host)\(port)/\(database)"
    }
}
