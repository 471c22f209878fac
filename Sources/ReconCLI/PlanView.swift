import Foundation
import Plan
import ReconCore
import State

/// Saves and prints plans the same way for `plan`, `show` and `rollback`, and reads saved ones for `show` and `apply`.
struct PlanView {
    let console: Console
    let format: OutputFormat

    /// Writes `plan` to `out` (when given) and prints it; `saved` is the text line that follows a saved plan.
    func present(_ plan: Plan, out: String?, saved: (String) -> String) throws {
        let bytes = PlanFile.encode(plan)
        if let out { try AtomicFile.write(bytes, to: out) }
        switch format {
        case .json: console.write(bytes)
        case .markdown: console.write(PlanMarkdownRenderer().render(plan))
        case .text:
            console.write(PlanTextRenderer(color: console.colorEnabled).render(plan))
            if let out { console.line("\n" + saved(out)) }
        }
    }

    /// A saved plan, its digest checked; errors name the file.
    static func read(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReconError("cannot read the plan file '\(path)'") }
        do {
            return try PlanFile.decode([UInt8](data))
        } catch {
            throw ReconError("\(path): \(error.message)", hint: error.hint)
        }
    }
}
