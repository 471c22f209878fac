import ReconCore

/// What a command shows in help and accepts on the command line.
public struct CommandConfiguration: Sendable {
    public var name: String
    public var abstract: String
    public var usage: String
    public var discussion: String
    public var options: [OptionSpec]
    public var examples: [String]
    /// The words a command takes first (`runs show`, `state list`), for shell completion.
    public var verbs: [String]

    public init(name: String, abstract: String, usage: String, discussion: String = "", options: [OptionSpec] = [],
                examples: [String] = [], verbs: [String] = []) {
        self.name = name
        self.abstract = abstract
        self.usage = usage
        self.discussion = discussion
        self.options = options
        self.examples = examples
        self.verbs = verbs
    }
}

/// A subcommand: arguments parsed into a typed value, then a run that orchestrates and renders.
public protocol Command: SendableMetatype {
    static var configuration: CommandConfiguration { get }
    /// Checks and types the arguments; usage mistakes are thrown here, before anything runs.
    init(arguments: ParsedArguments) throws
    func run(_ context: CommandContext) throws -> ExitCode
}

/// What every command receives: the console, the environment and the global options.
public struct CommandContext: @unchecked Sendable {
    public var console: Console
    public var environment: [String: String]
    public var globals: GlobalOptions
}

/// A command as the dispatcher sees it: its configuration and a way to run it.
/// Generic construction keeps existential metatypes (and a compiler crash with them) out of the way.
struct CommandEntry: Sendable {
    let configuration: CommandConfiguration
    let run: @Sendable (ParsedArguments, CommandContext) throws -> ExitCode

    init<C: Command>(_ type: C.Type) {
        configuration = C.configuration
        run = { arguments, context in try C(arguments: arguments).run(context) }
    }
}
