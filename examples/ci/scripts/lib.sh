# Shared by the Recon CI scripts (sourced, not run). Every GitHub call goes through "$GH" (default gh),
# so a test can point GH at a recorder and run these very scripts; "$RECON" is the recon binary.
GH=${GH:-gh}
RECON=${RECON:-recon}

fail() {
  echo "error: $*" >&2
  exit 1
}

# need NAME...: fail unless every named variable is set and not empty.
need() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || fail "$name is not set"
  done
}

gh_api() {
  "$GH" api "$@"
}
