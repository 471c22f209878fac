#!/usr/bin/env bash
# Merge job: apply the plan that was reviewed on the merged pull request, with --auto-approve. That plan
# is the artifact PLAN_ARTIFACT of the newest successful PLAN_WORKFLOW run on the pull request's head
# commit. recon refuses it, writing nothing, when anything moved since it was made (the manifests, a
# repo's commit, the state, a record it touches): then plan again on a new pull request.
#
# Environment: GITHUB_REPOSITORY (owner/name), GITHUB_SHA (the pushed merge commit); optional
# PLAN_WORKFLOW (default recon-plan.yml), PLAN_ARTIFACT (default recon-plan), PLAN_FILE (the file in
# it, default recon-plan.json), LOCK_TIMEOUT (default 5m), GH, RECON.
# Exit: 0 applied; 1 no reviewed plan found, a stale or refused plan, or a failed apply.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need GITHUB_REPOSITORY GITHUB_SHA
workflow=${PLAN_WORKFLOW:-recon-plan.yml}
artifact=${PLAN_ARTIFACT:-recon-plan}
plan_name=${PLAN_FILE:-recon-plan.json}

pull=$(gh_api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" --jq '.[0] | select(. != null) | "\(.number) \(.head.sha)"')
[ -n "$pull" ] || fail "commit $GITHUB_SHA belongs to no pull request: there is no reviewed plan to apply"
read -r number head <<< "$pull"

run=$(gh_api "repos/$GITHUB_REPOSITORY/actions/workflows/$workflow/runs?head_sha=$head&event=pull_request&status=success&per_page=1" \
  --jq '.workflow_runs[0].id // empty')
[ -n "$run" ] || fail "no successful $workflow run for pull request #$number (head $head): nothing reviewed to apply"

folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
"$GH" run download "$run" --repo "$GITHUB_REPOSITORY" --name "$artifact" --dir "$folder"
[ -f "$folder/$plan_name" ] || fail "the artifact $artifact of run $run holds no $plan_name"

echo "Applying the plan reviewed on pull request #$number (run $run)."
"$RECON" apply "$folder/$plan_name" --auto-approve --lock-timeout "${LOCK_TIMEOUT:-5m}" --no-color
