import Foundation
import ReconCore

/// `recon runs verify`: a bundle's digest checked against its contents, and, when the run is still in the
/// run store (its folder, or the PostgreSQL state's schema), each part checked against it, so an edit with a
/// recomputed digest is caught too.
public struct EvidenceVerification: Sendable {
    /// One part of the bundle that is not what the run on disk holds.
    public struct PartDifference: Sendable, Equatable {
        public var part: EvidenceBundle.Part
        public var difference: JSONDifference
    }

    public var runID: String
    public var recordedDigest: String
    public var actualDigest: String
    /// Where the run compared with is (its folder, or schema, target and run); nil when it is not kept (only the digest was checked).
    public var localRun: String?
    public var differences: [PartDifference]

    public var digestMatches: Bool { recordedDigest == actualDigest }
    public var intact: Bool { digestMatches && differences.isEmpty }

    public static func verify(_ bytes: [UInt8], path: String, runs: any RunStore) throws -> EvidenceVerification {
        let decoded = try EvidenceBundle.decode(bytes, path: path)
        let runID = decoded.evidence.runID
        var verification = EvidenceVerification(runID: runID, recordedDigest: decoded.recordedDigest,
                                                actualDigest: decoded.actualDigest, localRun: nil, differences: [])
        // A run that is kept but unreadable is an error, not "not here".
        guard runs.ids().contains(runID) else { return verification }
        let local = try RunEvidence.load(runID: runID, runs: runs)
        verification.localRun = RunEvidence.label(runID, runs: runs)
        for part in EvidenceBundle.Part.allCases {
            let bundled = EvidenceBundle.part(part, of: decoded.evidence)
            let onDisk = EvidenceBundle.part(part, of: local)
            if let difference = JSONDifference.first(bundled, onDisk, at: part.rawValue) {
                verification.differences.append(PartDifference(part: part, difference: difference))
            }
        }
        return verification
    }
}
