#!/usr/bin/env bash
# Installs recon on a CI runner from its source: clones RECON_REPOSITORY at RECON_REF, installs the C
# libraries it links (.ci/deps), builds a release binary and puts its folder on GITHUB_PATH. Needs a
# Swift 6 toolchain (the workflows set one up). Recon's `make install` (issue 11) makes a binary that
# runs without the toolchain; with it, this script becomes a download.
#
# Environment: RECON_REPOSITORY (owner/name of recon's repository), optional RECON_REF (default main),
# RECON_SOURCE (the clone's folder, default $RUNNER_TEMP/recon-source), GITHUB_PATH.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need RECON_REPOSITORY
ref=${RECON_REF:-main}
source=${RECON_SOURCE:-${RUNNER_TEMP:-/tmp}/recon-source}
[ -d "$source/.git" ] || git clone --quiet --depth 1 --branch "$ref" "https://github.com/$RECON_REPOSITORY.git" "$source"
"$source/.ci/deps"
swift build -c release --package-path "$source" --product recon
bin=$(swift build -c release --package-path "$source" --show-bin-path)
if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >> "$GITHUB_PATH"; fi
"$bin/recon" --version
