#!/usr/bin/env bash
# The attachment pipeline benchmark (issue 4; bench/README.md). From a fresh clone: installs clamd (and Azurite into
# .tools/azurite) if missing, starts both on 127.0.0.1 in a throwaway folder as scripts/test.sh does, builds and runs
# bench/Sdes.Attachments.Bench, writes bench/results-attachments.md and stops both servers by PID.
#
# Usage: bench/attachments.sh [--runs 20] [--warmup 3] [--no-azurite]
#   --no-azurite   the Local folder store only (no Node.js / Azurite needed)
# Exit code 3: the benchmark ran but the pipeline is below 80% of raw clamd for some file/store (see the results file).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/lib/services.sh
source scripts/lib/services.sh

azurite=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs|--warmup) extra+=("$1" "$2"); shift 2 ;;
    --no-azurite) azurite=0; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
apt_ensure clamav clamav-daemon python3
dotnet build bench/Sdes.Attachments.Bench/Sdes.Attachments.Bench.csproj -c Release -nologo -v quiet -clp:NoSummary

work=$(mktemp -d /tmp/sdes-bench-attachments.XXXXXX)
chmod 711 "$work"  # the clamav user must reach its folder inside
cleanup() {
  stop_azurite
  stop_clamd
  rm -rf "$work"
}
trap cleanup EXIT

start_clamd "$work/clamd"
unset SDES_TEST_AZURITE
if [ $azurite -eq 1 ]; then
  start_azurite "$work/azurite"
  export SDES_BENCH_AZURITE_VERSION=$AZURITE_VERSION
fi

status=0
dotnet bench/Sdes.Attachments.Bench/bin/Release/net10.0/Sdes.Attachments.Bench.dll \
  --clamd "$SDES_TEST_CLAMD" ${SDES_TEST_AZURITE:+--azurite "$SDES_TEST_AZURITE"} \
  --work "$work/bench" --out bench/results-attachments.md ${extra[@]+"${extra[@]}"} || status=$?

echo "Benchmark took $(( $(date +%s) - started )) s."
exit $status
