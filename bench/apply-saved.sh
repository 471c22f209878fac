#!/bin/sh
# Applies one saved N-create plan to an empty SQLite base with each given recon binary, interleaved, R times
# each: user and system CPU time (steadier than wall time on a shared machine), wall time, peak RSS, bytes
# written and recon's own phase timings. The plan is made once, by the first binary.
#
# Usage: bench/apply-saved.sh N RECON [RECON...]     Env: ROUNDS (default 3), WORK (default a temp dir, removed)
. "$(dirname "$0")/common.sh"
n=$1; shift
rounds=${ROUNDS:-3}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/recon-apply-saved.XXXXXX")}
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
(cd "$work" && "$1" plan -m manifests -out plan.json >/dev/null && cp -a state state.pristine)
echo "N = $n: recon apply plan.json on an empty base"
for round in $(seq "$rounds"); do
    for recon in "$@"; do
        (cd "$work" && rm -rf state bench.sqlite bench.sqlite-journal && cp -a state.pristine state &&
            /usr/bin/time -v "$recon" apply -m manifests plan.json --timings >out.txt 2>err.txt) || { tail -5 "$work/err.txt" >&2; exit 1; }
        user=$(sed -n 's/.*User time (seconds): //p' "$work/err.txt"); sys=$(sed -n 's/.*System time (seconds): //p' "$work/err.txt")
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err.txt")
        written=$(sed -n 's/.*File system outputs: //p' "$work/err.txt")
        printf '%s  user %6.2f s  sys %5.2f s  wall %8s  peak %5d MiB  written %4d MiB  %s\n' "$recon" "$user" "$sys" "$wall" \
            $((rss / 1024)) $((written / 2048)) "$(sed -n 's/^Timings: //p' "$work/err.txt")"
    done
done
