#!/usr/bin/env bash
# Installs recon on a CI runner from its source: clones RECON_REPOSITORY at RECON_REF and runs its
# `make install` (the C libraries through .ci/deps, a release binary with the Swift runtime linked
# statically, the man page and completions) under RECON_PREFIX, then puts PREFIX/bin on GITHUB_PATH.
# Building needs a Swift 6 toolchain (the workflows set one up); the installed binary does not, so a
# later job may cache or download PREFIX instead of building again.
#
# Environment: RECON_REPOSITORY (owner/name of recon's repository), optional RECON_REF (default main),
# RECON_SOURCE (the clone's folder, default $RUNNER_TEMP/recon-source), RECON_PREFIX (default
# $RUNNER_TEMP/recon), GITHUB_PATH.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need RECON_REPOSITORY
ref=${RECON_REF:-main}
source=${RECON_SOURCE:-${RUNNER_TEMP:-/tmp}/recon-source}
[ -d "$source/.git" ] || git clone --quiet --depth 1 --branch "$ref" "https://github.com/$RECON_REPOSITORY.git" "$source"
prefix=${RECON_PREFIX:-${RUNNER_TEMP:-/tmp}/recon}
make -C "$source" install PREFIX="$prefix"
if [ -n "${GITHUB_PATH:-}" ]; then echo "$prefix/bin" >> "$GITHUB_PATH"; fi
"$prefix/bin/recon" --version
