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
    func present(_ plan: Plan, out: String?, saved: (String) -> String) throws {
        let bytes = PlanFile.encode(plan, signature: signature)
        if let out { try AtomicFile.write(bytes, to: out) }
        switch format {
        case .json: console.write(bytes)
        case .markdown: console.write(PlanMarkdownRenderer().render(plan))
        case .text:
            console.write(PlanTextRenderer(color: console.colorEnabled, detail: detail).render(plan))
            if let out { console.line("\n" + saved(out)) }
        }
    }

    /// A saved plan, its digest (and with `signature`, its signature) checked; errors name the file.
    static func read(_ path: String, signature: PlanSignature? = nil) throws -> Plan {
        try readVerified(path, signature: signature).plan
    }

    /// As `read`, with the bytes verified and their digest (apply keeps them in the run).
    static func readVerified(_ path: String, signature: PlanSignature? = nil) throws -> VerifiedPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReconError("cannot read the plan file '\(path)'") }
        do {
            return try PlanFile.verify([UInt8](data), signature: signature)
        } catch {
            throw ReconError("\(path): \(error.message)", hint: error.hint)
        }
    }
}
