# Shared helpers for the scripts in scripts/provision/ (sourced, never run).
# Why: every step needs the same tools dir, logging and "skip" reporting, and
# each step must stay runnable on its own.

TOOLS_DIR="${CONTAINER_API_TOOLS:-/opt/container-api-tools}"
NODE_MAJORS="${NODE_MAJORS:-24 22 26}"
# What each major installs: a version range npm resolves, or an exact pin. Node 24 is pinned:
# 24.22.3 (and 26.12.1) changed how a stream made by Duplex.from() is torn down, and yeoman's
# file commit then fails with "AbortError: The operation was aborted" before any file is
# written; 24.21.0 is the last release seen to work (checked on 2026-11-29).
NODE_VERSIONS="${NODE_VERSIONS:-24=24.21.0}"

# The npm version spec for a major: its pin from NODE_VERSIONS, else the major itself.
node_spec() {
  local pair
  for pair in $NODE_VERSIONS; do
    [ "${pair%%=*}" = "$1" ] && { printf '%s' "${pair#*=}"; return; }
  done
  printf '%s' "$1"
}
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_SUSPEND=1   # keep needrestart quiet during apt-get install

_step="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"
log()  { printf '[%s] %s\n' "$_step" "$*"; }
skip() { printf '[%s] skip: %s\n' "$_step" "$*"; }
die()  { printf '[%s] ERROR: %s\n' "$_step" "$*" >&2; exit 1; }

# Path of the node binary for a major version, as installed by node.sh.
node_bin() { printf '%s/node-%s/bin/node' "$TOOLS_DIR" "$1"; }

# True when apt knows an installable candidate for the package.
apt_has_candidate() {
  local c
  c="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
  [ -n "$c" ] && [ "$c" != "(none)" ]
}

# Install Debian packages from the machine's own sources; refresh the package
# lists only when apt does not know the packages yet.
apt_install() {
  local p need_update=0
  for p in "$@"; do apt_has_candidate "$p" || need_update=1; done
  if [ "$need_update" = 1 ]; then
    log "apt-get update (package lists do not know: $*)"
    apt-get update -q || log "warning: apt-get update reported errors; trying anyway"
  fi
  apt-get install -y -q "$@"
}
