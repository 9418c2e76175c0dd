#!/usr/bin/env bash
# docker buildx and docker compose (v2) CLI plugins.
# Why: the docker CLI here has neither plugin and Debian 12 packages neither.
# Debian 13 (trixie) packages both (docker-buildx, docker-compose) as static Go
# binaries that need only libc. trixie_download (lib.sh) fetches the two .debs
# without touching the machine's apt state; the binaries go to
# /usr/local/lib/docker/cli-plugins/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if docker buildx version >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  skip "plugins present: $(docker buildx version | head -1); $(docker compose version | head -1)"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/x"
trixie_download "$tmp/debs" "$tmp/apt" docker-buildx docker-compose

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
