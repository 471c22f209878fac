import Foundation
import Plan
import ReconCore

/// `recon show FILE`: a saved plan, checked and rendered again.
struct ShowCommand: Command {
    static let configuration = CommandConfiguration(
        name: "show",
        abstract: "Show a saved plan",
        usage: "recon show FILE [--format text|json|markdown] [--detail concise|full]",
        discussion: """
            Reads a plan saved with 'recon plan -out FILE', checks its digest (an edited plan is refused) and
            prints it. Reads nothing else and writes nothing.
            """,
        options: [OutputFormat.spec([.text, .json, .markdown]), DetailArgument.spec],
        examples: ["recon show plan.json", "recon show plan.json --format markdown >> $GITHUB_STEP_SUMMARY"])

    let file: String
    let format: OutputFormat
    let detail: PlanDetail

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw ReconError(arguments.positionals.isEmpty ? "'show' needs the plan file to show" : "'show' takes one plan file",
                             hint: "usage: recon show FILE")
        }
        file = arguments.positionals[0]
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json, .markdown])
        detail = try DetailArgument.parse(arguments.value("detail"))
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        try PlanView(console: context.console, format: format, detail: detail).present(try PlanView.read(file), out: nil) { $0 }
        return .success
    }
}
