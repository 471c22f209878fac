import ReconCore

/// `recon completion bash|zsh|fish`: prints the shell's completion script, made from the option table.
struct CompletionCommand: Command {
    static let configuration = CommandConfiguration(
        name: "completion",
        abstract: "Print a shell completion script (bash, zsh or fish)",
        usage: "recon completion bash|zsh|fish",
        discussion: """
            Prints a script that completes recon's commands, flags and flag values, generated from the
            same option table as --help. 'make install' installs all three; to load one by hand:
            bash: source <(recon completion bash); zsh: source <(recon completion zsh);
            fish: recon completion fish | source. Writes nothing.
            """,
        examples: ["source <(recon completion bash)", "recon completion fish > ~/.config/fish/completions/recon.fish"],
        verbs: CompletionScript.Shell.allCases.map(\.rawValue))

    let shell: CompletionScript.Shell

    init(arguments: ParsedArguments) throws {
        let names = CompletionScript.Shell.allCases.map(\.rawValue)
        guard arguments.positionals.count == 1 else {
            throw ReconError("'completion' needs one shell", hint: "usage: recon completion " + names.joined(separator: "|"))
        }
        guard let shell = CompletionScript.Shell(rawValue: arguments.positionals[0]) else {
            let word = ControlEscape.escaped(arguments.positionals[0])
            throw ReconError("no completion for shell '\(word)'",
                             hint: Suggestion.hint(word, among: names, known: "expected one of: " + names.joined(separator: ", ")))
        }
        self.shell = shell
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        context.console.write(CompletionScript.render(shell, commands: ReconCLI.commands))
        return .success
    }
}
