import Postgres
import ReconCore
import Remote

/// Recon's metadata for one base schema, kept in its own schema (`<schema>_recon`) so the base schema holds
/// only the tables people query: what a column cannot say (field type, description, choices, link target,
/// stable ids). Names are matched by bytes, as PostgreSQL matches quoted names.
struct PostgresCatalog {
    /// Bumped when the metadata layout changes; a newer base is refused rather than misread.
    static let formatVersion = 1
    static let idColumn = "_recon_id"

    let connection: PGConnection
    let schema: String
    let metadataSchema: String

    var base: String { PGIdentifier.quote(schema) }
    var meta: String { PGIdentifier.quote(metadataSchema) }

    /// `schema."name"`: a table of the base.
    func table(_ name: String) -> String { "\(base).\(PGIdentifier.quote(name))" }

    /// Creates both schemas and the metadata tables if missing (first write), and checks the format version.
    /// A schema is created only when missing: `CREATE SCHEMA IF NOT EXISTS` needs CREATE on the database even
    /// when the schema exists, and a role may have been given its schemas instead.
    func prepare() throws {
        for name in [schema, metadataSchema] { try create(schema: name) }
        for statement in [
            "CREATE TABLE IF NOT EXISTS \(meta).base (key text PRIMARY KEY, value text NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS \(meta).tables (
                id text PRIMARY KEY, name text NOT NULL UNIQUE, description text, key_field_id text, position integer NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(meta).fields (
                id text PRIMARY KEY, table_id text NOT NULL, name text NOT NULL, type text NOT NULL, description text,
                choices text[], linked_table_id text, precision integer, attnum integer, position integer NOT NULL, UNIQUE (table_id, name))
            """,
        ] { try connection.exec(statement) }
        try connection.exec("INSERT INTO \(meta).base (key, value) VALUES ('format_version', $1) ON CONFLICT (key) DO NOTHING",
                            [.text(String(Self.formatVersion))])
        try checkVersion()
    }

    private func create(schema name: String) throws {
        guard try !exists(schema: name) else { return }
        let sql = "CREATE SCHEMA IF NOT EXISTS \(PGIdentifier.quote(name))"
        let result = Result { () throws(PGError) -> PGResult in try connection.exec(sql) }
        if case .failure(let failure) = result {
            guard failure.sqlState == "42501" else { throw failure }
            throw ReconError("cannot create the schema \(name): \(failure.message)",
                             hint: "grant this role CREATE on the database, or create the schemas \(schema) and \(metadataSchema) owned by it; nothing was written")
        }
    }

    /// Whether a schema exists (a read never creates one).
    func exists(schema name: String) throws -> Bool {
        try !connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(name)]).rows.isEmpty
    }

    /// The base as the metadata describes it, keeping only tables and columns that really exist: a table or
    /// column dropped in another tool shows up as missing. A column retyped by hand is reported with the
    /// server's type, so the plan makes it a manual item instead of writing values it cannot hold.
    func load() throws -> RemoteSchema {
        let relations = try self.relations()
        guard try exists(schema: metadataSchema), try exists(table: "tables", in: metadataSchema) else {
            return RemoteSchema(tables: [], foreignTables: foreignTables(relations, known: []))
        }
        try checkVersion()
        var fieldsByTable: [String: [(field: RemoteField, attnum: Int?)]] = [:]
        let fields = try connection.exec("""
            SELECT id, table_id, name, type, description, array_to_json(choices)::text, linked_table_id, precision, attnum
            FROM \(meta).fields ORDER BY position, id
            """)
        for row in fields.rows {
            let choices = row[5].flatMap { try? JSONParser.parse(Array($0.utf8)) }?.arrayValue?.compactMap(\.stringValue)
            let field = RemoteField(id: row[0] ?? "", name: row[2] ?? "", type: RemoteFieldType(name: row[3] ?? ""),
                                    description: row[4], choices: choices, linkedTableID: row[6], precision: row[7].flatMap { Int($0) })
            fieldsByTable[row[1] ?? "", default: []].append((field, row[8].flatMap { Int($0) }))
        }
        var tables: [RemoteTable] = []
        var known = Set<[UInt8]>()
        for row in try connection.exec("SELECT id, name, description, key_field_id FROM \(meta).tables ORDER BY position, id").rows {
            let id = row[0] ?? ""
            // By the key index named after the table's id (it follows a rename in psql), else by name.
            guard let relation = relations.values.first(where: { $0.markers.contains(id) }) ?? relations[Array((row[1] ?? "").utf8)] else { continue }
            known.insert(Array(relation.name.utf8))
            let fields = fieldsByTable[id] ?? []
            let present = fields.compactMap { entry -> RemoteField? in
                guard let column = Self.column(of: entry, among: fields, in: relation) else { return nil }
                var field = entry.field
                field.name = column.name
                return Self.checked(field, serverType: column.type)
            }
            tables.append(RemoteTable(id: id, name: relation.name, description: row[2], primaryFieldID: row[3], fields: present))
        }
        return RemoteSchema(tables: tables, foreignTables: foreignTables(relations, known: known))
    }

    /// A field's column: the one of its name, else (renamed in psql) the one at its position, when no other field
    /// of the table claims that name. Name first, so a restored dump whose positions moved still maps by name.
    private static func column(of entry: (field: RemoteField, attnum: Int?), among fields: [(field: RemoteField, attnum: Int?)],
                               in relation: Relation) -> Column? {
        let bytes = Array(entry.field.name.utf8)
        if let named = relation.columns.first(where: { Array($0.name.utf8) == bytes }) { return named }
        guard let attnum = entry.attnum, let moved = relation.columns.first(where: { $0.number == attnum }),
              !fields.contains(where: { Array($0.field.name.utf8) == Array(moved.name.utf8) }) else { return nil }
        return moved
    }

    /// The field as its column really is: a type it cannot hold becomes `postgres <type>`, a numeric scale its precision.
    private static func checked(_ field: RemoteField, serverType: String) -> RemoteField {
        guard let type = field.type.declarable else { return field }
        var field = field
        if !PostgresColumnKind(type: type, precision: field.precision).accepts(serverType) {
            if type == .number, let scale = PostgresColumnKind.scale(of: serverType) {
                field.precision = scale
            } else {
                field.type = .other("postgres \(serverType)")
            }
        }
        return field
    }

    struct Column: Equatable {
        let name: String
        /// `attnum`: the column's position, kept across renames.
        let number: Int
        /// `format_type`: `text`, `numeric(1000,2)`, `text[]`...
        let type: String
    }

    struct Relation {
        let name: String
        var columns: [Column]
        /// Ids of the Recon tables whose key index (`_recon_key_<id>`) is on this table.
        var markers: Set<String> = []
    }

    static let keyIndexPrefix = "_recon_key_"


    /// Every ordinary or partitioned table of the base schema, by name bytes, with its columns in order.
    func relations() throws -> [[UInt8]: Relation] {
        let result = try connection.exec("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnum
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum
            """, [.text(schema)])
        var relations: [[UInt8]: Relation] = [:]
        for row in result.rows {
            guard let name = row[0] else { continue }
            var relation = relations[Array(name.utf8)] ?? Relation(name: name, columns: [])
            if let column = row[1], let type = row[2] { relation.columns.append(Column(name: column, number: Int(row[3] ?? "") ?? 0, type: type)) }
            relations[Array(name.utf8)] = relation
        }
        let indexes = try connection.exec("""
            SELECT i.relname, t.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND starts_with(i.relname, $2)
            """, [.text(schema), .text(Self.keyIndexPrefix)])
        for row in indexes.rows {
            guard let index = row[0], let table = row[1] else { continue }
            relations[Array(table.utf8)]?.markers.insert(String(index.dropFirst(Self.keyIndexPrefix.count)))
        }
        return relations
    }

