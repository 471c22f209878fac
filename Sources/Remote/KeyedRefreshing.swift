/// A base that reads some records of a table exactly as its full read reads them (the same cells, links filtered the
/// same way, in the same order), so a delta run's refresh reads only the records that can have moved (issue 12, goal 4).
/// Only SQLite so far: PostgreSQL's and Airtable's reads by key are preflight reads, not a refresh's.
public protocol KeyedRefreshing {
    /// The records of `table` whose text field `field` holds one of `keys`, or whose id is one of `ids`.
    func readRecords(keys: [String], field: String, orIDs ids: [String], in table: RemoteTable) throws -> [RemoteRecord]
}
