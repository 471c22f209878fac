import ReconCore

/// Arguments after parsing: flags seen, option values by canonical name, positionals in order.
public struct ParsedArguments: Sendable {
    public var flags: Set<String> = []
    public var values: [String: [String]] = [:]
    public var positionals: [String] = []

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    public func value(_ name: String) -> String? { values[name]?.last }

    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Parses `tokens` against `specs`; an unknown flag is an error with a suggestion.
    public static func parse(_ tokens: [String], specs: [OptionSpec], command: String) throws(ReconError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if optionsEnded || !token.hasPrefix("-") || token == "-" {
                parsed.positionals.append(token)
                continue
            }
            if token == "--" {
                optionsEnded = true
                continue
            }
            let body = token.hasPrefix("--") ? String(token.dropFirst(2)) : String(token.dropFirst())
            let name: String
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = body
            }
            guard let spec = specs.first(where: { $0.name == name || ($0.short.map { String($0) } == name) }) else {
                let names = specs.map { "--" + $0.name }
                throw ReconError(
                    "unknown flag '\(token)' for '\(command)'",
                    hint: TerraformSpelling.hint(for: name, command: command, specs: specs)
                        ?? Suggestion.didYouMean("--" + name, in: names) ?? "see 'recon \(command) --help' for its flags")
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < tokens.count {
                    value = tokens[index]
                    index += 1
                } else {
                    throw ReconError("flag '--\(spec.name)' needs a value (\(spec.valueName!))")
                }
                if !spec.repeatable, parsed.values[spec.name] != nil {
                    throw ReconError("flag '--\(spec.name)' is given more than once")
                }
                parsed.values[spec.name, default: []].append(value)
            } else {
                if let inlineValue {
                    switch inlineValue {
                    case "true", "1": parsed.flags.insert(spec.name)
                    case "false", "0": parsed.flags.remove(spec.name)
                    default: throw ReconError("flag '--\(spec.name)' takes no value, found '\(inlineValue)'")
                    }
                } else {
                    parsed.flags.insert(spec.name)
                }
            }
        }
        return parsed
    }
}
