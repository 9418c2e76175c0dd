#!/usr/bin/env bash
# Host tools the generator's tests use besides Node and Docker.
# Why: test/e2e/gitlab-ci.test.ts runs generated GitLab pipelines with gitlab-ci-local,
# whose shell executor copies the project with rsync, and Debian 12's minimal images lack it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v rsync >/dev/null 2>&1; then
  skip "rsync present: $(rsync --version | head -1)"
  exit 0
fi
log "installing rsync"
apt_install rsync
