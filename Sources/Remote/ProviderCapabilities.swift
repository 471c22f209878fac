import ReconCore

/// What a remote can change through its API. Refresh reports it with the schema so the pure
/// planner can turn what the API cannot do into `manual` items instead of failing requests.
public struct ProviderCapabilities: Hashable, Sendable {
    /// Field types the API can create; nil when it can create every type.
    public var creatableFieldTypes: Set<FieldType.Name>?
    /// Whether `updateField` can add select choices. Airtable's metadata API cannot (it renames
    /// and describes fields only); a field with `typecast: true` gets new choices on first write.
    public var canUpdateFieldChoices: Bool

    public init(creatableFieldTypes: Set<FieldType.Name>? = nil, canUpdateFieldChoices: Bool = true) {
        self.creatableFieldTypes = creatableFieldTypes
        self.canUpdateFieldChoices = canUpdateFieldChoices
    }

    /// A remote with no API restrictions (the SQLite provider).
    public static let unrestricted = ProviderCapabilities()

    public func canCreate(type: FieldType.Name) -> Bool { creatableFieldTypes?.contains(type) ?? true }
}
