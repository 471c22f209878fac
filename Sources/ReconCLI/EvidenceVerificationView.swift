import Apply
import ReconCore

/// The text of `recon runs verify`: intact, or each thing that differs.
enum EvidenceVerificationView {
    static func text(_ verification: EvidenceVerification, file: String, style: (String, TextStyle) -> String) -> String {
        let name = PathRule.quoted(file)
        guard !verification.intact else {
            let compared = verification.localRun.map { "; every part matches the run on disk (\($0))" }
                ?? "; the run is not on this machine, so only the digest was checked"
            return style("intact", .green) + ": \(name) is run \(verification.runID), digest \(verification.recordedDigest)\(compared)\n"
        }
        var out = style("not intact", .red) + ": \(name) (run \(verification.runID))\n"
        if !verification.digestMatches {
            out += "  digest mismatch: the bundle records \(verification.recordedDigest), its contents hash to \(verification.actualDigest)\n"
        }
        for item in verification.differences {
            let difference = item.difference
            out += "  \(item.part.rawValue) differs from the run on disk (\(verification.localRun ?? "")) at \(difference.path): "
                + "bundle \(JSONDifference.shown(difference.left)), on disk \(JSONDifference.shown(difference.right))\n"
        }
        if verification.localRun == nil { out += "  the run is not on this machine, so its parts could not be compared\n" }
        return out
    }
}
