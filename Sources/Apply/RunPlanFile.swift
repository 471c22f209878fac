import Plan
import State

/// The plan file a run keeps in its backup (`plan.json`) and hands to its `pre_apply` hooks: the bytes of the saved plan
/// that were verified (the file that was reviewed), or, for a plan made in the same run, the plan encoded as it is written,
/// in chunks. The bytes are let go once the backup holds them (`release`): at 100,000 creates a saved plan is ~92 MB and
/// the encoding of a plan made in the run was ~170 MB, both held through the whole execution (issue 12).
public final class RunPlanFile {
    private enum Content {
        case saved([UInt8])
        case made(Plan)
        case released
    }

    private var content: Content
    /// The digest the ledger records: the verified file's, or the one its encoding would carry.
    public let digest: String

    /// Takes the bytes of `file`; the caller keeps only its plan.
    public init(_ file: VerifiedPlan) {
        content = .saved(file.bytes)
        digest = file.digest
    }

    public init(made plan: Plan) {
        content = .made(plan)
        digest = PlanFile.digest(of: plan)
    }

    /// Writes the file to `path` (crash-safe, private). Not after `release`.
    func write(to path: String) throws {
        switch content {
        case .saved(let bytes): try AtomicFile.write(bytes, to: path)
        case .made(let plan): _ = try PlanFile.write(plan, to: path)
        case .released: preconditionFailure("the run's plan file was written after its backup let it go")
        }
    }

    /// The whole file, for a backup kept in PostgreSQL rows. Not after `release`.
    var bytes: [UInt8] {
        switch content {
        case .saved(let bytes): bytes
        case .made(let plan): PlanFile.encode(plan)
        case .released: preconditionFailure("the run's plan file was read after its backup let it go")
        }
    }

    /// Once the backup holds the file: nothing later in the run reads it.
    func release() {
        content = .released
    }
}
