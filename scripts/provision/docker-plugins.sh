#!/usr/bin/env bash
# docker buildx and docker compose (v2) CLI plugins.
# Why: the docker CLI here has neither plugin and Debian 12 packages neither.
# Debian 13 (trixie) packages both (docker-buildx, docker-compose) as static Go
# binaries that need only libc. We fetch the two .debs with apt using a
# throw-away configuration (own sources list, lists and cache in a temp dir),
# so the machine's own apt sources and state are never changed, then copy the
# binaries into /usr/local/lib/docker/cli-plugins/.
#
# Signing: the machine's debian-archive-keyring (2023.3+deb12u2) already holds
# the trixie archive keys, so the trixie Release file is verified against
# /usr/share/keyrings/debian-archive-keyring.gpg. No [trusted=yes] is used.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if docker buildx version >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  skip "plugins present: $(docker buildx version | head -1); $(docker compose version | head -1)"
  exit 0
fi

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || die "missing $KEYRING (package debian-archive-keyring)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/debs" "$tmp/x"
printf 'deb [signed-by=%s] %s trixie main\n' "$KEYRING" "$DEBIAN_MIRROR" > "$tmp/sources.list"

apt_opts=(
  -o "Dir::Etc::SourceList=$tmp/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$tmp/lists"
  -o "Dir::Cache=$tmp/cache"
  -o "Acquire::Languages=none"
  -o "APT::Sandbox::User=root"   # temp dir is root-only; no _apt sandbox needed
)
log "fetching trixie package lists into $tmp"
apt-get "${apt_opts[@]}" update -q
(cd "$tmp/debs" && apt-get "${apt_opts[@]}" download docker-buildx docker-compose)

for deb in "$tmp"/debs/*.deb; do
  log "extracting $(basename "$deb")"
  dpkg-deb -x "$deb" "$tmp/x"
done

mkdir -p "$PLUGIN_DIR"
for plugin in docker-buildx docker-compose; do
  src="$(find "$tmp/x" -path "*/cli-plugins/$plugin" \( -type f -o -type l \) | head -1)"
  [ -n "$src" ] || src="$(find "$tmp/x" -name "$plugin" -type f | head -1)"
  [ -n "$src" ] || die "$plugin binary not found in the .deb"
  install -m 0755 "$(readlink -f "$src")" "$PLUGIN_DIR/$plugin"
  log "installed $PLUGIN_DIR/$plugin (from ${src#"$tmp/x"})"
done

docker buildx version >/dev/null || die "docker buildx does not work"
docker compose version >/dev/null || die "docker compose does not work"
log "$(docker buildx version | head -1)"
log "$(docker compose version | head -1)"
