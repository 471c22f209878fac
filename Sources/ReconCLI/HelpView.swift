import ReconCore

/// The text of `--help`, for the tool and for each command.
enum HelpView {
    static func main(commands: [CommandEntry]) -> String {
        var out = "Usage: recon [global options] <command> [options]\n\n\(summary)\n\nCommands:\n"
        let width = commands.map { $0.configuration.name.count }.max() ?? 0
        for command in commands {
            let name = command.configuration.name
            out += "  \(name)\(String(repeating: " ", count: width - name.count))  \(command.configuration.abstract)\n"
        }
        out += "\nGlobal options:\n" + options(GlobalOptions.specs + [.flag("version", help: "Print the version and exit")])
        out += """

            \(exitCodes)
            Run 'recon <command> --help' for a command's options. Manual: 'man recon' (docs/cli.md in a checkout).

            """
        return out
    }

    /// What Recon is, for `--help` and the man page's DESCRIPTION.
    static let summary = """
        Recon keeps a table base (SQLite or Airtable) in line with YAML manifests:
        it extracts records from git repos, plans a three-way diff against the base
        and its state, and applies the reviewed plan.
        """

    static let exitCodes = "Exit codes: 0 success, 1 error, 2 changes present (plan -detailed-exitcode, drift), 130 interrupted."

    /// The global options as `--help` lists them, `--version` included; the man page and completions use the same.
    static var globalSpecs: [OptionSpec] { GlobalOptions.specs + [.flag("version", short: "v", help: "Print the version and exit")] }

    static func command(_ configuration: CommandConfiguration) -> String {
        var out = "Usage: \(configuration.usage)\n\n\(configuration.abstract).\n"
        if !configuration.discussion.isEmpty { out += "\n\(configuration.discussion)\n" }
        if !configuration.options.isEmpty { out += "\nOptions:\n" + options(configuration.options) }
        out += "\nGlobal options:\n" + options(GlobalOptions.specs)
        if !configuration.examples.isEmpty {
            out += "\nExamples:\n" + configuration.examples.map { "  \($0)\n" }.joined()
        }
        return out
    }

    private static func options(_ specs: [OptionSpec]) -> String {
        let labels = specs.map { spec -> String in
            var label = spec.short.map { "-\($0), " } ?? "    "
            label += "--\(spec.name)"
            if let value = spec.valueName { label += " \(value)" }
            return label
        }
        let width = labels.map(\.count).max() ?? 0
        return zip(labels, specs).map { label, spec in
            "  \(label)\(String(repeating: " ", count: width - label.count))  \(spec.help)\n"
        }.joined()
    }
}
