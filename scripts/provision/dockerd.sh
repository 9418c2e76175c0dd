#!/usr/bin/env bash
# Start the Docker engine in the background and wait until it answers.
# Why: there is no init system that starts services here (policy-rc.d blocks
# it), and a dockerd that was killed leaves /var/run/docker.pid behind, after
# which dockerd 20.10 refuses to start ("pid file found") although none runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG=/var/log/dockerd.log
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

if docker info >/dev/null 2>&1; then
  skip "docker engine already answers (server $(docker version -f '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd not installed (run scripts/provision/docker.sh)"

if ! pgrep -x dockerd >/dev/null; then
  for pidfile in /var/run/docker.pid /run/docker.pid; do
    if [ -e "$pidfile" ]; then
      log "removing stale $pidfile (no dockerd process runs)"
      rm -f "$pidfile"
    fi
  done
  log "starting dockerd (log: $LOG)"
  # setsid + nohup: the engine outlives this script and its process group.
  setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
else
  log "a dockerd process exists but does not answer yet; waiting for it"
fi

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if docker info >/dev/null 2>&1; then
    log "docker engine answers after ${i}s (server $(docker version -f '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done

echo "----- tail of $LOG -----" >&2
tail -n 40 "$LOG" >&2 || true
die "docker engine did not answer within ${WAIT_SECONDS}s"
