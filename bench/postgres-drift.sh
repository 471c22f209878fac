#!/bin/sh
# What PostgreSQL change tracking costs (issue 12): `recon apply` of N creates into a fresh schema by a recon
# that installs the `_recon_changes` triggers (RECON, this tree) and by one that does not (BASELINE, a build
# from before them), interleaved ROUNDS times so the load of a shared machine falls on both alike. Prints wall
# time, recon's own CPU (user + sys: the server's CPU is not split out) and the `creates` stage; then what the
# triggers cost an outsider's bulk UPDATE of every skill, and how many rows Recon's applies left in the log.
#
# Usage: BASELINE=path/to/old/recon bench/postgres-drift.sh [N] [ROUNDS]   (default: 100000 3)
#        Env: RECON=path/to/recon to skip the build.
. "$(dirname "$0")/common.sh"
n=${1:-100000}
rounds=${2:-3}
[ -x "${BASELINE:-}" ] || { echo "set BASELINE to a recon built before change tracking (e.g. git worktree add + swift build -c release)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/recon-pg-drift.XXXXXX")
. "$root/bench/postgres-cluster.sh"

"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
sed -i "s|^target: .*|target: {provider: postgres, url_env: RECON_BASE_URL, schema: catalog}|" "$work/manifests/"*.yaml

fresh() { psql -c "DROP SCHEMA IF EXISTS catalog CASCADE; DROP SCHEMA IF EXISTS catalog_recon CASCADE" 2>/dev/null; rm -rf "$work/state"; }
cpu() { sed -n 's/.*User time (seconds): //p; s/.*System time (seconds): //p' "$work/err.txt" | awk '{ s += $1 } END { printf "%.2f", s }'; }
creates() { sed -n 's/^Timings: .*creates \([0-9.]*s\).*/\1/p' "$work/err.txt"; }
triggers() { psql -At -c "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'catalog'::regnamespace AND t.tgname = '_recon_changes'"; }

echo "N = $n, $rounds interleaved rounds (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'))"
printf '%-40s %9s %9s %9s  %s\n' "run" "wall" "recon CPU" "creates" "triggers"
for round in $(seq "$rounds"); do
    for side in without with; do
        fresh
        if [ "$side" = with ]; then exe=$RECON; else exe=$BASELINE; fi
        (cd "$work" && /usr/bin/time -v "$exe" apply -m manifests --auto-approve --timings >"$work/out.txt" 2>"$work/err.txt") || { cat "$work/err.txt" >&2; exit 1; }
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
        printf '%-40s %9s %8ss %9s  %s\n' "round $round: apply $n creates, $side" "$wall" "$(cpu)" "$(creates)" "$(triggers)"
    done
done

# The table now has its triggers (the last run was `with`): the log holds nothing of Recon's apply.
logged=$(psql -At -c "SELECT count(*) FROM catalog_recon.changes")
echo "rows in catalog_recon.changes after Recon's apply: $logged"
for side in with without; do
    [ "$side" = without ] && psql -c "DROP TRIGGER _recon_changes ON catalog.\"Skills\""
    start=$(date +%s.%N)
    psql -c "UPDATE catalog.\"Skills\" SET \"Weight\" = \"Weight\" + 1"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v side="$side" 'BEGIN { printf "outsider UPDATE of every skill, %-8s %6.2fs\n", side ":", e - s }'
done
echo "rows in catalog_recon.changes after the outsider's UPDATE: $(psql -At -c "SELECT count(*) FROM catalog_recon.changes")"
