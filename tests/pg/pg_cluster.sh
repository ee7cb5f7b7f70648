#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks: initdb into a fresh temporary
# directory, serve on a free port of 127.0.0.1 only (the unix socket lives in the same directory),
# trust authentication for the one superuser `quitt`. Nothing outside the directory is touched.
#
#   pg_cluster.sh bindir                      prints the server bin directory; exit 3 if none
#   pg_cluster.sh start [--fast] [--owner-pid PID]
#                                             starts a cluster, prints key=value lines:
#                                               dir=/tmp/quitt-pg.XXXX  port=54321
#                                               url=postgresql://quitt@127.0.0.1:54321/postgres
#   pg_cluster.sh stop DIR                    stops the cluster and removes DIR
#
# --fast turns off fsync and full-page writes (tests: nothing needs to survive a power cut).
# --owner-pid starts a watchdog that stops the cluster when that process is gone, so a crashed or
# killed test leaves no server behind.
#
# initdb and postgres refuse to run as root: as root the server runs as the `postgres` system user
# (created by Debian's postgresql package) and DIR is chowned to it.
set -euo pipefail

find_bindir() {
  local dir
  # Newest major version first.
  # QUITT_PG_ROOT lets a test pretend no server is installed.
  for dir in $(ls -d "${QUITT_PG_ROOT:-/usr/lib/postgresql}"/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 3
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_cluster() {
  local dir=$1 bindir
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ] && bindir=$(find_bindir); then
    # Immediate: the data is thrown away anyway.
    as_server_user "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

command=${1:-}
shift || true
case "$command" in
  bindir)
    find_bindir || { echo "pg_cluster: no PostgreSQL server under /usr/lib/postgresql/*/bin" >&2; exit 3; }
    ;;
  start)
    fast=0
    owner=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --fast) fast=1 ;;
        --owner-pid) owner=$2; shift ;;
        *) echo "pg_cluster: unknown option $1" >&2; exit 2 ;;
      esac
      shift
    done
    bindir=$(find_bindir) || { echo "pg_cluster: no PostgreSQL server under /usr/lib/postgresql/*/bin" >&2; exit 3; }
    dir=$(mktemp -d /tmp/quitt-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "pg_cluster: running as root needs the 'postgres' user" >&2; rm -rf "$dir"; exit 1; }
      chown postgres: "$dir"
    fi
    # initdb is most of the start-up time, and every ctest test is a process with its own
    # cluster: initdb once into a template per user and server version, then copy it.
    version=$("$bindir/postgres" --version | awk '{print $3}')
    template="/tmp/quitt-pg-template-$(id -u)-$version"
    if [ ! -f "$template/PG_VERSION" ]; then
      fresh=$(mktemp -d /tmp/quitt-pg-template.XXXXXX)
      [ "$(id -u)" -eq 0 ] && chown postgres: "$fresh"
      if ! as_server_user "$bindir/initdb" -D "$fresh/data" -U quitt --auth=trust -E UTF8 \
          --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir" "$fresh"
        exit 1
      fi
      # Renaming is atomic: when two processes race, one template wins and the other is dropped.
      mv -T "$fresh/data" "$template" 2>/dev/null || rm -rf "$fresh/data"
      rm -rf "$fresh"
    fi
    cp -a "$template" "$dir/data"
    settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=50"
    if [ "$fast" -eq 1 ]; then
      settings="$settings -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    fi
    started=0
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      # Another process may take the port between free_port and the bind: then try another.
      if as_server_user "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 30 \
          -o "-p $port $settings" >/dev/null 2>&1; then
        started=1
        break
      fi
    done
    if [ "$started" -ne 1 ]; then
      echo "pg_cluster: the server did not start; its log:" >&2
      cat "$dir/server.log" >&2 || true
      stop_cluster "$dir"
      exit 1
    fi
    if [ -n "$owner" ]; then
      # The watchdog must not hold our stdout open, or a caller reading it would wait forever.
      setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done; exec "$3" stop "$2"' \
        watchdog "$owner" "$dir" "$0" </dev/null >/dev/null 2>&1 &
    fi
    echo "dir=$dir"
    echo "port=$port"
    echo "url=postgresql://quitt@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ $# -eq 1 ] || { echo "usage: pg_cluster.sh stop DIR" >&2; exit 2; }
    case "$1" in
      /tmp/quitt-pg.*) stop_cluster "$1" ;;
      *) echo "pg_cluster: refusing to remove $1 (not a quitt-pg temp dir)" >&2; exit 2 ;;
    esac
    ;;
  *)
    echo "usage: pg_cluster.sh bindir | start [--fast] [--owner-pid PID] | stop DIR" >&2
    exit 2
    ;;
esac
