/// A plan file as read and verified: the plan, the exact bytes whose digest (and signature) were checked, and
/// that digest. Apply backs up and ledgers these bytes, so the run keeps the file that was reviewed, not a re-encoding.
public struct VerifiedPlan {
    public var plan: Plan
    public var bytes: [UInt8]
    public var digest: String
    /// How long the check of the body's bytes against a receipt took, when one vouched for them (the canonical
    /// digest was then not taken); nil when the digest was.
    public var receiptSeconds: Double? = nil
}
