#!/usr/bin/env bash
# Runs the BSON and OP_MSG benchmarks of our codec (BenchmarkDotNet) and of the official
# JavaScript bson package / Node.js driver on the same documents, then prints a table with the
# throughput ratio (ours / js). Needs the .NET SDK, Node.js and `npm ci` done in tests/interop.
#
#   bench/run-bson-bench.sh     # a short job: about three minutes on 2 cores
#   BENCH_ARGS="" bench/run-bson-bench.sh   # BenchmarkDotNet's full default job (much longer)
#
# Everything it builds and writes goes to $BENCH_ARTIFACTS (default /tmp/ds-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts="${BENCH_ARTIFACTS:-/tmp/ds-bench}"
# One launch, 3 warm-up and 9 measured iterations per benchmark, in this process (no generated
# project to build); BenchmarkDotNet's --filter etc. may be added through BENCH_ARGS.
bdn_args="${BENCH_ARGS---launchCount 1 --warmupCount 3 --iterationCount 9}"
rm -rf "$artifacts/bdn" "$artifacts/samples"
mkdir -p "$artifacts"

if [ ! -d tests/interop/node_modules/bson ]; then
  echo "tests/interop/node_modules/bson is missing: run 'npm ci' in tests/interop first." >&2
  exit 2
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "==> dotnet build (Release)"
dotnet build bench/DistributedSync.Benchmarks -c Release --artifacts-path "$artifacts/build" -nologo -v:q
bench_dll="$artifacts/build/bin/DistributedSync.Benchmarks/release/DistributedSync.Benchmarks.dll"

echo "==> sample documents"
dotnet "$bench_dll" --write-samples "$artifacts/samples"

echo "==> BenchmarkDotNet ($bdn_args, in-process)"
# shellcheck disable=SC2086 # bdn_args is a list of arguments
dotnet "$bench_dll" --filter '*' $bdn_args --inProcess --exporters json --artifacts "$artifacts/bdn"

echo "==> js-bson $(node -p "require('./tests/interop/node_modules/bson/package.json').version") on Node.js $(node --version)"
node bench/js/bson-bench.mjs --dir "$artifacts/samples" --json "$artifacts/js.json"

echo
echo "load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
node bench/js/report.mjs --bdn "$artifacts/bdn/results" --js "$artifacts/js.json" --samples "$artifacts/samples"
