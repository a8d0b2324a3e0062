#!/usr/bin/env bash
# Reusable start/stop functions for the real components the tests and the app use. Sourced, not run.
# Every server binds to 127.0.0.1 only and is stopped by its own PID or control command.

SDES_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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

# wait_for_port PORT SECONDS PID [PAYLOAD EXPECTED] : waits until 127.0.0.1:PORT accepts a connection (and, with a payload,
# answers with a reply starting with EXPECTED); gives up early when process PID has exited. nc is not installed: python3 probes.
wait_for_port() {
  python3 - "$@" <<'PY'
import os, socket, sys, time
port, seconds, pid = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
payload = sys.argv[4].encode().replace(b"\\0", b"\0") if len(sys.argv) > 4 else None
expected = sys.argv[5].encode() if len(sys.argv) > 5 else b""
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            if payload is None:
                sys.exit(0)
            s.sendall(payload)
            if s.recv(64).startswith(expected):
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(2)
    except PermissionError:
        pass
    time.sleep(0.05)
sys.exit(1)
PY
}

run_as_clamav() {
  if [ "$(id -un)" = "clamav" ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u clamav -- "$@"; else sudo -u clamav "$@"; fi
}

# start_clamd DIR [PORT] : clamd on 127.0.0.1 with a local test signature database (no signature download is possible
# here); exports SDES_TEST_CLAMD (host:port) and SDES_TEST_CLAMD_DB (the signature folder, for tests that start their own).
start_clamd() {
  local dir=$1
  if [ -n "${CLAMD_LAUNCHER_PID:-}" ]; then echo "start_clamd: a clamd is already running (stop_clamd first)" >&2; return 1; fi
  [ -x /usr/sbin/clamd ] || apt_ensure clamav clamav-daemon
  CLAMD_DIR=$dir
  CLAMD_PORT=${2:-$(free_port)}
  mkdir -p "$dir/db"
  # The EICAR test string is built here from two halves so no file in the repository ever holds it (scanners flag the repo).
  python3 - "$dir/db" <<'PY'
import hashlib, sys
db = sys.argv[1]
e = ('X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*').encode()
with open(f"{db}/sdes-test.ndb", "w") as f:
    f.write(f"Sdes.Test.EICAR-NDB:0:*:{e.hex()}\n")
with open(f"{db}/sdes-test.hdb", "w") as f:
    f.write(f"{hashlib.md5(e).hexdigest()}:{len(e)}:Sdes.Test.EICAR-HDB\n")
PY
  cat > "$dir/clamd.conf" <<CONF
DatabaseDirectory $dir/db
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
Foreground yes
LogFile $dir/clamd.log
PidFile $dir/clamd.pid
StreamMaxLength 25M
AlertExceedsMax yes
AlertEncrypted yes
MaxFileSize 25M
MaxScanSize 100M
Bytecode no
ScanArchive yes
CONF
  # A clamd left over from a killed run of the same folder (run.sh keeps its folder) is stopped first, by its own PID.
  kill_clamd_of "$dir"
  rm -f "$dir/clamd.pid"
  $SUDO chown -R clamav:clamav "$dir"
  run_as_clamav /usr/sbin/clamd -c "$dir/clamd.conf" </dev/null >"$dir/clamd.out" 2>&1 &
  CLAMD_LAUNCHER_PID=$!
  if ! wait_for_port "$CLAMD_PORT" 30 "$CLAMD_LAUNCHER_PID" 'zPING\0' PONG; then
    echo "clamd did not answer PING on 127.0.0.1:$CLAMD_PORT (exited, or not within 30 s); its log:" >&2
    cat "$dir/clamd.out" "$dir/clamd.log" >&2 2>/dev/null || true
    return 1
  fi
  export SDES_TEST_CLAMD="127.0.0.1:$CLAMD_PORT"
  export SDES_TEST_CLAMD_DB="$dir/db"
  echo "clamd $(/usr/sbin/clamd --version | cut -d/ -f1 | sed 's/^ClamAV //') on 127.0.0.1:$CLAMD_PORT"
}

stop_clamd() {
  if [ -n "${CLAMD_DIR:-}" ]; then kill_clamd_of "$CLAMD_DIR"; fi
  if [ -n "${CLAMD_LAUNCHER_PID:-}" ]; then
    kill "$CLAMD_LAUNCHER_PID" 2>/dev/null || true
    wait "$CLAMD_LAUNCHER_PID" 2>/dev/null || true
  fi
  CLAMD_LAUNCHER_PID=""
}

# kill_clamd_of DIR : kills the clamd whose PidFile is DIR/clamd.pid, if that PID still runs DIR's clamd.conf.
kill_clamd_of() {
  local pid
  pid=$(cat "$1/clamd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && grep -qF "$1/clamd.conf" "/proc/$pid/cmdline" 2>/dev/null; then
    $SUDO kill "$pid" 2>/dev/null || true
  fi
}

AZURITE_VERSION=3.37.0

# start_azurite DIR : Azurite's blob service on 127.0.0.1 with in-memory storage; installs it into .tools/azurite once.
# Exports SDES_TEST_AZURITE (a connection string with Azurite's public, well-known development key).
start_azurite() {
  local dir=$1
  local tools="$SDES_ROOT/.tools/azurite"
  if [ -n "${AZURITE_PID:-}" ]; then echo "start_azurite: Azurite is already running (stop_azurite first)" >&2; return 1; fi
  command -v node >/dev/null && command -v npm >/dev/null || apt_ensure nodejs npm
  local main="$tools/node_modules/azurite/dist/src/blob/main.js"
  if [ ! -f "$main" ] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$tools/node_modules/azurite/package.json"; then
    echo "Installing Azurite $AZURITE_VERSION into .tools/azurite ..."
    mkdir -p "$tools"
    npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "azurite@$AZURITE_VERSION" >/dev/null
  fi
  mkdir -p "$dir"
  AZURITE_PORT=$(free_port)
  node "$main" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --inMemoryPersistence --disableTelemetry \
    --skipApiVersionCheck --loose </dev/null >"$dir/azurite.log" 2>&1 &
  AZURITE_PID=$!
  if ! wait_for_port "$AZURITE_PORT" 60 "$AZURITE_PID"; then
    echo "Azurite did not listen on 127.0.0.1:$AZURITE_PORT (exited, or not within 60 s); its log:" >&2
    cat "$dir/azurite.log" >&2
    return 1
  fi
  export SDES_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;"
  echo "Azurite $AZURITE_VERSION on 127.0.0.1:$AZURITE_PORT"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}
