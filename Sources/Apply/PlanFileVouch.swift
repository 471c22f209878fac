import Foundation
import State

/// The read side of a receipt's `bodyBytes` (issue 12): whether `plan -out` of this build, here, saved a file whose
/// recorded digest is `digest` with a body of exactly the bytes hashing to `bodyBytes`. Then `PlanFile.verify` need
/// not hash the body again in canonical form: the same bytes have the same digest. Everything else about the plan is
/// still checked as before (the receipt's facts at preflight, or the plan made again).
public enum PlanFileVouch {
    /// For `PlanFile.verify(_:signature:bodyBytesVouched:)`: the body bytes' digest in the receipt of the digest
    /// asked about, when its MAC verifies and it names this build.
    public static func receipts(stateDirectory: String) -> (_ digest: String) -> String? {
        { digest in
            guard let receipt = PlanReceiptStore(stateDirectory: stateDirectory).read(digest: digest),
                  receipt.toolIdentity == NoChangeSeal.toolIdentity, receipt.planDigest == digest else { return nil }
            return receipt.bodyBytes
        }
    }
}
