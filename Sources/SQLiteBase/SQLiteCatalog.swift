import ReconCore
import Remote

/// The metadata tables that describe the base: what Airtable's metadata API would return.
/// They hold what a SQL column cannot (field type, description, choices, link target,
/// precision, stable ids); the SQL tables themselves hold the records.
enum SQLiteCatalog {
    /// Bumped when the metadata layout changes; a newer base is refused rather than misread.
    static let formatVersion = 1
    static let reservedColumn = "_recon_id"
    static let metadataPrefix = "_recon_"

    static let schemaSQL = """
        CREATE TABLE IF NOT EXISTS _recon_base (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
        INSERT OR IGNORE INTO _recon_base (key, value) VALUES ('format_version', '\(formatVersion)');
        CREATE TABLE IF NOT EXISTS _recon_tables (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            description TEXT,
            key_field_id TEXT,
            position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS _recon_fields (
            id TEXT PRIMARY KEY NOT NULL,
            table_id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            description TEXT,
            choices TEXT,
            linked_table_id TEXT,
            precision INTEGER,
            position INTEGER NOT NULL,
            UNIQUE (table_id, name));
        """

    /// Creates the metadata tables if missing (first write), and checks the format version.
    static func prepare(_ connection: SQLiteConnection) throws {
        try connection.execute(schemaSQL)
        try checkVersion(connection)
    }

    /// The schema as the metadata describes it, keeping only tables and columns that really
    /// exist: a table or column dropped in another tool shows up as missing, not as present.
    static func load(_ connection: SQLiteConnection) throws -> RemoteSchema {
        guard try exists(table: "_recon_tables", in: connection) else {
            return RemoteSchema(tables: [], foreignTables: try foreignTables(known: [], in: connection))
        }
        try checkVersion(connection)
        var fieldsByTable: [String: [RemoteField]] = [:]
        let fields = try connection.prepare("""
            SELECT id, table_id, name, type, description, choices, linked_table_id, precision
            FROM _recon_fields ORDER BY position, rowid
            """)
        while try fields.step() {
            let field = RemoteField(
                id: fields.text(0) ?? "", name: fields.text(2) ?? "", type: RemoteFieldType(name: fields.text(3) ?? ""),
                description: fields.text(4), choices: fields.bytes(5).flatMap(ColumnKind.decodeList),
                linkedTableID: fields.text(6), precision: fields.isNull(7) ? nil : fields.int(7))
            fieldsByTable[fields.text(1) ?? "", default: []].append(field)
        }
        var tables: [RemoteTable] = []
        let rows = try connection.prepare("SELECT id, name, description, key_field_id FROM _recon_tables ORDER BY position, rowid")
        while try rows.step() {
            let id = rows.text(0) ?? "", name = rows.text(1) ?? ""
            guard let columns = try columns(of: name, in: connection) else { continue }
            // By bytes, as SQLite matches names: Swift's == would take `é` for `e` + U+0301.
            let bytes = Set(columns.map { Array($0.utf8) })
            let present = (fieldsByTable[id] ?? []).filter { bytes.contains(Array($0.name.utf8)) }
            tables.append(RemoteTable(id: id, name: name, description: rows.text(2), primaryFieldID: rows.text(3), fields: present))
        }
        return RemoteSchema(tables: tables, foreignTables: try foreignTables(known: Set(tables.map { Array($0.name.utf8) }), in: connection))
    }

    /// SQL tables the metadata does not describe, Recon's own and SQLite's left out; names compared by bytes.
    private static func foreignTables(known: Set<[UInt8]>, in connection: SQLiteConnection) throws -> [ForeignTable] {
        let statement = try connection.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var found: [(name: String, sql: String)] = []
        while try statement.step() {
            guard let name = statement.text(0), !known.contains(Array(name.utf8)) else { continue }
            let lowered = name.lowercased()
            if !lowered.hasPrefix(metadataPrefix) && !lowered.hasPrefix("sqlite_") { found.append((name, statement.text(1) ?? "")) }
        }
        statement.reset()
        return try found.map { name, sql in
            let columns = try connection.prepare("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")
            try columns.bind(1, name)
            defer { columns.reset() }
            var names: [String] = []
            var holds: [String: Set<FieldType.Name>] = [:]
            while try columns.step() {
                guard let column = columns.text(0) else { continue }
                names.append(column)
                holds[column] = ColumnKind.holds(declaredType: columns.text(1) ?? "")
            }
            return ForeignTable(name: name, columns: names, holds: holds, unadoptable: unadoptable(sql: sql, columns: names))
        }
    }

