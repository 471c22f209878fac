import Postgres
import ReconCore

/// Change tracking for a PostgreSQL base (issue 12): `<schema>_recon.changes` gets one row per statement that
/// writes a managed table outside Recon, from an AFTER … FOR EACH STATEMENT trigger `_recon_changes` whose WHEN
/// clause skips Recon's own transactions (`SET LOCAL recon.writing = 'on'`). Statement-level, so a bulk write pays
/// once per statement, and Recon's batches pay only the WHEN test. The mark is the log's count and last id, Recon's
/// write serial and nonce, and a hash of the catalog of the managed tables, so rows, DDL, a restored dump and a
/// sibling copy (a snapshot that took another write of Recon's) all change it.
struct PostgresChangeLog {
    let connection: PGConnection
    let catalog: PostgresCatalog

    static let triggerName = "_recon_changes"
    /// The setting Recon's write transactions turn on; NULL in every other session.
    static let writingSetting = "recon.writing"
    static let serialKey = "write_serial"
    /// Drawn anew in each of Recon's write transactions (`WriteNonce`); a base last written before it has no mark.
    static let nonceKey = "write_nonce"
    /// `pg_trigger.tgtype` of AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT.
    static let triggerType = 4 | 8 | 16 | 32
    /// The function's `proconfig`, as the server spells the SET clause below.
    static let functionConfig = "search_path=pg_catalog, pg_temp"

    private var meta: String { catalog.meta }
    private var logTable: String { "\(meta).changes" }
    private var function: String { "\(meta).log_change()" }

    /// The mark now, or nil when a table is missing or lacks its enabled trigger, or the log or its function is
    /// missing or not as Recon made it.
    func mark(tables names: [String]) throws -> String? {
        let rows = try connection.exec("""
            SELECT w.name, c.oid::text,
              (SELECT string_agg(a.attnum || ':' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull, ',' ORDER BY a.attnum)
                 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
              (SELECT string_agg(t.tgname || ':' || t.tgenabled::text || ':' || pg_catalog.pg_get_triggerdef(t.oid), ',' ORDER BY t.tgname)
                 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal),
              (SELECT string_agg(k.conname || ':' || pg_catalog.pg_get_constraintdef(k.oid), ',' ORDER BY k.conname)
                 FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid),
              (SELECT string_agg(i.relname, ',' ORDER BY i.relname)
                 FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid),
              EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = $3 AND t.tgenabled = 'A'
                        AND t.tgtype = $4 AND t.tgfoid = pg_catalog.to_regprocedure($5)),
              (SELECT p.prosrc || ':' || p.prosecdef || ':' || coalesce(array_to_string(p.proconfig, ','), '')
                 FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure($5)),
              pg_catalog.to_regclass($6) IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure($5)
                AND p.prosrc = $7 AND p.prosecdef AND array_to_string(p.proconfig, ',') = $8)
            FROM unnest($2::text[]) WITH ORDINALITY AS w(name, n)
            LEFT JOIN pg_catalog.pg_class c ON c.relname = w.name AND c.relkind IN ('r', 'p')
              AND c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1)
            ORDER BY w.n
            """, [.text(catalog.schema), .text(PostgresArray.literal(names)), .text(Self.triggerName),
                  .integer(Self.triggerType), .text(function), .text(logTable), .text(try functionBody()), .text(Self.functionConfig)]).rows
        // A table, its trigger, the log and a function that really logs: else there is nothing to vouch with.
        guard !rows.isEmpty, rows.allSatisfy({ $0[1] != nil && $0[6] == "t" && $0[8] == "t" }) else { return nil }
        // Read after the catalog: a write that lands between the two shows as a change next time, never as none.
        let log = try connection.exec("""
            SELECT (SELECT count(*) FROM \(logTable))::text, (SELECT coalesce(max(id), 0) FROM \(logTable))::text,
              (SELECT value FROM \(meta).base WHERE key = $1),
              (SELECT string_agg(row_to_json(t)::text, ',' ORDER BY t.id) FROM \(meta).tables t),
              (SELECT string_agg(row_to_json(f)::text, ',' ORDER BY f.id) FROM \(meta).fields f),
              (SELECT value FROM \(meta).base WHERE key = $2)
            """, [.text(Self.serialKey), .text(Self.nonceKey)]).rows[0]
        guard let nonce = log[5] else { return nil }
        var hasher = SHA256()
        for row in rows { for cell in row { hasher.update((cell ?? "\u{1}") + "\u{0}") } }
        for cell in log[3...4] { hasher.update((cell ?? "\u{1}") + "\u{0}") }
        return "pg1:\(log[2] ?? "0"):\(log[0] ?? "0"):\(log[1] ?? "0"):\(hasher.hexDigest()):\(nonce)"
    }

