#!/usr/bin/env bash
# A local stand-in for redis:8, the cache an existing app that uses ioredis or redis gets with
# `--services redis`. Why: no registry is reachable here, and Debian 13 (trixie) packages
# Redis 8.0. The image is a trixie minbase rootfs with redis-server, imported with
# `docker import`, so compose and the tests use it by its official name without a pull.
#
# It honours the parts of the official image's contract that our compose fragment relies on
# (test/e2e/service-images.test.ts checks each one): `redis-server <config file>` as the
# command, a first argument that is an option or a *.conf file run as redis-server's, the
# server run as the unprivileged redis user (999:999) in /data (the volume, owned by it),
# listening on every address with Redis's compiled-in defaults (no redis.conf of Debian's),
# and redis-cli on the PATH for the healthcheck.
# The entrypoint is our own (written below), not the official one.
#
# Cached by content: the image carries the sha256 of this script as a label, and is made
# again only when the script changes. The rootfs is cached as
# $TOOLS_DIR/rootfs/trixie-redis-<MAJOR>-<ROOTFS_RECIPE>.tar; raise ROOTFS_RECIPE when what
# the rootfs step does changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG=redis:8
MAJOR=8
RECIPE_LABEL=org.container-api.base-recipe
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
ROOTFS_RECIPE=1
ROOTFS_TAR="$TOOLS_DIR/rootfs/trixie-redis-$MAJOR-$ROOTFS_RECIPE.tar"
MIRROR="$DEBIAN_MIRROR"

docker info >/dev/null 2>&1 || die "docker engine does not answer (run scripts/provision/dockerd.sh)"

have="$(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$TAG" 2>/dev/null || true)"
if [ "$have" = "$RECIPE" ]; then
  skip "$TAG exists (recipe $RECIPE)"
  exit 0
fi
[ -z "$have" ] || log "$TAG was made by recipe $have, not $RECIPE: rebuilding"

work="$(mktemp -d /var/tmp/container-api-redis.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

if [ -s "$ROOTFS_TAR" ]; then
  skip "rootfs cached at $ROOTFS_TAR"
  mkdir -p "$root" && tar --numeric-owner -C "$root" -xf "$ROOTFS_TAR"
else
  command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
  [ -e /usr/share/debootstrap/scripts/trixie ] || die "this debootstrap does not know trixie"
  log "debootstrap --variant=minbase trixie with redis-server (about a minute)"
  debootstrap --variant=minbase --include=redis-server,redis-tools trixie "$root" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  # uid and gid 999, like the official image: a data volume moves between the two unchanged.
  old_uid="$(awk -F: '$1 == "redis" {print $3}' "$root/etc/passwd")"
  old_gid="$(awk -F: '$1 == "redis" {print $3}' "$root/etc/group")"
  [ -n "$old_uid" ] && [ -n "$old_gid" ] || die "the redis-server package made no redis user"
  sed -i -E "s/^redis:x:$old_uid:$old_gid:/redis:x:999:999:/" "$root/etc/passwd"
  sed -i -E "s/^redis:x:$old_gid:/redis:x:999:/" "$root/etc/group"
  find "$root" -xdev -uid "$old_uid" -exec chown -h 999 {} +
  find "$root" -xdev -gid "$old_gid" -exec chgrp -h 999 {} +

  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
         "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
         "$root"/var/log/* "$root"/tmp/* "$root"/root/.bash_history
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
  : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"
  mkdir -p "$(dirname "$ROOTFS_TAR")"
  tar --numeric-owner -C "$root" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  log "cached rootfs: $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
fi

[ -x "$root/usr/bin/redis-server" ] || die "no redis-server in the rootfs"
install -d -o 999 -g 999 -m 0755 "$root/data"

cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
# Entrypoint of the local redis stand-in (scripts/provision/redis-image.sh). An option or a
# config file as the first argument is redis-server's; redis-server started as root owns
# /data to redis and runs as redis.
set -e
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis:redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
exec "$@"
SH
chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"

tar --numeric-owner -C "$root" -c . | docker import \
  -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c 'WORKDIR /data' \
  -c 'VOLUME /data' \
  -c 'EXPOSE 6379' \
  -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  -c 'CMD ["redis-server"]' \
  -c "LABEL $RECIPE_LABEL=$RECIPE" \
  -m "local stand-in for $TAG (scripts/provision/redis-image.sh)" \
  - "$TAG" >/dev/null
log "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1 / 1e6}'))"
