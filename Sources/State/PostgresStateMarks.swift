import Postgres
import ReconCore

/// An exact, cheap version of one target's PostgreSQL state, for the no-op seal (issue 12). `state_marks` holds a
/// counter per target, moved by every Recon write transaction (`markWrite`, the only place that sets the
/// `recon.state_writing` flag), and a counter under target '' moved by the statement trigger `_recon_state_changes`
/// on `state_items` and `state_heads` for every statement of any other transaction (psql, an older Recon, a restored
/// dump). The counters are rows, so a bump is seen only when its write commits. The version is both counters and
/// their rows' `xmin` (an edit of `state_marks` itself shows), the head, and nil when a trigger or the function is not
/// as Recon makes it. Every write is either Recon's (flagged, so counted by `markWrite`) or counted by the trigger.
struct PostgresStateMarks {
    let schema: PostgresStateSchema

    static let triggerName = "_recon_state_changes"
    static let writingSetting = "recon.state_writing"
    /// `pg_trigger.tgtype` of AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT.
    static let triggerType = 4 | 8 | 16 | 32
    static let functionConfig = "search_path=pg_catalog, pg_temp"
    /// The tables whose every write the version must see.
    static let tracked = ["state_items", "state_heads"]

    private var function: String { "\(PGIdentifier.quote(schema.schema)).\(PGIdentifier.quote("state_changed"))()" }

    private var functionBody: String {
        " BEGIN INSERT INTO \(schema.marks) (target, writes) VALUES ('', 1) ON CONFLICT (target) DO UPDATE SET writes = "
            + "\(PGIdentifier.quote("state_marks")).writes + 1; RETURN NULL; END "
    }

    /// True when the marks, the seals, the function and both triggers are as Recon makes them.
    func sound(on connection: PGConnection) throws -> Bool {
        let rows = try connection.exec("""
            SELECT pg_catalog.to_regclass($1) IS NOT NULL AND pg_catalog.to_regclass($2) IS NOT NULL
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure($3)
                            AND p.prosrc = $4 AND p.prosecdef AND array_to_string(p.proconfig, ',') = $5)
              AND (SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                   WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $6)
                     AND c.relname = ANY($7::text[]) AND t.tgname = $8 AND t.tgenabled = 'A' AND t.tgtype = $9
                     AND t.tgfoid = pg_catalog.to_regprocedure($3)) = $10
            """, [.text(schema.marks), .text(schema.seals), .text(function), .text(functionBody), .text(Self.functionConfig),
                  .text(schema.schema), .text("{" + Self.tracked.joined(separator: ",") + "}"), .text(Self.triggerName),
                  .integer(Self.triggerType), .integer(Self.tracked.count)])
        return rows.rows.first?[0] == "t"
    }

    /// Installs what is missing (a store made before this version, a trigger dropped), in its own transaction. A
    /// role that may not (no CREATE, not the tables' owner) leaves the store working without a seal.
    func ensure(on connection: PGConnection) {
        // The body is dollar-quoted: a schema name holding the quote gets no marks (and no seal).
        guard !functionBody.contains("$recon$"), (try? sound(on: connection)) == false else { return }
        _ = try? connection.transaction {
            // A store busy with a long write is migrated by a later run rather than waited for.
            try connection.exec("SET LOCAL lock_timeout = '2s'")
            try connection.exec("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("recon state marks " + schema.schema)])
            guard try !sound(on: connection) else { return }
            try connection.exec("CREATE TABLE IF NOT EXISTS \(schema.marks) (target text PRIMARY KEY, writes bigint NOT NULL)")
            try connection.exec("""
                CREATE TABLE IF NOT EXISTS \(schema.seals) (target text NOT NULL, kind text NOT NULL, scope text NOT NULL,
                  seal bytea NOT NULL, PRIMARY KEY (target, kind, scope))
                """)
            // SECURITY DEFINER: a session allowed to write the state rows counts its write without any right on the marks.
            try connection.exec("""
                CREATE OR REPLACE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = pg_catalog, pg_temp AS $recon$\(functionBody)$recon$
                """)
            try connection.exec("REVOKE ALL ON FUNCTION \(function) FROM PUBLIC")
            let trigger = PGIdentifier.quote(Self.triggerName)
            for name in Self.tracked {
                let table = "\(PGIdentifier.quote(schema.schema)).\(PGIdentifier.quote(name))"
                try connection.exec("""
                    CREATE OR REPLACE TRIGGER \(trigger) AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(table) FOR EACH STATEMENT
                    WHEN (pg_catalog.current_setting('\(Self.writingSetting)', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION \(function)
                    """)
                // ALWAYS: it fires in replica sessions too (logical replication, session_replication_role = replica).
                try connection.exec("ALTER TABLE \(table) ENABLE ALWAYS TRIGGER \(trigger)")
            }
            // Whatever was written while a trigger was missing went uncounted: count it now.
            try connection.exec("""
                INSERT INTO \(schema.marks) (target, writes) VALUES ('', 1)
                ON CONFLICT (target) DO UPDATE SET writes = \(PGIdentifier.quote("state_marks")).writes + 1
                """)
        }
    }

    /// Marks the current transaction as Recon's write of `target`: its statements skip the trigger, and the target's
    /// counter moves (committed with the write). Without the marks table (a role that could not install it) the
    /// transaction is left unmarked, so an installed trigger still counts it.
    func markWrite(target: String, on connection: PGConnection) throws {
        let present = try connection.exec("SELECT pg_catalog.to_regclass($1) IS NOT NULL", [.text(schema.marks)]).rows.first?[0] == "t"
        guard present else { return }
        try connection.exec("""
            WITH flag AS (SELECT pg_catalog.set_config($2, 'on', true))
            INSERT INTO \(schema.marks) (target, writes) SELECT $1, 1 FROM flag
            ON CONFLICT (target) DO UPDATE SET writes = \(PGIdentifier.quote("state_marks")).writes + 1
            """, [.text(target), .text(Self.writingSetting)])
    }

    /// The version of `target`'s state now, or nil when the machinery is not sound (then there is no seal). It
    /// names the tables', triggers' and function's catalog rows too (oid, `xmin`): a trigger disabled and enabled
    /// again, or dropped and made anew, around a write it did not count moves the version all the same.
    func version(target: String, on connection: PGConnection) throws -> String? {
        guard try sound(on: connection) else { return nil }
        let row = try connection.exec("""
            SELECT (SELECT writes::text || '.' || xmin::text FROM \(schema.marks) WHERE target = $1),
                   (SELECT writes::text || '.' || xmin::text FROM \(schema.marks) WHERE target = ''),
                   (SELECT lineage || '.' || serial::text || '.' || format::text FROM \(schema.heads) WHERE target = $1),
                   (SELECT string_agg(c.oid::text || '.' || t.oid::text || '.' || t.xmin::text, ',' ORDER BY c.relname)
                      FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                      WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $2) AND t.tgname = $3),
                   (SELECT p.oid::text || '.' || p.xmin::text FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure($4))
            """, [.text(target), .text(schema.schema), .text(Self.triggerName), .text(function)]).rows[0]
        guard let head = row[2], let triggers = row[3], let function = row[4] else { return nil }
        return "pg1:\(row[0] ?? "-"):\(row[1] ?? "-"):\(head):\(triggers):\(function)"
    }
}
