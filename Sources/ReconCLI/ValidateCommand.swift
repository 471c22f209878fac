import Foundation
import Manifest
import ReconCore

/// `recon validate`: reads the manifests and reports every problem at once; writes nothing.
struct ValidateCommand: Command {
    static let configuration = CommandConfiguration(
        name: "validate",
        abstract: "Check the manifests for errors",
        usage: "recon validate [--format text|json]",
        discussion: """
            Reads every *.yaml and *.yml file of the manifest directory and checks YAML syntax, unknown keys,
            value types and cross-references (key fields, links, protected fields, extract rules), and that
            every hook's command exists and is executable (docs/hooks.md).
            Every problem is reported at once as file:line:column. Nothing is read from repos or the base,
            and nothing is written.
            """,
        options: [OutputFormat.spec([.text, .json])],
        examples: ["recon validate", "recon validate -m examples/catalog/manifests --format json"])

    let format: OutputFormat

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw ReconError("'validate' takes no arguments, found '\(arguments.positionals[0])'")
        }
        format = try OutputFormat.parse(arguments.value("format"), allowed: [.text, .json])
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        do throws(DiagnosticsError) {
            let manifest = try ManifestLoader().load(directory: context.globals.manifests)
            let commands = HookCommandCheck.diagnostics(manifest.hooks, projectDirectory: FileManager.default.currentDirectoryPath,
                                                        path: context.environment["PATH"])
            if !commands.isEmpty { throw DiagnosticsError(commands) }
            switch format {
            case .json:
                console.write(DiagnosticView.json([], valid: true))
            default:
                let rules = manifest.repos.reduce(0) { $0 + $1.extract.count }
                console.line(console.style("The manifests are valid.", .green)
                    + " \(count(manifest.files.count, "file")), \(count(manifest.tables.count, "table")), "
                    + "\(count(manifest.repos.count, "repo")), \(count(rules, "extract rule")).")
            }
            return .success
        } catch {
            switch format {
            case .json:
                console.write(DiagnosticView.json(error.diagnostics, valid: false))
            default:
                console.write(DiagnosticView(console: console).text(error.diagnostics), to: .err)
                let errors = error.errors.count
                console.line("\(count(errors, "error")) in the manifests; nothing was written.", to: .err)
            }
            return .failure
        }
    }
}

func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
}
