/// Quoting for table and column names, which come straight from the manifests
/// (spaces, quotes, keywords are all allowed there).
enum SQLIdentifier {
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
