import Foundation
import ReconCore
import State

/// What a whole-scope apply that succeeded left behind for the next run to plan in O(changes) (issue 12, goal 4):
/// the facts under which "the base and the state hold what that apply left, and every managed record but `standing`
/// plans to nothing from the desired records it applied" stays true. Hostile input like `NoChangeSeal`: anything
/// unreadable, truncated or with a wrong checksum is no baseline, never an error.
struct DeltaBaseline: Equatable {
    static let formatVersion = 1

    var toolVersion: String
    var target: String
    var manifestDigest: String
    /// Repo name → the sealed records entry ("COMMIT FINGERPRINT") the applied desired records were.
    var entries: [String: String]
    /// SHA-256 of the state file after the apply's state write (journal empty).
    var stateDigest: String
    /// The newest apply or rollback and its status: this apply, succeeded.
    var lastRun: String
    /// The base's `ChangeMark`, taken under the lock after the apply's last write.
    var mark: String
    var fullRefreshAfter: Int?
    var markedAt: Int
    /// Table → keys the apply left planning to something on purpose (reported drift, protected skips, manual steps,
    /// integrity errors): planned again by every delta run.
    var standing: [String: Set<String>]
    /// Table → record id → key (nil when the key cell holds no text) of every base record the state does not hold.
    var outside: [String: [String: String?]]

    /// `state/cache/delta-baseline/<hash of target and state path>.json`.
    static func path(stateDirectory: String, target: String, statePath: String) -> String {
        let key = String(SHA256.hex("\(target)\0\(statePath)").prefix(16))
        return "\(stateDirectory)/cache/delta-baseline/\(key).json"
    }

    func encoded() -> [UInt8] {
        var body: [String: JSONValue] = [
            "format": .number(Double(Self.formatVersion)), "tool_version": .string(toolVersion), "target": .string(target),
            "manifest_digest": .string(manifestDigest), "state_digest": .string(stateDigest), "last_run": .string(lastRun),
            "mark": .string(mark), "marked_at": .number(Double(markedAt)),
            "entries": .object(entries.mapValues { .string($0) }),
            "standing": .object(standing.mapValues { .array($0.sorted().map { .string($0) }) }),
            "outside": .object(outside.mapValues { records in
                .object(records.mapValues { key in key.map { .string($0) } ?? .null })
            }),
        ]
        if let fullRefreshAfter { body["full_refresh_after"] = .number(Double(fullRefreshAfter)) }
        let text = JSONValue.object(body).canonicalString()
        return JSONValue.object(["body": .string(text), "sha256": .string(SHA256.hex(text))]).canonicalBytes()
    }

    static func decode(_ bytes: [UInt8]) -> DeltaBaseline? {
        guard let outer = try? JSONParser.parse(bytes), let text = outer["body"]?.stringValue,
              outer["sha256"]?.stringValue == SHA256.hex(text), let body = try? JSONParser.parse(text),
              body["format"]?.intValue == formatVersion, let toolVersion = body["tool_version"]?.stringValue,
              let target = body["target"]?.stringValue, let manifestDigest = body["manifest_digest"]?.stringValue,
              let stateDigest = body["state_digest"]?.stringValue, let lastRun = body["last_run"]?.stringValue,
              let mark = body["mark"]?.stringValue, let markedAt = body["marked_at"]?.intValue,
              let entryValues = body["entries"]?.objectValue, let standingValues = body["standing"]?.objectValue,
              let outsideValues = body["outside"]?.objectValue else { return nil }
        var entries: [String: String] = [:]
        for (repo, value) in entryValues {
            guard let entry = value.stringValue else { return nil }
            entries[repo] = entry
        }
        var standing: [String: Set<String>] = [:]
        for (table, value) in standingValues {
            guard let keys = value.arrayValue?.compactMap(\.stringValue), keys.count == value.arrayValue?.count else { return nil }
            standing[table] = Set(keys)
        }
        var outside: [String: [String: String?]] = [:]
        for (table, value) in outsideValues {
            guard let records = value.objectValue else { return nil }
            var keys: [String: String?] = [:]
            for (id, key) in records {
                if case .null = key { keys[id] = .some(nil) } else if let text = key.stringValue { keys[id] = text } else { return nil }
            }
            outside[table] = keys
        }
        return DeltaBaseline(toolVersion: toolVersion, target: target, manifestDigest: manifestDigest, entries: entries,
                             stateDigest: stateDigest, lastRun: lastRun, mark: mark,
                             fullRefreshAfter: body["full_refresh_after"]?.intValue, markedAt: markedAt,
                             standing: standing, outside: outside)
    }
}
