#!/usr/bin/env bash
# Writes the idempotent SQL script of all migrations for a provider, for a DBA to review and apply.
# Usage: scripts/migration-script.sh <Sqlite|Postgres|SqlServer> <outfile.sql>
set -euo pipefail
provider=${1:?usage: scripts/migration-script.sh <Sqlite|Postgres|SqlServer> <outfile.sql>}
out=${2:?usage: scripts/migration-script.sh <Sqlite|Postgres|SqlServer> <outfile.sql>}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet tool restore >/dev/null
dotnet ef migrations script --idempotent --project Sdes.Infrastructure --startup-project Sdes.Infrastructure \
  --context "${provider}SdesDbContext" --output "$out"
