import ReconCore

extension Diagnostic {
    static func note(at location: SourceLocation?, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.note, at: location, message, hint: hint)
    }

    /// The same problem as a warning, for rules with `on_error: skip`.
    func downgraded(_ consequence: String) -> Diagnostic {
        Diagnostic(.warning, at: location, "\(message); \(consequence)", hint: hint ?? "the rule says on_error: skip")
    }
}
