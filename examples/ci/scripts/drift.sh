#!/usr/bin/env bash
# Nightly job: `recon drift`. When the base was changed outside Recon (exit 2), open ONE issue labelled
# DRIFT_LABEL with the drift report, or update the open one: it is found by that label and by its
# first line, the hidden marker `<!-- recon-drift label=… -->`. Closing it is left to people.
#
# Environment: GITHUB_REPOSITORY (owner/name); optional DRIFT_LABEL (default recon-drift; one per
# target when several are checked), GH, RECON, GITHUB_STEP_SUMMARY.
# Exit: 0 no drift; 2 drift found (the issue is opened or updated); 1 drift could not be checked
# (no issue: an error is not drift).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need GITHUB_REPOSITORY
label=${DRIFT_LABEL:-recon-drift}
[[ $label =~ ^[A-Za-z0-9._-]+$ ]] || fail "DRIFT_LABEL '$label' must be letters, digits, '.', '_' or '-'"
marker="<!-- recon-drift label=$label -->"
report=$(mktemp)
body=$(mktemp)
trap 'rm -f "$report" "$body"' EXIT

status=0
"$RECON" drift --format markdown --no-color > "$report" || status=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$report" >> "$GITHUB_STEP_SUMMARY"; fi
case $status in
  0) echo "No drift."; exit 0 ;;
  2) ;;
  *) fail "recon drift failed (exit $status): drift was not checked" ;;
esac

{ echo "$marker"; cat "$report"; } > "$body"
title="Recon drift: $(head -n 1 "$report" | sed -e 's/^#* *//' -e 's/^Recon drift: //')"
number=$(gh_api --paginate "repos/$GITHUB_REPOSITORY/issues?labels=$label&state=open&per_page=100" \
  --jq ".[] | select(.pull_request == null and ((.body // \"\") | startswith(\"$marker\"))) | .number" | sed -n 1p)
if [ -n "$number" ]; then
  gh_api --method PATCH "repos/$GITHUB_REPOSITORY/issues/$number" -f "title=$title" -F "body=@$body" > /dev/null
  echo "Drift found: updated issue #$number."
else
  gh_api --method POST "repos/$GITHUB_REPOSITORY/issues" -f "title=$title" -F "body=@$body" -f "labels[]=$label" > /dev/null
  echo "Drift found: opened an issue labelled $label."
fi
exit 2
