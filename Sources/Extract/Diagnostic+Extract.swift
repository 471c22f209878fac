import ReconCore

extension Diagnostic {
    static func note(at location: SourceLocation?, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.note, at: location, message, hint: hint)
    }

    /// An extract cache entry found not to match the repo it claims; shown once per run, never stored.
    public static func cacheDiscarded(repo: String) -> Diagnostic {
        .warning(at: nil, "the extract cache of repo '\(repo)' did not match its source and was discarded; extracted again",
                 hint: "the repo was read again; the cache is rewritten from what it holds")
    }

    /// The same problem as a warning, for rules with `on_error: skip`.
    func downgraded(_ consequence: String) -> Diagnostic {
        Diagnostic(.warning, at: location, "\(message); \(consequence)", hint: hint ?? "the rule says on_error: skip")
    }
}
