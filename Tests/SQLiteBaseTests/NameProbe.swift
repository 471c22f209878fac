@testable import SQLiteBase

/// Looks at a base file the way another SQLite tool would: names as raw UTF-8 bytes straight from
/// `sqlite_master` and `pragma_table_info`, so canonically equal but different names never compare equal.
struct NameProbe {
    let connection: SQLiteConnection

    init(path: String) throws {
        connection = try SQLiteConnection(path: path, create: false, busyTimeoutMilliseconds: 100)
    }

    /// A table Recon knows nothing about, with three rows: it must survive every write.
    static func plantVictim(at path: String) throws {
        let raw = try SQLiteConnection(path: path, create: true, busyTimeoutMilliseconds: 100)
        try raw.execute("CREATE TABLE Victim (n INTEGER); INSERT INTO Victim VALUES (1), (2), (3);")
    }

    static func bytes(_ names: [String]) -> [[UInt8]] { names.map { Array($0.utf8) } }

    func victimRows() throws -> Int {
        let statement = try connection.prepare("SELECT count(*) FROM Victim")
        defer { statement.reset() }
        guard try statement.step() else { return -1 }
        return statement.int(0)
    }

    /// Every schema object as (type, name), sorted by bytes.
    func objects() throws -> [(type: String, name: [UInt8])] {
        let statement = try connection.prepare("SELECT type, name FROM sqlite_master")
        var objects: [(type: String, name: [UInt8])] = []
        while try statement.step() { objects.append((statement.text(0) ?? "", statement.bytes(1) ?? [])) }
        return objects.sorted { $0.name.lexicographicallyPrecedes($1.name) }
    }

    /// Tables other than Recon's metadata tables, sorted by bytes.
    func userTables() throws -> [[UInt8]] {
        let metadata = NameProbe.bytes(["_recon_base", "_recon_fields", "_recon_tables"])
        return try objects().filter { $0.type == "table" && !metadata.contains($0.name) }.map(\.name)
    }

    /// Column names in declaration order; the table is found by its exact bytes.
    func columns(of table: String) throws -> [[UInt8]] {
        let statement = try connection.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        try statement.bind(1, table)
        var names: [[UInt8]] = []
        while try statement.step() { names.append(statement.bytes(0) ?? []) }
        return names
    }
}
