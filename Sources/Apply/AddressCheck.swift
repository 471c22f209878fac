import Manifest
import Plan
import ReconCore
import Remote
import State

/// Before a record is written or deleted by id, the record must still carry the key the change names: a state
/// entry whose id points at another record would otherwise overwrite or delete that record.
enum AddressCheck {
    /// Throws `PlanRefusal(.misaddressed)` naming each change whose record (as read by preflight) holds another key.
    static func check(_ plan: Plan, before: BeforeImages, manifest: Manifest, state: StateModel?) throws {
        var reasons: [String] = []
        // By index: a create (no id) is passed over without copying it (100k of them, issue 12).
        let changes = plan.recordChanges
        for index in changes.indices where changes[index].remoteID != nil && changes[index].writesBase && changes[index].blockedBy == nil {
            let change = changes[index]
            guard let id = change.remoteID, let record = before.records[change.table]?[id],
                  let spec = manifest.table(named: change.table) else { continue }
            let field = keyFieldName(spec, before.schema, state)
            let held = record.fields[field]
            // A key edited in the base that the plan restores: planned against this very value.
            let restoresKey = change.fields.contains { $0.name == spec.key.value && $0.kind.writes && $0.before == held }
            guard held != .text(change.key), !restoresKey else { continue }
            let found = if case .text(let text)? = held { "the key \(text)" } else { "no key (\(PlanValueText.describe(held)))" }
            reasons.append("\(change.table) \(change.key) (\(id)): the plan would \(change.action.rawValue) it, but the record holds \(found)")
        }
        if !reasons.isEmpty { throw PlanRefusal(.misaddressed, reasons: reasons) }
    }

    /// The key field's name in the base: found by the field id the state maps it to, so a renamed field still matches.
    private static func keyFieldName(_ spec: TableSpec, _ schema: RemoteSchema, _ state: StateModel?) -> String {
        let key = spec.key.value
        guard let fieldID = state?.tables[spec.name]?.fields[key],
              let field = schema.table(id: state?.tables[spec.name]?.id, named: spec.name)?.fields.first(where: { $0.id == fieldID }) else { return key }
        return field.name
    }
}
