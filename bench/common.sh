# Shared by the benchmark scripts: GNU time for peak memory, the release build, and `measure`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak-memory figures" >&2
    (apt-get install -y -qq time >/dev/null 2>&1 || (apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null))
fi
if [ -z "${RECON:-}" ]; then
    (cd "$root" && swift build -c release --product recon >&2)
    RECON="$root/.build/release/recon"
fi

# measure LABEL COMMAND...: runs COMMAND in $work, prints wall time, peak RSS and recon's own stage timings.
measure() {
    label=$1; shift
    (cd "$work" && /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/err.txt") || { cat "$work/err.txt" >&2; return 1; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err.txt")
    stages=$(sed -n 's/^Timings: //p' "$work/err.txt")
    printf '%-34s %9s  %6d MiB  %s\n' "$label" "$wall" $((rss / 1024)) "$stages"
    last_wall=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
}
