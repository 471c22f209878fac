#!/bin/sh
# Plan benchmark: N entities over three tables of about twelve fields; a cold plan (empty base), a no-op
# plan (after applying it), and a plan with 1% changed; each with recon's own split into
# extract / refresh / diff / write, the wall time and the peak memory.
#
# Usage: bench/plan.sh [N ...]       (default: 10000 100000)   Env: RECON=path/to/recon to skip the build.
. "$(dirname "$0")/common.sh"
sizes=${*:-10000 100000}
for n in $sizes; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/recon-plan-bench.XXXXXX")
    "$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
    echo "N = $n ($(git -C "$work/repo" ls-files | wc -l | tr -d ' ') files)       wall     peak RSS  stages"
    measure "cold plan (empty base)" "$RECON" plan -m manifests -out plan.json --timings
    (cd "$work" && "$RECON" apply -m manifests plan.json >/dev/null 2>&1)
    measure "no-op plan" "$RECON" plan -m manifests --timings
    "$root/bench/generate-catalog.sh" --change "$n" "$work"
    measure "plan with 1% changed" "$RECON" plan -m manifests -out plan2.json --timings
    echo "plan file sizes: cold $(du -h "$work/plan.json" | cut -f1), 1% $(du -h "$work/plan2.json" | cut -f1); state $(du -h "$work/state/recon.state.json" | cut -f1)"
    echo
    rm -rf "$work"
done
