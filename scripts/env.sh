# shellcheck shell=bash
# Source me:  source scripts/env.sh
# Puts the provisioned Node 24 (scripts/provision/node.sh) first on PATH, so
# that `node` and the machine's npm (which runs under `env node`) use Node 24,
# and sets up testcontainers for a machine where no registry can be reached
# (Ryuk cannot be pulled; alpine cannot be pulled to find the docker host).
# No `exit`, no `set -e`: this runs in the caller's shell.

_cat_node_bin="${CONTAINER_API_TOOLS:-/opt/container-api-tools}/node-24/bin"
if [ -x "$_cat_node_bin/node" ]; then
  case "$PATH" in
    "$_cat_node_bin":*) ;;                      # already first
    *) PATH="$_cat_node_bin:$PATH" ;;
  esac
  export PATH
  hash -r 2>/dev/null || true
fi
unset _cat_node_bin

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
