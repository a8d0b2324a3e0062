#!/usr/bin/env bash
# The test command: installs what the tests need, starts the real servers on 127.0.0.1, runs every test, stops what it started.
# Extra arguments go to `dotnet test`, e.g. ./scripts/test.sh --filter "FullyQualifiedName~Domain"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh

started=$(date +%s)
apt_ensure postgresql-15 chromium python3 clamav clamav-daemon
dotnet tool restore >/dev/null

work=$(mktemp -d /tmp/sdes-test.XXXXXX)
chmod 711 "$work"  # the postgres and clamav users must reach their folders inside
cleanup() {
  stop_azurite
  stop_clamd
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

start_postgres "$work/pg"
start_clamd "$work/clamd"
start_azurite "$work/azurite"
export SDES_TEST_ARTIFACTS="$root/artifacts"
mkdir -p "$SDES_TEST_ARTIFACTS"

status=0
dotnet test Sdes.sln -c Debug "$@" 2>&1 | tee "$work/test.log" || status=$?
# dotnet test prints e.g. "Passed!  - Failed: 0, Passed: 148, Skipped: 0, Total: 148"; CI reads the plain closing line below.
counts=$(grep -E "^(Passed|Failed)! " "$work/test.log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
read -r passed failed skipped <<<"$counts"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "No test ran."; status=1; fi
echo
echo "Test command took $(( $(date +%s) - started )) s."
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
