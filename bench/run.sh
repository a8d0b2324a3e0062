#!/usr/bin/env bash
# The SDEP list benchmark (bench/README.md). From a fresh clone: builds bench/Sdes.Bench, seeds the SQLite database (cached
# under bench/data/, so reruns skip the seed), starts a throwaway PostgreSQL 15 on 127.0.0.1 as scripts/test.sh does, seeds
# it, measures CommunicationQueries.ListAsync on both, writes bench/results-sqlite.md and bench/results-postgres.md, and
# stops the server it started.
#
# Usage: bench/run.sh [--scale 1] [--provider both|sqlite|postgres] [--runs 50] [--warmup 5] [--only TEXT] [--reseed] [--what-if]
#   --scale 0.05   5% of the full data set (50,000 communications) for a quick check
#   --only TEXT    only the scenarios whose name contains TEXT
#   --reseed       rebuild the cached SQLite database
#   --what-if      then apply bench/what-if/<provider>.sql (proposed index changes) and measure again
#                  (SQLite on a copy of the cache), writing bench/results-<provider>-what-if.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/services.sh
source scripts/lib/services.sh

scale=1
provider=both
what_if=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --provider) provider=$2; shift 2 ;;
    --runs|--warmup|--only) extra+=("$1" "$2"); shift 2 ;;
    --reseed) extra+=("$1"); shift ;;
    --what-if) what_if=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$provider" in both|sqlite|postgres) ;; *) echo "--provider is both, sqlite or postgres" >&2; exit 2 ;; esac

started=$(date +%s)
apt_ensure python3
dotnet build bench/Sdes.Bench/Sdes.Bench.csproj -c Release -nologo -v quiet -clp:NoSummary
bench=(dotnet bench/Sdes.Bench/bin/Release/net10.0/Sdes.Bench.dll --scale "$scale" ${extra[@]+"${extra[@]}"})
status=0

if [ "$provider" != postgres ]; then
  "${bench[@]}" --provider sqlite || status=$?
  if [ $what_if -eq 1 ]; then "${bench[@]}" --provider sqlite --apply-sql bench/what-if/sqlite.sql || status=$?; fi
fi

if [ "$provider" != sqlite ]; then
  apt_ensure postgresql-15
  work=$(mktemp -d /tmp/sdes-bench.XXXXXX)
  chmod 711 "$work"  # the postgres user must reach its cluster folder inside
  cleanup() {
    stop_postgres
    rm -rf "$work"
  }
  trap cleanup EXIT
  start_postgres "$work/pg"
  # Memory as a dedicated server would be given it (25% of RAM for shared_buffers, up to 8 GB); the rest stays as
  # scripts/lib/services.sh starts it. pg_ctl restart reuses the start options (postmaster.opts).
  mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 ))
  shared_mb=$(( mem_mb / 4 > 8192 ? 8192 : mem_mb / 4 ))
  pg() { PGPASSWORD=$(cat "$work/pg/pw") psql -h 127.0.0.1 -p "$PG_PORT" -U sdes -d postgres -q -v ON_ERROR_STOP=1 "$@"; }
  pg -c "ALTER SYSTEM SET shared_buffers = '${shared_mb}MB'" \
     -c "ALTER SYSTEM SET effective_cache_size = '$(( mem_mb * 3 / 4 ))MB'" \
     -c "ALTER SYSTEM SET maintenance_work_mem = '1GB'" \
     -c "ALTER SYSTEM SET max_wal_size = '8GB'"
  run_as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_DIR/data" -l "$work/pg/sock/pg.log" -w -m fast restart >/dev/null
  export SDES_BENCH_POSTGRES=$SDES_TEST_POSTGRES
  "${bench[@]}" --provider postgres || status=$?
  if [ $what_if -eq 1 ]; then "${bench[@]}" --provider postgres --apply-sql bench/what-if/postgres.sql || status=$?; fi
fi

echo "Benchmark took $(( $(date +%s) - started )) s."
exit $status