    /// What no manifest can make fit: SQLite cannot add a column to a virtual table, a WITHOUT ROWID table has no
    /// row handle to number its rows by, and a column already named `_recon_id` is in the way.
    private static func unadoptable(sql: String, columns: [String]) -> String? {
        let upper = sql.uppercased()
        if upper.hasPrefix("CREATE VIRTUAL") { return "it is a virtual table" }
        if String(upper.unicodeScalars.filter { !$0.properties.isWhitespace }).contains("WITHOUTROWID") { return "it is a WITHOUT ROWID table" }
        if columns.contains(where: { $0.lowercased() == reservedColumn }) { return "it already has a column '\(reservedColumn)'" }
        return nil
    }

    static func exists(table name: String, in connection: SQLiteConnection) throws -> Bool {
        let statement = try connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        try statement.bind(1, name)
        defer { statement.reset() }
        return try statement.step()
    }

    /// The column names of a SQL table, or nil when it does not exist.
    static func columns(of table: String, in connection: SQLiteConnection) throws -> Set<String>? {
        let statement = try connection.prepare("SELECT name FROM pragma_table_info(?)")
        try statement.bind(1, table)
        var names = Set<String>()
        while try statement.step() { if let name = statement.text(0) { names.insert(name) } }
        return names.isEmpty ? nil : names
    }

    /// The columns of a table's SQL table that the metadata does not describe (added in another tool), in
    /// column order: read and written back as they are, so a backup and a rollback keep every cell.
    ///
    /// Records are keyed by Swift strings, which compare canonically: a column whose name equals a
    /// field's that way (`e` + U+0301 beside a field `é` whose column is gone) is left out, or it
    /// would be read as that field.
    static func undeclaredColumns(of table: RemoteTable, in connection: SQLiteConnection) throws -> [String] {
        var known = Set(table.fields.map(\.name)).union([reservedColumn])
        let fields = try connection.prepare("SELECT name FROM _recon_fields WHERE table_id = ?")
        try fields.bind(1, table.id)
        while try fields.step() { if let name = fields.text(0) { known.insert(name) } }
        fields.reset()
        let statement = try connection.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        try statement.bind(1, table.name)
        defer { statement.reset() }
        var names: [String] = []
        while try statement.step() { if let name = statement.text(0), !known.contains(name) { names.append(name) } }
        return names
    }

    /// Whether SQLite may fill cells a write does not give: a column default or a trigger on the table (tables Recon
    /// creates have neither; adopted ones may). Recon's own change-log triggers, exactly as it writes them, write
    /// only `_recon_changes`.
    static func fillsCells(of table: RemoteTable, in connection: SQLiteConnection) throws -> Bool {
        let statement = try connection.prepare("""
            SELECT 0, NULL, NULL FROM pragma_table_info(?1) WHERE dflt_value IS NOT NULL
            UNION ALL SELECT 1, name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1
            """)
        try statement.bind(1, table.name)
        defer { statement.reset() }
        while try statement.step() {
            guard statement.int(0) == 1, let name = statement.text(1), let sql = statement.text(2),
                  SQLiteChangeLog.isOwnTrigger(name, sql: sql, of: table) else { return true }
        }
        return false
    }

    private static func checkVersion(_ connection: SQLiteConnection) throws {
        guard try exists(table: "_recon_base", in: connection) else { return }
        let statement = try connection.prepare("SELECT value FROM _recon_base WHERE key = 'format_version'")
        defer { statement.reset() }
        guard try statement.step(), let text = statement.text(0), let version = Int(text) else { return }
        if version > formatVersion {
            throw ReconError(
                "the SQLite base '\(connection.path)' has metadata format \(version), written by a newer recon (this one reads \(formatVersion))",
                hint: "upgrade recon; nothing was written")
        }
    }
}
