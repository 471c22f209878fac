import ReconCore

/// A YAML document that cannot be read: a syntax error, an unknown alias, a duplicate key.
public struct YAMLError: Error, CustomStringConvertible, Sendable {
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(at location: SourceLocation, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var diagnostic: Diagnostic { .error(at: location, message, hint: hint) }
    public var description: String { diagnostic.description }
}
