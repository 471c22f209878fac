#!/usr/bin/env bash
# Pull request job: make the plan, check it, and post its Markdown as ONE comment on the pull request,
# updated in place on every push. The comment is found by its first line, the hidden marker
# `<!-- recon-plan target=… -->` that `recon show --format markdown` starts with, among comments by
# COMMENT_AUTHOR (so a person quoting the marker is never overwritten).
#
# Environment: GITHUB_REPOSITORY (owner/name), PR_NUMBER; optional PLAN_FILE (default recon-plan.json),
# COMMENT_AUTHOR (default github-actions[bot]), GH, RECON, GITHUB_STEP_SUMMARY.
# Exit: 0 the plan is posted (with or without changes, warnings allowed); 1 the plan failed, or
# `recon check` found error findings (the comment is posted first, so reviewers see why).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need GITHUB_REPOSITORY PR_NUMBER
plan_file=${PLAN_FILE:-recon-plan.json}
author=${COMMENT_AUTHOR:-github-actions[bot]}
comment=$(mktemp)
trap 'rm -f "$comment"' EXIT

status=0
"$RECON" plan -out "$plan_file" -detailed-exitcode --no-color || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "recon plan failed (exit $status); nothing was posted"

"$RECON" show "$plan_file" --format markdown > "$comment"
check=0
"$RECON" check "$plan_file" --no-color || check=$?
[ "$check" -le 2 ] || fail "recon check failed (exit $check)"

marker=$(head -n 1 "$comment")
# The marker is percent-encoded by recon, so it holds no quote or backslash to break the jq filter below.
[[ $marker =~ ^'<!-- recon-plan target='[A-Za-z0-9:/._~@+=,%-]*' -->'$ ]] || fail "the plan's Markdown does not start with the recon-plan marker"
[[ $author =~ ^[A-Za-z0-9._-]+(\[bot\])?$ ]] || fail "COMMENT_AUTHOR '$author' is not a GitHub login"

id=$(gh_api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.user.login == \"$author\" and (.body | startswith(\"$marker\"))) | .id" | sed -n 1p)
if [ -n "$id" ]; then
  gh_api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$comment" > /dev/null
  echo "Updated the plan comment $id on pull request #$PR_NUMBER."
else
  gh_api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$comment" > /dev/null
  echo "Posted the plan comment on pull request #$PR_NUMBER."
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$comment" >> "$GITHUB_STEP_SUMMARY"; fi

[ "$check" -ne 1 ] || fail "the plan has error findings: apply would refuse it (see the comment; allow a code with --allow CODE)"
exit 0
