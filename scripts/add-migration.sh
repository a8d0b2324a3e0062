#!/usr/bin/env bash
# Adds a migration with the same name to all three providers, so none falls behind.
# Usage: scripts/add-migration.sh <Name>
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet build Sdes.Infrastructure --no-incremental -nologo -clp:ErrorsOnly
for provider in Sqlite Postgres SqlServer; do
  dotnet ef migrations add "$name" --no-build \
    --project Sdes.Infrastructure --startup-project Sdes.Infrastructure \
    --context "${provider}SdesDbContext" --output-dir "Persistence/Migrations/$provider"
done
