import Apply
import Foundation
import Manifest
import ReconCore

/// The command line: finds the command, parses its arguments and runs it. No logic of its own.
public enum ReconCLI {
    /// Every command, in the order `--help` lists them.
    static let commands: [CommandEntry] = [
        CommandEntry(InitCommand.self),
        CommandEntry(ValidateCommand.self),
        CommandEntry(ExtractCommand.self),
        CommandEntry(PlanCommand.self),
        CommandEntry(ShowCommand.self),
        CommandEntry(CheckCommand.self),
        CommandEntry(ApplyCommand.self),
        CommandEntry(DriftCommand.self),
        CommandEntry(RunsCommand.self),
        CommandEntry(RollbackCommand.self),
        CommandEntry(PruneCommand.self),
        CommandEntry(StateCommand.self),
        CommandEntry(ForceUnlockCommand.self),
        CommandEntry(LockCommand.self),
        CommandEntry(ReportCommand.self),
        CommandEntry(CompletionCommand.self),
    ]

    public static func main() -> Never {
        let environment = ProcessInfo.processInfo.environment
        let console = Console(environment: environment)
        ExitHold.enable()
        let code = run(Array(CommandLine.arguments.dropFirst()), environment: environment, console: console)
        exit(code.rawValue)
    }

    public static func run(_ arguments: [String], environment: [String: String], console: Console) -> ExitCode {
        let code = runCommand(arguments, environment: environment, console: console)
        guard let failure = console.outputFailure else { return code }
        report(ReconError("cannot write to standard output: \(String(cString: strerror(failure)))",
                          hint: "what was printed is incomplete, not what the command did (an apply's writes are in 'recon runs'); "
                              + "make room where the output goes"),
               console: console)
        // An interrupted run keeps saying so; any other ends as an error.
        return code == .cancelled ? code : .failure
    }

    private static func runCommand(_ arguments: [String], environment: [String: String], console: Console) -> ExitCode {
        do {
            return try dispatch(arguments, environment: environment, console: console)
        } catch let error as ReconError {
            report(error, console: console)
            return .failure
        } catch let error as DiagnosticsError {
            console.write(DiagnosticView(console: console).text(error.diagnostics), to: .err)
            return .failure
        } catch {
            report(ReconError("\(error)"), console: console)
            return .failure
        }
    }

    private static func dispatch(_ arguments: [String], environment: [String: String], console: Console) throws -> ExitCode {
        // Global options may come before the command; the first word that is not one names it.
        var index = 0
        var leading: [String] = []
        while index < arguments.count, arguments[index].hasPrefix("-") {
            leading.append(arguments[index])
            let name = arguments[index].drop { $0 == "-" }
            if !name.contains("="), let spec = GlobalOptions.specs.first(where: { $0.name == name || $0.short.map(String.init) == String(name) }),
               spec.takesValue, index + 1 < arguments.count {
                index += 1
                leading.append(arguments[index])
            }
            index += 1
        }
        let topSpecs = GlobalOptions.specs + [.flag("version", short: "v", help: "")]
        let top: ParsedArguments
        do {
            top = try ParsedArguments.parse(leading, specs: topSpecs, command: "recon")
        } catch {
            throw ReconError(error.message, hint: "only global options go before the command; put command options after it (recon <command> --help)")
        }
        if top.has("version") {
            console.line("recon \(ReconVersion.current)")
            return .success
        }
        guard index < arguments.count else {
            console.write(HelpView.main(commands: commands), to: top.has("help") ? .out : .err)
            return top.has("help") ? .success : .failure
        }
        let name = arguments[index]
        if name == "help" {
            // Hidden: the man page, from the same table as this help (`make man`).
            if index + 1 < arguments.count, arguments[index + 1] == "--man" {
                console.write(ManPageRenderer.render(commands: commands))
                return .success
            }
            if index + 1 < arguments.count, let command = commands.first(where: { $0.configuration.name == arguments[index + 1] }) {
                console.write(HelpView.command(command.configuration))
            } else {
                console.write(HelpView.main(commands: commands))
            }
            return .success
        }
        guard let command = commands.first(where: { $0.configuration.name == name }) else {
            let names = commands.map(\.configuration.name)
            throw ReconError("unknown command '\(name)'",
                             hint: Suggestion.didYouMean(name, in: names) ?? "run 'recon --help' for the list of commands")
        }
        let configuration = command.configuration
        let rest = leading + Array(arguments[(index + 1)...])
        let parsed = try ParsedArguments.parse(rest, specs: configuration.options + GlobalOptions.specs, command: name)
        if parsed.has("help") {
            console.write(HelpView.command(configuration))
            return .success
        }
        let globals = GlobalOptions(parsed)
        if let problem = PathRule.problem(withFilePath: globals.statePath) {
            throw ReconError("invalid --state \(PathRule.quoted(globals.statePath)): \(problem)",
                             hint: "give the state file, e.g. state/recon.state.json; its folder holds the lock, runs and caches")
        }
        if globals.noColor { console.colorEnabled = false }
        if let directory = globals.chdir {
            guard FileManager.default.changeCurrentDirectoryPath(directory) else {
                throw ReconError("cannot change to directory '\(directory)' given by -chdir")
            }
        }
        // --base-id travels as the environment variable it overrides, so every runner resolves the
        // base (and its state file) in one place: TargetSelection.
        var environment = environment
        if let baseID = globals.baseID { environment[TargetSelection.baseEnvironment] = baseID }
        if let backend = globals.stateBackend {
            guard StateSpec.Backend(rawValue: backend) != nil else {
                throw ReconError("invalid --state-backend '\(ControlEscape.escaped(backend))'",
                                 hint: "expected one of: " + StateSpec.Backend.allCases.map(\.rawValue).joined(separator: ", "))
            }
            environment[StateBackendChoice.backendEnvironment] = backend
        }
        // apply stops at its own safe points; any other command just exits, after killing git's process groups.
        let interrupts = name == ApplyCommand.configuration.name ? nil : CancellationSignal.install(exitOnSignal: true)
        defer { interrupts?.uninstall() }
        // A wait of 2 s or more (a 429 penalty, a retry's backoff, the lock) is said on stderr, once.
        WaitNotice.setHandler { notice in console.line(ControlEscape.escapedKeepingLines(notice.line), to: .err) }
        defer { WaitNotice.setHandler(nil) }
        return try command.run(parsed, CommandContext(console: console, environment: environment, globals: globals))
    }

    static func report(_ error: ReconError, console: Console) {
        // The last guard: a name from input that a message did not escape still cannot drive the terminal.
        console.line(console.style("error:", .red) + " " + ControlEscape.escapedKeepingLines(error.message), to: .err)
        if let hint = error.hint { console.line("  " + ControlEscape.escapedKeepingLines(hint), to: .err) }
    }
}
