#!/usr/bin/env bash
# System benchmarks (issue 6): replication lag, catch-up throughput, write path, failover and full
# resync, each against three emulator nodes and the daemon in their own processes (Release builds),
# in a fresh work directory that is deleted afterwards. Prints one table per benchmark and a summary,
# and writes every table as Markdown to $BENCH_ARTIFACTS/system-bench.md (what docs/benchmarks.md shows).
#
#   bench/run-system-bench.sh                                   # full sizes: about 1-2 hours on 2 cores
#   BENCH_ARGS="--quick" bench/run-system-bench.sh              # small sizes, a few minutes
#   BENCH_ARGS="--only failover --heartbeat-ms 250 --failure-ms 1000" bench/run-system-bench.sh
#
# Every size is a flag (dotnet <dll> --help lists them). Build and work files go to
# $BENCH_ARTIFACTS (default /tmp/ds-system-bench); the benchmark needs several GB of free disk there
# at full size (1,000,000 documents of 1 KB on three nodes, plus oplogs).
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts="${BENCH_ARTIFACTS:-/tmp/ds-system-bench}"
mkdir -p "$artifacts/work"

echo "==> dotnet build (Release)"
dotnet build bench/DistributedSync.SystemBench -c Release --artifacts-path "$artifacts/build" -nologo -v:q
bench_dll="$artifacts/build/bin/DistributedSync.SystemBench/release/DistributedSync.SystemBench.dll"

echo "==> benchmarks (load average $(cut -d' ' -f1-3 /proc/loadavg))"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of arguments
dotnet "$bench_dll" --work "$artifacts/work" --markdown "$artifacts/system-bench.md" ${BENCH_ARGS:-}
echo "(tables also written to $artifacts/system-bench.md; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
