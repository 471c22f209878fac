#!/bin/sh
# Turns the example's source folders into real git repos with a few commits each, so
# `recon extract -m examples/catalog/manifests` has history to read (per-file source commits).
#
# Usage: examples/catalog/make-repos.sh [DIR]     (default: examples/catalog/build/repos)
# The repos are rebuilt from scratch on every run; dates are fixed, so commit ids are stable.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/build/repos"}
sources="$here/sources"

export GIT_AUTHOR_NAME="Catalog Example" GIT_AUTHOR_EMAIL="catalog@example.com"
export GIT_COMMITTER_NAME="Catalog Example" GIT_COMMITTER_EMAIL="catalog@example.com"
export GIT_CONFIG_NOSYSTEM=1 HOME="$here"  # ignore the user's git config (signing, hooks)
step=0

# commit REPO MESSAGE PATH...: copies PATHs from the sources into REPO and commits them.
commit() {
    repo=$1 message=$2
    shift 2
    for path in "$@"; do
        mkdir -p "$out/$repo/$(dirname "$path")"
        cp -R "$sources/$repo/$path" "$out/$repo/$path"
    done
    step=$((step + 1))
    date="2024-03-0${step}T12:00:00Z"
    git -C "$out/$repo" add --all
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git -C "$out/$repo" commit --quiet -m "$message"
}

for repo in core docs; do
    rm -rf "$out/$repo"
    mkdir -p "$out/$repo"
    git -C "$out/$repo" init --quiet --initial-branch=main
done

commit core "Add lint-kit with the Swift linter" \
    plugins/lint-kit/.claude-plugin/plugin.json plugins/lint-kit/skills/lint-swift/SKILL.md
commit core "Add the YAML linter and docs-kit" \
    plugins/lint-kit/skills/lint-yaml/SKILL.md plugins/docs-kit
commit core "Add a standalone commit-message skill" skills/commit-message
commit docs "Start the guides" guides/getting-started.md
commit docs "Add the skill guide and the manifest reference" guides/writing-skills.md reference/manifest.md

echo "Built $(ls "$out" | wc -l | tr -d ' ') repos in $out"
