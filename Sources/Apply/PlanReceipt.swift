import Foundation
import Manifest
import Plan
import ReconCore
import Remote

/// What `recon plan -out` vouches for about a plan it saved (issue 12): this build made the plan with this digest
/// from these facts. Apply skips making the plan again only when the receipt's MAC verifies under the state
/// directory's `LocalTrustKey` and every fact still holds (`PlanReceiptCheck`); a plan from anywhere else has no
/// valid receipt and is made again as always.
struct PlanReceipt: Equatable {
    static let formatVersion = 1

    /// `NoChangeSeal.toolIdentity`: another build may plan differently.
    var toolIdentity: String
    /// The plan file's digest (`sha256:…`), which covers every byte of its body.
    var planDigest: String
    var target: String
    var manifestDigest: String
    var lineage: String
    var serial: Int
    var repoCommits: [String: String]
    /// `RemoteSchema.fingerprint` of the schema the planner saw.
    var schemaFingerprint: String
    /// `LocalStateFacts.stateDigest` (or `absent`) and `newestRun`, taken before planning read anything.
    var stateDigest: String
    var lastRun: String
    /// `namedRecords` of what planning read: the base records the plan's changes name.
    var namedRecords: String
    /// SHA-256 of the saved file's bytes from the body's brace to the end (`PlanFile.save`): apply then knows the body
    /// has this digest without hashing it again in canonical form. Nil in receipts written before it was recorded.
    var bodyBytes: String? = nil

    /// The facts the plan file states itself agree with the receipt's.
    func matches(_ plan: Plan, digest: String) -> Bool {
        planDigest == digest && target == plan.target && manifestDigest == plan.manifestDigest && lineage == plan.lineage
            && serial == plan.serial && repoCommits == plan.repoCommits
    }

    /// SHA-256 over the content hash of every base record a change of `plan` names by id (in a declared table),
    /// `-` for one not there: what re-planning reads besides the fingerprinted records (a change that only moves the
    /// state, such as a converged value, has no fingerprint). Apply compares it with what preflight read.
    static func namedRecords(_ plan: Plan, manifest: Manifest, records: (_ table: String, _ id: String) -> RemoteRecord?) -> String {
        var hasher = SHA256()
        for change in plan.recordChanges {
            // The id first: a create has none, and the table lookup per change costs more than the test.
            guard let id = change.remoteID, manifest.table(named: change.table) != nil else { continue }
            let hash = records(change.table, id).map { FieldValue.contentHash($0.fields) } ?? "-"
            hasher.update("\(change.table)\u{0}\(id)\u{0}\(hash)\n")
        }
        return hasher.hexDigest()
    }

    // MARK: The file

    /// `{"body": "<canonical JSON>", "mac": "<HMAC-SHA-256 of body under the state directory's key>"}`.
    func encoded(key: LocalTrustKey) -> [UInt8] {
        let body: [String: JSONValue] = [
            "format": .number(Double(Self.formatVersion)), "tool": .string(toolIdentity), "plan_digest": .string(planDigest),
            "target": .string(target), "manifest_digest": .string(manifestDigest), "lineage": .string(lineage),
            "serial": .number(Double(serial)), "repo_commits": .object(repoCommits.mapValues { .string($0) }),
            "schema": .string(schemaFingerprint), "state_digest": .string(stateDigest), "last_run": .string(lastRun),
            "named_records": .string(namedRecords),
        ].merging(bodyBytes.map { ["body_bytes": JSONValue.string($0)] } ?? [:]) { $1 }
        let text = JSONValue.object(body).canonicalString()
        return JSONValue.object(["body": .string(text), "mac": .string(key.mac(Array(text.utf8)))]).canonicalBytes()
    }

    /// The receipt in `bytes` when its MAC verifies under `key`; nil for anything else (the file is hostile input).
    static func decode(_ bytes: [UInt8], key: LocalTrustKey) -> PlanReceipt? {
        guard let outer = try? JSONParser.parse(bytes), let text = outer["body"]?.stringValue, let mac = outer["mac"]?.stringValue,
              key.verifies(mac, Array(text.utf8)), let body = try? JSONParser.parse(text),
              body["format"]?.intValue == formatVersion, let tool = body["tool"]?.stringValue,
              let planDigest = body["plan_digest"]?.stringValue, let target = body["target"]?.stringValue,
              let manifestDigest = body["manifest_digest"]?.stringValue, let lineage = body["lineage"]?.stringValue,
              let serial = body["serial"]?.intValue, let commits = body["repo_commits"]?.objectValue,
              let schema = body["schema"]?.stringValue, let stateDigest = body["state_digest"]?.stringValue,
              let lastRun = body["last_run"]?.stringValue, let namedRecords = body["named_records"]?.stringValue
        else { return nil }
        let bodyBytes = body["body_bytes"]?.stringValue
        guard body["body_bytes"] == nil || bodyBytes != nil else { return nil }
        var repoCommits: [String: String] = [:]
        for (name, value) in commits {
            guard let commit = value.stringValue else { return nil }
            repoCommits[name] = commit
        }
        return PlanReceipt(toolIdentity: tool, planDigest: planDigest, target: target, manifestDigest: manifestDigest,
                           lineage: lineage, serial: serial, repoCommits: repoCommits, schemaFingerprint: schema,
                           stateDigest: stateDigest, lastRun: lastRun, namedRecords: namedRecords, bodyBytes: bodyBytes)
    }
}
