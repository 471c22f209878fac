#!/bin/sh
# Peak memory (maximum RSS from /usr/bin/time -v) of every command on one generated catalog of N entities,
# SQLite base: extract, cold plan (empty state and caches), plan -out, show FILE, apply FILE, the commands that read
# the run and the state it left (runs show, runs export, state pull), plan -out over the earlier plan file, no-op
# plan, drift, and
# plan + apply without a file on an empty base, then the plan after it (the delta path: `--timings` names a `delta`
# stage, checked). CPU time (user + sys) beside it, wall time for reference.
#
# Usage: bench/memory.sh [N ...]   (default: 10000 100000)   Env: RECON=path/to/recon to skip the build,
#        SKIP="apply-nofile ..." to leave steps out (ids: extract cold plan-out show apply-file runs-show
#        runs-export state-pull plan-over noop drift apply-nofile delta)
. "$(dirname "$0")/common.sh"
sizes=${*:-10000 100000}
skip=" ${SKIP:-} "

# step ID LABEL COMMAND...: measures COMMAND in $work unless SKIP names ID.
step() {
    id=$1; label=$2; shift 2
    case "$skip" in *" $id "*) printf '| %s | skipped | | |\n' "$label"; return 0 ;; esac
    (cd "$work" && /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/err.txt") || { tail -5 "$work/err.txt" >&2; return 1; }
    user=$(sed -n 's/.*User time (seconds): //p' "$work/err.txt"); sys=$(sed -n 's/.*System time (seconds): //p' "$work/err.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err.txt")
    printf '| %s | %d MiB | %.2f s | %s |\n' "$label" $((rss / 1024)) "$(echo "$user + $sys" | bc)" "$wall"
}

for n in $sizes; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/recon-memory-bench.XXXXXX")
    "$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
    echo "N = $n ($RECON)"
    echo
    echo "| command | peak RSS | user+sys | wall |"
    echo "|---|---|---|---|"
    step extract "extract" "$RECON" extract -m manifests --format json
    rm -rf "$work/state"
    step cold "cold plan (no state, no caches)" "$RECON" plan -m manifests
    step plan-out "plan -out (caches warm)" "$RECON" plan -m manifests -out plan.json
    step show "show FILE (100% creates)" "$RECON" show -m manifests plan.json
    step apply-file "apply FILE (100% creates)" "$RECON" apply -m manifests plan.json
    run=$(cd "$work" && "$RECON" runs --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["id"])')
    step runs-show "runs show (that apply)" "$RECON" runs show -m manifests "$run"
    step runs-export "runs export (that apply)" "$RECON" runs export -m manifests "$run"
    step state-pull "state pull" "$RECON" state pull -m manifests
    step plan-over "plan -out over the earlier plan file" "$RECON" plan -m manifests -out plan.json
    step noop "no-op plan" "$RECON" plan -m manifests
    step drift "drift (nothing changed)" "$RECON" drift -m manifests
    rm -rf "$work/state" "$work/bench.sqlite" "$work/bench.sqlite-journal" "$work/bench.sqlite-wal"
    step apply-nofile "apply without a file (empty base)" "$RECON" apply -m manifests --auto-approve
    step delta "plan after it (delta path)" "$RECON" plan -m manifests --timings
    case "$skip" in *" delta "*) ;; *) grep -q delta "$work/err.txt" || { echo "the plan after apply did not take the delta path" >&2; exit 1; } ;; esac
    echo
    rm -rf "$work"
done
