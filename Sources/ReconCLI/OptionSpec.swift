/// A flag or option a command accepts. Every name works with one dash or two
/// (`-out F`, `--out=F`), as Terraform and Go tools accept.
public struct OptionSpec: Sendable {
    public var name: String
    public var short: Character?
    /// The placeholder shown in help; nil for a flag that takes no value.
    public var valueName: String?
    public var help: String
    public var repeatable: Bool

    public static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, repeatable: false)
    }

    public static func option(_ name: String, short: Character? = nil, value: String, help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: value, help: help, repeatable: repeatable)
    }

    var takesValue: Bool { valueName != nil }
}
