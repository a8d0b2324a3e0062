#!/usr/bin/env bash
# The run command: builds and starts SDES on the embedded default (SQLite under Sdes.App/data, emails to Sdes.App/data/mail-pickup).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
port=${SDES_PORT:-5077}
dotnet tool restore >/dev/null
dotnet build Sdes.App -c Debug -nologo -clp:ErrorsOnly
echo
echo "SDES is starting at http://127.0.0.1:$port  (demo accounts and password: see README.md; Ctrl+C stops it)"
echo
cd Sdes.App
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
exec dotnet bin/Debug/net10.0/Sdes.App.dll --urls "http://127.0.0.1:$port" --App:PublicBaseUrl "http://127.0.0.1:$port"
