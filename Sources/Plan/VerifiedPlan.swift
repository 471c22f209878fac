/// A plan file as read and verified: the plan, the exact bytes whose digest (and signature) were checked, and
/// that digest. Apply backs up and ledgers these bytes, so the run keeps the file that was reviewed, not a re-encoding.
public struct VerifiedPlan {
    public var plan: Plan
    public var bytes: [UInt8]
    public var digest: String
}
