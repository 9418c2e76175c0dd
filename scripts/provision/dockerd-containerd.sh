#!/usr/bin/env bash
# A second Docker engine 26 (docker.sh) on the containerd image store, the store Docker Desktop
# uses by default and Docker Engine 29 uses on new installations. The workshop doc-test runs on
# it through DOCKER_HOST, beside the main engine and without disturbing it.
# Why a second engine: the image store is a daemon-wide setting ("features":
# {"containerd-snapshotter": true}), and switching the main engine would hide every image it
# holds. So this one has everything of its own: data root, exec root (and so its own managed
# containerd), pid file, socket, bridge and address pools. It leaves iptables alone
# (--iptables=false): two engines that both program iptables fight over the same DOCKER
# chains. Published ports still work through docker-proxy; outbound traffic (the npm installs
# of a build) gets the two NAT and forward rules below, added once.
# Nothing can be pulled here, so the local base images (base-images.sh) are copied in with
# docker save | docker load.
#   CONTAINERD_ENGINE_HOST    its socket (default unix:///run/docker-containerd.sock)
#   CONTAINERD_BASE_IMAGES    which images to copy in (default: the Node 24 build and runtime
#                             stand-ins the doc-test builds from)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST="${CONTAINERD_ENGINE_HOST:-unix:///run/docker-containerd.sock}"
SOCK="${HOST#unix://}"
NAME=docker-containerd
DATA_ROOT=/var/lib/$NAME
EXEC_ROOT=/run/$NAME
PIDFILE=/run/$NAME.pid
CONFIG=/etc/docker/$NAME.json
LOG=/var/log/$NAME.log
BRIDGE=dockerctr0
BRIDGE_CIDR=172.31.250.1/24
SUBNET=172.31.250.0/24
# Networks this engine makes (compose's) come from here, away from the main engine's 172.17-172.30.
POOL=172.31.0.0/17
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"
IMAGES="${CONTAINERD_BASE_IMAGES:-node:24-bookworm-slim gcr.io/distroless/nodejs24-debian12:nonroot}"

d2() { docker -H "$HOST" "$@"; }

[ -x "$ENGINE_DIR/bin/dockerd" ] || die "engine not installed at $ENGINE_DIR (run scripts/provision/docker.sh)"
docker info >/dev/null 2>&1 || die "the main engine does not answer (run scripts/provision/dockerd.sh first: its bridge and forwarding come first)"

# ---- the bridge and the two rules for outbound traffic ------------------------------------
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  log "creating bridge $BRIDGE ($BRIDGE_CIDR)"
  ip link add name "$BRIDGE" type bridge
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
fi
ip link set "$BRIDGE" up
iptables -t nat -C POSTROUTING -s "$SUBNET" ! -o "$BRIDGE" -j MASQUERADE 2>/dev/null ||
  iptables -t nat -A POSTROUTING -s "$SUBNET" ! -o "$BRIDGE" -j MASQUERADE
# The main engine sets FORWARD's policy to DROP; its DOCKER-USER chain is the place it keeps for
# rules of others, and it is consulted first.
chain=DOCKER-USER
iptables -nL "$chain" >/dev/null 2>&1 || chain=FORWARD
iptables -C "$chain" -i "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -I "$chain" -i "$BRIDGE" -j ACCEPT
iptables -C "$chain" -o "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -I "$chain" -o "$BRIDGE" -j ACCEPT

# ---- the engine ----------------------------------------------------------------------------
# live-restore is here for the main engine's sake: a dockerd that starts with address pools, no
# live-restore and a default network left from its last run deletes the interface named docker0,
# whatever bridge it was given (moby's configureNetworking), which is the main engine's. After a
# reboot that left the main engine unable to start any container.
if d2 info >/dev/null 2>&1; then
  skip "engine on $HOST already answers"
else
  if [ -e "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    log "removing stale $PIDFILE (its dockerd no longer runs)"
    rm -f "$PIDFILE"
  fi
  mkdir -p "$(dirname "$CONFIG")" "$DATA_ROOT"
  cat >"$CONFIG" <<JSON
{
  "features": { "containerd-snapshotter": true },
  "data-root": "$DATA_ROOT",
  "exec-root": "$EXEC_ROOT",
  "pidfile": "$PIDFILE",
  "hosts": ["$HOST"],
  "bridge": "$BRIDGE",
  "iptables": false,
  "ip6tables": false,
  "default-address-pools": [{ "base": "$POOL", "size": 24 }],
  "live-restore": true
}
JSON
  log "starting $("$ENGINE_DIR/bin/dockerd" --version) on the containerd image store (log: $LOG)"
  # As dockerd.sh: setsid + nohup so it outlives this script; its own folder first on PATH.
  PATH="$ENGINE_DIR/bin:$PATH" setsid nohup "$ENGINE_DIR/bin/dockerd" --config-file "$CONFIG" \
    >>"$LOG" 2>&1 </dev/null &
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    d2 info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! d2 info >/dev/null 2>&1; then
    echo "----- tail of $LOG -----" >&2
    tail -n 40 "$LOG" >&2 || true
    die "the engine on $HOST did not answer within ${WAIT_SECONDS}s"
  fi
  log "engine on $HOST answers after ${i}s"
fi
d2 info --format '{{json .DriverStatus}}' | grep -q 'io.containerd.snapshotter' ||
  die "the engine on $HOST answers but is not on the containerd image store (is $CONFIG the one it read?)"

# ---- base images, copied from the main engine ----------------------------------------------
for image in $IMAGES; do
  want="$(docker image inspect --format '{{.Created}}' "$image" 2>/dev/null)" || die "the main engine has no $image (run scripts/provision/base-images.sh)"
  # The two stores give one image different ids (containerd's names the manifest), but its
  # creation time travels with it: the same time means the same import of base-images.sh.
  if [ "$(d2 image inspect --format '{{.Created}}' "$image" 2>/dev/null)" = "$want" ]; then
    skip "$image is already in the containerd store"
    continue
  fi
  log "copying $image into the containerd store"
  docker image save "$image" | d2 image load >/dev/null
done
ip link show docker0 >/dev/null 2>&1 ||
  die "the main engine's bridge docker0 is gone since this engine started (see $LOG); restart the main engine: kill \$(cat /var/run/docker.pid) && bash scripts/provision/dockerd.sh"
log "ready: DOCKER_HOST=$HOST docker info shows driver $(d2 info --format '{{.Driver}}')"
