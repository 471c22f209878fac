/// An error meant for a person: a one-line message and, where it helps, what to do next.
public struct ReconError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String {
        hint.map { "\(message)\n  \($0)" } ?? message
    }
}
