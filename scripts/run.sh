#!/usr/bin/env bash
# The run command: builds and starts SDES on the embedded default (SQLite under Sdes.App/data, emails to Sdes.App/data/mail-pickup,
# a local clamd with test signatures only, under Sdes.App/data/clamd, stopped when the app exits).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh
port=${SDES_PORT:-5077}
dotnet tool restore >/dev/null
dotnet build Sdes.App -c Debug -nologo -clp:ErrorsOnly

trap stop_clamd EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p Sdes.App/data
if start_clamd "$root/Sdes.App/data/clamd" >/dev/null; then
  export Scanning__Clamd__Host=127.0.0.1 Scanning__Clamd__Port=$CLAMD_PORT
else
  # Fail closed rather than not start: uploads stay pending until a scanner answers.
  echo "clamd did not start (see Sdes.App/data/clamd/clamd.log); uploaded files will stay pending." >&2
  export Scanning__Clamd__Enabled=false
fi

echo
echo "SDES is starting at http://127.0.0.1:$port  (demo accounts and password: see README.md; Ctrl+C stops it)"
echo
cd Sdes.App
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
dotnet bin/Debug/net10.0/Sdes.App.dll --urls "http://127.0.0.1:$port" --App:PublicBaseUrl "http://127.0.0.1:$port"
