import ReconCore

/// Collects every problem of a run so they are reported together, not one per attempt.
final class DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func error(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: location, message, hint: hint))
    }

    func warning(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(at: location, message, hint: hint))
    }

    func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }
}
