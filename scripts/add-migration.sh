#!/usr/bin/env bash
# Adds a migration for all three providers: bash scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" --project TurnoDigital.Core --context SqliteTurnoDbContext --output-dir Persistence/Migrations/Sqlite
dotnet ef migrations add "$1" --project TurnoDigital.Core --context TurnoDbContext --output-dir Persistence/Migrations/SqlServer
dotnet ef migrations add "$1" --project TurnoDigital.Core --context PostgreSqlTurnoDbContext --output-dir Persistence/Migrations/PostgreSql
rm -f TurnoDigital.Core/design.db*