    /// Tables of the base schema the metadata does not describe, sorted by name.
    private func foreignTables(_ relations: [[UInt8]: Relation], known: Set<[UInt8]>) -> [ForeignTable] {
        relations.filter { !known.contains($0.key) }.values.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }.map { relation in
            var holds: [String: Set<FieldType.Name>] = [:]
            for column in relation.columns { holds[column.name] = PostgresColumnKind.holds(serverType: column.type) }
            let taken = relation.columns.contains { $0.name == Self.idColumn }
            return ForeignTable(name: relation.name, columns: relation.columns.map(\.name), holds: holds,
                                unadoptable: taken ? "it already has a column '\(Self.idColumn)'" : nil)
        }
    }

    private func exists(table name: String, in schema: String) throws -> Bool {
        try !connection.exec("""
            SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2
            """, [.text(schema), .text(name)]).rows.isEmpty
    }

    private func checkVersion() throws {
        guard try exists(table: "base", in: metadataSchema) else { return }
        let result = try connection.exec("SELECT value FROM \(meta).base WHERE key = 'format_version'")
        guard let text = result.rows.first?[0], let version = Int(text), version > Self.formatVersion else { return }
        throw ReconError("the PostgreSQL base schema \(schema) has metadata format \(version), written by a newer recon (this one reads \(Self.formatVersion))",
                         hint: "upgrade recon; nothing was written")
    }
}
