#!/bin/sh
# Peak RSS and CPU time (user + sys) of the commands that read or write a saved plan — `plan -out` (caches warm),
# `show plan.json`, `apply plan.json` (all creates, empty base) — for each given recon binary, interleaved, on
# one generated catalog. The plan is made once by the first binary; every step starts from the state it left.
#
# Usage: bench/plan-read.sh DIR RECON [RECON...]   (DIR from `bench/generate-catalog.sh N DIR`)  Env: ROUNDS (default 1)
set -eu
work=$1; shift
cd "$work"
[ -f plan.json ] || { "$1" plan -m manifests >/dev/null; "$1" plan -m manifests -out plan.json >/dev/null; cp -a state state.pristine; }
fresh() { rm -rf state bench.sqlite bench.sqlite-journal bench.sqlite-wal; cp -a state.pristine state; }
measure() {
    label=$1; recon=$2; shift 2
    fresh
    /usr/bin/time -v "$recon" "$@" >out.txt 2>err.txt || { tail -5 err.txt >&2; exit 1; }
    user=$(sed -n 's/.*User time (seconds): //p' err.txt); sys=$(sed -n 's/.*System time (seconds): //p' err.txt)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' err.txt)
    printf '| %s | %s | %d MiB | %.2f s | %s |\n' "$label" "$recon" $((rss / 1024)) "$(echo "$user + $sys" | bc)" \
        "$(sed -n 's/^Timings: //p' err.txt)"
}
echo "| command | recon | peak RSS | user+sys | timings |"
echo "|---|---|---|---|---|"
for round in $(seq "${ROUNDS:-1}"); do
    for recon in "$@"; do measure "plan -out" "$recon" plan -m manifests -out plan-again.json --timings; done
    for recon in "$@"; do measure "show plan.json" "$recon" show plan.json; done
    for recon in "$@"; do measure "apply plan.json" "$recon" apply -m manifests plan.json --timings; done
done
