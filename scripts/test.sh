#!/usr/bin/env bash
# The test command: every tier (unit, bUnit, integration, end-to-end in Debian's Chromium).
# Prints the totals as its last line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1 || ! [ -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils postgresql redis-server nginx >/dev/null
  else
    echo "Chromium, pdftoppm, PostgreSQL, Redis or nginx is missing: run 'sudo apt-get install -y chromium fonts-dejavu-core poppler-utils postgresql redis-server nginx' (or run this script as root)." >&2
    exit 2
  fi
fi

results=$(mktemp -d)
dotnet test TurnoDigital.Tests/TurnoDigital.Tests.csproj --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "0 passed, 0 failed"
  echo "No test results were written (build failure?)." >&2
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
total=$(get total); passed=$(get passed); failed=$(get failed); executed=$(get executed)
skipped=$(( total - executed ))
if [ "$total" = 0 ]; then status=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit $status
