# Sourced by the PostgreSQL benchmarks after common.sh: a throwaway cluster in $work/pg (fsync on, Unix socket only,
# trust auth inside a 0700 folder), stopped and removed on exit unless KEEP is set; exports RECON_BASE_URL and
# defines `psql` against it. Needs $work (made world-traversable here so the postgres user reaches its socket).
chmod 755 "$work"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as=""
[ "$(id -u)" -eq 0 ] && as="runuser -u postgres --"
mkdir "$work/pg" && chmod 700 "$work/pg"
[ -n "$as" ] && chown postgres "$work/pg"
stop() { $as "$bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
[ -n "${KEEP:-}" ] || trap stop EXIT
$as "$bin/initdb" -D "$work/pg/data" -U bench --auth=trust -E UTF8 --locale=C --no-instructions >/dev/null
$as "$bin/pg_ctl" -D "$work/pg/data" -w -l "$work/pg/server.log" -o "-k $work/pg -c listen_addresses= -c shared_buffers=128MB" start >/dev/null
export RECON_BASE_URL="postgresql://bench@/postgres?host=$work/pg"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$RECON_BASE_URL" "$@"; }
