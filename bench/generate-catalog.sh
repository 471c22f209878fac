#!/bin/sh
# Generates a catalog of N entities for the plan and apply benchmarks: a git repo (via git fast-import)
# with N/100 plugins (plugin.json), 70% skills (SKILL.md front matter, linked to their plugin) and the
# rest documents (Markdown with front matter) over 20 commits, plus manifests for three tables of
# about twelve fields each, targeting a SQLite base in WORK.
#
# Usage: bench/generate-catalog.sh N WORK            creates WORK/repo and WORK/manifests
#        bench/generate-catalog.sh --change N WORK   commits a change to 1% of the entities (N/100 skills)
set -eu

# One skill's SKILL.md as a fast-import entry; shared by the first generation and --change.
skill_awk='function skill(id, plugins, rev,    path, body) {
    path = sprintf("plugins/p%04d/skills/s%06d/SKILL.md", id % plugins, id)
    body = sprintf("---\nname: skill-%d\ndescription: Skill %d, revision %d, does a useful thing.\nversion: 1.%d.0\nauthor: Author %d\nemail: author%d@example.com\nhomepage: https://example.com/skills/%d\ntags: [t%d, t%d]\nweight: %d\nenabled: %s\ncategory: c%d\n---\n\n# Skill %d\n\nThis skill helps with task %d (revision %d).\n", id, id, rev, rev, id % 97, id % 97, id, id % 5, (id + 2) % 5, id % 100, (id % 3 ? "true" : "false"), id % 4, id, id, rev)
    printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
}'

if [ "$1" = "--change" ]; then
    n=$2; work=$3; round=$(git -C "$work/repo" rev-list --count HEAD)
    awk -v n="$n" -v round="$round" "$skill_awk"'
    BEGIN {
        plugins = int(n / 100); skills = int(n * 0.7); changed = int(n / 100)
        msg = "change " round
        printf "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\nfrom refs/heads/main^0\n", 1704067200 + round * 3600, length(msg), msg
        for (i = 0; i < changed; i++) { id = int(i * skills / changed); skill(id, plugins, round) }
    }' | git -C "$work/repo" fast-import --quiet --force
    git -C "$work/repo" reset --quiet --hard main
    exit 0
fi

n=$1; work=$2
rm -rf "$work/repo" "$work/manifests"
mkdir -p "$work/repo" "$work/manifests"
git -C "$work/repo" init --quiet --initial-branch=main
awk -v n="$n" "$skill_awk"'
BEGIN {
    plugins = int(n / 100); skills = int(n * 0.7); docs = n - plugins - skills; commits = 20
    for (c = 0; c < commits; c++) {
        msg = "commit " c
        printf "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", 1704067200 + c * 3600, length(msg), msg
        for (i = c; i < plugins; i += commits) plugin(i)
        for (i = c; i < skills; i += commits) skill(i, plugins, 0)
        for (i = c; i < docs; i += commits) doc(i)
    }
}
function plugin(id,    path, body) {
    path = sprintf("plugins/p%04d/plugin.json", id)
    body = sprintf("{\"name\": \"plugin-%d\", \"version\": \"1.0.%d\", \"description\": \"Plugin %d bundles skills.\", \"author\": {\"name\": \"Team %d\", \"email\": \"team%d@example.com\"}, \"homepage\": \"https://example.com/p/%d\", \"keywords\": [\"k%d\", \"k%d\"], \"license\": \"MIT\", \"category\": \"c%d\", \"enabled\": true, \"weight\": %d}", id, id % 10, id, id % 13, id % 13, id, id % 5, (id + 1) % 5, id % 4, id % 100)
    printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
}
function doc(id,    path, body) {
    path = sprintf("docs/d%03d/page-%06d.md", id % 500, id)
    body = sprintf("---\nowner: owner%d@example.com\naudience: a%d\ntags: [t%d]\nweight: %d\nreviewed: %s\nlink: https://example.com/docs/%d\n---\n\n# Page %d\n\nThe first paragraph of page %d explains a topic in a few words.\n\nMore text follows [here](page-%06d.md).\n", id % 50, id % 3, id % 5, id % 100, (id % 2 ? "true" : "false"), id, id, id, id + 1)
    printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
}' | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset --quiet --hard main

cat > "$work/manifests/catalog.yaml" <<YAML
target: {provider: sqlite, database: $work/bench.sqlite}
tables:
  - name: Plugins
    key: Key
    fields:
      - {name: Key, type: singleLineText}
      - {name: Name, type: singleLineText}
      - {name: Version, type: singleLineText}
      - {name: Description, type: multilineText}
      - {name: Author, type: singleLineText}
      - {name: Email, type: email}
      - {name: Homepage, type: url}
      - {name: Keywords, type: multipleSelects, choices: [k0, k1, k2, k3, k4]}
      - {name: Category, type: singleSelect, choices: [c0, c1, c2, c3]}
      - {name: Enabled, type: checkbox}
      - {name: Weight, type: number}
      - {name: Source Commit, type: singleLineText}
  - name: Skills
    key: Key
    fields:
      - {name: Key, type: singleLineText}
      - {name: Name, type: singleLineText}
      - {name: Description, type: multilineText}
      - {name: Version, type: singleLineText}
      - {name: Author, type: singleLineText}
      - {name: Email, type: email}
      - {name: Homepage, type: url}
      - {name: Tags, type: multipleSelects, choices: [t0, t1, t2, t3, t4]}
      - {name: Weight, type: number}
      - {name: Enabled, type: checkbox}
      - {name: Category, type: singleSelect, choices: [c0, c1, c2, c3]}
      - {name: Plugin, type: multipleRecordLinks, table: Plugins}
      - {name: Source Commit, type: singleLineText}
  - name: Documents
    key: Key
    fields:
      - {name: Key, type: singleLineText}
      - {name: Title, type: singleLineText}
      - {name: Summary, type: multilineText}
      - {name: Owner, type: email}
      - {name: Audience, type: singleLineText}
      - {name: Tags, type: multipleSelects, choices: [t0, t1, t2, t3, t4]}
      - {name: Weight, type: number}
      - {name: Reviewed, type: checkbox}
      - {name: Link, type: url}
      - {name: Words, type: number}
      - {name: Source Commit, type: singleLineText}
repos:
  - name: bench
    path: $work/repo
    extract:
      - table: Plugins
        files: ["plugins/*/plugin.json"]
        as: json
        root: .
        fields: {Name: name, Version: version, Description: description, Author: author.name, Email: author.email,
                 Homepage: homepage, Keywords: keywords, Category: category, Enabled: enabled, Weight: weight,
                 Source Commit: \$commit}
      - table: Skills
        files: ["plugins/*/skills/*/SKILL.md"]
        as: frontmatter
        root: .
        fields: {Name: name, Description: description, Version: version, Author: author, Email: email,
                 Homepage: homepage, Tags: tags, Weight: weight, Enabled: enabled, Category: category,
                 Plugin: {link: Plugins, by: ancestor}, Source Commit: \$commit}
      - table: Documents
        files: ["docs/**/*.md"]
        as: frontmatter
        fields: {Title: \$title, Summary: \$summary, Owner: owner, Audience: audience, Tags: tags, Weight: weight,
                 Reviewed: reviewed, Link: link, Words: \$words, Source Commit: \$commit}
YAML
echo "generated $n entities in $work/repo ($(git -C "$work/repo" ls-files | wc -l | tr -d ' ') files, $(git -C "$work/repo" rev-list --count HEAD) commits)" >&2
