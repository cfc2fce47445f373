#!/usr/bin/env node
// Measures the official JavaScript bson package (and the Node.js driver's OP_MSG framing) on the
// sample documents that bench/DistributedSync.Benchmarks writes with --write-samples, so both
// sides measure the same bytes. Uses the packages installed in tests/interop (npm ci there).
//
//   node bench/js/bson-bench.mjs --dir SAMPLES [--json OUT] [--iterations N] [--iteration-ms MS]
//
// Method, roughly BenchmarkDotNet's: a warm-up of at least --warmup-ms, a pilot that sizes one
// iteration to about --iteration-ms, then --iterations timed iterations; the mean, standard
// deviation and median time per operation are reported.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const interop = resolve(here, '..', '..', 'tests', 'interop');
const require = createRequire(join(interop, 'package.json'));
let BSON;
let driver;
try {
  BSON = require('bson');
  driver = require('mongodb/lib/cmap/commands.js');
} catch (e) {
  process.stderr.write(`Cannot load bson/mongodb from ${interop}/node_modules: run \`npm ci\` in tests/interop.\n${e.message}\n`);
  process.exit(2);
}

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.dir) {
  process.stderr.write('usage: bson-bench.mjs --dir SAMPLES [--json OUT] [--iterations N] [--iteration-ms MS] [--warmup-ms MS]\n');
  process.exit(2);
}
const iterations = Number(args.iterations ?? 15);
const iterationMs = Number(args['iteration-ms'] ?? 150);
const warmupMs = Number(args['warmup-ms'] ?? 1000);

let sink = 0;
function measure(name, fn) {
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  // Warm-up (lets V8 optimize), at least 3 runs.
  let start = now();
  let warm = 0;
  while (warm < 3 || now() - start < warmupMs) {
    sink ^= fn() | 0;
    warm++;
  }
  // Pilot: how many operations fill one iteration.
  let ops = 1;
  for (;;) {
    start = now();
    for (let i = 0; i < ops; i++) sink ^= fn() | 0;
    const ms = now() - start;
    if (ms >= iterationMs / 4 || ops >= 1 << 24) {
      ops = Math.max(1, Math.round(ops * (iterationMs / Math.max(ms, 1e-3))));
      break;
    }
    ops *= 2;
  }
  const perOp = [];
  for (let it = 0; it < iterations; it++) {
    start = now();
    for (let i = 0; i < ops; i++) sink ^= fn() | 0;
    perOp.push(((now() - start) * 1e6) / ops);
  }
  const mean = perOp.reduce((a, b) => a + b, 0) / perOp.length;
  const sd = Math.sqrt(perOp.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, perOp.length - 1));
  const median = [...perOp].sort((a, b) => a - b)[Math.floor(perOp.length / 2)];
  const result = { meanNs: mean, stdDevNs: sd, medianNs: median, opsPerSecond: 1e9 / mean, operationsPerIteration: ops, iterations };
  process.stderr.write(`${name.padEnd(18)} ${(mean / 1000).toFixed(2).padStart(10)} us/op  ±${((sd / mean) * 100).toFixed(1)}%  ${result.opsPerSecond.toFixed(0)} op/s\n`);
  return result;
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(interop, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function splitStream(buf) {
  const docs = [];
  for (let off = 0; off < buf.length; off += buf.readInt32LE(off)) docs.push(buf.subarray(off, off + buf.readInt32LE(off)));
  return docs;
}

const small = readFileSync(join(args.dir, 'doc-1k.bson'));
const large = readFileSync(join(args.dir, 'doc-100k.bson'));
const batchBytes = splitStream(readFileSync(join(args.dir, 'batch-1000.bson')));
// Encoding starts from values that keep their BSON types (Int32, Int64, Double wrappers), so
// js-bson writes exactly the bytes we measure ours on (checked below). Decoding uses the
// driver's defaults (numbers promoted to JavaScript numbers), js-bson's fastest path.
const keepTypes = { promoteValues: false };
const smallObject = BSON.deserialize(small, keepTypes);
const largeObject = BSON.deserialize(large, keepTypes);
const batch = batchBytes.map((b) => BSON.deserialize(b, keepTypes));
for (const [name, object, bytes] of [['doc-1k', smallObject, small], ['doc-100k', largeObject, large]]) {
  if (!Buffer.from(BSON.serialize(object)).equals(bytes)) throw new Error(`js-bson re-encodes ${name}.bson differently`);
}

function frameInsert() {
  const command = { insert: 'orders', ordered: true, documents: new driver.DocumentSequence('documents', batch) };
  const request = new driver.OpMsgRequest('bench', command, { requestId: 7 });
  return Buffer.concat(request.toBin());
}
const frame = frameInsert();
let sameFrame = null;
try {
  sameFrame = readFileSync(join(args.dir, 'insert-1000.msg')).equals(frame);
  if (!sameFrame) process.stderr.write('note: the driver frames the insert differently from ours (insert-1000.msg)\n');
} catch {
  // insert-1000.msg is optional
}

// Decoding the frame: header, body (kind 0) and every document of the kind-1 sequence.
function decodeInsert() {
  let count = 0;
  let off = 20; // header (16) and flags (4)
  const end = frame.readInt32LE(0);
  while (off < end) {
    const kind = frame[off++];
    if (kind === 0) {
      const size = frame.readInt32LE(off);
      BSON.deserialize(frame.subarray(off, off + size));
      off += size;
    } else {
      const sectionEnd = off + frame.readInt32LE(off);
      off = frame.indexOf(0, off + 4) + 1;
      while (off < sectionEnd) {
        const size = frame.readInt32LE(off);
        BSON.deserialize(frame.subarray(off, off + size));
        off += size;
        count++;
      }
    }
  }
  return count;
}
if (decodeInsert() !== 1000) throw new Error('the framed insert does not hold 1000 documents');

const results = {
  Encode1K: measure('Encode1K', () => BSON.serialize(smallObject).length),
  Decode1K: measure('Decode1K', () => (BSON.deserialize(small).revision ? 1 : 0)),
  Encode100K: measure('Encode100K', () => BSON.serialize(largeObject).length),
  Decode100K: measure('Decode100K', () => BSON.deserialize(large).orders.length),
  EncodeInsert1000: measure('EncodeInsert1000', () => frameInsert().length),
  DecodeInsert1000: measure('DecodeInsert1000', decodeInsert),
};

const report = {
  node: process.version,
  bson: packageVersion('bson'),
  mongodb: packageVersion('mongodb'),
  sizes: { doc1k: small.length, doc100k: large.length, insertFrame: frame.length },
  insertFrameIdenticalToOurs: sameFrame,
  results,
  sink,
};
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
else process.stdout.write(JSON.stringify(report, null, 2) + '\n');
