import ReconCore

/// Reads `record_changes` elements with a cursor straight into `RecordChange`s: they are the bulk of a plan file
/// (100,000 in 90 MB), which a tree held three times over. The rules are the tree reader's: absent or null is the
/// default, a present key of the wrong type is refused naming it, unknown members are passed over.
struct RecordChangeReader {
    /// One change as read; a compact `set` is put in the table's field order by `resolve`, since a file whose keys
    /// were reordered may give `field_order` and `managed_fields` after the changes.
    struct Read {
        var change: RecordChange
        var set: FieldCells?
    }

    private struct RecordKey: Hashable {
        var table: String
        var key: String
    }

    private let managed: [String: [String]]
    private let order: [String: [String]]
    /// How a `set` of one table and layout becomes field changes and state values, worked out once for all the
    /// records of that shape rather than a sort, a layout edit and a lookup per record (issue 12).
    private struct SetShape {
        let table: String
        /// The set's slots in the table's field order.
        let order: [Int]
        /// The managed names: the state values.
        let state: FieldSelection
    }
    /// Shapes kept (records of one table share a few).
    private var shapes = RecentShapes<SetShape>(capacity: 32)
    /// The records resolved so far, to refuse a second change for one (two creates make a duplicate).
    private var seen: Set<RecordKey> = []

    /// `expecting`: how many changes the reader will see, when known (its set is then sized once).
    init(managed: [String: [String]], order: [String: [String]], expecting count: Int = 0) {
        self.managed = managed
        self.order = order
        seen.reserveCapacity(count)
    }

    /// The change as the file means it: `set` values as `set` field changes in field order, the state values a
    /// create implies when the file leaves them out.
    mutating func resolve(_ read: consuming Read) throws(ReconError) -> RecordChange {
        var change = read.change
        if let set = read.set {
            read.set = nil
            let shape = self.shape(of: set, in: change.table)
            var fields: [FieldChange] = []
            fields.reserveCapacity(shape.order.count)
            for slot in shape.order { fields.append(FieldChange(name: set.layout.names[slot], kind: .set, before: nil, after: set.values[slot])) }
            change.fields = fields
            if change.stateValues == nil {
                // The set values themselves, less the fields the state does not hold (the key): taken from the set,
                // sharing its strings, instead of a copy per record (~70 MB of a 100,000-create plan, issue 12).
                change.stateValues = shape.state.take(from: set)
            }
        }
        try see(change)
        return change
    }

    /// Notes a change resolved elsewhere (the first half of a list read in two), refusing a record's second change.
    mutating func see(_ change: RecordChange) throws(ReconError) {
        guard seen.insert(RecordKey(table: change.table, key: change.key)).inserted else {
            throw ReconError("the plan file is damaged: two changes for '\(JSONParser.shown(change.key))' in table '\(JSONParser.shown(change.table))'",
                             hint: "make the plan again with 'recon plan -out FILE'")
        }
    }

