#!/usr/bin/env bash
# Start Docker engine 26 (docker.sh) in the background and wait until it answers.
# Why: there is no init system that starts services here (policy-rc.d blocks
# it), and a dockerd that was killed leaves /var/run/docker.pid behind, after
# which dockerd refuses to start ("pid file found") although none runs.
# An older engine still running (Debian 12's 20.10, from an earlier provisioning)
# is stopped first, by its pid: two engines on one host fight over docker0 and
# iptables.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG=/var/log/dockerd.log
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

server_version() { docker version -f '{{.Server.Version}}' 2>/dev/null; }

if docker info >/dev/null 2>&1; then
  running="$(server_version)"
  if [ "${running%%.*}" -ge 25 ] 2>/dev/null; then
    skip "docker engine already answers (server $running)"
    exit 0
  fi
  pid="$(cat /var/run/docker.pid 2>/dev/null || pgrep -o -x dockerd || true)"
  [ -n "$pid" ] || die "engine $running answers but its dockerd pid is unknown; stop it by hand"
  log "stopping engine $running (pid $pid) to start engine 26"
  kill "$pid"
  for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && die "engine $running (pid $pid) did not stop within 30s"
fi
[ -x "$ENGINE_DIR/bin/dockerd" ] || die "engine not installed at $ENGINE_DIR (run scripts/provision/docker.sh)"

if ! pgrep -x dockerd >/dev/null; then
  for pidfile in /var/run/docker.pid /run/docker.pid; do
    if [ -e "$pidfile" ]; then
      log "removing stale $pidfile (no dockerd process runs)"
      rm -f "$pidfile"
    fi
  done
  log "starting $("$ENGINE_DIR/bin/dockerd" --version) (log: $LOG)"
  # setsid + nohup: the engine outlives this script and its process group. Its own folder comes
  # first on PATH, so dockerd finds containerd, the shim, docker-proxy and docker-init there,
  # and runc from Debian 12.
  PATH="$ENGINE_DIR/bin:$PATH" setsid nohup "$ENGINE_DIR/bin/dockerd" >>"$LOG" 2>&1 </dev/null &
else
  log "a dockerd process exists but does not answer yet; waiting for it"
fi

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if docker info >/dev/null 2>&1; then
    log "docker engine answers after ${i}s (server $(server_version))"
    exit 0
  fi
  sleep 1
done

echo "----- tail of $LOG -----" >&2
tail -n 40 "$LOG" >&2 || true
die "docker engine did not answer within ${WAIT_SECONDS}s"
