#!/bin/sh
# Extraction benchmark: a generated repo of 10,000 Markdown files with front matter over
# 200 commits; prints cold extraction time, unchanged (incremental) time and peak memory.
#
# Usage: bench/extract.sh [WORKDIR]      (default: a fresh temp dir, removed afterwards)
# Env:   RECON=path/to/recon to skip the release build; FILES / COMMITS to change the size.
. "$(dirname "$0")/common.sh"     # root, GNU time, the release build (RECON)
files=${FILES:-10000}
commits=${COMMITS:-200}
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/recon-bench.XXXXXX")}
[ $# -ge 1 ] || trap 'rm -rf "$work"' EXIT

repo="$work/repo"
rm -rf "$repo" "$work/state" "$work/manifests"
mkdir -p "$repo" "$work/manifests"
git -C "$repo" init --quiet --initial-branch=main

# One fast-import stream: every commit adds files/commits new files and edits a few older ones.
awk -v files="$files" -v commits="$commits" 'BEGIN {
    per = int((files + commits - 1) / commits); n = 0
    for (c = 1; c <= commits; c++) {
        date = 1704067200 + c * 3600
        msg = "commit " c
        printf "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", date, length(msg), msg
        for (i = 0; i < per && n < files; i++) { emit(n, c); n++ }
        for (k = 0; k < 5 && c > 1; k++) emit(int((c * 7919 + k * 104729) % n), c)
    }
}
function emit(id, rev,    body, path) {
    path = sprintf("docs/section-%02d/topic-%03d/page-%05d.md", id % 50, int(id / 50) % 200, id)
    body = sprintf("---\ntitle: Page %d\ndescription: Generated page %d, revision %d.\ntags: [t%d, t%d]\nweight: %d\n---\n\n# Page %d\n\nThis is the first paragraph of page %d. It links to [the next page](page-%05d.md) and has some words to count.\n\nA second paragraph with more text, revision %d.\n", id, id, rev, id % 5, id % 7, id % 100, id, id, id + 1, rev)
    printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
}' | git -C "$repo" fast-import --quiet
git -C "$repo" reset --quiet --hard main

cat > "$work/manifests/bench.yaml" <<YAML
target: {provider: sqlite, database: $work/bench.sqlite}
tables:
  - name: Pages
    key: Key
    fields:
      - {name: Key, type: singleLineText}
      - {name: Title, type: singleLineText}
      - {name: Description, type: multilineText}
      - {name: Tags, type: multipleSelects, choices: [t0, t1, t2, t3, t4, t5, t6], typecast: true}
      - {name: Weight, type: number}
      - {name: Heading, type: singleLineText}
      - {name: Summary, type: multilineText}
      - {name: Words, type: number}
      - {name: Links, type: multilineText}
      - {name: Source Commit, type: singleLineText}
repos:
  - name: bench
    path: $repo
    extract:
      - table: Pages
        files: ["docs/**/*.md"]
        as: frontmatter
        fields:
          Title: title
          Description: description
          Tags: tags
          Weight: weight
          Heading: \$title
          Summary: \$summary
          Words: \$words
          Links: \$links
          Source Commit: \$commit
YAML

extraction() {
    label=$1
    (cd "$work" && /usr/bin/time -v "$RECON" extract -m manifests --format json >"$work/out.json" 2>"$work/time.txt")
    seconds=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    cached=$(grep -c '"cached": true' "$work/out.json" || true)
    records=$(grep -c '"content_hash"' "$work/out.json")
    printf '%-22s %10s  peak RSS %6d MiB  records %d  cached repos %d\n' "$label" "$seconds" $((rss / 1024)) "$records" "$cached"
}

echo "repo: $(git -C "$repo" ls-files | wc -l | tr -d ' ') files, $(git -C "$repo" rev-list --count HEAD) commits"
extraction "cold extraction"
extraction "unchanged (cached)"
