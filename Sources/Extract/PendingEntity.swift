import Manifest
import ReconCore

/// An entity read from a file whose links are not yet resolved to keys (links need every
/// entity of every repo first).
struct PendingEntity {
    var table: String
    var key: String
    var repo: String
    /// The matched file.
    var file: String
    /// The directory an ancestor link may find this entity by; nil when the entity is a file (no `root`).
    var root: String?
    var fields: FieldCells
    var links: [PendingLink]
    var sourceCommit: String
    /// Where the rule that produced it is, for duplicate-key messages.
    var ruleLocation: SourceLocation
    /// The rule's error policy, for links that do not resolve.
    var onError: ExtractRule.ErrorPolicy
    // Not the whole `ExtractRule`: ~150 bytes more in each of 100,000 entities (issue 12).
}

/// One link field to resolve: by the nearest ancestor, or from candidate keys.
struct PendingLink {
    var field: String
    var table: String
    /// Nil: by ancestor; otherwise `path` or `repo:path` values as read from the source or the manifest.
    var candidates: [String]?
    var location: SourceLocation
}
