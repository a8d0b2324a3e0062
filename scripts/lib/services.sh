#!/usr/bin/env bash
# Reusable start/stop functions for the real components the tests and the app use. Sourced, not run.
# Every server binds to 127.0.0.1 only and is stopped by its own PID or control command.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# apt_ensure PKG... : installs what is missing, running apt-get update only when something is missing.
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..."
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_postgres DIR : a throwaway PostgreSQL 15 cluster in DIR; exports SDES_TEST_POSTGRES.
start_postgres() {
  local dir=$1
  local bin=/usr/lib/postgresql/15/bin
  [ -x "$bin/initdb" ] || apt_ensure postgresql-15
  PG_DIR=$dir
  PG_PORT=$(free_port)
  local password
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  mkdir -p "$dir/data" "$dir/sock"
  printf '%s\n' "$password" > "$dir/pw"
  chown -R postgres:postgres "$dir"
  chmod 700 "$dir"
  run_as_postgres "$bin/initdb" -D "$dir/data" -U sdes --pwfile="$dir/pw" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/sock/pg.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  PGPASSWORD=$password psql -h 127.0.0.1 -p "$PG_PORT" -U sdes -d postgres -q -c "create database sdes_test" >/dev/null
  export SDES_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=sdes;Password=$password;Database=sdes_test;Include Error Detail=true"
  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    run_as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
}

run_as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
