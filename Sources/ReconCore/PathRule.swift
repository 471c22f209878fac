import Foundation

/// The rules for values that become file names or paths (manifest values, `--state`). Checked where
/// a value is read, so a hostile one is refused with its location before anything touches the disk.
public enum PathRule {
    public static let maxNameLength = 128

    /// Why `name` cannot be one path component that Recon creates (a repo's mirror and cache files),
    /// or nil when it can: ASCII letters, digits, '-', '_' and '.', not starting with '.' (which
    /// refuses `.`, `..` and hidden names), at most `maxNameLength` characters.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.hasPrefix(".") { return "it must not start with '.'" }
        if name.unicodeScalars.count > maxNameLength { return "it is longer than \(maxNameLength) characters" }
        if let bad = name.unicodeScalars.first(where: { !($0.isASCII && (isAlphanumeric($0) || "-_.".unicodeScalars.contains($0))) }) {
            return "it contains \(describe(bad))"
        }
        return nil
    }

    /// Why `path` cannot name a file Recon writes (a database, the state file), or nil when it can:
    /// not empty, no control characters, and its last component a name, not a folder (`/`, `.`, `..`).
    public static func problem(withFilePath path: String) -> String? {
        if let problem = problem(withDirectoryPath: path) { return problem }
        if path.hasPrefix("~") { return "it starts with '~', which Recon does not expand to a home folder: give the full path" }
        if path.hasSuffix("/") { return "it ends with '/', which names a folder, not a file" }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if last == "." || last == ".." { return "it ends with '\(last)', which names a folder, not a file" }
        return nil
    }

    /// Why `path` cannot name a folder Recon reads, or nil when it can: not empty, no control characters.
    public static func problem(withDirectoryPath path: String) -> String? {
        if path.isEmpty { return "it is empty" }
        if let bad = path.unicodeScalars.first(where: isControl) { return "it contains \(describe(bad))" }
        return nil
    }

    /// `path` made absolute against the working directory, `.` and `..` removed and the symlinks of its
    /// existing part resolved, so two spellings of one place compare equal before anything is created.
    public static func resolved(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        return missing.reduce(existing.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }.path
    }

    /// Whether resolved `path` is `folder` or lies below it (both as `resolved` returns them).
    public static func isWithin(_ path: String, _ folder: String) -> Bool {
        PathBytes.equal(path, folder) || PathBytes.isBelow(path, folder)
    }

    /// `text` in single quotes with control characters escaped, so a message can show it safely.
    public static func quoted(_ text: String) -> String {
        "'" + text.unicodeScalars.map { isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "'"
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if isControl(scalar) { return "the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4))" }
        return scalar == "/" ? "a '/' (a name is one path component)" : "'\(scalar)'"
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
