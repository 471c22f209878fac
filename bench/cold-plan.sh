#!/bin/sh
# Interleaved cold plans in a catalog made by bench/generate-catalog.sh: each binary in turn, the state and extract
# cache removed before each run; CPU (user + sys), wall, peak RSS, the load, recon's stage split, and digests of the
# plan file, the cache files and stdout (they must agree between binaries).
#
# Usage: bench/cold-plan.sh DIR RECON [RECON...]     Env: ROUNDS (default 2)
cd "$1" || exit 1
shift
for round in $(seq ${ROUNDS:-2}); do
  for recon in "$@"; do
    rm -rf state plan.json
    /usr/bin/time -v "$recon" plan -m manifests -out plan.json --timings >out.txt 2>err.txt || { tail -5 err.txt; exit 1; }
    user=$(sed -n 's/.*User time (seconds): //p' err.txt); sys=$(sed -n 's/.*System time (seconds): //p' err.txt)
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' err.txt)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' err.txt)
    printf '%-22s cpu %6.2f s (user %6.2f, sys %5.2f)  wall %8s  peak %4d MiB  load %s  %s\n' "$(basename "$recon")" \
      "$(echo "$user $sys" | awk '{ print $1 + $2 }')" "$user" "$sys" "$wall" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)" \
      "$(sed -n 's/^Timings: //p' err.txt)"
    echo "  plan.json $(md5sum < plan.json | cut -c1-12)  cache $(cat state/cache/extract/*.json | md5sum | cut -c1-12)  out $(md5sum < out.txt | cut -c1-12)"
  done
done
