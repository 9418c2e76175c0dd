#!/usr/bin/env bash
# kubectl with kustomize 5, for the generator's tests of the --k8s layout (`kubectl kustomize`).
# Why: the tests build every variant with the real kustomize. Machines of this kind ship
# kubectl (Google's package, 1.32 with kustomize 5.5), but nothing guarantees it, and
# Debian 12's own kubernetes-client is 1.20 with kustomize 2, which does not know the
# layout's fields. Debian 13 (trixie) packages kubectl 1.32 as a Go binary that needs only
# libc >= 2.34 (Debian 12 has 2.36): trixie_download (lib.sh) fetches the .deb without
# touching the machine's apt state, and the binary goes to $TOOLS_DIR/kubectl, linked from
# /usr/local/bin. Knobs: KUBECTL (the command to check), KUBECTL_BIN_DIR (where to link).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUBECTL="${KUBECTL:-kubectl}"
BIN_DIR="${KUBECTL_BIN_DIR:-/usr/local/bin}"

# The major version of the kustomize a kubectl embeds, or nothing.
kustomize_major() {
  "$1" version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9][0-9]*\)\..*/\1/p'
}

major="$(kustomize_major "$KUBECTL" || true)"
if [ -n "$major" ] && [ "$major" -ge 5 ]; then
  skip "$(command -v "$KUBECTL") present: $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')"
  exit 0
fi
log "no kubectl with kustomize >= 5 (${major:+found kustomize v$major}${major:-not found}); installing Debian 13's"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# "/trixie": the machine may have Google's kubectl installed (version 1:528…), which apt would
# otherwise pick as the newest and find no download for.
trixie_download "$tmp/debs" "$tmp/apt" kubectl/trixie
dest="$TOOLS_DIR/kubectl"
rm -rf "$dest" && mkdir -p "$dest"
dpkg-deb -x "$tmp"/debs/kubectl_*.deb "$dest"
[ -x "$dest/usr/bin/kubectl" ] || die "no usr/bin/kubectl in the kubectl .deb"
mkdir -p "$BIN_DIR"
ln -sfn "$dest/usr/bin/kubectl" "$BIN_DIR/kubectl"

major="$(kustomize_major "$BIN_DIR/kubectl" || true)"
[ -n "$major" ] && [ "$major" -ge 5 ] || die "$BIN_DIR/kubectl does not report kustomize >= 5"
log "installed $BIN_DIR/kubectl: $("$BIN_DIR/kubectl" version --client | tr '\n' ' ')"
