#!/bin/sh
# Plan benchmark: N entities over three tables of about twelve fields; a cold plan (empty base), no-op plans
# and drift checks after applying it (the full read that seals, the answer from the no-op seal, --refresh=full /
# drift --full), and a plan with 1% changed; each with recon's own split into
# extract / refresh / diff / write, the wall time and the peak memory.
#
# Usage: bench/plan.sh [N ...]       (default: 10000 100000)   Env: RECON=path/to/recon to skip the build.
. "$(dirname "$0")/common.sh"
sizes=${*:-10000 100000}
# cpu: the user+sys CPU of the run `measure` just made (steadier than wall time on a shared machine).
cpu() {
    user=$(sed -n 's/.*User time (seconds): //p' "$work/err.txt"); sys=$(sed -n 's/.*System time (seconds): //p' "$work/err.txt")
    printf '%34s CPU %s s (user %s + sys %s)\n' "" "$(echo "$user $sys" | awk '{ print $1 + $2 }')" "$user" "$sys"
}
for n in $sizes; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/recon-plan-bench.XXXXXX")
    "$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
    echo "N = $n ($(git -C "$work/repo" ls-files | wc -l | tr -d ' ') files)       wall     peak RSS  stages"
    measure "cold plan (empty base)" "$RECON" plan -m manifests -out plan.json --timings
    (cd "$work" && "$RECON" apply -m manifests plan.json >/dev/null 2>&1)
    measure "no-op plan (full read, seals)" "$RECON" plan -m manifests --timings; cpu
    measure "no-op plan (from the seal)" "$RECON" plan -m manifests --timings; cpu
    measure "no-op plan --refresh=full" "$RECON" plan -m manifests --timings --refresh=full; cpu
    measure "no-op plan (from the seal)" "$RECON" plan -m manifests --timings; cpu
    measure "drift --full (seals)" "$RECON" drift -m manifests --full; cpu
    measure "drift (from the seal)" "$RECON" drift -m manifests; cpu
    "$root/bench/generate-catalog.sh" --change "$n" "$work"
    measure "plan with 1% changed" "$RECON" plan -m manifests -out plan2.json --timings
    echo "plan file sizes: cold $(du -h "$work/plan.json" | cut -f1), 1% $(du -h "$work/plan2.json" | cut -f1); state $(du -h "$work/state/recon.state.json" | cut -f1)"
    echo
    rm -rf "$work"
done
