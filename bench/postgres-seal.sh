#!/bin/sh
# The no-op seal with the state AND the base in PostgreSQL (issue 12, goal 3): N records applied once, then a no-op
# `plan` and `drift` run twice each (the first may write the seal, the second may be answered from it) by BASELINE
# (a recon from before the PostgreSQL seal) and RECON (this tree), interleaved ROUNDS times so the load of a
# shared machine falls on both alike; then RECON in a second checkout (same manifests, no state/ folder: a CI
# runner with an empty cache). Prints wall time, recon's CPU (user + sys) and the stage timings.
#
# With APPLY_ROUNDS=K, first K interleaved fresh applies of N creates per side: what counting the state's writes
# (`PostgresStateMarks.markWrite` per batch, the trigger's WHEN test) costs an apply.
#
# Usage: BASELINE=path/to/old/recon bench/postgres-seal.sh [N] [ROUNDS]   (default: 100000 2)
#        Env: RECON=path/to/recon to skip the build; APPLY_ROUNDS (default 0).
. "$(dirname "$0")/common.sh"
n=${1:-100000}
rounds=${2:-2}
[ -x "${BASELINE:-}" ] || { echo "set BASELINE to a recon built before the PostgreSQL seal" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/recon-pg-seal.XXXXXX")
. "$root/bench/postgres-cluster.sh"

"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
sed -i "s|^target: .*|target: {provider: postgres, url_env: RECON_BASE_URL, schema: catalog}|" "$work/manifests/"*.yaml
printf 'state:\n  backend: postgres\n  url_env: RECON_BASE_URL\n  schema: recon_state\n' > "$work/manifests/state.yaml"
mkdir "$work/second" && cp -R "$work/manifests" "$work/second/manifests"

cpu() { sed -n 's/.*User time (seconds): //p; s/.*System time (seconds): //p' "$work/err.txt" | awk '{ s += $1 } END { printf "%.2f", s }'; }
run() {
    label=$1; dir=$2; shift 2
    (cd "$dir" && /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/err.txt") || { cat "$work/err.txt" >&2; exit 1; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
    printf '%-44s %9s %8ss  %s\n' "$label" "$wall" "$(cpu)" "$(sed -n 's/^Timings: //p' "$work/err.txt")"
}

echo "N = $n, $rounds interleaved rounds (PostgreSQL $("$bin/postgres" --version | awk '{print $3}')); state and base in PostgreSQL"
printf '%-44s %9s %9s  %s\n' "run" "wall" "CPU" "stages"
fresh() { psql -c "DROP SCHEMA IF EXISTS catalog CASCADE; DROP SCHEMA IF EXISTS catalog_recon CASCADE; DROP SCHEMA IF EXISTS recon_state CASCADE" 2>/dev/null; rm -rf "$work/state"; }
for round in $(seq "${APPLY_ROUNDS:-0}"); do
    for side in before after; do
        if [ "$side" = after ]; then exe=$RECON; else exe=$BASELINE; fi
        fresh
        run "apply round $round $side: $n creates" "$work" "$exe" apply -m manifests --auto-approve --timings
    done
done
fresh
run "apply: $n creates (RECON)" "$work" "$RECON" apply -m manifests --auto-approve --timings
for round in $(seq "$rounds"); do
    for side in before after; do
        if [ "$side" = after ]; then exe=$RECON; else exe=$BASELINE; fi
        run "round $round $side: plan, no changes (1st)" "$work" "$exe" plan -m manifests --timings
        run "round $round $side: plan, no changes (2nd)" "$work" "$exe" plan -m manifests --timings
        run "round $round $side: drift (1st)" "$work" "$exe" drift -m manifests
        run "round $round $side: drift (2nd)" "$work" "$exe" drift -m manifests
    done
done
rm -rf "$work/second/state"
run "after, second checkout: plan" "$work/second" "$RECON" plan -m manifests --timings
run "after, second checkout: drift" "$work/second" "$RECON" drift -m manifests
echo "seal rows: $(psql -At -c "SELECT string_agg(kind || ' ' || length(seal), ', ' ORDER BY kind) FROM recon_state.state_seals")"
