#!/bin/sh
# PostgreSQL base benchmark: `recon apply` of N creates into a PostgreSQL schema, side by side with psql's
# `\copy` of the very same rows (dumped from the applied tables) into tables of the same definition
# (`CREATE TABLE … (LIKE … INCLUDING ALL)`: same types, CHECK constraints and indexes).
# Then a no-op plan and a drift check, each twice: the full path, then answered from the no-op seal. Prints the
# creates stage's ratio to `\copy` (issue 12, goal 6), the whole apply's, and the server's CPU during the apply.
# Starts a throwaway cluster in a temp dir (fsync on, Unix socket only, trust auth inside a 0700 folder).
#
# Usage: bench/postgres-apply.sh [N]       (default: 100000)   Env: RECON=path/to/recon to skip the build.
. "$(dirname "$0")/common.sh"
n=${1:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/recon-pg-bench.XXXXXX")
. "$root/bench/postgres-cluster.sh"

"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
sed -i "s|^target: .*|target: {provider: postgres, url_env: RECON_BASE_URL, schema: catalog}|" "$work/manifests/"*.yaml
echo "N = $n (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), fsync on)     wall     peak RSS  stages"
# The server's CPU: its backends' time, which the postmaster collects as each one exits (cutime + cstime, in ticks).
served() { awk '{ print $16 + $17 }' "/proc/$(head -1 "$work/pg/data/postmaster.pid")/stat"; }
served_before=$(served)
measure "recon apply: $n creates" "$RECON" apply -m manifests --auto-approve --timings; recon_apply=$last_wall
recon_creates=$(echo "$stages" | sed -n 's/.*creates \([0-9.]*\)s.*/\1/p')
sleep 0.2; served_after=$(served)
measure "recon plan: no changes" "$RECON" plan -m manifests --timings
measure "recon plan: no changes, sealed" "$RECON" plan -m manifests --timings
measure "recon drift: nothing changed" "$RECON" drift -m manifests
measure "recon drift: sealed" "$RECON" drift -m manifests

tables=$(psql -At -c "SELECT table_name FROM information_schema.tables WHERE table_schema = 'catalog' ORDER BY 1")
psql -c "CREATE SCHEMA copied"
: > "$work/copy.sql"
for t in $tables; do
    psql -c "\\copy catalog.\"$t\" TO '$work/$t.csv' WITH (FORMAT csv)"
    psql -c "CREATE TABLE copied.\"$t\" (LIKE catalog.\"$t\" INCLUDING ALL)"
    printf '%s\n' "\\copy copied.\"$t\" FROM '$work/$t.csv' WITH (FORMAT csv)" >> "$work/copy.sql"
done
rows=$(psql -At -c "SELECT sum(n) FROM (SELECT count(*) AS n FROM catalog.\"Skills\" UNION ALL SELECT count(*) FROM catalog.\"Plugins\" UNION ALL SELECT count(*) FROM catalog.\"Documents\") c" 2>/dev/null || echo "?")
measure "psql \\copy: the same $rows rows" sh -c "psql() { command psql -X -q -v ON_ERROR_STOP=1 \"\$RECON_BASE_URL\" \"\$@\"; }; psql -f '$work/copy.sql'"; copy=$last_wall
copied=$(psql -At -c "SELECT sum(n) FROM (SELECT count(*) AS n FROM copied.\"Skills\" UNION ALL SELECT count(*) FROM copied.\"Plugins\" UNION ALL SELECT count(*) FROM copied.\"Documents\") c")
[ "$copied" = "$rows" ] || { echo "psql \\copy loaded $copied rows, not $rows" >&2; exit 1; }
echo
awk -v a="$recon_apply" -v c="$recon_creates" -v b="$copy" -v s="$served_before" -v t="$served_after" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    printf "ratio: recon creates stage / psql \\copy = %.1fx (whole apply %.1fx); server CPU during the apply %.2f s\n", c / b, a / b, (t - s) / hz }'
