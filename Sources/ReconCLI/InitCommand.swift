import Extract
import Foundation
import Manifest
import ReconCore

/// `recon init [--provider P] [--sample] [DIR]`: writes a commented starter project (`StarterProject`).
/// It never replaces a file: any that exists is listed and nothing is written.
struct InitCommand: Command {
    static let configuration = CommandConfiguration(
        name: "init",
        abstract: "Write a commented starter manifests/ folder (and a sample repo)",
        usage: "recon init [--provider sqlite|airtable|postgres] [--sample] [DIR]",
        discussion: """
            Writes a starter project into DIR (default: the current directory, created if missing): the
            manifests target.yaml, schema.yaml, repos.yaml and policy.yaml, every key commented, and a .gitignore
            that keeps state/ out of git. With --sample, also sample-repo/, a git repo with a commit of
            plugins and skills the starter manifests read, so 'recon apply --auto-approve' in DIR works as written.
            An existing file in the way (or manifests already in the manifest folder) is listed, and nothing is written.
            """,
        options: [
            .option("provider", value: "sqlite|airtable|postgres", help: "The base the starter targets (default: sqlite)"),
            .flag("sample", help: "Also make sample-repo/, a git repo of plugins and skills the manifests read"),
        ],
        examples: ["recon init --sample catalog && cd catalog && recon apply --auto-approve",
                   "recon init --provider airtable"])

    let provider: StarterProject.Provider
    let sample: Bool
    let directory: String

    init(arguments: ParsedArguments) throws {
        guard arguments.positionals.count <= 1 else {
            throw ReconError("'init' takes at most one folder, found '\(ControlEscape.escaped(arguments.positionals[1]))'",
                             hint: "usage: \(Self.configuration.usage)")
        }
        let names = StarterProject.Provider.allCases.map(\.rawValue)
        let name = arguments.value("provider") ?? StarterProject.Provider.sqlite.rawValue
        guard let provider = StarterProject.Provider(rawValue: name) else {
            throw ReconError("invalid --provider '\(ControlEscape.escaped(name))'",
                             hint: Suggestion.hint(name, among: names, known: "expected one of: " + names.joined(separator: ", ")))
        }
        guard provider.isSupported else {
            throw ReconError("--provider \(name): this recon's manifests have no '\(name)' base provider yet",
                             hint: "target.provider is one of: \(TargetSpec.Provider.allCases.map(\.rawValue).joined(separator: ", ")); "
                                + "to keep the state in PostgreSQL, uncomment the state: block the starter shows (docs/state.md)")
        }
        self.provider = provider
        sample = arguments.has("sample")
        directory = arguments.positionals.first ?? "."
        if let problem = PathRule.problem(withDirectoryPath: directory) {
            throw ReconError("invalid folder \(PathRule.quoted(directory)): \(problem)")
        }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let console = context.console
        let manifests = context.globals.manifests
        guard !PathBytes.isAbsolute(manifests), !PathBytes.components(manifests).contains(where: { PathBytes.equal($0, "..") }),
              PathRule.problem(withDirectoryPath: manifests) == nil else {
            throw ReconError("recon init writes the manifests inside its folder: -m must name a folder below it, found \(PathRule.quoted(manifests))",
                             hint: "leave -m out for manifests/, which every command reads by default")
        }
        let project = StarterProject(provider: provider, sample: sample, manifests: manifests)
        let writer = StarterWriter(root: directory)
        let conflicts = writer.conflicts(project)
        guard conflicts.isEmpty else {
            throw ReconError("recon init writes no file over another: \(conflicts.count == 1 ? "this exists" : "these exist") in "
                + PathRule.quoted(directory) + ":\n" + conflicts.map { "  " + ControlEscape.escaped($0) }.joined(separator: "\n"),
                hint: "choose another folder (recon init DIR), or move them aside. Nothing was written")
        }
        try writer.write(project)
        console.line(console.style("Wrote a starter \(provider.rawValue) project", .green) + " in \(PathRule.quoted(directory)):")
        for file in project.files where !file.path.hasPrefix(StarterSample.directory + "/") {
            console.line("  " + ControlEscape.escaped(file.path))
        }
        if sample { console.line("  \(StarterSample.directory)/ (a git repo with one commit of \(StarterSample.files.count) files)") }
        console.line("")
        console.line("Next:")
        if directory != "." { console.line("  cd \(PathRule.quoted(directory))") }
        switch provider {
        case .sqlite: break
        case .airtable: console.line("  put your base id in \(project.manifests)/target.yaml, and export AIRTABLE_TOKEN=pat...")
        case .postgres: console.line("  export RECON_BASE_URL='postgresql://user:password@host/dbname'")
        }
        if !sample { console.line("  point \(project.manifests)/repos.yaml's path at your catalog repo (or start again with --sample)") }
        console.line("  recon validate")
        console.line("  recon plan")
        console.line("  recon apply --auto-approve")
        return .success
    }
}
