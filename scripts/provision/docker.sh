#!/usr/bin/env bash
# Docker engine 26 (dockerd, containerd and their helpers) from Debian 13's packages, with
# Debian 12's own runc, iptables and tini.
# Why: a fresh machine has only a docker CLI (/usr/local/bin/docker, 28.x) and no engine.
# Debian 12's docker.io is engine 20.10, end of life since 2023 and older than what users run
# (HEALTHCHECK --start-interval needs 25 or later). Debian 13 packages engine 26.1.5 and
# containerd 1.7; their binaries run on Debian 12 except runc, which needs glibc 2.38, so runc
# stays Debian 12's (1.1.5). The binaries go to $ENGINE_DIR/bin, which dockerd.sh puts first
# on dockerd's PATH; trixie's runc is never extracted there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

want_major=26
if [ -x "$ENGINE_DIR/bin/dockerd" ] && "$ENGINE_DIR/bin/dockerd" --version 2>/dev/null | grep -q "version $want_major\."; then
  skip "engine present: $("$ENGINE_DIR/bin/dockerd" --version)"
  exit 0
fi

# From Debian 12: the runtime, the firewall tool dockerd drives, and tini for `init: true`.
missing=()
for p in runc iptables tini; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} (Debian 12)"
  apt_install "${missing[@]}"
fi
[ -x /usr/bin/tini-static ] || die "tini-static missing (package tini)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
trixie_download "$tmp/debs" "$tmp/apt" docker.io containerd
for deb in "$tmp"/debs/*.deb; do
  log "extracting $(basename "$deb")"
  dpkg-deb -x "$deb" "$tmp/x"
done

staging="$(mktemp -d "$TOOLS_DIR/.engine.XXXXXX")"
mkdir -p "$staging/bin"
for b in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr; do
  [ -f "$tmp/x/$b" ] || die "$b not found in the trixie packages"
  install -m 0755 "$tmp/x/$b" "$staging/bin/"
done
ln -sfn /usr/bin/tini-static "$staging/bin/docker-init"
chmod 755 "$staging"
rm -rf "$ENGINE_DIR"
mv "$staging" "$ENGINE_DIR"

"$ENGINE_DIR/bin/dockerd" --version >/dev/null || die "dockerd $want_major does not run on this machine"
log "installed $("$ENGINE_DIR/bin/dockerd" --version), containerd $("$ENGINE_DIR/bin/containerd" --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1 {print $3}')"
