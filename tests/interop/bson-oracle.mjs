#!/usr/bin/env node
// Test oracle built on the official JavaScript `bson` package (js-bson). Not product code.
//
//   node bson-oracle.mjs generate --seed N --count N [--out FILE]
//       Writes `count` random documents, reproducible from `seed`, as a stream of BSON
//       documents (each starts with its own int32 length) to FILE or stdout. Every BSON type is
//       covered. With --out, a JSON summary (bytes, how often each type and binary subtype
//       occurred) is printed on stdout.
//
//   node bson-oracle.mjs check --in FILE [--out FILE] [--ejson FILE]
//       Reads a stream of BSON documents produced by someone else (our C# codec), deserializes
//       each with js-bson keeping every BSON type (promoteValues: false, bsonRegExp: true),
//       serializes it again and compares the bytes. --out receives the re-encoded stream (one
//       document per input document, in order), --ejson one line of canonical Extended JSON
//       (EJSON.stringify relaxed: false) per document. A JSON report is printed on stdout:
//       { documents, mismatches, errors, problems: [{ index, kind, offset?, message }] }.
//
// js-bson has no faithful model of two deprecated types: it reads `undefined` (0x06) as the
// JavaScript value undefined, which it writes back as null, and DBPointer (0x0C) as a DBRef,
// which it writes back as a {$ref, $id} document. For those two alone the oracle lets js-bson
// write a placeholder of identical length (null, or a string of the namespace plus 12 bytes)
// and then rewrites that element in place; every other byte is js-bson's own. Their Extended
// JSON ({"$undefined": true}, {"$dbPointer": ...}) is produced the same way from the values
// js-bson read.

import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import {
  BSON, Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Double, Int32, Long,
  MaxKey, MinKey, ObjectId, Timestamp, UUID, EJSON,
} from 'bson';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32, state initialised from the seed by splitmix32.

class Rng {
  constructor(seed) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Integer in [0, n). */
  int(n) {
    return Math.floor((this.u32() / 0x100000000) * n);
  }

