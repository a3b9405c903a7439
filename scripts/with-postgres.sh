#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster: the server from Debian's packages
# (installed if missing), initdb into a temporary directory as a non-root user, listening
# on 127.0.0.1 only, removed afterwards whatever the command did. The command finds it in
# ELTERNKIT_TEST_POSTGRES (postgres://relay@127.0.0.1:PORT/postgres, trust auth on loopback).
#
#   scripts/with-postgres.sh cargo test -p elternkit-agency --features postgres-tests --test it pg
#
# fsync is off: the cluster lives for one test run; crash safety is PostgreSQL's own business.
set -euo pipefail

newest_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(newest_bin || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "with-postgres: no PostgreSQL server (Debian package postgresql) and not root to install it" >&2
        exit 1
    fi
    echo "with-postgres: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; }
    bin=$(newest_bin)
fi

# PostgreSQL refuses to run as root: a system user of its own when we are root.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    user=elternkit-pg
    if ! id -u "$user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
    fi
    run_as=(runuser -u "$user" --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/elternkit-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown "$user" "$dir"; fi
chmod 700 "$dir"

cleanup() {
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U relay -E UTF8 --locale=C --no-sync >/dev/null
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export ELTERNKIT_TEST_POSTGRES="postgres://relay@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
set +e
"$@"
status=$?
set -e
exit $status
