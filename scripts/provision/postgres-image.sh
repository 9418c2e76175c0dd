#!/usr/bin/env bash
# A local stand-in for postgres:17, the image a `--persistence postgres` project runs its
# database on. Why: no registry is reachable here, and Debian 13 (trixie) packages
# PostgreSQL 17 (Debian 12 has 15). The image is a trixie minbase rootfs with postgresql-17,
# imported with `docker import`, so compose, Testcontainers and the project's tests use it
# by its official name without a pull.
#
# It honours the parts of the official image's contract that our files and Testcontainers
# rely on (test/e2e/postgres-image.test.ts checks each one):
#   POSTGRES_PASSWORD / POSTGRES_PASSWORD_FILE, POSTGRES_USER(_FILE), POSTGRES_DB(_FILE),
#   PGDATA, /docker-entrypoint-initdb.d (*.sql, *.sql.gz, *.sh), the server run as the
#   unprivileged postgres user (999:999), pg_isready on the PATH, STOPSIGNAL SIGINT, and the
#   log line "database system is ready to accept connections", printed once by the
#   first-start server on a private socket and once by the real one.
# The entrypoint is our own (written below), not the official one.
#
# Cached by content: the image carries the sha256 of this script as a label, and is made
# again only when the script changes. The rootfs is cached as
# $TOOLS_DIR/rootfs/trixie-postgres-<ROOTFS_RECIPE>.tar; raise ROOTFS_RECIPE when what the
# rootfs step does changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG=postgres:17
MAJOR=17
RECIPE_LABEL=org.container-api.base-recipe
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
ROOTFS_RECIPE=1
ROOTFS_TAR="$TOOLS_DIR/rootfs/trixie-postgres-$MAJOR-$ROOTFS_RECIPE.tar"
# The machine's own Debian mirror (the first URIs: line of its deb822 sources).
MIRROR="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
MIRROR="${MIRROR:-$DEBIAN_MIRROR}"

docker info >/dev/null 2>&1 || die "docker engine does not answer (run scripts/provision/dockerd.sh)"

have="$(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$TAG" 2>/dev/null || true)"
if [ "$have" = "$RECIPE" ]; then
  skip "$TAG exists (recipe $RECIPE)"
  exit 0
fi
[ -z "$have" ] || log "$TAG was made by recipe $have, not $RECIPE: rebuilding"

work="$(mktemp -d /var/tmp/container-api-postgres.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

if [ -s "$ROOTFS_TAR" ]; then
  skip "rootfs cached at $ROOTFS_TAR"
  mkdir -p "$root" && tar --numeric-owner -C "$root" -xf "$ROOTFS_TAR"
else
  command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
  [ -e /usr/share/debootstrap/scripts/trixie ] || die "this debootstrap does not know trixie"
  log "debootstrap --variant=minbase trixie with postgresql-$MAJOR (about two minutes)"
  # The machine's keyring holds trixie's archive keys, so the Release file is verified.
  debootstrap --variant=minbase --include="postgresql-$MAJOR" trixie "$root" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  # Debian's package makes a cluster (main) at install; the entrypoint makes its own in PGDATA.
  rm -rf "$root/etc/postgresql/$MAJOR/main" "$root/var/lib/postgresql/$MAJOR"

  # uid and gid 999, like the official image: a data volume moves between the two unchanged.
  old_uid="$(awk -F: '$1 == "postgres" {print $3}' "$root/etc/passwd")"
  old_gid="$(awk -F: '$1 == "postgres" {print $3}' "$root/etc/group")"
  [ -n "$old_uid" ] && [ -n "$old_gid" ] || die "the postgresql package made no postgres user"
  sed -i -E "s/^postgres:x:$old_uid:$old_gid:/postgres:x:999:999:/" "$root/etc/passwd"
  sed -i -E "s/^postgres:x:$old_gid:/postgres:x:999:/" "$root/etc/group"
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

[ -x "$root/usr/lib/postgresql/$MAJOR/bin/postgres" ] || die "no postgres $MAJOR binary in the rootfs"
install -d -o 999 -g 999 -m 0700 "$root/var/lib/postgresql/data"
install -d -o 999 -g 999 -m 2775 "$root/var/run/postgresql"
install -d -m 0755 "$root/docker-entrypoint-initdb.d"

cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/bash
# Entrypoint of the local postgres stand-in (scripts/provision/postgres-image.sh).
# Started as root, it owns PGDATA to postgres and runs itself again as postgres. The first
# start of an empty PGDATA makes the cluster, sets the superuser's password, creates
# POSTGRES_DB and runs /docker-entrypoint-initdb.d on a server that listens on no TCP port, so
# nothing (a healthcheck included) can connect before the real server is up.
set -Eeuo pipefail

# VAR or VAR_FILE (a secret file's path), never both.
from_env_or_file() { # VAR default
  local var="$1" file_var="${1}_FILE" value="${2:-}"
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "error: both $var and $file_var are set; set one of them" >&2
    exit 1
  fi
  if [ -n "${!var:-}" ]; then
    value="${!var}"
  elif [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || { echo "error: $file_var=${!file_var} is not a readable file" >&2; exit 1; }
    value="$(<"${!file_var}")"
  fi
  export "$var=$value"
  unset "$file_var"
}

if [ $# = 0 ] || [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

from_env_or_file POSTGRES_USER postgres
from_env_or_file POSTGRES_PASSWORD
from_env_or_file POSTGRES_DB "$POSTGRES_USER"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    cat >&2 <<'TXT'
error: the database is not initialized and no superuser password is set.
  Set POSTGRES_PASSWORD, or POSTGRES_PASSWORD_FILE to a file that holds it
  (POSTGRES_HOST_AUTH_METHOD=trust allows every connection without one; never in production).
TXT
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
    --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  # initdb listens on and admits loopback only; a container is reached over its network.
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  pg_ctl --pgdata="$PGDATA" --wait --options="-c listen_addresses='' -p 5432" start
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  psql+=(--dbname "$POSTGRES_DB")
  export PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB"
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        echo "$0: running $f"
        # Executable scripts run on their own; the others are sourced, so they see psql=().
        if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql)    echo "$0: running $f"; "${psql[@]}" -f "$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "${psql[@]}" ;;
      */\*)     ;;
      *)        echo "$0: ignoring $f" ;;
    esac
  done
  unset PGUSER PGDATABASE
  pg_ctl --pgdata="$PGDATA" --wait --mode=fast stop
  echo "$0: PostgreSQL init process complete; ready for start up."
fi

unset POSTGRES_PASSWORD
exec "$@"
SH
chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"

tar --numeric-owner -C "$root" -c . | docker import \
  -c "ENV PATH=/usr/lib/postgresql/$MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c "ENV PG_MAJOR=$MAJOR" \
  -c "ENV PGDATA=/var/lib/postgresql/data" \
  -c "ENV LANG=C.UTF-8" \
  -c 'VOLUME /var/lib/postgresql/data' \
  -c 'EXPOSE 5432' \
  -c 'STOPSIGNAL SIGINT' \
  -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  -c 'CMD ["postgres"]' \
  -c "LABEL $RECIPE_LABEL=$RECIPE" \
  -m "local stand-in for $TAG (scripts/provision/postgres-image.sh)" \
  - "$TAG" >/dev/null
log "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1 / 1e6}'))"
