#!/usr/bin/env bash
# Smoke test of the provisioned machine, run at the end of scripts/provision.sh.
# Why: proves what the tests depend on: an engine new enough (25+), the npm registry reachable from a
# container built on the local base image (CA bundle through the proxy), the
# distroless stand-in runs node as 65532 without a shell, and BuildKit via the
# buildx plugin handles RUN --mount=type=cache. Leaves no image behind.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engine="$(docker version -f '{{.Server.Version}}')"
log "engine $engine; $(docker info -f 'containerd {{.ContainerdCommit.ID}}, runc {{.RuncCommit.ID}}' 2>/dev/null)"
[ "${engine%%.*}" -ge 25 ] 2>/dev/null || die "engine $engine is older than 25 (the generated Dockerfile needs --start-interval)"

img=node:24-bookworm-slim
distroless=gcr.io/distroless/nodejs24-debian12:nonroot

# The registry this machine's npm is configured for, as the images' npm reaches it.
registry="$(npm config get registry)"
registry="${registry%/}/"
status="$(docker run --rm "$img" node -e "fetch('${registry}express').then(r=>console.log(r.status))")"
log "fetch ${registry}express from $img: $status"
[ "$status" = 200 ] || die "expected 200 from the npm registry, got '$status'"

version="$(docker run --rm -e NPM_CONFIG_UPDATE_NOTIFIER=false "$img" npm view express version)"
log "npm view express version in $img: $version"
[ -n "$version" ] || die "npm view express version printed nothing"

if docker image inspect "$distroless" >/dev/null 2>&1; then
  out="$(docker run --rm "$distroless" -e "console.log(process.getuid(), process.version)")"
  log "$distroless: $out"
  case "$out" in "65532 v24."*) ;; *) die "unexpected output from $distroless" ;; esac
  if docker run --rm --entrypoint /bin/sh "$distroless" -c true >/dev/null 2>&1; then
    die "$distroless has a shell"
  fi
  log "$distroless: no /bin/sh (as expected)"
fi

ctx="$(mktemp -d)"
tag="container-api-provision-verify:$$"
trap 'rm -rf "$ctx"; docker image rm -f "$tag" >/dev/null 2>&1 || true' EXIT
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $img
RUN --mount=type=cache,target=/root/.npm npm view express version > /express-version
DOCKERFILE
docker buildx build --quiet --no-cache --load -t "$tag" "$ctx" >/dev/null \
  || die "docker buildx build with a cache mount failed"
log "buildx build with RUN --mount=type=cache: ok (express $(docker run --rm "$tag" cat /express-version))"
