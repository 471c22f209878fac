import Plan
import ReconCore

/// `recon check PLANFILE`: a saved plan's check findings, for CI. Exit 0 none, 1 errors, 2 warnings only.
struct CheckCommand: Command {
    static let configuration = CommandConfiguration(
        name: "check",
        abstract: "Report a saved plan's check findings (exit 0 none, 1 errors, 2 warnings only)",
        usage: "recon check PLANFILE [--format text|json]",
        discussion: """
            Reads a plan saved with 'recon plan -out FILE', checks its digest (and with RECON_PLAN_KEY, its
            signature) and prints the findings the checks recorded in it (see docs/checks.md). Exits 0 when there
            are none, 1 when any is an error (apply would refuse the plan without --allow), 2 when all are
            warnings. Reads nothing else and writes nothing.
            """,
        options: [OutputFormat.spec([.text, .json])],
        examples: ["recon check plan.json", "recon check plan.json --format json"])

    let file: String
    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw ReconError(arguments.positionals.isEmpty ? "'check' needs the plan file to check" : "'check' takes one plan file",
                             hint: "usage: recon check PLANFILE")
        }
        file = arguments.positionals[0]
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let plan = try PlanView.read(file, signature: try PlanSignature.fromEnvironment(context.environment))
        let findings = plan.findings
        let code: ExitCode = findings.contains { $0.level == .error } ? .failure : findings.isEmpty ? .success : .changes
        switch format {
        case .json: context.console.write(CheckFindingRenderer.json(findings, exitCode: Int(code.rawValue)))
        default:
            if findings.isEmpty {
                context.console.line("No findings: every check passed.")
            } else {
                context.console.write(String(CheckFindingRenderer.text(findings, style: context.console.style).dropFirst()))
            }
        }
        return code
    }
}
