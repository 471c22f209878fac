import Foundation
import Plan
import ReconCore
import State

/// Saves and prints plans the same way for `plan`, `show` and `rollback`, and reads saved ones for `show` and `apply`.
struct PlanView {
    let console: Console
    let format: OutputFormat
    /// Signs saved plans (`RECON_PLAN_KEY`).
    var signature: PlanSignature? = nil
    /// How much of a large plan the text view lists.
    var detail: PlanDetail = .concise

    /// Writes `plan` to `out` (when given) and prints it; `saved` is the text line that follows a saved plan.
    /// Returns the saved file's digest and the SHA-256 of its body's bytes (`PlanFile.save`), for its receipt.
    @discardableResult
    func present(_ plan: Plan, out: String?, saved: (String) -> String) throws -> (digest: String, bodyBytes: String?)? {
        var digest: (digest: String, bodyBytes: String?)?
        switch format {
        case .json:
            let (bytes, hashed) = PlanFile.encoded(plan, signature: signature)
            if let out { try AtomicFile.write(bytes, to: out) }
            digest = (hashed, PlanFile.bodyBytesDigest(bytes))
            console.write(bytes)
        case .markdown:
            digest = try save(plan, out)
            console.write(PlanMarkdownRenderer().render(plan))
        case .text:
            digest = try save(plan, out)
            console.write(PlanTextRenderer(color: console.colorEnabled, detail: detail).render(plan))
            if let out { console.line("\n" + saved(out)) }
        }
        return out == nil ? nil : digest
    }

    /// Streamed: the file of a 100,000-change plan is never whole in memory.
    private func save(_ plan: Plan, _ out: String?) throws -> (digest: String, bodyBytes: String?)? {
        guard let out else { return nil }
        let saved = try PlanFile.save(plan, signature: signature, to: out)
        return (saved.digest, saved.bodyBytes)
    }

    /// A saved plan, its digest (and with `signature`, its signature) checked; errors name the file.
    static func read(_ path: String, signature: PlanSignature? = nil) throws -> Plan {
        try readVerified(path, signature: signature).plan
    }

    /// As `read`, with the bytes verified and their digest (apply keeps them in the run).
    /// `vouched`: see `PlanFile.verify(_:signature:bodyBytesVouched:)` (apply passes the state folder's receipts).
    static func readVerified(_ path: String, signature: PlanSignature? = nil,
                             vouched: ((_ digest: String) -> String?)? = nil) throws -> VerifiedPlan {
        // Read straight into bytes: a Data and its copy would hold a large plan twice.
        guard let bytes = (try? AtomicFile.read(path)) ?? nil else { throw ReconError("cannot read the plan file '\(path)'") }
        do {
            return try PlanFile.verify(bytes, signature: signature, bodyBytesVouched: vouched)
        } catch {
            throw ReconError("\(path): \(error.message)", hint: error.hint)
        }
    }
}
