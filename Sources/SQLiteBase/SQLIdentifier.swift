/// Quoting for table and column names, which come straight from the manifests
/// (spaces, quotes, keywords are all allowed there).
enum SQLIdentifier {
    static func quote(_ name: String) -> String {
        var quoted = "\""
        quoted.reserveCapacity(name.utf8.count + 2)
        for character in name {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return quoted
    }
}
