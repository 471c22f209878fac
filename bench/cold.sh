#!/bin/sh
# Cold plan benchmark: N entities, empty base, no cache (extraction from git included), with each given recon
# binary, interleaved, R times each; then `sqlite-utils insert --pk Key` of the same rows (installed from PyPI
# into a venv, as bench/apply.sh does) in the same run. CPU (user + sys, git children included) is the figure
# to compare on a shared machine; wall time and peak RSS are printed too, with recon's own stage split.
#
# Usage: bench/cold.sh N RECON [RECON...]     Env: ROUNDS (default 3)
. "$(dirname "$0")/common.sh"
n=$1; shift
rounds=${ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/recon-cold-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
venv="${TMPDIR:-/tmp}/recon-bench-venv"
[ -x "$venv/bin/sqlite-utils" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q sqlite-utils; } >&2
"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null

# report LABEL: one line from the GNU time output in $work/err.txt.
report() {
    user=$(sed -n 's/.*User time (seconds): //p' "$work/err.txt"); sys=$(sed -n 's/.*System time (seconds): //p' "$work/err.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err.txt")
    printf '%-28s cpu %6.2f s (user %6.2f, sys %5.2f)  wall %8s  peak %5d MiB  %s\n' "$1" "$(echo "$user $sys" | awk '{ print $1 + $2 }')" \
        "$user" "$sys" "$wall" $((rss / 1024)) "$(sed -n 's/^Timings: //p' "$work/err.txt")"
}

echo "N = $n: cold plan (empty base, no extract cache)"
for round in $(seq "$rounds"); do
    for recon in "$@"; do
        (cd "$work" && rm -rf state plan.json && /usr/bin/time -v "$recon" plan -m manifests -out plan.json --timings >out.txt 2>err.txt) ||
            { tail -5 "$work/err.txt" >&2; exit 1; }
        report "$(basename "$recon")"
    done
done

# The same rows as flat JSON (lists as JSON text), one file per table, as bench/apply.sh makes them.
(cd "$work" && "$1" extract -m manifests --format json > records.json)
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
tables = {}
for r in json.load(open(f"{work}/records.json"))["records"]:
    row = {"Key": r["key"]}
    for k, v in r["fields"].items():
        row[k] = json.dumps(v) if isinstance(v, list) else v
    tables.setdefault(r["table"], []).append(row)
for table, rows in tables.items():
    json.dump(rows, open(f"{work}/{table}.json", "w"))
PY
for round in $(seq "$rounds"); do
    rm -f "$work/utils.db"
    (cd "$work" && /usr/bin/time -v sh -c "for t in Plugins Skills Documents; do '$venv/bin/sqlite-utils' insert utils.db \$t \$t.json --pk Key; done" \
        >out.txt 2>err.txt) || { tail -5 "$work/err.txt" >&2; exit 1; }
    report "sqlite-utils insert"
done
