import Foundation
import ReconCore
import State

/// What a full `plan` (or `apply` without a file) or `drift` that found nothing to do depended on, kept so the next
/// run can answer the same without reading the records (issue 12). Every fact is compared for equality; the file is
/// hostile input, so anything unreadable, truncated or with a wrong checksum is no seal, never an error.
struct NoChangeSeal: Equatable {
    enum Kind: String { case plan, drift }

    static let formatVersion = 1

    var kind: Kind
    var toolVersion: String
    var target: String
    var manifestDigest: String
    /// Repo name → commit (plan only: drift reads no repo).
    var repoCommits: [String: String]
    /// SHA-256 of the local state file's bytes as stored (its journal must be empty), or the version of a PostgreSQL
    /// state (`PostgresStateMarks`).
    var stateDigest: String
    /// The newest apply or rollback in the run history and its status: a run since (or a killed one) breaks the seal.
    var lastRun: String
    /// The base's `ChangeMark`, taken before the full refresh read the records.
    var mark: String
    var fullRefreshAfter: Int?
    /// Seconds since 1970 when the mark was taken.
    var markedAt: Int
    /// Plan: its canonical file bytes (what the full path printed is rendered from them). Drift: the unmanaged
    /// record counts per table, the only part of an empty report that depends on the records.
    var payload: String

    /// Another build of the same version may plan differently, so it never reads this build's seal.
    static var toolIdentity: String { ReconBuild.identity }

    /// Recon's version and the SHA-256 of the executable: the same build on another machine (a seal kept in a
    /// PostgreSQL state is read by every CI runner), where only the bytes are the same.
    /// Nil when the executable cannot be read: then no such seal is read or written.
    static let portableToolIdentity: String? = {
        guard let path = Bundle.main.executablePath, let digest = LocalStateFacts.digest(ofFile: path) else { return nil }
        return "\(ReconVersion.current) sha256:\(digest)"
    }()

    /// `state/cache/noop-seal/<kind>-<hash of target and state path>.json`: one per target and state file.
    static func path(stateDirectory: String, kind: Kind, target: String, statePath: String) -> String {
        let key = String(SHA256.hex("\(target)\0\(statePath)").prefix(16))
        return "\(stateDirectory)/cache/noop-seal/\(kind.rawValue)-\(key).json"
    }

    /// The body as canonical JSON, and the file: the body as a string beside its SHA-256.
    func encoded() -> [UInt8] {
        var body: [String: JSONValue] = [
            "format": .number(Double(Self.formatVersion)), "kind": .string(kind.rawValue), "tool_version": .string(toolVersion),
            "target": .string(target), "manifest_digest": .string(manifestDigest), "state_digest": .string(stateDigest),
            "last_run": .string(lastRun), "mark": .string(mark), "marked_at": .number(Double(markedAt)),
            "payload": .string(payload),
            "repo_commits": .object(repoCommits.mapValues { .string($0) }),
        ]
        if let fullRefreshAfter { body["full_refresh_after"] = .number(Double(fullRefreshAfter)) }
        let text = JSONValue.object(body).canonicalString()
        return JSONValue.object(["body": .string(text), "sha256": .string(SHA256.hex(text))]).canonicalBytes()
    }

    /// The seal in `bytes`, or nil for anything but an intact seal of this format.
    static func decode(_ bytes: [UInt8]) -> NoChangeSeal? {
        guard let outer = try? JSONParser.parse(bytes), let text = outer["body"]?.stringValue,
              outer["sha256"]?.stringValue == SHA256.hex(text), let body = try? JSONParser.parse(text),
              body["format"]?.intValue == formatVersion, let kind = body["kind"]?.stringValue.flatMap(Kind.init(rawValue:)),
              let toolVersion = body["tool_version"]?.stringValue, let target = body["target"]?.stringValue,
              let manifestDigest = body["manifest_digest"]?.stringValue, let stateDigest = body["state_digest"]?.stringValue,
              let lastRun = body["last_run"]?.stringValue, let mark = body["mark"]?.stringValue,
              let markedAt = body["marked_at"]?.intValue, let payload = body["payload"]?.stringValue,
              let commits = body["repo_commits"]?.objectValue else { return nil }
        var repoCommits: [String: String] = [:]
        for (name, value) in commits {
            guard let commit = value.stringValue else { return nil }
            repoCommits[name] = commit
        }
        return NoChangeSeal(kind: kind, toolVersion: toolVersion, target: target, manifestDigest: manifestDigest,
                            repoCommits: repoCommits, stateDigest: stateDigest, lastRun: lastRun, mark: mark,
                            fullRefreshAfter: body["full_refresh_after"]?.intValue, markedAt: markedAt, payload: payload)
    }

    /// Reads the seal at `path`; nil when missing or damaged.
    static func read(_ path: String) -> NoChangeSeal? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return decode(bytes)
    }

    /// Written 0600 and atomically; a seal that cannot be written only costs the next run its fast path.
    func write(to path: String) {
        try? PrivateFile.createDirectory(PrivateFile.directoryOf(path))
        try? AtomicFile.write(encoded(), to: path)
    }

    /// Removes a seal (a full run found something to do): cheap, and the next run need not even compare.
    static func remove(_ path: String) {
        _ = unlink(path)
    }
}