    /// The set slots in field order (then by name; a name the order does not list goes last) and the managed names.
    private mutating func shape(of set: FieldCells, in table: String) -> SetShape {
        let (orderByTable, managedByTable) = (order, managed)
        return shapes.shape(matching: { $0.state.source === set.layout && $0.table == table }) {
            let position = Dictionary((orderByTable[table] ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let names = set.layout.names
            let order = names.indices.map { (position[names[$0]] ?? .max, names[$0], $0) }
                .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
                .map(\.2)
            let managed = managedByTable[table] ?? []
            return SetShape(table: table, order: order, state: FieldSelection(of: set.layout, keeping: { managed.contains($0) }))
        }
    }

    // MARK: Reading

    static func read(_ c: inout JSONCursor) throws(ReconError) -> Read {
        var action: String?, reason: String?, table: String?, key: String?, remoteID: String?, blockedBy: String?
        var fields: [FieldChange] = [], set: FieldCells?, stateValues: FieldCells?
        var stateAdopted: FieldCells?, source: Provenance?
        guard (try? c.beginObject()) != nil else { throw PlanDecoder.missing("action") }
        while let name = try nextKey(&c) {
            switch name {
            case "action": action = try text(&c, name)
            case "reason": reason = try text(&c, name)
            case "table": table = try text(&c, name)
            case "key": key = try text(&c, name)
            case "remote_id": remoteID = try text(&c, name)
            case "blocked_by": blockedBy = try text(&c, name)
            case "fields": fields = try fieldChanges(&c)
            case "set": set = try cells(&c, name)
            case "state_values": stateValues = try cells(&c, name)
            case "state_adopted": stateAdopted = try cells(&c, name)
            case "source": source = try provenance(&c)
            default: try skip(&c)
            }
        }
        guard let actionName = action else { throw PlanDecoder.missing("action") }
        guard let reasonName = reason else { throw PlanDecoder.missing("reason") }
        guard let recordAction = RecordAction(rawValue: actionName) else {
            throw ReconError("unknown action '\(JSONParser.shown(actionName))' in the plan", hint: "the plan was made by another version of recon")
        }
        guard let changeReason = ChangeReason(rawValue: reasonName) else {
            throw ReconError("unknown reason '\(JSONParser.shown(reasonName))' in the plan", hint: "the plan was made by another version of recon")
        }
        guard let table else { throw PlanDecoder.missing("table") }
        guard let key else { throw PlanDecoder.missing("key") }
        return Read(change: RecordChange(table: table, key: key, remoteID: remoteID, action: recordAction, reason: changeReason,
                                         fields: set == nil ? fields : [], source: source, stateValues: stateValues,
                                         stateAdopted: stateAdopted, blockedBy: blockedBy),
                    set: set)
    }

    private static func fieldChanges(_ c: inout JSONCursor) throws(ReconError) -> [FieldChange] {
        if c.null() { return [] }
        guard (try? c.beginArray()) != nil else { throw PlanJSON.mistyped("'fields'", "a list") }
        var fields: [FieldChange] = []
        while try nextElement(&c) {
            guard (try? c.beginObject()) != nil else { throw PlanDecoder.missing("kind") }
            var kind: String?, name: String?, before: FieldValue?, after: FieldValue?, recorded: FieldValue?
            while let member = try nextKey(&c) {
                switch member {
                case "kind": kind = try text(&c, member)
                case "name": name = try text(&c, member)
                case "before": before = try cell(&c, member, in: nil)
                case "after": after = try cell(&c, member, in: nil)
                case "recorded": recorded = try cell(&c, member, in: nil)
                default: try skip(&c)
                }
            }
            guard let kindName = kind else { throw PlanDecoder.missing("kind") }
            guard let fieldKind = FieldChangeKind(rawValue: kindName) else { throw ReconError("unknown field change kind in the plan") }
            guard let name else { throw PlanDecoder.missing("name") }
            fields.append(FieldChange(name: name, kind: fieldKind, before: before, after: after, recorded: recorded))
        }
        return fields
    }

    private static func provenance(_ c: inout JSONCursor) throws(ReconError) -> Provenance? {
        if c.null() { return nil }
        guard (try? c.beginObject()) != nil else { throw PlanJSON.mistyped("'source'", "an object") }
        var source = Provenance(repo: "", path: "", sourceCommit: "")
        while let name = try nextKey(&c) {
            switch name {
            case "repo": source.repo = try text(&c, name) ?? ""
            case "path": source.path = try text(&c, name) ?? ""
            case "commit": source.sourceCommit = try text(&c, name) ?? ""
            default: try skip(&c)
            }
        }
        return source
    }

    /// An object of cell values; null members are "no value" and left out.
    private static func cells(_ c: inout JSONCursor, _ key: String) throws(ReconError) -> FieldCells? {
        if c.null() { return nil }
        guard (try? c.beginObject()) != nil else { throw PlanJSON.mistyped("'\(key)'", "an object") }
        var values = FieldCells.Builder()
        while let name = try nextKey(&c) {
            if let value = try cell(&c, name, in: key) { values.append(name, value) }
        }
        return values.cells()
    }

    /// One cell value, nil for null; `name` (in the object `key`) says where it is for the error.
    private static func cell(_ c: inout JSONCursor, _ name: String, in key: String?) throws(ReconError) -> FieldValue? {
        do {
            return try c.fieldValue()
        } catch {
            let place = key.map { "'\(JSONParser.shown(name))' in '\($0)'" } ?? "'\(name)'"
            throw PlanJSON.mistyped(place, "text, a number, true/false or a list of text")
        }
    }

    private static func text(_ c: inout JSONCursor, _ key: String) throws(ReconError) -> String? {
        if c.null() { return nil }
        do { return try c.string() } catch { throw PlanJSON.mistyped("'\(key)'", "text") }
    }

    // The document was checked to be JSON before it is decoded, so these fail only on a damaged file.

    private static func nextKey(_ c: inout JSONCursor) throws(ReconError) -> String? {
        do { return try c.nextKey() } catch { throw PlanDecoder.damaged(error) }
    }

    private static func nextElement(_ c: inout JSONCursor) throws(ReconError) -> Bool {
        do { return try c.nextElement() } catch { throw PlanDecoder.damaged(error) }
    }

    private static func skip(_ c: inout JSONCursor) throws(ReconError) {
        do { try c.skipValue() } catch { throw PlanDecoder.damaged(error) }
    }
}
