// The official Node.js driver against one standalone server (an emulator node or a real mongod).
//
//   node emulator/driver-suite.mjs <mongodb-uri> [check-name ...]
//
// Runs every check (or only the named ones) in a fresh database that is dropped at the end, and
// prints one JSON line per check: {"check": name, "ok": true, "ms": n} or
// {"check": name, "ok": false, "ms": n, "error": text}. The last line is
// {"summary": {"passed": n, "failed": n, "names": [...]}}. The exit code is 0 even when checks
// fail (the caller reads the lines); it is 2 for a bad command line and 1 when the server cannot
// be reached at all. The expected values are mongod 7.0's documented behaviour (where 6.0 differs,
// a check follows the server's buildInfo version).

import assert from 'node:assert/strict';
import { BSON, MongoBulkWriteError, MongoClient, MongoServerError, ObjectId } from 'mongodb';

const CHECK_TIMEOUT_MS = 20000;
const checks = [];

/** Registers a check; names are unique and stable (the C# side lists them). */
function check(name, body) {
  assert.ok(!checks.some(c => c.name === name), `duplicate check ${name}`);
  checks.push({ name, body });
}

/** Runs `work` and expects it to reject with a server error carrying `code` (and `codeName` when given). */
async function expectServerError(work, code, codeName) {
  let caught;
  try {
    await work();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a server error with code ${code}, but the operation succeeded`);
  assert.ok(caught instanceof MongoServerError, `expected a MongoServerError, got ${caught?.name}: ${caught?.message}`);
  assert.equal(caught.code, code, `code (message: ${caught.message})`);
  if (codeName !== undefined) {
    assert.equal(caught.codeName, codeName, 'codeName');
  }
  return caught;
}

/** The field names of a document, in order (assert.deepEqual ignores key order). */
const keys = doc => Object.keys(doc);

// ---------------------------------------------------------------- CRUD

check('insertOne.generated-id', async ({ coll, db }) => {
  const c = coll('ins_gen');
  const r = await c.insertOne({ name: 'a', n: 1 });
  assert.equal(r.acknowledged, true);
  assert.ok(r.insertedId instanceof ObjectId, 'the driver adds an ObjectId _id');
  const back = await c.findOne({ _id: r.insertedId });
  assert.deepEqual(back, { _id: r.insertedId, name: 'a', n: 1 });
  assert.deepEqual(keys(back), ['_id', 'name', 'n']);

  // A raw insert command without _id: the server adds one, first.
  const raw = await db.command({ insert: 'ins_gen', documents: [{ raw: true, x: 1 }] });
  assert.equal(raw.n, 1);
  assert.equal(raw.ok, 1);
  const stored = await c.findOne({ raw: true });
  assert.ok(stored._id instanceof ObjectId, `server-generated _id is an ObjectId: ${JSON.stringify(stored)}`);
  assert.deepEqual(keys(stored), ['_id', 'raw', 'x']);
});

check('insertOne.given-ids-of-any-type', async ({ coll }) => {
  const c = coll('ins_ids');
  for (const id of [7, 'str', { a: 1 }, 2.5, new ObjectId('0123456789abcdef01234567')]) {
    const r = await c.insertOne({ _id: id, v: 1 });
    assert.deepEqual(r.insertedId, id);
  }
  // mongod's cross-type order: numbers < strings < objects < ObjectId.
  const ids = (await c.find({}, { sort: { _id: 1 } }).toArray()).map(d => d._id);
  assert.deepEqual(ids, [2.5, 7, 'str', { a: 1 }, new ObjectId('0123456789abcdef01234567')]);
});

check('insertMany.with-and-without-id', async ({ coll }) => {
  const c = coll('ins_many');
  const r = await c.insertMany([{ _id: 1, a: 'x' }, { a: 'y' }, { _id: 'three', a: 'z' }]);
  assert.equal(r.insertedCount, 3);
  assert.equal(r.insertedIds[0], 1);
  assert.ok(r.insertedIds[1] instanceof ObjectId);
  assert.equal(r.insertedIds[2], 'three');
  assert.equal(await c.countDocuments({}), 3);
  const y = await c.findOne({ a: 'y' });
  assert.deepEqual(y._id, r.insertedIds[1]);
});

const people = [
  { _id: 1, name: 'ann', age: 31, city: 'Oslo', tags: ['a', 'b'], address: { zip: '0150' } },
  { _id: 2, name: 'bob', age: 25, city: 'Rome', tags: ['b'] },
  { _id: 3, name: 'cid', age: 42, city: 'Oslo', tags: [], address: { zip: '0151' } },
  { _id: 4, name: 'dan', age: 31, city: 'Lima', tags: ['c', 'a'] },
  { _id: 5, name: 'eve', age: 19, city: 'Rome' },
  { _id: 6, name: 'fay', age: 55, city: 'Oslo', tags: ['a'], address: { zip: '9000' } },
  { _id: 7, name: 'gus', age: 31, city: 'Rome', tags: ['d'] },
];

check('find.filter-sort-projection', async ({ coll }) => {
  const c = coll('people');
  await c.insertMany(people);

  const older = await c.find({ age: { $gte: 30 } }, { projection: { _id: 0, name: 1, age: 1 }, sort: { age: -1, name: 1 } }).toArray();
  assert.deepEqual(older, [
    { name: 'fay', age: 55 }, { name: 'cid', age: 42 }, { name: 'ann', age: 31 }, { name: 'dan', age: 31 }, { name: 'gus', age: 31 },
  ]);
  assert.deepEqual(keys(older[0]), ['name', 'age'], 'inclusion projection keeps the stored field order');

  const names = async (filter, sort = { _id: 1 }) => (await c.find(filter, { sort }).toArray()).map(d => d.name);
  assert.deepEqual(await names({ city: 'Oslo', age: { $lt: 50 } }), ['ann', 'cid']);
  assert.deepEqual(await names({ tags: 'a' }), ['ann', 'dan', 'fay'], 'equality matches array elements');
  assert.deepEqual(await names({ tags: { $size: 0 } }), ['cid']);
  assert.deepEqual(await names({ tags: { $exists: false } }), ['eve']);
  assert.deepEqual(await names({ 'address.zip': { $regex: '^015' } }), ['ann', 'cid']);
  assert.deepEqual(await names({ $or: [{ city: 'Lima' }, { age: { $lt: 20 } }] }), ['dan', 'eve']);
  assert.deepEqual(await names({ name: { $in: ['bob', 'gus', 'zed'] } }), ['bob', 'gus']);
  assert.deepEqual(await names({ age: { $ne: 31 } }, { age: 1 }), ['eve', 'bob', 'cid', 'fay']);

  const excluded = await c.findOne({ _id: 1 }, { projection: { tags: 0, address: 0 } });
  assert.deepEqual(excluded, { _id: 1, name: 'ann', age: 31, city: 'Oslo' });
  const dotted = await c.findOne({ _id: 3 }, { projection: { 'address.zip': 1 } });
  assert.deepEqual(dotted, { _id: 3, address: { zip: '0151' } });
});

check('find.skip-limit', async ({ coll }) => {
  const c = coll('skiplimit');
  await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, n: 19 - i })));
  const page = await c.find({}).sort({ n: 1 }).skip(3).limit(4).toArray();
  assert.deepEqual(page.map(d => d.n), [3, 4, 5, 6]);
  const tail = await c.find({ n: { $gte: 10 } }).sort({ n: -1 }).skip(8).toArray();
  assert.deepEqual(tail.map(d => d.n), [11, 10]);
  assert.deepEqual(await c.find({}).skip(50).toArray(), []);
  const one = await c.find({}).sort({ _id: -1 }).limit(1).toArray();
  assert.deepEqual(one, [{ _id: 19, n: 0 }]);
});

check('find.more-operators-and-projections', async ({ coll }) => {
  const c = coll('ops');
  await c.insertMany([
    { _id: 1, a: [1, 5, 9], s: 'apple', n: 10, items: [{ k: 'x', v: 1 }, { k: 'y', v: 7 }] },
    { _id: 2, a: [2, 3], s: 'Banana', n: 7.5, items: [{ k: 'x', v: 8 }] },
    { _id: 3, a: 4, s: 'cherry', n: NaN, items: [] },
    { _id: 4, s: null, n: -3, items: [{ k: 'y', v: 2 }, { k: 'x', v: 3 }] },
    { _id: 5, a: [], n: '10' },
  ]);
  const ids = async (filter, options = {}) => (await c.find(filter, { sort: { _id: 1 }, ...options }).toArray()).map(d => d._id);
  assert.deepEqual(await ids({ a: { $elemMatch: { $gt: 4, $lt: 9 } } }), [1]);
  assert.deepEqual(await ids({ a: { $gt: 4, $lt: 9 } }), [1], 'without $elemMatch different elements may satisfy each bound');
  assert.deepEqual(await ids({ a: { $gt: 2, $lt: 4 } }), [1, 2], '[1, 5, 9] matches: 5 > 2 and 1 < 4');
  assert.deepEqual(await ids({ a: { $elemMatch: { $gt: 2, $lt: 4 } } }), [2]);
  assert.deepEqual(await ids({ a: { $all: [1, 9] } }), [1]);
  assert.deepEqual(await ids({ items: { $elemMatch: { k: 'x', v: { $gte: 3 } } } }), [2, 4]);
  assert.deepEqual(await ids({ 'items.k': 'y', 'items.v': 1 }), [1], 'dotted conditions may match different elements');
  assert.deepEqual(await ids({ n: { $type: 'string' } }), [5]);
  assert.deepEqual(await ids({ n: { $type: 'number' } }), [1, 2, 3, 4]);
  assert.deepEqual(await ids({ n: { $mod: [5, 0] } }), [1]);
  assert.deepEqual(await ids({ n: { $not: { $gt: 0 } } }), [3, 4, 5], '$not matches NaN, negatives and non-numbers');
  assert.deepEqual(await ids({ $nor: [{ s: /an/ }, { a: { $exists: true } }] }), [4]);
  assert.deepEqual(await ids({ s: { $regex: '^b', $options: 'i' } }), [2]);
  assert.deepEqual(await ids({ s: null }), [4, 5], 'null matches null and missing');
  assert.deepEqual(await ids({ a: { $size: 0 } }), [5]);
  assert.deepEqual(await ids({ $expr: { $gt: [{ $size: { $ifNull: ['$items', []] } }, 1] } }), [1, 4]);
  assert.deepEqual(await ids({ n: { $gte: 7.5 } }), [1, 2], 'numbers compare across int and double; NaN and strings do not match');

  const sliced = await c.findOne({ _id: 1 }, { projection: { a: { $slice: -2 }, items: 0, s: 0, n: 0 } });
  assert.deepEqual(sliced, { _id: 1, a: [5, 9] });
  const matched = await c.findOne({ _id: 4 }, { projection: { items: { $elemMatch: { k: 'x' } } } });
  assert.deepEqual(matched, { _id: 4, items: [{ k: 'x', v: 3 }] });
  const computed = await c.findOne({ _id: 2 }, { projection: { _id: 0, upper: { $toUpper: '$s' }, first: { $arrayElemAt: ['$a', 0] } } });
  assert.deepEqual(computed, { upper: 'BANANA', first: 2 });
});

check('find.sort-across-types-and-arrays', async ({ coll }) => {
  const c = coll('sorts');
  await c.insertMany([
    { _id: 1, a: 1 },
    { _id: 2, a: null },
    { _id: 3 },
    { _id: 4, a: 'x' },
    { _id: 5, a: [0, 5] },
    { _id: 6, a: 2.5 },
    { _id: 7, a: { z: 1 } },
    { _id: 8, a: true },
  ]);
  const asc = (await c.find({}, { sort: { a: 1, _id: 1 } }).toArray()).map(d => d._id);
  // null and missing first, then numbers (an array sorts by its smallest element ascending),
  // strings, objects, booleans.
  assert.deepEqual(asc, [2, 3, 5, 1, 6, 4, 7, 8]);
  const desc = (await c.find({}, { sort: { a: -1, _id: 1 } }).toArray()).map(d => d._id);
  // Descending, an array sorts by its largest element.
  assert.deepEqual(desc, [8, 7, 4, 5, 6, 1, 2, 3]);
});

check('update.more-operators', async ({ coll }) => {
  const c = coll('upd_more');
  await c.insertOne({ _id: 1, n: 5, m: 3, lo: 10, hi: 10, arr: [1, 2, 3, 2, 4], q: [1, 2, 3], old: 'o', nest: { a: 1, b: 2 }, items: [{ k: 'x', v: 1 }, { k: 'y', v: 2 }, { k: 'x', v: 3 }] });
  await c.updateOne({ _id: 1 }, {
    $mul: { m: 2 },
    $min: { lo: 4 },
    $max: { hi: 4 },
    $pull: { arr: 2 },
    $pop: { q: -1 },
    $rename: { old: 'renamed' },
    $unset: { 'nest.a': 1 },
    $currentDate: { touched: true },
  });
  const d = await c.findOne({ _id: 1 });
  assert.deepEqual([d.m, d.lo, d.hi], [6, 4, 10]);
  assert.deepEqual(d.arr, [1, 3, 4]);
  assert.deepEqual(d.q, [2, 3]);
  assert.equal(d.renamed, 'o');
  assert.equal('old' in d, false);
  assert.deepEqual(d.nest, { b: 2 });
  assert.ok(d.touched instanceof Date && Math.abs(Date.now() - d.touched.getTime()) < 60000, `$currentDate set ${d.touched}`);

  await c.updateOne({ _id: 1, 'items.k': 'y' }, { $set: { 'items.$.v': 20 } });
  await c.updateOne({ _id: 1 }, { $inc: { 'items.$[e].v': 100 } }, { arrayFilters: [{ 'e.k': 'x' }] });
  await c.updateOne({ _id: 1 }, { $push: { 'items.$[].tags': 't' } });
  const items = (await c.findOne({ _id: 1 })).items;
  assert.deepEqual(items, [{ k: 'x', v: 101, tags: ['t'] }, { k: 'y', v: 20, tags: ['t'] }, { k: 'x', v: 103, tags: ['t'] }]);

  await c.updateOne({ _id: 1 }, { $pull: { items: { k: 'x' } }, $pullAll: { arr: [1, 4] } });
  const after = await c.findOne({ _id: 1 });
  assert.deepEqual(after.items, [{ k: 'y', v: 20, tags: ['t'] }]);
  assert.deepEqual(after.arr, [3]);

  // A pipeline update.
  await c.updateOne({ _id: 1 }, [{ $set: { total: { $add: ['$m', '$lo'] } } }, { $unset: 'nest' }]);
  const piped = await c.findOne({ _id: 1 });
  assert.equal(piped.total, 10);
  assert.equal('nest' in piped, false);
});

check('cursor.getMore-over-101-documents', async ({ coll, commands }) => {
  const c = coll('batches');
  await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, pad: 'x'.repeat(20) })));

  const { result: all, events } = await commands(() => c.find({}).sort({ _id: 1 }).toArray());
  assert.deepEqual(all.map(d => d._id), Array.from({ length: 250 }, (_, i) => i));
  const find = events.find(e => e.name === 'find');
  assert.equal(find.reply.cursor.firstBatch.length, 101, 'default first batch is 101 documents');
  assert.notEqual(String(find.reply.cursor.id), '0', 'a cursor stays open after the first batch');
  assert.equal(find.reply.cursor.ns, `${c.dbName}.batches`);
  const getMores = events.filter(e => e.name === 'getMore');
  assert.ok(getMores.length >= 1, 'getMore fetched the rest');
  assert.equal(getMores.reduce((n, e) => n + e.reply.cursor.nextBatch.length, 0), 149);
  assert.equal(String(getMores.at(-1).reply.cursor.id), '0', 'the last batch closes the cursor');
  for (const g of getMores) {
    assert.equal(String(g.command.getMore), String(find.reply.cursor.id), 'getMore names the cursor');
  }

  const { result: small, events: smallEvents } = await commands(() => c.find({ _id: { $lt: 120 } }).sort({ _id: -1 }).batchSize(50).toArray());
  assert.deepEqual(small.map(d => d._id), Array.from({ length: 120 }, (_, i) => 119 - i));
  const smallBatches = smallEvents.filter(e => e.name === 'getMore').map(e => e.reply.cursor.nextBatch.length);
  assert.ok(smallBatches.length >= 2, `getMore batches ${smallBatches}`);
  assert.ok(smallBatches.every(n => n <= 50), `every getMore honours batchSize 50: ${smallBatches}`);
});

check('cursor.close-kills-it', async ({ coll, commands, db }) => {
  const c = coll('killme');
  await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i })));
  const cursor = c.find({}).batchSize(5);
  const { events } = await commands(async () => {
    assert.deepEqual(await cursor.next(), { _id: 0 });
    await cursor.close();
  });
  const id = events.find(e => e.name === 'find').reply.cursor.id;
  const kill = events.find(e => e.name === 'killCursors');
  assert.ok(kill, 'close() sends killCursors');
  assert.deepEqual(kill.reply.cursorsKilled.map(String), [String(id)]);
  assert.deepEqual(kill.reply.cursorsNotFound, []);
  await expectServerError(() => db.command({ getMore: id, collection: 'killme' }), 43, 'CursorNotFound');
});

check('updateOne.operators', async ({ coll }) => {
  const c = coll('upd_ops');
  await c.insertOne({ _id: 1, a: 1, tags: ['x'], set: ['p'], gone: true, keep: 'k' });
  const r = await c.updateOne({ _id: 1 }, {
    $set: { 'b.c': 2, keep: 'K', zz: true },
    $inc: { a: 5, fresh: 2 },
    $push: { tags: 'y' },
    $addToSet: { set: { $each: ['p', 'q'] } },
    $unset: { gone: '' },
  });
  assert.equal(r.matchedCount, 1);
  assert.equal(r.modifiedCount, 1);
  assert.equal(r.upsertedId, null);
  const doc = await c.findOne({ _id: 1 });
  assert.deepEqual(doc, { _id: 1, a: 6, tags: ['x', 'y'], set: ['p', 'q'], keep: 'K', b: { c: 2 }, fresh: 2, zz: true });
  // Since 5.0 mongod applies update operators to new fields in lexicographic order of their names.
  assert.deepEqual(keys(doc), ['_id', 'a', 'tags', 'set', 'keep', 'b', 'fresh', 'zz'], 'existing fields keep their place, new ones are appended in name order');

  const same = await c.updateOne({ _id: 1 }, { $set: { a: 6 } });
  assert.deepEqual([same.matchedCount, same.modifiedCount], [1, 0], 'a no-op update matches but does not modify');
  const none = await c.updateOne({ _id: 404 }, { $set: { a: 1 } });
  assert.deepEqual([none.matchedCount, none.modifiedCount], [0, 0]);

  await c.updateOne({ _id: 1 }, { $push: { tags: { $each: ['z', 'w'], $sort: 1 } }, $addToSet: { set: 'q' } });
  const again = await c.findOne({ _id: 1 });
  assert.deepEqual(again.tags, ['w', 'x', 'y', 'z']);
  assert.deepEqual(again.set, ['p', 'q']);
});

check('updateMany', async ({ coll }) => {
  const c = coll('upd_many');
  await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, n: i, even: i % 2 === 0 })));
  const r = await c.updateMany({ even: true }, { $inc: { n: 100 }, $set: { seen: true } });
  assert.deepEqual([r.matchedCount, r.modifiedCount], [5, 5]);
  const ns = (await c.find({}, { sort: { _id: 1 } }).toArray()).map(d => d.n);
  assert.deepEqual(ns, [100, 1, 102, 3, 104, 5, 106, 7, 108, 9]);
  assert.equal(await c.countDocuments({ seen: true }), 5);
  const nothing = await c.updateMany({ n: { $gt: 1000 } }, { $set: { x: 1 } });
  assert.deepEqual([nothing.matchedCount, nothing.modifiedCount], [0, 0]);
});

check('update.upsert', async ({ coll }) => {
  const c = coll('upsert');
  const r = await c.updateOne({ k: 'new', n: { $gt: 5 } }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
  assert.equal(r.matchedCount, 0);
  assert.equal(r.modifiedCount, 0);
  assert.equal(r.upsertedCount, 1);
  assert.ok(r.upsertedId instanceof ObjectId);
  const doc = await c.findOne({ _id: r.upsertedId });
  assert.deepEqual(doc, { _id: r.upsertedId, k: 'new', v: 1, created: true }, 'equality fields of the filter seed the new document');

  const again = await c.updateOne({ k: 'new' }, { $set: { v: 2 }, $setOnInsert: { created: false } }, { upsert: true });
  assert.deepEqual([again.matchedCount, again.modifiedCount, again.upsertedCount], [1, 1, 0]);
  assert.equal((await c.findOne({ k: 'new' })).created, true, '$setOnInsert only applies on insert');

  const byId = await c.updateOne({ _id: 5 }, { $inc: { hits: 1 } }, { upsert: true });
  assert.equal(byId.upsertedId, 5);
  assert.deepEqual(await c.findOne({ _id: 5 }), { _id: 5, hits: 1 });

  const many = await c.updateMany({ group: 'g' }, { $set: { x: 1 } }, { upsert: true });
  assert.equal(many.upsertedCount, 1);
  assert.deepEqual(await c.findOne({ group: 'g' }, { projection: { _id: 0 } }), { group: 'g', x: 1 });
});

check('replaceOne', async ({ coll }) => {
  const c = coll('replace');
  await c.insertOne({ _id: 1, a: 1, b: 2 });
  const r = await c.replaceOne({ a: 1 }, { c: 3, d: [1, 2] });
  assert.deepEqual([r.matchedCount, r.modifiedCount], [1, 1]);
  const doc = await c.findOne({ _id: 1 });
  assert.deepEqual(doc, { _id: 1, c: 3, d: [1, 2] });
  assert.deepEqual(keys(doc), ['_id', 'c', 'd']);

  const up = await c.replaceOne({ _id: 2 }, { e: 5 }, { upsert: true });
  assert.equal(up.upsertedId, 2);
  assert.deepEqual(await c.findOne({ _id: 2 }), { _id: 2, e: 5 });
  const missing = await c.replaceOne({ _id: 99 }, { e: 6 });
  assert.deepEqual([missing.matchedCount, missing.modifiedCount, missing.upsertedCount], [0, 0, 0]);
  // _id is immutable: 66 ImmutableField (write errors carry no codeName).
  await expectServerError(() => c.replaceOne({ _id: 1 }, { _id: 10, c: 3 }), 66);
});

check('delete.one-and-many', async ({ coll }) => {
  const c = coll('deletes');
  await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, odd: i % 2 === 1 })));
  assert.equal((await c.deleteOne({ odd: true })).deletedCount, 1);
  assert.equal(await c.countDocuments({ odd: true }), 4);
  assert.equal((await c.deleteMany({ odd: true })).deletedCount, 4);
  assert.equal((await c.deleteOne({ _id: 404 })).deletedCount, 0);
  assert.deepEqual((await c.find({}, { sort: { _id: 1 } }).toArray()).map(d => d._id), [0, 2, 4, 6, 8]);
  assert.equal((await c.deleteMany({})).deletedCount, 5);
  assert.equal(await c.countDocuments({}), 0);
});

check('findOneAndUpdate.before-and-after', async ({ coll }) => {
  const c = coll('fam');
  await c.insertMany([{ _id: 1, n: 1, q: 'a' }, { _id: 2, n: 5, q: 'a' }]);
  const before = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 10 } });
  assert.deepEqual(before, { _id: 1, n: 1, q: 'a' }, 'returns the document before the update by default');
  const after = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 10 } }, { returnDocument: 'after', projection: { q: 0 } });
  assert.deepEqual(after, { _id: 1, n: 21 });
  const sorted = await c.findOneAndUpdate({ q: 'a' }, { $set: { top: true } }, { sort: { n: -1 }, returnDocument: 'after' });
  assert.equal(sorted._id, 1, 'sort picks which document is modified');
  assert.equal(await c.findOneAndUpdate({ _id: 404 }, { $set: { x: 1 } }), null);
  const upserted = await c.findOneAndUpdate({ _id: 3 }, { $set: { n: 0 } }, { upsert: true, returnDocument: 'after' });
  assert.deepEqual(upserted, { _id: 3, n: 0 });
  const meta = await c.findOneAndUpdate({ _id: 2 }, { $set: { n: 6 } }, { includeResultMetadata: true });
  assert.equal(meta.ok, 1);
  assert.deepEqual(meta.lastErrorObject, { n: 1, updatedExisting: true });
  assert.deepEqual(meta.value, { _id: 2, n: 5, q: 'a' });

  const replaced = await c.findOneAndReplace({ _id: 2 }, { r: true }, { returnDocument: 'after' });
  assert.deepEqual(replaced, { _id: 2, r: true });
  const deleted = await c.findOneAndDelete({ _id: 2 });
  assert.deepEqual(deleted, { _id: 2, r: true });
  assert.equal(await c.countDocuments({ _id: 2 }), 0);
});

check('bulkWrite.mixed', async ({ coll }) => {
  const c = coll('bulk');
  const r = await c.bulkWrite([
    { insertOne: { document: { _id: 1, n: 1 } } },
    { insertOne: { document: { _id: 2, n: 2 } } },
    { updateOne: { filter: { _id: 1 }, update: { $inc: { n: 1 } } } },
    { updateMany: { filter: {}, update: { $set: { all: true } } } },
    { replaceOne: { filter: { _id: 2 }, replacement: { n: 20 } } },
    { updateOne: { filter: { _id: 3 }, update: { $set: { n: 3 } }, upsert: true } },
    { deleteOne: { filter: { _id: 1 } } },
  ]);
  assert.equal(r.insertedCount, 2);
  assert.equal(r.matchedCount, 4);
  assert.equal(r.modifiedCount, 4);
  assert.equal(r.upsertedCount, 1);
  assert.equal(r.deletedCount, 1);
  assert.deepEqual(r.upsertedIds, { 5: 3 });
  assert.deepEqual(await c.find({}, { sort: { _id: 1 } }).toArray(), [{ _id: 2, n: 20 }, { _id: 3, n: 3 }]);
});

// ---------------------------------------------------------------- indexes

check('index.unique-duplicate-is-11000', async ({ coll, db }) => {
  const c = coll('uniq');
  assert.equal(await c.createIndex({ k: 1 }, { unique: true }), 'k_1');
  await c.insertOne({ _id: 1, k: 1 });
  const e = await expectServerError(() => c.insertOne({ _id: 2, k: 1 }), 11000);
  assert.deepEqual(e.keyPattern, { k: 1 });
  assert.deepEqual(e.keyValue, { k: 1 });
  assert.equal(e.errmsg, `E11000 duplicate key error collection: ${db.databaseName}.uniq index: k_1 dup key: { k: 1 }`);

  const idDup = await expectServerError(() => c.insertOne({ _id: 1, k: 99 }), 11000);
  assert.deepEqual(idDup.keyPattern, { _id: 1 });
  assert.deepEqual(idDup.keyValue, { _id: 1 });

  await c.insertOne({ _id: 3, k: 3 });
  const viaUpdate = await expectServerError(() => c.updateOne({ _id: 3 }, { $set: { k: 1 } }), 11000);
  assert.deepEqual(viaUpdate.keyValue, { k: 1 });
  assert.equal((await c.findOne({ _id: 3 })).k, 3, 'the failed update changed nothing');

  let bulk;
  try {
    await c.insertMany([{ _id: 10, k: 10 }, { _id: 11, k: 1 }, { _id: 12, k: 12 }, { _id: 13, k: 3 }, { _id: 14, k: 14 }], { ordered: false });
  } catch (err) {
    bulk = err;
  }
  assert.ok(bulk instanceof MongoBulkWriteError, `unordered insertMany fails with a MongoBulkWriteError, got ${bulk}`);
  assert.deepEqual(bulk.writeErrors.map(w => [w.index, w.code]), [[1, 11000], [3, 11000]]);
  assert.equal(bulk.insertedCount, 3);

  let ordered;
  try {
    await c.insertMany([{ _id: 20, k: 20 }, { _id: 21, k: 1 }, { _id: 22, k: 22 }]);
  } catch (err) {
    ordered = err;
  }
  assert.ok(ordered instanceof MongoBulkWriteError);
  assert.deepEqual(ordered.writeErrors.map(w => w.index), [1]);
  assert.equal(ordered.insertedCount, 1, 'an ordered insert stops at the first error');
  assert.equal(await c.countDocuments({ _id: 22 }), 0);

  // Building a unique index over existing duplicates fails the same way.
  const d = coll('uniq_build');
  await d.insertMany([{ v: 1 }, { v: 1 }]);
  await expectServerError(() => d.createIndex({ v: 1 }, { unique: true }), 11000);
});

check('index.list-and-drop', async ({ coll }) => {
  const c = coll('idx');
  await c.insertOne({ a: 1, b: 2 });
  assert.equal(await c.createIndex({ a: 1, b: -1 }), 'a_1_b_-1');
  assert.equal(await c.createIndex({ b: 1 }, { name: 'by_b', sparse: true }), 'by_b');
  assert.equal(await c.createIndex({ a: 1, b: -1 }), 'a_1_b_-1', 'creating the same index again is a no-op');
  const listed = await c.listIndexes().toArray();
  assert.deepEqual(listed, [
    { v: 2, key: { _id: 1 }, name: '_id_' },
    { v: 2, key: { a: 1, b: -1 }, name: 'a_1_b_-1' },
    { v: 2, key: { b: 1 }, name: 'by_b', sparse: true },
  ]);
  assert.equal(await c.indexExists('by_b'), true);
  await c.dropIndex('a_1_b_-1');
  assert.deepEqual((await c.listIndexes().toArray()).map(i => i.name), ['_id_', 'by_b']);
  await expectServerError(() => c.dropIndex('nope_1'), 27, 'IndexNotFound');
  await expectServerError(() => c.dropIndex('_id_'), 72, 'InvalidOptions');
  await c.dropIndexes();
  assert.deepEqual((await c.listIndexes().toArray()).map(i => i.name), ['_id_']);
  await expectServerError(() => coll('idx_missing').listIndexes().toArray(), 26, 'NamespaceNotFound');
});

// ---------------------------------------------------------------- aggregation

const sales = [
  { _id: 1, item: 'apple', qty: 5, price: 2, tags: ['fruit', 'red'] },
  { _id: 2, item: 'pear', qty: 2, price: 3, tags: ['fruit'] },
  { _id: 3, item: 'apple', qty: 1, price: 2, tags: ['fruit', 'red', 'sale'] },
  { _id: 4, item: 'kale', qty: 7, price: 4, tags: ['green'] },
  { _id: 5, item: 'pear', qty: 4, price: 3, tags: [] },
];

check('aggregate.match-group-sort', async ({ coll }) => {
  const c = coll('sales');
  await c.insertMany(sales);
  const totals = await c.aggregate([
    { $match: { qty: { $gte: 2 } } },
    { $group: { _id: '$item', units: { $sum: '$qty' }, revenue: { $sum: { $multiply: ['$qty', '$price'] } }, orders: { $sum: 1 }, avgQty: { $avg: '$qty' }, maxQty: { $max: '$qty' }, ids: { $push: '$_id' } } },
    { $sort: { revenue: -1 } },
  ]).toArray();
  assert.deepEqual(totals, [
    { _id: 'kale', units: 7, revenue: 28, orders: 1, avgQty: 7, maxQty: 7, ids: [4] },
    { _id: 'pear', units: 6, revenue: 18, orders: 2, avgQty: 3, maxQty: 4, ids: [2, 5] },
    { _id: 'apple', units: 5, revenue: 10, orders: 1, avgQty: 5, maxQty: 5, ids: [1] },
  ]);
  const all = await c.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]).toArray();
  assert.deepEqual(all, [{ _id: null, n: 5 }]);
  const paged = await c.aggregate([{ $sort: { _id: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }]).toArray();
  assert.deepEqual(paged, [{ _id: 4 }, { _id: 3 }]);
});

check('aggregate.project-unwind-count', async ({ coll }) => {
  const c = coll('sales2');
  await c.insertMany(sales);
  const unwound = await c.aggregate([
    { $unwind: '$tags' },
    { $project: { _id: 0, item: 1, tag: '$tags', total: { $multiply: ['$qty', '$price'] } } },
    { $sort: { tag: 1, item: 1, total: 1 } },
  ]).toArray();
  assert.deepEqual(unwound, [
    { item: 'apple', tag: 'fruit', total: 2 },
    { item: 'apple', tag: 'fruit', total: 10 },
    { item: 'pear', tag: 'fruit', total: 6 },
    { item: 'kale', tag: 'green', total: 28 },
    { item: 'apple', tag: 'red', total: 2 },
    { item: 'apple', tag: 'red', total: 10 },
    { item: 'apple', tag: 'sale', total: 2 },
  ]);
  const counted = await c.aggregate([{ $unwind: '$tags' }, { $match: { tags: 'fruit' } }, { $count: 'fruitLines' }]).toArray();
  assert.deepEqual(counted, [{ fruitLines: 3 }]);
  const none = await c.aggregate([{ $match: { item: 'none' } }, { $count: 'n' }]).toArray();
  assert.deepEqual(none, [], '$count over no documents yields no document');
  const keepEmpty = await c.aggregate([{ $match: { _id: 5 } }, { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } }]).toArray();
  assert.deepEqual(keepEmpty, [{ _id: 5, item: 'pear', qty: 4, price: 3 }]);

  // A batched aggregate goes through getMore like find.
  const big = coll('sales_big');
  await big.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i, g: i % 3 })));
  const out = await big.aggregate([{ $match: { g: 1 } }, { $sort: { _id: 1 } }], { batchSize: 4 }).toArray();
  assert.deepEqual(out.map(d => d._id), Array.from({ length: 10 }, (_, i) => 3 * i + 1));
});

// ---------------------------------------------------------------- capped collections

check('capped.create-and-trim', async ({ db }) => {
  const byMax = await db.createCollection('capped_max', { capped: true, size: 65536, max: 5 });
  assert.equal(await byMax.isCapped(), true);
  const opts = await byMax.options();
  assert.equal(opts.capped, true);
  assert.equal(opts.max, 5);
  for (let i = 0; i < 8; i++) {
    await byMax.insertOne({ seq: i });
  }
  assert.deepEqual((await byMax.find({}).toArray()).map(d => d.seq), [3, 4, 5, 6, 7], 'the oldest documents are gone, natural order is insertion order');
  assert.deepEqual((await byMax.find({}).sort({ $natural: -1 }).toArray()).map(d => d.seq), [7, 6, 5, 4, 3]);
  assert.equal(await byMax.estimatedDocumentCount(), 5);

  const bySize = await db.createCollection('capped_size', { capped: true, size: 4096 });
  const pad = 'p'.repeat(400);
  await bySize.insertMany(Array.from({ length: 40 }, (_, i) => ({ seq: i, pad })));
  const left = await bySize.find({}).toArray();
  const seqs = left.map(d => d.seq);
  assert.ok(left.length > 0 && left.length < 40, `size trimming kept ${left.length} of 40`);
  assert.equal(seqs.at(-1), 39, 'the newest document is kept');
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 40 - seqs.length + i), 'what is left is the newest, contiguous run');
  const bytes = left.reduce((n, d) => n + BSON.calculateObjectSize(d), 0);
  assert.ok(bytes <= 4096, `the documents left take ${bytes} bytes, at most the cap`);

  const plain = await db.createCollection('not_capped');
  assert.equal(await plain.isCapped(), false);
  await expectServerError(() => db.createCollection('capped_nosize', { capped: true }), 72, 'InvalidOptions');
});

check('capped.tailable-awaitData-cursor', async ({ db, client, commands }) => {
  const log = await db.createCollection('tail', { capped: true, size: 1 << 20 });
  await log.insertOne({ seq: 1 });
  const cursor = log.find({}, { tailable: true, awaitData: true, maxAwaitTimeMS: 300 });
  try {
    assert.deepEqual((await cursor.next()).seq, 1);

    // An empty getMore waits about maxAwaitTimeMS for data, then returns nothing; the cursor stays open.
    const started = Date.now();
    const { result: empty, events } = await commands(() => cursor.tryNext());
    const waited = Date.now() - started;
    assert.equal(empty, null);
    assert.ok(waited >= 200, `an awaitData getMore without data waited ${waited} ms (maxAwaitTimeMS 300)`);
    const getMore = events.find(e => e.name === 'getMore');
    assert.equal(getMore.command.maxTimeMS, 300, 'the driver sends maxAwaitTimeMS as the getMore maxTimeMS');
    assert.notEqual(String(getMore.reply.cursor.id), '0', 'the tailable cursor survives an empty batch');
    assert.equal(cursor.closed, false);

    // A document inserted while the cursor waits is delivered: insert once its getMore is sent.
    const sent = new Promise(resolve => {
      const listener = e => {
        if (e.commandName === 'getMore') {
          client.off('commandStarted', listener);
          resolve();
        }
      };
      client.on('commandStarted', listener);
    });
    const next = cursor.next();
    await sent;
    await log.insertOne({ seq: 2 });
    assert.deepEqual((await next).seq, 2);
    await log.insertMany([{ seq: 3 }, { seq: 4 }]);
    assert.equal((await cursor.next()).seq, 3);
    assert.equal((await cursor.next()).seq, 4);
  } finally {
    await cursor.close();
  }

  // Tailable cursors need a capped collection: 2 BadValue.
  const plain = db.collection('tail_plain');
  await plain.insertOne({ x: 1 });
  await expectServerError(() => plain.find({}, { tailable: true }).toArray(), 2, 'BadValue');
});

// ---------------------------------------------------------------- errors

check('error.rename-missing-collection-is-26', async ({ db, coll }) => {
  const e = await expectServerError(() => db.renameCollection('missing_source', 'renamed_target'), 26, 'NamespaceNotFound');
  assert.match(e.message, /missing_source/);
  const c = coll('rename_src');
  await c.insertMany([{ _id: 1 }, { _id: 2 }]);
  await c.createIndex({ x: 1 });
  const renamed = await c.rename('rename_dst');
  assert.equal(renamed.collectionName, 'rename_dst');
  assert.equal(await db.collection('rename_dst').countDocuments({}), 2);
  assert.deepEqual((await db.collection('rename_dst').listIndexes().toArray()).map(i => i.name), ['_id_', 'x_1'], 'indexes move with the collection');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map(i => i.name);
  assert.ok(names.includes('rename_dst') && !names.includes('rename_src'), names.join(','));
  await coll('rename_other').insertOne({});
  await expectServerError(() => db.renameCollection('rename_dst', 'rename_other'), 48, 'NamespaceExists');
  await db.renameCollection('rename_dst', 'rename_other', { dropTarget: true });
  assert.equal(await db.collection('rename_other').countDocuments({}), 2);
});

check('error.create-existing-collection-is-48', async ({ db, serverMajor }) => {
  await db.createCollection('twice');
  if (serverMajor >= 7) {
    // Since 7.0 creating it again with identical options succeeds (SERVER-60064)...
    await db.createCollection('twice');
  } else {
    await expectServerError(() => db.createCollection('twice'), 48, 'NamespaceExists');
  }

  // ... and with other options fails.
  await expectServerError(() => db.createCollection('twice', { capped: true, size: 4096 }), 48, 'NamespaceExists');
  await expectServerError(() => db.command({ create: 'twice', capped: true, size: 8192 }), 48, 'NamespaceExists');
});

check('error.unknown-command-is-59', async ({ db }) => {
  const e = await expectServerError(() => db.command({ distsyncNoSuchCommand: 1 }), 59, 'CommandNotFound');
  assert.equal(e.errmsg, "no such command: 'distsyncNoSuchCommand'");
});

check('error.malformed-queries', async ({ coll }) => {
  const c = coll('bad');
  await c.insertOne({ a: 1, s: 'x' });
  await expectServerError(() => c.find({ $foo: 1 }).toArray(), 2, 'BadValue');
  await expectServerError(() => c.find({ a: { $bogus: 1 } }).toArray(), 2, 'BadValue');
  await expectServerError(() => c.find({ a: { $in: 5 } }).toArray(), 2, 'BadValue');
  await expectServerError(() => c.find({ $and: [] }).toArray(), 2, 'BadValue');
  await expectServerError(() => c.countDocuments({ $or: 1 }), 2, 'BadValue');
  // Update statements fail with write errors, which carry a code but no codeName.
  await expectServerError(() => c.updateOne({}, { $foo: { a: 1 } }), 9);
  await expectServerError(() => c.updateOne({}, { $inc: { s: 1 } }), 14);
  await expectServerError(() => c.updateOne({}, { $set: { a: 1 }, $inc: { a: 1 } }), 40);
  await expectServerError(() => c.find({}, { projection: { a: 1, s: 0 } }).toArray(), 31254);
  await expectServerError(() => c.aggregate([{ $frobnicate: {} }]).toArray(), 40324);
  assert.deepEqual(await c.findOne({}, { projection: { _id: 0 } }), { a: 1, s: 'x' }, 'failed updates changed nothing');
});

// ---------------------------------------------------------------- counts and listings

check('count.countDocuments-estimated-distinct', async ({ coll }) => {
  const c = coll('counts');
  await c.insertMany([
    { _id: 1, k: 'a', tags: ['x', 'y'], n: 1 },
    { _id: 2, k: 'b', tags: ['y'], n: 2 },
    { _id: 3, k: 'a', tags: 'z', n: 3 },
    { _id: 4, k: 'c', n: 4 },
    { _id: 5, k: 'a', tags: [['nested']], n: 5 },
  ]);
  assert.equal(await c.countDocuments({}), 5);
  assert.equal(await c.countDocuments({ k: 'a' }), 3);
  assert.equal(await c.countDocuments({}, { skip: 1, limit: 3 }), 3);
  assert.equal(await c.countDocuments({}, { skip: 4 }), 1);
  assert.equal(await c.estimatedDocumentCount(), 5);
  assert.equal(await coll('counts_missing').countDocuments({}), 0);
  assert.equal(await coll('counts_missing').estimatedDocumentCount(), 0);

  assert.deepEqual((await c.distinct('k')).sort(), ['a', 'b', 'c']);
  assert.deepEqual((await c.distinct('k', { n: { $gt: 2 } })).sort(), ['a', 'c']);
  const tags = await c.distinct('tags');
  assert.equal(tags.length, 4, `distinct unwinds one array level: ${JSON.stringify(tags)}`);
  assert.deepEqual(tags.filter(t => typeof t === 'string').sort(), ['x', 'y', 'z']);
  assert.deepEqual(tags.filter(t => Array.isArray(t)), [['nested']]);
  assert.deepEqual(await coll('counts_missing').distinct('k'), []);
});

check('list.collections-and-databases', async ({ db, client, coll }) => {
  await coll('listed_a').insertOne({ x: 1 });
  await db.createCollection('listed_b', { capped: true, size: 8192 });
  const infos = await db.listCollections({ name: { $in: ['listed_a', 'listed_b'] } }).toArray();
  infos.sort((x, y) => x.name.localeCompare(y.name));
  assert.deepEqual(infos.map(i => [i.name, i.type]), [['listed_a', 'collection'], ['listed_b', 'collection']]);
  assert.deepEqual(infos[0].options, {});
  assert.equal(infos[1].options.capped, true);
  assert.equal(infos[0].info.readOnly, false);
  assert.equal(infos[0].info.uuid?.sub_type, 4, 'info.uuid is a UUID');
  assert.deepEqual(infos[0].idIndex, { v: 2, key: { _id: 1 }, name: '_id_' });

  const names = await db.listCollections({}, { nameOnly: true }).toArray();
  const a = names.find(i => i.name === 'listed_a');
  assert.deepEqual(a, { name: 'listed_a', type: 'collection' }, 'nameOnly lists name and type');
  assert.ok(!names.some(i => i.name.startsWith('system.')), 'no system collections in a user database');
  assert.deepEqual(await db.listCollections({ name: 'nope' }).toArray(), []);

  const dbs = await client.db('admin').admin().listDatabases();
  const mine = dbs.databases.find(d => d.name === db.databaseName);
  assert.ok(mine, `listDatabases lists ${db.databaseName}: ${dbs.databases.map(d => d.name)}`);
  assert.equal(mine.empty, false);
  assert.equal(typeof mine.sizeOnDisk, 'number');
  assert.ok(typeof dbs.totalSize === 'number' && dbs.totalSize >= mine.sizeOnDisk);
  const onlyNames = await client.db('admin').admin().listDatabases({ nameOnly: true });
  assert.ok(onlyNames.databases.some(d => d.name === db.databaseName));
  assert.deepEqual(keys(onlyNames.databases[0]), ['name']);
  const filtered = await client.db('admin').command({ listDatabases: 1, filter: { name: db.databaseName } });
  assert.deepEqual(filtered.databases.map(d => d.name), [db.databaseName]);
});

check('drop.collection-and-database', async ({ db, client, coll, serverMajor }) => {
  await coll('dropme').insertOne({ x: 1 });
  assert.equal(await db.dropCollection('dropme'), true);
  // Since 7.0 dropping a missing collection is a no-op that succeeds (SERVER-43894); before, it
  // failed with 26 NamespaceNotFound, which the driver turns into false.
  assert.equal(await db.dropCollection('dropme'), serverMajor >= 7, 'dropCollection of a missing collection');
  if (serverMajor >= 7) {
    assert.equal((await db.command({ drop: 'never_existed' })).ok, 1);
  } else {
    await expectServerError(() => db.command({ drop: 'never_existed' }), 26, 'NamespaceNotFound');
  }
  assert.deepEqual(await db.listCollections({ name: 'dropme' }).toArray(), []);

  const other = client.db(`${db.databaseName}_x`);
  await other.collection('c').insertOne({ x: 1 });
  assert.ok((await client.db('admin').admin().listDatabases({ nameOnly: true })).databases.some(d => d.name === other.databaseName));
  assert.equal(await other.dropDatabase(), true);
  assert.ok(!(await client.db('admin').admin().listDatabases({ nameOnly: true })).databases.some(d => d.name === other.databaseName));
});

check('stats.dbStats-collStats-dbHash', async ({ db: suiteDb, client }) => {
  // A database of its own: dbStats and dbHash cover every collection in it.
  const db = client.db(`${suiteDb.databaseName}_s`);
  const twin = client.db(`${suiteDb.databaseName}_t`);
  try {
    await statsAndHashes(db, twin);
  } finally {
    await db.dropDatabase();
    await twin.dropDatabase();
  }
});

async function statsAndHashes(db, twin) {
  const c = db.collection('stats_a');
  await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, k: i % 3, pad: 'x'.repeat(50) })));
  await c.createIndex({ k: 1 });
  await db.createCollection('stats_capped', { capped: true, size: 8192, max: 20 });

  const dbStats = await db.command({ dbStats: 1 });
  assert.equal(dbStats.db, db.databaseName);
  assert.equal(dbStats.collections, 2);
  assert.equal(dbStats.objects, 10);
  assert.equal(dbStats.indexes, 3, '_id_ of both collections and k_1');
  assert.equal(dbStats.scaleFactor, 1);
  assert.ok(dbStats.dataSize >= 10 * 50, `dataSize ${dbStats.dataSize}`);
  assert.ok(dbStats.avgObjSize > 50, `avgObjSize ${dbStats.avgObjSize}`);

  const collStats = await db.command({ collStats: 'stats_a' });
  assert.equal(collStats.ns, `${db.databaseName}.stats_a`);
  assert.equal(collStats.count, 10);
  assert.equal(collStats.capped, false);
  assert.equal(collStats.nindexes, 2);
  assert.deepEqual(Object.keys(collStats.indexSizes).sort(), ['_id_', 'k_1']);
  assert.ok(collStats.size >= 10 * 50 && collStats.size === dbStats.dataSize, `size ${collStats.size}, dbStats.dataSize ${dbStats.dataSize}`);
  const cappedStats = await db.command({ collStats: 'stats_capped' });
  assert.deepEqual([cappedStats.capped, cappedStats.max, cappedStats.count], [true, 20, 0]);

  // dbHash: the same contents hash the same in another database, a change alters the hash.
  await twin.collection('stats_a').insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, k: i % 3, pad: 'x'.repeat(50) })));
  const mine = await db.command({ dbHash: 1, collections: ['stats_a'] });
  const theirs = await twin.command({ dbHash: 1, collections: ['stats_a'] });
  assert.deepEqual(Object.keys(mine.collections), ['stats_a']);
  assert.match(mine.collections.stats_a, /^[0-9a-f]{32}$/);
  assert.match(mine.md5, /^[0-9a-f]{32}$/);
  assert.equal(theirs.collections.stats_a, mine.collections.stats_a, 'same documents, same hash');
  await twin.collection('stats_a').updateOne({ _id: 3 }, { $set: { k: 99 } });
  const changed = await twin.command({ dbHash: 1, collections: ['stats_a'] });
  assert.notEqual(changed.collections.stats_a, mine.collections.stats_a, 'a changed document changes the hash');
  const all = await db.command({ dbHash: 1 });
  assert.deepEqual(Object.keys(all.collections).sort(), ['stats_a', 'stats_capped']);
  assert.deepEqual(all.capped, ['stats_capped']);
}

// ---------------------------------------------------------------- reply shapes

check('reply.bson-types-of-counts-and-ids', async ({ db }) => {
  // Read replies without promoting values, to see the BSON types mongod uses: counts are int32,
  // cursor ids int64 (even 0), ok a double.
  const raw = command => db.command(command, { promoteValues: false, promoteLongs: false });
  const typeOf = v => v?._bsontype ?? typeof v;

  const inserted = await raw({ insert: 'types', documents: [{ _id: 1, k: 1 }, { _id: 2, k: 2 }, { _id: 3, k: 2 }] });
  assert.deepEqual([typeOf(inserted.n), Number(inserted.n), typeOf(inserted.ok), Number(inserted.ok)], ['Int32', 3, 'Double', 1]);

  const updated = await raw({ update: 'types', updates: [{ q: { k: 2 }, u: { $set: { x: 1 } }, multi: true }, { q: { _id: 9 }, u: { $set: { x: 9 } }, upsert: true }] });
  assert.deepEqual([typeOf(updated.n), Number(updated.n)], ['Int32', 3], 'update n counts matched and upserted');
  assert.deepEqual([typeOf(updated.nModified), Number(updated.nModified)], ['Int32', 2]);
  assert.equal(typeOf(updated.upserted[0].index), 'Int32');

  const counted = await raw({ count: 'types', query: { k: 2 } });
  assert.deepEqual([typeOf(counted.n), Number(counted.n)], ['Int32', 2]);

  const found = await raw({ find: 'types', filter: {}, batchSize: 1 });
  assert.equal(typeOf(found.cursor.id), 'Long');
  const exhausted = await raw({ find: 'types', filter: { _id: 1 } });
  assert.deepEqual([typeOf(exhausted.cursor.id), String(exhausted.cursor.id)], ['Long', '0'], 'a closed cursor id is still an int64');
  const killed = await raw({ killCursors: 'types', cursors: [found.cursor.id] });
  assert.deepEqual(killed.cursorsKilled.map(typeOf), ['Long']);

  const grouped = await raw({ aggregate: 'types', pipeline: [{ $group: { _id: null, n: { $sum: 1 } } }], cursor: {} });
  assert.equal(typeOf(grouped.cursor.firstBatch[0].n), 'Int32', '$sum of int32 values stays int32');

  const modified = await raw({ findAndModify: 'types', query: { _id: 1 }, update: { $set: { y: 1 } } });
  assert.equal(typeOf(modified.lastErrorObject.n), 'Int32');

  const deleted = await raw({ delete: 'types', deletes: [{ q: { k: 2 }, limit: 0 }] });
  assert.deepEqual([typeOf(deleted.n), Number(deleted.n)], ['Int32', 2]);
});

// ---------------------------------------------------------------- runner

async function main() {
  const [uri, ...only] = process.argv.slice(2);
  if (!uri || !uri.startsWith('mongodb://')) {
    console.error('usage: node driver-suite.mjs <mongodb-uri> [check-name ...]');
    process.exit(2);
  }

  const unknown = only.filter(n => !checks.some(c => c.name === n));
  if (unknown.length > 0) {
    console.error(`unknown check(s): ${unknown.join(', ')}`);
    process.exit(2);
  }

  const client = new MongoClient(uri, { monitorCommands: true, serverSelectionTimeoutMS: 15000 });
  try {
    await client.connect();
  } catch (e) {
    console.error(`cannot connect to ${uri}: ${e.message}`);
    process.exit(1);
  }

  const build = await client.db('admin').command({ buildInfo: 1 });
  const serverMajor = build.versionArray[0];
  const dbName = `distsync_drv_${new ObjectId().toHexString().slice(-10)}`;
  const db = client.db(dbName);
  let recording = null;
  const pending = new Map();
  client.on('commandStarted', e => {
    if (recording) {
      pending.set(e.requestId, { name: e.commandName, command: e.command });
    }
  });
  client.on('commandSucceeded', e => {
    const started = pending.get(e.requestId);
    if (recording && started) {
      pending.delete(e.requestId);
      recording.push({ ...started, reply: e.reply });
    }
  });
  const context = {
    client,
    db,
    serverMajor,
    coll: name => db.collection(name),
    /** Runs `work` and returns its result with the commands that succeeded meanwhile. */
    commands: async work => {
      recording = [];
      pending.clear();
      try {
        const result = await work();
        return { result, events: recording };
      } finally {
        recording = null;
      }
    },
  };

  const selected = only.length > 0 ? checks.filter(c => only.includes(c.name)) : checks;
  let passed = 0;
  let failed = 0;
  for (const { name, body } of selected) {
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        body(context),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
        }),
      ]);
      passed++;
      console.log(JSON.stringify({ check: name, ok: true, ms: Date.now() - started }));
    } catch (e) {
      failed++;
      const detail = e instanceof MongoServerError ? ` [server code ${e.code} ${e.codeName ?? ''}]` : '';
      console.log(JSON.stringify({ check: name, ok: false, ms: Date.now() - started, error: `${e.name}: ${e.message}${detail}` }));
    } finally {
      clearTimeout(timer);
    }
  }

  try {
    await db.dropDatabase();
  } catch {
    // Best effort; the data directory is temporary anyway.
  }
  await client.close();
  console.log(JSON.stringify({ summary: { passed, failed, names: checks.map(c => c.name) } }));
}

await main();
