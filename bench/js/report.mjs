#!/usr/bin/env node
// Joins BenchmarkDotNet's JSON report with bson-bench.mjs's and prints a Markdown table:
// median time per operation, throughput, allocation per operation (ours) and the throughput
// ratio ours / js. Medians, not means: on a shared 2-core machine a few iterations disturbed by
// other processes would otherwise dominate.
//
//   node bench/js/report.mjs --bdn BDN_RESULTS_DIR --js JS_JSON [--samples DIR]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.bdn || !args.js) {
  process.stderr.write('usage: report.mjs --bdn BDN_RESULTS_DIR --js JS_JSON [--samples DIR]\n');
  process.exit(2);
}

const ours = {};
let environment = null;
for (const file of readdirSync(args.bdn).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(args.bdn, file), 'utf8'));
  environment ??= report.HostEnvironmentInfo;
  for (const b of report.Benchmarks) {
    ours[b.Method] = {
      medianNs: b.Statistics.Median,
      meanNs: b.Statistics.Mean,
      allocated: b.Memory?.BytesAllocatedPerOperation,
    };
  }
}
const js = JSON.parse(readFileSync(args.js, 'utf8'));

const sizes = {};
if (args.samples) {
  sizes.Encode1K = sizes.Decode1K = statSync(join(args.samples, 'doc-1k.bson')).size;
  sizes.Encode100K = sizes.Decode100K = statSync(join(args.samples, 'doc-100k.bson')).size;
  sizes.EncodeInsert1000 = sizes.DecodeInsert1000 = js.sizes?.insertFrame;
}

const fmtTime = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(2)} µs`);
const fmtOps = (ns) => Math.round(1e9 / ns).toLocaleString('en-US');
const fmtBytes = (b) => (b == null ? 'n/a' : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);

const rows = [];
rows.push('| operation | bytes | ours: median time/op | ours: op/s | ours: allocated/op | js: median time/op | js: op/s | ours / js |');
rows.push('|---|---:|---:|---:|---:|---:|---:|---:|');
let worst = Infinity;
for (const name of ['Encode1K', 'Decode1K', 'Encode100K', 'Decode100K', 'EncodeInsert1000', 'DecodeInsert1000']) {
  const o = ours[name];
  const j = js.results[name];
  if (!o || !j) continue;
  const ratio = j.medianNs / o.medianNs; // throughput ratio = (1/ours) / (1/js)
  worst = Math.min(worst, ratio);
  rows.push(`| ${name} | ${sizes[name]?.toLocaleString('en-US') ?? ''} | ${fmtTime(o.medianNs)} | ${fmtOps(o.medianNs)} | ${fmtBytes(o.allocated)} | ${fmtTime(j.medianNs)} | ${fmtOps(j.medianNs)} | **${ratio.toFixed(2)}x** |`);
}

console.log(rows.join('\n'));
console.log();
if (environment) {
  console.log(`.NET: ${environment.RuntimeVersion}; BenchmarkDotNet ${environment.BenchmarkDotNetVersion}; ${environment.ProcessorName} (${environment.PhysicalCoreCount ?? '?'} physical / ${environment.LogicalCoreCount} logical cores); ${environment.OsVersion}`);
}
console.log(`Node.js ${js.node}; bson ${js.bson}; mongodb ${js.mongodb}`);
console.log(`Lowest ratio: ${worst.toFixed(2)}x (goal: >= 1.5x) -> ${worst >= 1.5 ? 'met' : 'NOT met'}`);
