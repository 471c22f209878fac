import ReconCore
import YAML

/// One hook of `hooks:`: a command run without a shell at a point of a run (docs/hooks.md).
public struct HookSpec: Sendable, Equatable {
    public static let defaultTimeout = 60.0
    /// A day: a longer bound is a mistake, and would overflow the timer.
    static let maximumTimeout = 86_400.0

    public var point: HookPoint
    /// The command and its arguments, each passed as written (no shell, no expansion).
    public var run: [Located<String>]
    /// Seconds before the hook's process group gets SIGTERM, then SIGKILL.
    public var timeout: Double
    /// Names of variables of recon's environment passed on to the hook; nothing else is.
    public var env: [Located<String>]
    /// Where the hook's item was written.
    public var location: SourceLocation

    public init(point: HookPoint, run: [Located<String>], timeout: Double = HookSpec.defaultTimeout,
                env: [Located<String>] = [], at location: SourceLocation) {
        self.point = point
        self.run = run
        self.timeout = timeout
        self.env = env
        self.location = location
    }

    public var arguments: [String] { run.map(\.value) }
    /// The command as written, for messages: `./scripts/notify.sh`.
    public var command: String { run.first?.value ?? "" }
}

extension HookSpec {
    static let keys = ["run", "timeout", "env"]

    /// The `hooks:` section, in the order written: point → list of hooks.
    static func decodeSection(_ node: Node, sink: DiagnosticSink) -> [HookSpec] {
        if node.isNull { return [] }
        guard let reader = MappingReader(node, context: "hooks", sink: sink) else { return [] }
        let points = HookPoint.allCases.map(\.rawValue)
        var hooks: [HookSpec] = []
        for (key, value) in reader.entries {
            guard let point = HookPoint(rawValue: key.value) else {
                guard NameLimit.check(key, what: "a key in hooks", sink: sink) else { continue }
                sink.error(key.location, "unknown hook point '\(key.value)' in hooks",
                           hint: Suggestion.hint(key.value, among: points, known: "expected one of: " + points.joined(separator: ", ")))
                continue
            }
            if value.isNull { continue }
            guard let items = value.sequence else {
                sink.error(value.location, "expected 'hooks.\(point.rawValue)' to be a list of hooks, found \(value.summary)",
                           hint: "e.g. \(point.rawValue): [{run: [\"./scripts/check.sh\"]}]")
                continue
            }
            hooks += items.compactMap { decode($0, point: point, sink: sink) }
        }
        return hooks
    }

    static func decode(_ node: Node, point: HookPoint, sink: DiagnosticSink) -> HookSpec? {
        let context = "a hook of hooks.\(point.rawValue)"
        guard let reader = MappingReader(node, context: context, sink: sink) else { return nil }
        reader.rejectUnknownKeys(allowed: keys)
        let run = arguments(reader, context: context, sink: sink)
        let timeout = reader.duration("timeout", minimum: 1)
        if let timeout, timeout.value > maximumTimeout {
            sink.error(timeout.location, "expected 'timeout' in \(context) to be at most 24h, found \(reader.value("timeout")?.scalar ?? "")")
        }
        var env: [Located<String>] = []
        for name in reader.strings("env") ?? [] {
            guard StateSpec.isVariableName(name.value) else {
                sink.error(name.location, "invalid environment variable name '\(ControlEscape.escaped(name.value))' in 'env' of \(context)",
                           hint: "use letters, digits and _ (not starting with a digit), e.g. SLACK_TOKEN")
                continue
            }
            env.append(name)
        }
        guard let run else { return nil }
        return HookSpec(point: point, run: run, timeout: timeout?.value ?? defaultTimeout, env: env, at: node.location)
    }

    /// `run`: a non-empty list of text, the command first. A single string is refused: without a
    /// shell, `"./x.sh --flag"` would be one program name, which is never what was meant.
    private static func arguments(_ reader: MappingReader, context: String, sink: DiagnosticSink) -> [Located<String>]? {
        guard let node = reader.required("run") else { return nil }
        guard let items = node.sequence else {
            sink.error(node.location, "expected 'run' in \(context) to be a list (the command, then its arguments), found \(node.summary)",
                       hint: "hooks run without a shell: write run: [\"./scripts/check.sh\", \"--flag\"]")
            return nil
        }
        guard !items.isEmpty else {
            sink.error(node.location, "'run' in \(context) is empty", hint: "give the command to run, e.g. run: [\"./scripts/check.sh\"]")
            return nil
        }
        var run: [Located<String>] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard let text = item.scalar, !item.isNull else {
                sink.error(item.location, "expected text for an item of 'run' in \(context), found \(item.summary)",
                           hint: "quote it to pass it as text")
                valid = false
                continue
            }
            if index == 0, text.isEmpty {
                sink.error(item.location, "the command of 'run' in \(context) is empty")
                valid = false
            } else if text.utf8.contains(0) {
                sink.error(item.location, "an item of 'run' in \(context) holds a NUL byte, which no command can receive")
                valid = false
            }
            run.append(Located(text, at: item.location))
        }
        return valid ? run : nil
    }
}
