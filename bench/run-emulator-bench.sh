#!/usr/bin/env bash
# Emulator benchmark: one emulator process (Release build), three workloads measured with our
# client (DistributedSync.Mongo) and with the official Node.js driver in the same run, plus the
# raw SQLite insert rate of the same documents in-process. Prints one Markdown table.
# Needs the .NET SDK, Node.js and `npm ci` done in tests/interop.
#
#   bench/run-emulator-bench.sh                  # 3 runs of each workload, about 2-4 minutes on 2 cores
#   BENCH_ARGS="--reps 5 --batches 100" bench/run-emulator-bench.sh
#
# Everything it builds and writes goes to $BENCH_ARTIFACTS (default /tmp/ds-emulator-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts="${BENCH_ARTIFACTS:-/tmp/ds-emulator-bench}"
mkdir -p "$artifacts"

if [ ! -d tests/interop/node_modules/mongodb ]; then
  echo "tests/interop/node_modules/mongodb is missing: run 'npm ci' in tests/interop first." >&2
  exit 2
fi

echo "==> dotnet build (Release)"
dotnet build bench/DistributedSync.EmulatorBench -c Release --artifacts-path "$artifacts/build" -nologo -v:q
bench_dll="$artifacts/build/bin/DistributedSync.EmulatorBench/release/DistributedSync.EmulatorBench.dll"

echo "==> workloads (emulator: Release build started by the benchmark, --quiet)"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of arguments
dotnet "$bench_dll" --node-script bench/js/emulator-bench.mjs --work "$artifacts/work" \
  --markdown "$artifacts/emulator-bench.md" ${BENCH_ARGS:-}
echo "(table also written to $artifacts/emulator-bench.md)"
