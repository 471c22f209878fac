#!/bin/sh
# Apply benchmark into SQLite: a saved N-create plan applied, then N creates without a plan file, then 1% updates
# twice (the second reads on from the entry the first made), then a rollback of the last; and, on the same rows,
# sqlite-utils insert and upsert (of all rows and of the 1%; installed from PyPI into a venv) and the sqlite3 CLI's .import.
# Prints wall time, peak memory and the ratio of Recon to each tool.
#
# Usage: bench/apply.sh [N]       (default: 100000)   Env: RECON=path/to/recon to skip the build.
. "$(dirname "$0")/common.sh"
n=${1:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/recon-apply-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
venv="${TMPDIR:-/tmp}/recon-bench-venv"
[ -x "$venv/bin/sqlite-utils" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q sqlite-utils; } >&2

"$root/bench/generate-catalog.sh" "$n" "$work" 2>/dev/null
echo "N = $n                            wall     peak RSS  stages"
measure "recon plan -out: $n creates" "$RECON" plan -m manifests -out plan.json --timings
(cd "$work" && cp -a state state.pristine)
measure "recon apply plan.json (saved)" "$RECON" apply -m manifests plan.json --timings; recon_saved=$last_wall
(cd "$work" && rm -rf state bench.sqlite bench.sqlite-journal && cp -a state.pristine state)
measure "recon apply: $n creates" "$RECON" apply -m manifests --auto-approve --timings; recon_create=$last_wall
(cd "$work" && "$RECON" extract -m manifests --format json > records-before.json)
"$root/bench/generate-catalog.sh" --change "$n" "$work"
measure "recon apply: 1% updates" "$RECON" apply -m manifests --auto-approve --timings; recon_update=$last_wall
# The next 1% change, as a nightly job sees it: read on from the entry the run before made, not from a full read's.
"$root/bench/generate-catalog.sh" --change "$n" "$work"
measure "recon apply: next 1% updates" "$RECON" apply -m manifests --auto-approve --timings; recon_next=$last_wall
run=$(cd "$work" && "$RECON" runs --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["id"])')
measure "recon rollback (plan)" "$RECON" rollback -m manifests "$run" -out rollback.json
measure "recon apply rollback" "$RECON" apply -m manifests rollback.json --timings; recon_rollback=$last_wall
(cd "$work" && "$RECON" extract -m manifests --format json > records-after.json)

# The same rows as flat JSON (lists as JSON text) and CSV, one file per table; the changed rows apart.
python3 - "$work" <<'PY'
import csv, json, sys
work = sys.argv[1]
def rows(path):
    out = {}
    for r in json.load(open(path))["records"]:
        row = {"Key": r["key"]}
        for k, v in r["fields"].items():
            row[k] = json.dumps(v) if isinstance(v, list) else v
        out.setdefault(r["table"], {})[r["key"]] = row
    return out
before, after = rows(f"{work}/records-before.json"), rows(f"{work}/records-after.json")
for table, records in before.items():
    json.dump(list(records.values()), open(f"{work}/{table}.json", "w"))
    changed = [row for key, row in after.get(table, {}).items() if records.get(key) != row]
    json.dump(changed, open(f"{work}/{table}-changed.json", "w"))
    names = sorted({k for row in records.values() for k in row})
    with open(f"{work}/{table}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names); w.writeheader(); w.writerows(records.values())
PY
cat > "$work/insert.sh" <<SH
for t in Plugins Skills Documents; do "$venv/bin/sqlite-utils" insert "$work/utils.db" \$t "$work/\$t.json" --pk Key; done
SH
cat > "$work/upsert.sh" <<SH
for t in Plugins Skills Documents; do "$venv/bin/sqlite-utils" upsert "$work/utils.db" \$t "$work/\$t-changed.json" --pk Key; done
SH
cat > "$work/upsert-all.sh" <<SH
for t in Plugins Skills Documents; do "$venv/bin/sqlite-utils" upsert "$work/utils.db" \$t "$work/\$t.json" --pk Key; done
SH
cat > "$work/import.sh" <<SH
for t in Plugins Skills Documents; do sqlite3 "$work/cli.db" ".import --csv $work/\$t.csv \$t"; done
SH
measure "sqlite-utils insert: $n rows" sh insert.sh; utils_insert=$last_wall
measure "sqlite-utils upsert: 1% rows" sh upsert.sh; utils_upsert=$last_wall
measure "sqlite-utils upsert: all $n rows" sh upsert-all.sh; utils_upsert_all=$last_wall
measure "sqlite3 .import: $n rows" sh import.sh; cli_import=$last_wall
echo
awk -v a="$recon_create" -v b="$utils_insert" -v c="$cli_import" -v d="$recon_update" -v e="$utils_upsert" \
    -v f="$recon_saved" -v g="$utils_upsert_all" -v h="$recon_next" 'BEGIN {
    printf "ratios: recon apply plan.json / sqlite-utils insert = %.2fx (goal 0.5x), recon plan + apply / insert = %.2fx (goal 1.2x)\n", f / b, a / b
    printf "        recon 1%% updates / sqlite-utils upsert of all rows = %.2fx (goal 0.2x), / upsert of the 1%% rows = %.1fx\n", d / g, d / e
    printf "        recon next 1%% updates / sqlite-utils upsert of all rows = %.2fx (goal 0.2x)\n", h / g
    printf "        recon creates / sqlite3 .import = %.1fx\n", a / c
}'
echo "(recon's times include extraction from git, refresh, planning, backup and state; the tools only load rows)"
