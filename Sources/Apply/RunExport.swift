import ReconCore

/// One run as both stores keep it, byte for byte: the ledger, the outcome and intent lines (without their
/// newlines) and the files by name. `state migrate` moves runs in this form and compares their digests.
public struct RunExport: Sendable, Equatable {
    public var id: String
    public var ledger: [UInt8]
    public var lines: [[UInt8]]
    public var files: [RunFile: [UInt8]]

    public init(id: String, ledger: [UInt8], lines: [[UInt8]], files: [RunFile: [UInt8]]) {
        self.id = id
        self.ledger = ledger
        self.lines = lines
        self.files = files
    }

    /// SHA-256 over the id, the ledger, each line and each file, every part length-prefixed.
    public var digest: String {
        var parts: [[UInt8]] = [Array(id.utf8), ledger] + lines
        for file in RunFile.allCases { parts += [Array(file.rawValue.utf8), files[file] ?? []] }
        var hash = SHA256()
        for part in parts {
            hash.update("\(part.count):")
            hash.update(part)
        }
        return hash.hexDigest()
    }
}
