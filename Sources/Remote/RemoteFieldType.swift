import ReconCore

/// A field's type as the base reports it: one the manifests can declare, or one only the base's UI makes
/// (formula, rollup...), which Recon reads past and never writes.
public enum RemoteFieldType: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    case declarable(FieldType.Name)
    case other(String)

    /// From the type name the base stores or sends.
    public init(name: String) {
        self = FieldType.Name(rawValue: name).map(RemoteFieldType.declarable) ?? .other(name)
    }

    public init(stringLiteral name: String) { self.init(name: name) }

    /// The type's name, as the manifests (and Airtable) spell it.
    public var description: String {
        switch self {
        case .declarable(let name): name.rawValue
        case .other(let name): name
        }
    }

    public var declarable: FieldType.Name? {
        if case .declarable(let name) = self { return name }
        return nil
    }
}