  /** Integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  chance(p) {
    return this.u32() / 0x100000000 < p;
  }

  pick(items) {
    return items[this.int(items.length)];
  }

  bytes(n) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Random values.

const TYPE_NAMES = {
  0x01: 'double', 0x02: 'string', 0x03: 'document', 0x04: 'array', 0x05: 'binary',
  0x06: 'undefined', 0x07: 'objectId', 0x08: 'bool', 0x09: 'date', 0x0a: 'null',
  0x0b: 'regex', 0x0c: 'dbPointer', 0x0d: 'javascript', 0x0e: 'symbol',
  0x0f: 'javascriptWithScope', 0x10: 'int32', 0x11: 'timestamp', 0x12: 'int64',
  0x13: 'decimal128', 0xff: 'minKey', 0x7f: 'maxKey',
};
const LEAF_TYPES = [0x01, 0x02, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
  0x10, 0x11, 0x12, 0x13, 0xff, 0x7f];
const CONTAINER_TYPES = [0x03, 0x04, 0x0f];

const f64 = new DataView(new ArrayBuffer(8));
function doubleFromBits(hi, lo) {
  f64.setUint32(0, hi);
  f64.setUint32(4, lo);
  return f64.getFloat64(0);
}

const SPECIAL_DOUBLES = [
  0, -0, NaN, doubleFromBits(0xfff80000, 0), doubleFromBits(0x7ff80000, 1), Infinity, -Infinity,
  5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, -2.225073858507201e-308,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, 1, -1, 0.1, 0.5, 1e21, 1e-7, 123456789.125,
  2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 63, 2 ** 31, -(2 ** 31) - 1, 1 / 3, Math.PI,
];

function randomDouble(rng) {
  switch (rng.int(5)) {
    case 0:
      return rng.pick(SPECIAL_DOUBLES);
    case 1: { // any bit pattern; NaNs folded to the canonical quiet NaN
      const v = doubleFromBits(rng.u32(), rng.u32());
      return Number.isNaN(v) ? NaN : v;
    }
    case 2: // subnormal
      return doubleFromBits((rng.u32() & 0x800fffff) >>> 0, rng.u32());
    case 3:
      return (rng.range(-1_000_000, 1_000_000)) / rng.pick([1, 4, 10, 100, 1000, 3]);
    default:
      return (rng.u32() / 0x100000000 - 0.5) * 10 ** rng.range(-30, 30);
  }
}

// Code point pools for strings.
const ASCII = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
function randomCodePoint(rng, allowNul) {
  const r = rng.int(100);
  if (r < 55) return ASCII.charCodeAt(rng.int(ASCII.length));
  if (r < 60) return allowNul && rng.chance(0.3) ? 0 : rng.range(1, 0x1f); // controls
  if (r < 70) return rng.range(0x80, 0x7ff); // two UTF-8 bytes (Latin-1, Greek, Cyrillic, ...)
  if (r < 85) { // three bytes, never a lone surrogate
    const cp = rng.range(0x800, 0xfffd);
    return cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp;
  }
  if (r < 88) return rng.pick([0xfeff, 0xfffd, 0xffff, 0x7f, 0x80, 0x7ff, 0x800]);
  return rng.chance(0.1) ? rng.pick([0x10000, 0x10ffff, 0x1f600]) : rng.range(0x10000, 0x10ffff); // pairs
}

function randomString(rng, maxLen, allowNul) {
  const len = rng.chance(0.1) ? 0 : rng.range(1, maxLen);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCodePoint(randomCodePoint(rng, allowNul));
  return s;
}

const SPECIAL_KEYS = ['_id', '', 'a.b', '$set', '$numberLong', '__proto__', 'constructor', 'ключ',
  '😀', 'naïve', 'x y', 'A', 'a', 'Z9', '-1', '1.5', '00'];
const NUMERIC_KEY = /^[0-9]+$/;
const DBREF_KEY = /^\$(ref|id|db)$/;

// Field names: no NUL (C string), not all digits (a JavaScript object would move such a name
// ahead of the others), never $ref/$id/$db (js-bson would turn the document into a DBRef).
function randomKey(rng, used) {
  for (;;) {
    let key;
    if (rng.chance(0.12)) key = rng.pick(SPECIAL_KEYS);
    else if (rng.chance(0.6)) {
      key = '';
      const len = rng.range(1, 12);
      for (let i = 0; i < len; i++) key += 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789'[rng.int(43)];
    } else key = randomString(rng, 10, false);
    if (NUMERIC_KEY.test(key) || DBREF_KEY.test(key) || used.has(key)) continue;
    used.add(key);
    return key;
  }
}

function randomDate(rng) {
  const MAX = 8.64e15; // the range of a JavaScript Date
  switch (rng.int(6)) {
    case 0: return new Date(rng.pick([0, -1, 1, MAX, -MAX, 253402300799999, 253402300800000, -62135596800000, 951782400000]));
    case 1: return new Date(rng.range(-MAX / 1e6, MAX / 1e6) * 1e6 + rng.range(0, 999999)); // far past and future
    case 2: return new Date(-rng.range(1, 2 ** 40)); // before 1970
    default: return new Date(rng.range(1_500_000_000_000, 2_000_000_000_000)); // recent
  }
}

function randomInt32(rng) {
  switch (rng.int(4)) {
    case 0: return rng.pick([0, 1, -1, 2147483647, -2147483648, 255, 256, -16, -17]);
    case 1: return rng.range(-100, 1000);
    default: return rng.u32() | 0;
  }
}

function randomLong(rng) {
  switch (rng.int(4)) {
    case 0: return rng.pick([Long.ZERO, Long.ONE, Long.NEG_ONE, Long.MAX_VALUE, Long.MIN_VALUE,
      Long.fromNumber(2 ** 53), Long.fromNumber(-(2 ** 53)), Long.fromNumber(2 ** 31), Long.fromInt(-2147483648)]);
    case 1: return Long.fromInt(rng.range(-100000, 100000));
    default: return Long.fromBits(rng.u32() | 0, rng.u32() | 0);
  }
}

function randomTimestamp(rng) {
  if (rng.chance(0.25)) {
    return new Timestamp({ t: rng.pick([0, 1, 0xffffffff, 0x80000000]), i: rng.pick([0, 1, 0xffffffff, 0x7fffffff]) });
  }
  return new Timestamp({ t: rng.u32(), i: rng.u32() });
}

const SPECIAL_DECIMALS = ['0', '-0', '0.000', '-0.0E-10', '0E+6111', '0E-6176', '1', '-1', '1.0', '1.00',
  'NaN', 'Infinity', '-Infinity', '1E+6144', '9.999999999999999999999999999999999E+6144',
  '-9.999999999999999999999999999999999E+6144', '1E-6176', '-1E-6176', '1E-6143', '0.1',
  '1234567890123456789012345678901234', '12345678901234567890123456789012.34', '1E+3', '12E-1'];

function randomDecimalString(rng) {
  if (rng.chance(0.15)) return rng.pick(SPECIAL_DECIMALS);
  const k = rng.chance(0.3) ? rng.range(1, 34) : rng.range(1, 8);
  let digits = String(rng.range(k === 1 ? 0 : 1, 9));
  for (let i = 1; i < k; i++) digits += String(rng.int(10));
  // e: exponent of the last digit.
  const e = rng.chance(0.8) ? rng.range(-20, 10) : rng.range(-6176, 6111);
  const sign = rng.chance(0.4) ? '-' : '';
  switch (rng.int(3)) {
    case 0: return `${sign}${digits}E${e >= 0 ? '+' : ''}${e}`;
    case 1: { // plain notation where it fits
      if (e >= 0 && e <= 6) return sign + digits + '0'.repeat(e);
      if (e < 0 && -e < k) return `${sign}${digits.slice(0, k + e)}.${digits.slice(k + e)}`;
      if (e < 0 && -e < k + 8) return `${sign}0.${'0'.repeat(-e - k)}${digits}`;
      return `${sign}${digits}E${e}`;
    }
    default: { // scientific: one digit before the point
      const adjusted = e + k - 1;
      const mantissa = k === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
      return `${sign}${mantissa}${rng.chance(0.5) ? 'E' : 'e'}${adjusted >= 0 ? '+' : ''}${adjusted}`;
    }
  }
}

function randomDecimal(rng) {
  const text = randomDecimalString(rng);
  try {
    return Decimal128.fromString(text);
  } catch {
    return Decimal128.fromString('0');
  }
}

const BINARY_SUBTYPES = [0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x80, 0xfe, 0xff];

function randomBinary(rng) {
  const subtype = rng.pick(BINARY_SUBTYPES);
  switch (subtype) {
    case 0x03:
    case 0x05:
      return new Binary(rng.bytes(16), subtype);
    case 0x04:
      return rng.chance(0.9) ? new UUID(rng.bytes(16)) : new Binary(rng.bytes(rng.pick([0, 3, 20])), 0x04);
    case 0x09: { // only well-formed vectors: js-bson validates them when writing
      const n = rng.range(0, 8);
      switch (rng.int(3)) {
        case 0: return Binary.fromInt8Array(Int8Array.from(rng.bytes(n), (b) => (b << 24) >> 24));
        case 1: return Binary.fromFloat32Array(Float32Array.from({ length: n }, () => Math.fround(randomDouble(rng) || 0)));
        default: {
          const bytes = rng.bytes(Math.max(n, 1));
          const padding = rng.int(8);
          bytes[bytes.length - 1] &= (0xff << padding) & 0xff;
          return Binary.fromPackedBits(bytes, padding);
        }
      }
    }
    default:
      return new Binary(rng.bytes(rng.chance(0.1) ? 0 : rng.range(1, rng.chance(0.05) ? 600 : 40)), subtype);
  }
}

function randomNamespace(rng) {
  return rng.chance(0.7) ? `${randomKeyText(rng)}.${randomKeyText(rng)}` : randomString(rng, 12, true);
}

function randomKeyText(rng) {
  let s = '';
  const len = rng.range(1, 8);
  for (let i = 0; i < len; i++) s += 'abcdefghijklmnopqrstuvwxyz'[rng.int(26)];
  return s;
}

function randomRegexOptions(rng) {
  return [...'ilmsux'].filter(() => rng.chance(0.3)).join('');
}

class Generator {
  constructor(rng, stats) {
    this.rng = rng;
    this.stats = stats;
  }

  count(type, subtype) {
    const name = TYPE_NAMES[type];
    this.stats.types[name] = (this.stats.types[name] ?? 0) + 1;
    if (subtype !== undefined) {
      const key = subtype.toString(16).padStart(2, '0');
      this.stats.binarySubtypes[key] = (this.stats.binarySubtypes[key] ?? 0) + 1;
    }
  }

  /** A document; placeholders for undefined/DBPointer are recorded in `fixups` with their path. */
  document(depth, path, fixups, top) {
    const rng = this.rng;
    const doc = {};
    const used = new Set();
    if (top && rng.chance(0.7)) {
      used.add('_id');
      doc._id = rng.chance(0.8) ? new ObjectId(rng.bytes(12)) : this.value(depth + 1, [...path, '_id'], fixups);
    }
    const n = depth === 0 ? rng.range(top ? 1 : 0, 14) : rng.range(0, Math.max(1, 8 - depth * 2));
    for (let i = 0; i < n; i++) {
      const key = randomKey(rng, used);
      const value = this.value(depth + 1, [...path, key], fixups);
      if (key === '__proto__') Object.defineProperty(doc, key, { value, writable: true, enumerable: true, configurable: true });
      else doc[key] = value;
    }
    return doc;
  }

