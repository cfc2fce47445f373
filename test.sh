#!/usr/bin/env bash
# Runs every test suite of the project on a fresh machine that has only the .NET SDK and Node.js.
# Installs what the tests need (the npm oracles under tests/interop), builds in Release, runs all
# test projects and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

if [ -f tests/interop/package-lock.json ]; then
  echo "==> npm ci (tests/interop: official bson, mongodb driver and mongosh used as oracles)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "==> dotnet build"
dotnet build DistributedSync.sln -c Release -nologo -v:q

results=TestResults
rm -rf "$results"
echo "==> dotnet test"
status=0
dotnet test DistributedSync.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

node tests/tools/summarize-trx.mjs "$results"
exit $status
