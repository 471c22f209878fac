import ReconCore

/// One table's desired records by key, as positions in the one list extraction made: a dictionary of copies (and the
/// per-table lists they were grouped in) held ~280 bytes more per record through the whole plan (issue 12).
struct DesiredTable {
    private let records: [DesiredRecord]
    private let positions: [String: Int]

    init(records: [DesiredRecord], positions: [String: Int]) {
        self.records = records
        self.positions = positions
    }

    subscript(key: String) -> DesiredRecord? {
        positions[key].map { records[$0] }
    }

    var keys: Dictionary<String, Int>.Keys { positions.keys }
}
