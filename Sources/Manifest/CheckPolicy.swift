import ReconCore
import YAML

/// The `checks:` section: code → level and threshold; codes not named keep their defaults.
public struct CheckPolicy: Sendable, Equatable {
    public var rules: [CheckCode: CheckRule]

    public static let `default` = CheckPolicy(rules: [:])

    public init(rules: [CheckCode: CheckRule]) {
        self.rules = rules
    }

    public func rule(_ code: CheckCode) -> CheckRule {
        rules[code] ?? code.defaultRule
    }
}

extension CheckPolicy {
    static func decode(_ node: Node, sink: DiagnosticSink) -> CheckPolicy {
        var policy = CheckPolicy.default
        guard let reader = MappingReader(node, context: "checks", sink: sink) else { return policy }
        let codes = CheckCode.allCases.map(\.rawValue)
        for (key, value) in reader.entries {
            guard let code = CheckCode(rawValue: key.value) else {
                sink.error(key.location, "unknown check code '\(key.value)' in checks",
                           hint: Suggestion.hint(key.value, among: codes, known: "known codes: " + codes.joined(separator: ", ")))
                continue
            }
            let context = "checks.\(code.rawValue)"
            guard let rule = MappingReader(value, context: context, sink: sink) else { continue }
            rule.rejectUnknownKeys(allowed: ["level"] + code.thresholds)
            var decoded = code.defaultRule
            if let level = rule.choice("level", as: CheckLevel.self) { decoded.level = level.value }
            if let percent = rule.number("max_percent", minimum: 0), code.thresholds.contains("max_percent") {
                if percent.value > 100 {
                    sink.error(percent.location, "expected 'max_percent' in \(context) to be at most 100, found \(JSONWriter.format(percent.value))")
                }
                decoded.maxPercent = percent.value
            }
            if let records = rule.int("max_records", minimum: 0), code.thresholds.contains("max_records") {
                decoded.maxRecords = records.value
            }
            policy.rules[code] = decoded
        }
        return policy
    }
}
