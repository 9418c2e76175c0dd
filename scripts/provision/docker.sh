#!/usr/bin/env bash
# Docker engine (dockerd, containerd, runc) from Debian 12's docker.io.
# Why: a fresh machine has only a docker CLI (/usr/local/bin/docker, 28.x) and
# no engine. docker.io also installs /usr/bin/docker (20.10); /usr/local/bin
# comes first on PATH, so the 28.x CLI stays the one in use.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v dockerd >/dev/null 2>&1; then
  skip "dockerd already installed ($(dockerd --version 2>/dev/null || echo '?'))"
  exit 0
fi
log "installing docker.io"
apt_install docker.io
command -v dockerd >/dev/null 2>&1 || die "dockerd still missing after installing docker.io"
log "installed: $(dockerd --version)"
