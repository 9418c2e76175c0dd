# Shared helpers for the scripts in scripts/provision/ (sourced, never run).
# Why: every step needs the same tools dir, logging and "skip" reporting, and
# each step must stay runnable on its own.

TOOLS_DIR="${CONTAINER_API_TOOLS:-/opt/container-api-tools}"
NODE_MAJORS="${NODE_MAJORS:-24 22 26}"
# What each major installs: an npm version spec per major ("24=24.21.0"), or nothing for the
# newest release of that line, looked up on the registry each time provisioning runs. No pin
# by default: the project is proven on what users install today.
NODE_VERSIONS="${NODE_VERSIONS:-}"

# The npm version spec for a major: its pin from NODE_VERSIONS, else the major itself.
node_spec() {
  local pair
  for pair in $NODE_VERSIONS; do
    [ "${pair%%=*}" = "$1" ] && { printf '%s' "${pair#*=}"; return; }
  done
  printf '%s' "$1"
}
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
# Where docker.sh puts engine 26 (bin/dockerd, containerd, …); dockerd.sh runs it from there.
ENGINE_DIR="$TOOLS_DIR/engine"
# Debian's mirror as this machine's apt knows it: the first URIs: of its deb822 sources, else
# the first deb line of sources.list. The scripts name no mirror of their own.
machine_debian_mirror() {
  local uri=''
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  printf '%s' "$uri"
}
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(machine_debian_mirror)}"
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

# Download Debian 13 (trixie) packages into a folder, without touching the machine's own apt
# sources or state: apt runs against a throw-away source list, lists and cache under $2.
# Signing: the machine's debian-archive-keyring already holds the trixie archive keys, so the
# Release file is verified against it. No [trusted=yes] is used.
trixie_download() { # dest-dir work-dir package...
  local dest="$1" work="$2" keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  shift 2
  [ -r "$keyring" ] || die "missing $keyring (package debian-archive-keyring)"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest"
  printf 'deb [signed-by=%s] %s trixie main\n' "$keyring" "$DEBIAN_MIRROR" >"$work/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$work/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"
    -o "Acquire::Languages=none"
    -o "APT::Sandbox::User=root"   # the work dir is root-only; no _apt sandbox needed
  )
  if [ ! -s "$work/.updated" ]; then
    log "fetching trixie package lists into $work"
    apt-get "${opts[@]}" update -q >"$work/update.log" 2>&1 || { tail -n 20 "$work/update.log" >&2; die "apt-get update (trixie) failed"; }
    date >"$work/.updated"
  fi
  (cd "$dest" && apt-get "${opts[@]}" download "$@") || die "could not download $* from trixie"
}
