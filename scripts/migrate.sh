#!/usr/bin/env bash
# Applies all pending migrations to a database: the documented production command.
# Usage: scripts/migrate.sh <Sqlite|Postgres|SqlServer> "<connection string>"
set -euo pipefail
provider=${1:?usage: scripts/migrate.sh <Sqlite|Postgres|SqlServer> "<connection string>"}
connection=${2:?usage: scripts/migrate.sh <Sqlite|Postgres|SqlServer> "<connection string>"}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet tool restore >/dev/null
dotnet ef database update --project Sdes.Infrastructure --startup-project Sdes.Infrastructure \
  --context "${provider}SdesDbContext" --connection "$connection"
