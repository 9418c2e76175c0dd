#!/usr/bin/env bash
# A local stand-in for mariadb:11, the MySQL-compatible database an existing app that uses
# mysql2 or mysql gets with `--services mysql`. Why: no registry is reachable here, and
# Debian 13 (trixie) packages MariaDB 11.8. The image is a trixie minbase rootfs with
# mariadb-server, imported with `docker import`, so compose and the tests use it by its
# official name without a pull.
#
# It honours the parts of the official image's contract that our compose fragment relies on
# (test/e2e/service-images.test.ts checks each one):
#   MARIADB_ROOT_PASSWORD / MARIADB_ROOT_PASSWORD_FILE, MARIADB_USER, MARIADB_PASSWORD(_FILE),
#   MARIADB_DATABASE, the data in /var/lib/mysql, /docker-entrypoint-initdb.d (*.sql,
#   *.sql.gz, *.sh), the server run as the unprivileged mysql user (999:999), listening on
#   every address, and `healthcheck.sh --connect --innodb_initialized`, answered through a
#   healthcheck user the first start makes (its password in /var/lib/mysql/.my-healthcheck.cnf).
# The entrypoint and healthcheck.sh are our own (written below), not the official ones.
#
# Cached by content: the image carries the sha256 of this script as a label, and is made
# again only when the script changes. The rootfs is cached as
# $TOOLS_DIR/rootfs/trixie-mariadb-<MAJOR>-<ROOTFS_RECIPE>.tar; raise ROOTFS_RECIPE when what
# the rootfs step does changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG=mariadb:11
MAJOR=11
RECIPE_LABEL=org.container-api.base-recipe
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
ROOTFS_RECIPE=1
ROOTFS_TAR="$TOOLS_DIR/rootfs/trixie-mariadb-$MAJOR-$ROOTFS_RECIPE.tar"
MIRROR="$DEBIAN_MIRROR"

docker info >/dev/null 2>&1 || die "docker engine does not answer (run scripts/provision/dockerd.sh)"

have="$(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$TAG" 2>/dev/null || true)"
if [ "$have" = "$RECIPE" ]; then
  skip "$TAG exists (recipe $RECIPE)"
  exit 0
fi
[ -z "$have" ] || log "$TAG was made by recipe $have, not $RECIPE: rebuilding"

work="$(mktemp -d /var/tmp/container-api-mariadb.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

if [ -s "$ROOTFS_TAR" ]; then
  skip "rootfs cached at $ROOTFS_TAR"
  mkdir -p "$root" && tar --numeric-owner -C "$root" -xf "$ROOTFS_TAR"
else
  command -v debootstrap >/dev/null 2>&1 || { log "installing debootstrap"; apt_install debootstrap; }
  [ -e /usr/share/debootstrap/scripts/trixie ] || die "this debootstrap does not know trixie"
  log "debootstrap --variant=minbase trixie with mariadb-server (about two minutes)"
  debootstrap --variant=minbase --include=mariadb-server,mariadb-client trixie "$root" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  # Debian's package makes a data directory at install; the entrypoint makes its own.
  rm -rf "$root/var/lib/mysql" && mkdir -p "$root/var/lib/mysql"

  # uid and gid 999, like the official image: a data volume moves between the two unchanged.
  old_uid="$(awk -F: '$1 == "mysql" {print $3}' "$root/etc/passwd")"
  old_gid="$(awk -F: '$1 == "mysql" {print $3}' "$root/etc/group")"
  [ -n "$old_uid" ] && [ -n "$old_gid" ] || die "the mariadb-server package made no mysql user"
  sed -i -E "s/^mysql:x:$old_uid:$old_gid:/mysql:x:999:999:/" "$root/etc/passwd"
  sed -i -E "s/^mysql:x:$old_gid:/mysql:x:999:/" "$root/etc/group"
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

[ -x "$root/usr/sbin/mariadbd" ] || die "no mariadbd in the rootfs"
install -d -o 999 -g 999 -m 0755 "$root/var/lib/mysql" "$root/run/mysqld"
install -d -m 0755 "$root/docker-entrypoint-initdb.d"

# Debian's 50-server.cnf binds 127.0.0.1; a container is reached over its network. Names are
# not resolved (a container's peers come and go), as in the official image.
cat >"$root/etc/mysql/mariadb.conf.d/90-container.cnf" <<'CNF'
[mariadbd]
bind-address = *
skip-name-resolve
host-cache-size = 0
CNF

cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/bash
# Entrypoint of the local mariadb stand-in (scripts/provision/mariadb-image.sh).
# Started as root, it owns the data directory to mysql and runs itself again as mysql. The
# first start of an empty data directory makes the system tables, sets root's password,
# creates MARIADB_DATABASE and MARIADB_USER, and runs /docker-entrypoint-initdb.d, all on a
# server that listens on no TCP port, so nothing (a healthcheck included) connects before the
# real server is up.
set -Eeuo pipefail
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