  array(depth, path, fixups) {
    const n = this.rng.chance(0.1) ? 0 : this.rng.range(1, Math.max(1, 10 - depth * 2));
    const out = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1, [...path, String(i)], fixups));
    return out;
  }

  value(depth, path, fixups) {
    const rng = this.rng;
    const type = depth < 4 && rng.chance(0.16) ? rng.pick(CONTAINER_TYPES) : rng.pick(LEAF_TYPES);
    switch (type) {
      case 0x01: this.count(type); return new Double(randomDouble(rng));
      case 0x02: this.count(type); return randomString(rng, rng.chance(0.05) ? 300 : 24, true);
      case 0x03: this.count(type); return this.document(depth, path, fixups, false);
      case 0x04: this.count(type); return this.array(depth, path, fixups);
      case 0x05: { const b = randomBinary(rng); this.count(type, b.sub_type); return b; }
      case 0x06: this.count(type); fixups.push({ path, kind: 'undefined' }); return null;
      case 0x07: this.count(type); return new ObjectId(rng.bytes(12));
      case 0x08: this.count(type); return rng.chance(0.5);
      case 0x09: this.count(type); return randomDate(rng);
      case 0x0a: this.count(type); return null;
      case 0x0b: this.count(type); return new BSONRegExp(randomString(rng, 16, false), randomRegexOptions(rng));
      case 0x0c: {
        this.count(type);
        const namespace = randomNamespace(rng);
        fixups.push({ path, kind: 'dbPointer', oid: rng.bytes(12) });
        return namespace + 'x'.repeat(12);
      }
      case 0x0d: this.count(type); return new Code(randomString(rng, 40, true));
      case 0x0e: this.count(type); return new BSONSymbol(randomString(rng, 16, true));
      case 0x0f: this.count(type); return new Code(randomString(rng, 40, true), this.document(depth, path, fixups, false));
      case 0x10: this.count(type); return new Int32(randomInt32(rng));
      case 0x11: this.count(type); return randomTimestamp(rng);
      case 0x12: this.count(type); return randomLong(rng);
      case 0x13: this.count(type); return randomDecimal(rng);
      case 0xff: this.count(type); return new MinKey();
      case 0x7f: this.count(type); return new MaxKey();
      default: throw new Error(`unhandled type ${type}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A minimal BSON element walker, used only to find the element at a path for the two in-place
// rewrites described at the top of this file.

function int32At(buf, offset) {
  return buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24);
}

function valueLength(buf, type, at) {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8;
    case 0x02: case 0x0d: case 0x0e: return 4 + int32At(buf, at);
    case 0x03: case 0x04: case 0x0f: return int32At(buf, at);
    case 0x05: return 5 + int32At(buf, at);
    case 0x06: case 0x0a: case 0xff: case 0x7f: return 0;
    case 0x07: return 12;
    case 0x08: return 1;
    case 0x0b: { let i = at; while (buf[i] !== 0) i++; i++; while (buf[i] !== 0) i++; return i + 1 - at; }
    case 0x0c: return 4 + int32At(buf, at) + 12;
    case 0x10: return 4;
    case 0x13: return 16;
    default: throw new Error(`unknown BSON type 0x${type.toString(16)} at offset ${at}`);
  }
}

/** The element at `path` (names; array indexes as strings; a code-with-scope continues into its scope). */
function findElement(buf, docStart, path) {
  let start = docStart;
  for (let depth = 0; ; depth++) {
    const end = start + int32At(buf, start) - 1;
    let pos = start + 4;
    let found = null;
    while (pos < end) {
      const type = buf[pos];
      let nul = pos + 1;
      while (buf[nul] !== 0) nul++;
      const name = Buffer.from(buf.buffer, buf.byteOffset + pos + 1, nul - pos - 1).toString('utf8');
      const valueAt = nul + 1;
      if (name === path[depth]) {
        found = { typeAt: pos, type, valueAt };
        break;
      }
      pos = valueAt + valueLength(buf, type, valueAt);
    }
    if (found === null) throw new Error(`no element at path ${JSON.stringify(path)}`);
    if (depth === path.length - 1) return found;
    if (found.type === 0x03 || found.type === 0x04) start = found.valueAt;
    else if (found.type === 0x0f) start = found.valueAt + 8 + int32At(buf, found.valueAt + 4);
    else throw new Error(`path ${JSON.stringify(path)} goes through a 0x${found.type.toString(16)}`);
  }
}

/** Turns the placeholder (null, or string of namespace + 12 bytes) into undefined or DBPointer. */
function applyFixups(buf, fixups) {
  for (const fix of fixups) {
    const el = findElement(buf, 0, fix.path);
    if (fix.kind === 'undefined') {
      if (el.type !== 0x0a) throw new Error(`placeholder at ${JSON.stringify(fix.path)} is not null`);
      buf[el.typeAt] = 0x06;
    } else {
      if (el.type !== 0x02) throw new Error(`placeholder at ${JSON.stringify(fix.path)} is not a string`);
      const nsLength = int32At(buf, el.valueAt) - 1 - 12;
      buf[el.typeAt] = 0x0c;
      new DataView(buf.buffer, buf.byteOffset).setInt32(el.valueAt, nsLength + 1, true);
      buf[el.valueAt + 4 + nsLength] = 0;
      buf.set(fix.oid, el.valueAt + 4 + nsLength + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Modes.

function parseArgs(argv) {
  const args = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) args[argv[i].slice(2)] = argv[++i];
    else args._.push(argv[i]);
  }
  return args;
}

function generate(args) {
  const seed = Number(args.seed ?? 1);
  const count = Number(args.count ?? 10000);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) throw new Error('--seed and --count must be integers');
  const rng = new Rng(seed);
  const stats = { types: {}, binarySubtypes: {} };
  const gen = new Generator(rng, stats);
  const chunks = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const fixups = [];
    const doc = gen.document(0, [], fixups, true);
    const buf = Buffer.from(BSON.serialize(doc, { checkKeys: false, ignoreUndefined: false }));
    applyFixups(buf, fixups);
    chunks.push(buf);
    bytes += buf.length;
  }
  const out = Buffer.concat(chunks, bytes);
  if (args.out) {
    writeFileSync(args.out, out);
    process.stdout.write(JSON.stringify({ seed, count, bytes, ...stats }) + '\n');
  } else {
    writeAll(1, out);
  }
}

function writeAll(fd, buf) {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

// Stand-ins that make EJSON.stringify print the two legacy types the way the spec writes them.
const BSON_VERSION = Symbol.for('@@mdb.bson.version');
class LegacyValue {
  constructor(json) {
    this.json = json;
    this[BSON_VERSION] = 7;
  }

  get _bsontype() {
    return 'LegacyValue';
  }

  toExtendedJSON() {
    return this.json;
  }
}

/** Every undefined and DBPointer in a deserialized document, with its parent and path. */
function collectLegacy(value, path, original, out) {
  if (value === null || typeof value !== 'object') return;
  let container;
  if (Array.isArray(value)) container = value;
  else if (value._bsontype === 'Code') container = value.scope;
  else if (value._bsontype === undefined && !(value instanceof Date)) container = value;
  if (container == null || typeof container !== 'object') return;
  for (const key of Object.keys(container)) {
    const child = container[key];
    const childPath = [...path, key];
    if (child === undefined) out.push({ parent: container, key, path: childPath, kind: 'undefined' });
    else if (child instanceof DBRef) {
      if (findElement(original, 0, childPath).type === 0x0c) {
        const namespace = child.db !== undefined ? `${child.db}.${child.collection}` : child.collection;
        out.push({ parent: container, key, path: childPath, kind: 'dbPointer', namespace, oid: child.oid });
      }
    } else collectLegacy(child, childPath, original, out);
  }
}

function setProperty(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function check(args) {
  if (!args.in) throw new Error('check needs --in FILE');
  const input = readFileSync(args.in);
  const outFd = args.out ? openSync(args.out, 'w') : null;
  const ejsonLines = [];
  const report = { documents: 0, mismatches: 0, errors: 0, problems: [] };
  const problem = (p) => {
    if (report.problems.length < 50) report.problems.push(p);
  };
  let offset = 0;
  let index = 0;
  while (offset < input.length) {
    if (input.length - offset < 5) throw new Error(`trailing ${input.length - offset} bytes at offset ${offset}`);
    const size = input.readInt32LE(offset);
    if (size < 5 || offset + size > input.length) throw new Error(`bad document length ${size} at offset ${offset}`);
    const original = input.subarray(offset, offset + size);
    let reencoded = Buffer.from([5, 0, 0, 0, 0]);
    let ejson;
    try {
      const doc = BSON.deserialize(original, { promoteValues: false, bsonRegExp: true, promoteBuffers: false });
      const legacy = [];
      collectLegacy(doc, [], original, legacy);
      for (const item of legacy) {
        setProperty(item.parent, item.key, item.kind === 'undefined' ? null : item.namespace + 'x'.repeat(12));
      }
      reencoded = Buffer.from(BSON.serialize(doc, { checkKeys: false, ignoreUndefined: false }));
      applyFixups(reencoded, legacy.map((item) => ({ path: item.path, kind: item.kind, oid: item.oid?.id })));
      for (const item of legacy) {
        setProperty(item.parent, item.key, new LegacyValue(item.kind === 'undefined'
          ? { $undefined: true }
          : { $dbPointer: { $ref: item.namespace, $id: { $oid: item.oid.toHexString() } } }));
      }
      ejson = EJSON.stringify(doc, { relaxed: false });
      const diff = firstDifference(original, reencoded);
      if (diff >= 0) {
        report.mismatches++;
        problem({ index, kind: 'bytes', offset: diff, message: `re-encoded ${reencoded.length} bytes, input ${original.length}` });
      }
    } catch (e) {
      report.errors++;
      ejson = JSON.stringify({ $oracleError: String(e?.message ?? e) });
      problem({ index, kind: 'error', message: String(e?.message ?? e) });
    }
    if (outFd !== null) writeAll(outFd, reencoded);
    ejsonLines.push(ejson);
    offset += size;
    index++;
  }
  report.documents = index;
  if (outFd !== null) closeSync(outFd);
  if (args.ejson) writeFileSync(args.ejson, ejsonLines.length ? ejsonLines.join('\n') + '\n' : '');
  process.stdout.write(JSON.stringify(report) + '\n');
}

const args = parseArgs(process.argv.slice(2));
const mode = args._[0];
if (mode === 'generate') generate(args);
else if (mode === 'check') check(args);
else {
  process.stderr.write('usage: bson-oracle.mjs generate --seed N --count N [--out FILE]\n'
    + '       bson-oracle.mjs check --in FILE [--out FILE] [--ejson FILE]\n');
  process.exit(2);
}