    /// What `install` has to do: whether the log or its function is missing (or not as Recon makes it), whether
    /// the base has no nonce yet (last written by an earlier version: install's transaction draws one), and the
    /// tables that lack a sound trigger. Reads only, so an apply with everything in place writes nothing.
    func missing(tables names: [String]) throws -> (log: Bool, nonce: Bool, tables: [String]) {
        let row = try connection.exec("""
            SELECT pg_catalog.to_regclass($2) IS NOT NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure($1)
              AND p.prosrc = $3 AND p.prosecdef AND array_to_string(p.proconfig, ',') = $4),
              EXISTS (SELECT 1 FROM \(meta).base WHERE key = $5)
            """, [.text(function), .text(logTable), .text(try functionBody()), .text(Self.functionConfig), .text(Self.nonceKey)]).rows.first
        let found = row?[0] == "t"
        let sound = try connection.exec("""
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid
            WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1) AND c.relname = ANY($2::text[])
              AND t.tgname = $3 AND t.tgenabled = 'A' AND t.tgtype = $4 AND t.tgfoid = pg_catalog.to_regprocedure($5)
            """, [.text(catalog.schema), .text(PostgresArray.literal(names)), .text(Self.triggerName),
                  .integer(Self.triggerType), .text(function)]).rows.compactMap { $0[0] }
        return (!found, row?[1] != "t", names.filter { name in !sound.contains { Array($0.utf8) == Array(name.utf8) } })
    }

    /// Makes what `missing` names: the log, its function, the trigger of each table without a sound one. Runs in
    /// the caller's transaction (a Recon write one).
    func install(tables names: [String]) throws {
        let (log, _, tables) = try missing(tables: names)
        if log {
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(logTable) (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, table_name text NOT NULL, operation text NOT NULL,
                    at timestamptz NOT NULL DEFAULT clock_timestamp())
                """)
            // SECURITY DEFINER: a session allowed to write a base table logs its write without any right on `<schema>_recon`.
            try connection.exec("""
                CREATE OR REPLACE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = pg_catalog, pg_temp AS $recon$\(try functionBody())$recon$
                """)
            try connection.exec("REVOKE ALL ON FUNCTION \(function) FROM PUBLIC")
        }
        let trigger = PGIdentifier.quote(Self.triggerName)
        for name in tables {
            let table = catalog.table(name)
            try connection.exec("""
                CREATE OR REPLACE TRIGGER \(trigger) AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(table) FOR EACH STATEMENT
                WHEN (pg_catalog.current_setting('\(Self.writingSetting)', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \(function)
                """)
            // ALWAYS: it fires in replica sessions too (logical replication, session_replication_role = replica).
            try connection.exec("ALTER TABLE \(table) ENABLE ALWAYS TRIGGER \(trigger)")
        }
    }

    /// Marks the current transaction as Recon's: its statements are not logged, the write serial moves so a
    /// mark taken before it (or a dump restored from before it) no longer matches, and so does the nonce (a sibling).
    func markRecon() throws {
        try connection.exec("SET LOCAL \(Self.writingSetting) = 'on'")
        try connection.exec("""
            INSERT INTO \(meta).base (key, value) VALUES ($1, '1'), ($2, $3)
            ON CONFLICT (key) DO UPDATE SET value = CASE WHEN base.key = $1 THEN (base.value::bigint + 1)::text ELSE EXCLUDED.value END
            """, [.text(Self.serialKey), .text(Self.nonceKey), .text(WriteNonce.make())])
    }

    private func functionBody() throws -> String {
        guard !logTable.contains("$recon$") else {
            throw ReconError("the schema name \(catalog.metadataSchema) cannot hold Recon's change log", hint: "use a schema name of letters, digits and _")
        }
        return " BEGIN INSERT INTO \(logTable) (table_name, operation) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END "
    }
}

extension PostgresCatalog {
    /// One transaction of Recon's writes: committed when `body` returns, rolled back when it throws, and marked
    /// so the change log leaves it out (`PostgresChangeLog.markRecon`).
    @discardableResult
    func writing<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction {
            try PostgresChangeLog(connection: connection, catalog: self).markRecon()
            return try body()
        }
    }
}