# VAR or VAR_FILE (a secret file's path), never both.
from_env_or_file() { # VAR
  local var="$1" file_var="${1}_FILE" value=''
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

# A string as an SQL literal: backslashes and quotes doubled.
sql_string() { local s="${1//\\/\\\\}"; printf "'%s'" "${s//\'/\'\'}"; }

if [ $# = 0 ] || [ "${1:0:1}" = '-' ]; then
  set -- mariadbd "$@"
fi
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  chown mysql:mysql "$DATADIR" /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

if [ ! -d "$DATADIR/mysql" ]; then
  from_env_or_file MARIADB_ROOT_PASSWORD
  from_env_or_file MARIADB_PASSWORD
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
    cat >&2 <<'TXT'
error: the database is not initialized and no root password is set.
  Set MARIADB_ROOT_PASSWORD, or MARIADB_ROOT_PASSWORD_FILE to a file that holds it
  (MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 allows an empty one; never in production).
TXT
    exit 1
  fi
  if [ -n "${MARIADB_USER:-}" ] && [ -z "$MARIADB_PASSWORD" ]; then
    echo "error: MARIADB_USER=$MARIADB_USER is set without MARIADB_PASSWORD or MARIADB_PASSWORD_FILE" >&2
    exit 1
  fi
  echo "$0: initializing the database in $DATADIR"
  mariadb-install-db --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal \
    --rpm --cross-bootstrap >/dev/null
  mariadbd --skip-networking --socket="$SOCKET" --datadir="$DATADIR" &
  pid=$!
  for _ in $(seq 60); do
    mariadb-admin --socket="$SOCKET" --user=root ping >/dev/null 2>&1 && break
    sleep 1
  done
  mariadb-admin --socket="$SOCKET" --user=root ping >/dev/null || { echo "error: the init server did not start" >&2; exit 1; }
  mysql=(mariadb --protocol=socket --socket="$SOCKET" --user=root --binary-mode)
  health_password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.global_priv WHERE user NOT IN ('mysql', 'mariadb.sys', 'root') OR host NOT IN ('localhost');"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$MARIADB_ROOT_PASSWORD");"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $(sql_string "$MARIADB_ROOT_PASSWORD");"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    # What healthcheck.sh connects as: it can do nothing but connect.
    for host in localhost 127.0.0.1 ::1; do
      echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY '$health_password';"
    done
    if [ -n "${MARIADB_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE//\`/\`\`}\`;"
    fi
    if [ -n "${MARIADB_USER:-}" ]; then
      echo "CREATE USER $(sql_string "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_string "$MARIADB_PASSWORD");"
      if [ -n "${MARIADB_DATABASE:-}" ]; then
        echo "GRANT ALL ON \`${MARIADB_DATABASE//\`/\`\`}\`.* TO $(sql_string "$MARIADB_USER")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | "${mysql[@]}"
  printf '[mariadb-client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\nprotocol=tcp\n' \
    "$SOCKET" "$health_password" >"$DATADIR/.my-healthcheck.cnf"
  chmod 0600 "$DATADIR/.my-healthcheck.cnf"
  mysql+=(--password="$MARIADB_ROOT_PASSWORD")
  [ -z "${MARIADB_DATABASE:-}" ] || mysql+=(--database="$MARIADB_DATABASE")
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        echo "$0: running $f"
        # Executable scripts run on their own; the others are sourced, so they see mysql=().
        if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql)    echo "$0: running $f"; "${mysql[@]}" <"$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "${mysql[@]}" ;;
      */\*)     ;;
      *)        echo "$0: ignoring $f" ;;
    esac
  done
  kill -TERM "$pid" && wait "$pid"
  unset MARIADB_ROOT_PASSWORD MARIADB_PASSWORD
  echo "$0: MariaDB init process done. Ready for start up."
fi

exec "$@"
SH
chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"

cat >"$root/usr/local/bin/healthcheck.sh" <<'SH'
#!/bin/bash
# healthcheck.sh of the local mariadb stand-in: the official image's tests that our compose
# fragment uses. --connect: a TCP connection is accepted and answers a query;
# --innodb_initialized: InnoDB has finished starting. Each runs as the healthcheck user the
# first start made. Exit 0 when every test given passes.
set -eu
cnf=/var/lib/mysql/.my-healthcheck.cnf
[ -r "$cnf" ] || { echo "healthcheck.sh: $cnf is missing (the first start has not finished)" >&2; exit 1; }
query() { mariadb --defaults-extra-file="$cnf" --skip-column-names --batch -e "$1"; }
[ $# -gt 0 ] || set -- --connect
for test in "$@"; do
  case "$test" in
    --connect) query 'SELECT 1' >/dev/null ;;
    --innodb_initialized)
      [ "$(query "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'InnoDB' AND support IN ('YES', 'DEFAULT')")" = 1 ] ;;
    --su-mysql | --no-defaults | --defaults-*) ;;
    *) echo "healthcheck.sh: $test is not a test this image knows (--connect, --innodb_initialized)" >&2; exit 2 ;;
  esac
done
SH
chmod 0755 "$root/usr/local/bin/healthcheck.sh"

tar --numeric-owner -C "$root" -c . | docker import \
  -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c "ENV LANG=C.UTF-8" \
  -c 'VOLUME /var/lib/mysql' \
  -c 'EXPOSE 3306' \
  -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  -c 'CMD ["mariadbd"]' \
  -c "LABEL $RECIPE_LABEL=$RECIPE" \
  -m "local stand-in for $TAG (scripts/provision/mariadb-image.sh)" \
  - "$TAG" >/dev/null
log "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1 / 1e6}'))"
