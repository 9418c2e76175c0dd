#!/usr/bin/env bash
# Provision this machine for building and testing generator-container-api:
# the newest Node 24 (+22, 26 for base images and the other Node lines' tests),
# kubectl (kustomize) if missing, Docker Engine 26 with buildx and compose, a
# running dockerd, locally made base images (no registry is reachable), and a
# second engine on the containerd image store for the workshop doc-test.
# Every step checks before it acts, so a second run only reports what it
# skipped and finishes in seconds. Steps live in scripts/provision/*.sh and can
# be run alone. Environment knobs:
#   CONTAINER_API_TOOLS  tools dir (default /opt/container-api-tools)
#   BASE_IMAGES          which base image tags to make (default: all six)
#   PROVISION_VERIFY=0   skip the final smoke test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/provision"

steps=(node kubectl docker docker-plugins dockerd base-images postgres-image mariadb-image redis-image dockerd-containerd ci-tools)
[ "${PROVISION_VERIFY:-1}" = 0 ] || steps+=(verify)

summary=()
total_start=$SECONDS
for step in "${steps[@]}"; do
  start=$SECONDS
  echo "==> $step"
  if ! bash "./$step.sh"; then
    echo "==> $step FAILED after $((SECONDS - start))s" >&2
    exit 1
  fi
  summary+=("$(printf '%-15s %4ss' "$step" "$((SECONDS - start))")")
done
echo "==> provision done in $((SECONDS - total_start))s"
printf '    %s\n' "${summary[@]}"
