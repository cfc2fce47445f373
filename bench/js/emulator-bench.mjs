#!/usr/bin/env node
// The emulator workloads through the official Node.js driver (tests/interop/node_modules/mongodb),
// mirroring bench/DistributedSync.EmulatorBench/OurClientWorkloads.cs: single-document inserts from
// N concurrent callers over a pool of N connections, insertMany batches, and a full scan with
// find({}). Each workload runs on a fresh collection; a short warm-up runs first. Prints one JSON
// line with documents per second for each workload.
//
//   node bench/js/emulator-bench.mjs --uri mongodb://127.0.0.1:PORT/ --template DOC.bson \
//        [--database bench] [--prefix node] [--single 16000] [--connections 16] \
//        [--batches 50] [--batch-size 1000] [--scan-batch-size 0] [--warmup 1]

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const interop = resolve(here, '..', '..', 'tests', 'interop');
const require = createRequire(join(interop, 'package.json'));
let mongodb;
try {
  mongodb = require('mongodb');
} catch (e) {
  process.stderr.write(`Cannot load mongodb from ${interop}/node_modules: run \`npm ci\` in tests/interop.\n${e.message}\n`);
  process.exit(2);
}

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.uri || !args.template) {
  process.stderr.write('usage: emulator-bench.mjs --uri URI --template DOC.bson [--database D] [--prefix P] [--single N] [--connections C] [--batches B] [--batch-size S] [--scan-batch-size N] [--warmup 0|1]\n');
  process.exit(2);
}

const database = args.database ?? 'bench';
const prefix = args.prefix ?? 'node';
const single = Number(args.single ?? 16000);
const connections = Number(args.connections ?? 16);
const batches = Number(args.batches ?? 50);
const batchSize = Number(args['batch-size'] ?? 1000);
const warmup = (args.warmup ?? '1') !== '0';
// The scan's cursor batch size; 0 for the server's default (the driver then sends none).
const scanBatchSize = Number(args['scan-batch-size'] ?? 0);

// The same ~1 KB template our side inserts (written by the C# program); plain JS values, as an
// application would hold them. Every insert gets a fresh ObjectId from the driver.
const template = mongodb.BSON.deserialize(readFileSync(args.template));

const client = new mongodb.MongoClient(args.uri, { maxPoolSize: connections, minPoolSize: 0, directConnection: true });
await client.connect();
const db = client.db(database);

async function fresh(name) {
  await db.collection(name).drop().catch(() => {});
  return db.collection(name);
}

async function expectCount(collection, expected) {
  const count = await collection.countDocuments({});
  if (count !== expected) throw new Error(`${collection.collectionName} holds ${count} documents, expected ${expected}`);
}

async function singleInserts(name, total) {
  const collection = await fresh(name);
  const perCaller = Math.floor(total / connections);
  // Open the pool's connections before the clock starts (our side does the same).
  await Promise.all(Array.from({ length: connections }, () => db.command({ ping: 1 })));
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: connections }, async () => {
    for (let i = 0; i < perCaller; i++) await collection.insertOne({ ...template });
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await expectCount(collection, perCaller * connections);
  return (perCaller * connections) / seconds;
}

async function batchedInserts(name, count) {
  const collection = await fresh(name);
  const start = process.hrtime.bigint();
  for (let b = 0; b < count; b++) {
    const documents = new Array(batchSize);
    for (let i = 0; i < batchSize; i++) documents[i] = { ...template };
    await collection.insertMany(documents);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await expectCount(collection, count * batchSize);
  return (count * batchSize) / seconds;
}

async function scan(name, expected) {
  const collection = db.collection(name);
  const start = process.hrtime.bigint();
  let count = 0;
  for await (const document of collection.find({}, scanBatchSize > 0 ? { batchSize: scanBatchSize } : {})) {
    if (document._id !== undefined) count++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (count !== expected) throw new Error(`the scan of ${name} returned ${count} documents, expected ${expected}`);
  return count / seconds;
}

try {
  if (warmup) {
    await singleInserts(`${prefix}_warm_single`, Math.max(connections, Math.floor(single / 10)));
    await batchedInserts(`${prefix}_warm_batched`, Math.max(1, Math.floor(batches / 10)));
    await scan(`${prefix}_warm_batched`, Math.max(1, Math.floor(batches / 10)) * batchSize);
    await db.collection(`${prefix}_warm_single`).drop();
    await db.collection(`${prefix}_warm_batched`).drop();
  }

  const result = {
    single: await singleInserts(`${prefix}_single`, single),
    batched: await batchedInserts(`${prefix}_batched`, batches),
    scan: await scan(`${prefix}_batched`, batches * batchSize),
    driver: require('mongodb/package.json').version,
    node: process.version,
  };
  await db.collection(`${prefix}_single`).drop();
  await db.collection(`${prefix}_batched`).drop();
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await client.close();
}
