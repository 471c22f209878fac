import Foundation
import State

/// The read side of a receipt's `bodyBytes` (issue 12): whether `plan -out` of this build, here, saved a file whose
/// recorded digest is `digest` with a body of exactly the bytes hashing to `bodyBytes`. Then `PlanFile.verify` need
/// not hash the body again in canonical form: the same bytes have the same digest. Everything else about the plan is
/// still checked as before (the receipt's facts at preflight, or the plan made again).
public enum PlanFileVouch {
    /// For `PlanFile.verify(_:signature:vouched:)`: reads the receipt of the digest asked about, MAC checked.
    public static func receipts(stateDirectory: String) -> (_ digest: String, _ bodyBytes: String) -> Bool {
        { digest, bodyBytes in
            guard let receipt = PlanReceiptStore(stateDirectory: stateDirectory).read(digest: digest) else { return false }
            return receipt.toolIdentity == NoChangeSeal.toolIdentity && receipt.planDigest == digest && receipt.bodyBytes == bodyBytes
        }
    }
}
