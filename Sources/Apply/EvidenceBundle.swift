import Plan
import ReconCore

/// The one door to a run's evidence bundle (`recon runs export`): one canonical JSON document, keys sorted,
///
/// `{"before_images", "digest", "format_version": 1, "ledger", "outcomes", "plan", "run_id"}`,
///
/// where `digest` is `sha256:` over the compact canonical bytes of the document without `digest`. A bundle
/// read back is untrusted: bounded in size, every key known, every part decoded as the run's own files are.
public enum EvidenceBundle {
    public static let formatVersion = 1
    /// Beyond this a file is refused before it is parsed; a run's before-images are far smaller.
    public static let maximumBytes = 256 << 20

    /// The parts a bundle holds besides its digest and version, in the order a verification reports them.
    public enum Part: String, CaseIterable, Sendable {
        case ledger, outcomes, plan
        case beforeImages = "before_images"
    }

    static let keys: Set<String> = Set(Part.allCases.map(\.rawValue) + ["digest", "format_version", "run_id"])

    public static func encode(_ evidence: RunEvidence) -> [UInt8] {
        var body = members(evidence)
        body["digest"] = .string(digest(of: body))
        return JSONValue.object(body).canonicalBytes(pretty: true) + [0x0A]
    }

    /// `sha256:` over the compact canonical bytes of `members` (the document without its digest).
    public static func digest(of members: [String: JSONValue]) -> String {
        var body = members
        body["digest"] = nil
        return "sha256:" + SHA256.hex(JSONValue.object(body).canonicalBytes())
    }

    public static func part(_ part: Part, of evidence: RunEvidence) -> JSONValue {
        switch part {
        case .ledger: evidence.ledger
        case .outcomes: .array(evidence.outcomes)
        case .plan: evidence.plan ?? .null
        case .beforeImages: evidence.beforeImages ?? .null
        }
    }

    private static func members(_ evidence: RunEvidence) -> [String: JSONValue] {
        var body: [String: JSONValue] = ["format_version": .number(Double(formatVersion)), "run_id": .string(evidence.runID)]
        for part in Part.allCases { body[part.rawValue] = self.part(part, of: evidence) }
        return body
    }

    /// A bundle read back: its evidence, the digest it records and the digest its contents hash to.
    public struct Decoded: Sendable {
        public var evidence: RunEvidence
        public var recordedDigest: String
        public var actualDigest: String
        public var intact: Bool { recordedDigest == actualDigest }
    }

    /// Decodes `bytes` strictly; every error names `path` and the offending key.
    public static func decode(_ bytes: [UInt8], path: String) throws(ReconError) -> Decoded {
        guard bytes.count <= maximumBytes else {
            throw ReconError("\(path): \(bytes.count) bytes is more than an evidence bundle may hold (\(maximumBytes))")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ReconError("\(path): not an evidence bundle: \(error)", hint: "export it again with 'recon runs export RUN'")
        }
        guard let members = document.objectValue else { throw ReconError("\(path): not an evidence bundle: not a JSON object") }
        if let unknown = members.keys.sorted().first(where: { !keys.contains($0) }) {
            throw ReconError("\(path): unknown key '\(ControlEscape.escaped(unknown))'",
                             hint: "a bundle holds only " + keys.sorted().joined(separator: ", "))
        }
        if let missing = keys.sorted().first(where: { members[$0] == nil }) {
            throw ReconError("\(path): missing key '\(missing)'", hint: "export it again with 'recon runs export RUN'")
        }
        guard let version = members["format_version"]?.intValue else {
            throw ReconError("\(path): 'format_version' must be a whole number")
        }
        guard version == formatVersion else {
            throw ReconError("\(path): 'format_version' \(version) is not one this recon reads (\(formatVersion))")
        }
        guard let recorded = members["digest"]?.stringValue, recorded.hasPrefix("sha256:"), recorded.utf8.count == 71 else {
            throw ReconError("\(path): 'digest' must be sha256: and 64 hex digits")
        }
        guard let runID = members["run_id"]?.stringValue, RunID.isValid(runID) else {
            throw ReconError("\(path): 'run_id' is not a run id", hint: "run ids look like 20261123T041500Z-1a2b3c")
        }
        let evidence = try checkedEvidence(members, runID: runID, path: path)
        return Decoded(evidence: evidence, recordedDigest: recorded, actualDigest: digest(of: members))
    }

    /// Each part decoded the way the run's own file is read, so a bundle holds nothing a run could not.
    private static func checkedEvidence(_ members: [String: JSONValue], runID: String, path: String) throws(ReconError) -> RunEvidence {
        guard let ledger = members["ledger"], ledger.objectValue != nil else { throw ReconError("\(path): 'ledger' must be an object") }
        let record: RunRecord
        do {
            record = try RunRecord.decode(ledger.canonicalBytes(), path: "\(path): 'ledger'")
        } catch {
            throw (error as? ReconError) ?? ReconError("\(path): 'ledger': \(error)")
        }
        guard record.id == runID else { throw ReconError("\(path): 'ledger' is run \(record.id), not 'run_id' \(runID)") }
        guard let outcomes = members["outcomes"]?.arrayValue else { throw ReconError("\(path): 'outcomes' must be an array") }
        for (index, line) in outcomes.enumerated() {
            let bytes = line.canonicalBytes()[...]
            guard EntityOutcome(line: bytes) != nil || BatchIntent(line: bytes) != nil else {
                throw ReconError("\(path): 'outcomes[\(index)]' is not an outcome or a create intent")
            }
        }
        let plan = members["plan"].flatMap { $0 == .null ? nil : $0 }
        if let plan {
            do {
                _ = try PlanFile.decode(plan.canonicalBytes())
            } catch {
                throw ReconError("\(path): 'plan': \(error.message)", hint: error.hint)
            }
        }
        let before = members["before_images"].flatMap { $0 == .null ? nil : $0 }
        if let before {
            guard before.objectValue != nil else { throw ReconError("\(path): 'before_images' must be an object or null") }
            do {
                _ = try RunBackup.readRecords(before.canonicalBytes(), path: "\(path): 'before_images'")
            } catch {
                throw (error as? ReconError) ?? ReconError("\(path): 'before_images': \(error)")
            }
        }
        return RunEvidence(runID: runID, ledger: ledger, outcomes: outcomes, plan: plan, beforeImages: before)
    }
}
