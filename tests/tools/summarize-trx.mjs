// Sums the <Counters> of every TRX file under a folder and prints "N passed, N failed, N skipped".
// Exits non-zero when no TRX file or no executed test is found, so a silent CI cannot pass.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? 'TestResults';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.trx')) files.push(path);
  }
};
try { walk(root); } catch { /* reported below */ }

let passed = 0, failed = 0, skipped = 0;
for (const file of files) {
  const counters = /<Counters\s([^>]*)\/>/.exec(readFileSync(file, 'utf8'));
  if (!counters) continue;
  const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) ?? [0, 0])[1]);
  passed += attr('passed');
  failed += attr('failed') + attr('error') + attr('timeout') + attr('aborted');
  // VSTest's TRX leaves notExecuted at 0 for skipped tests: they are the ones not executed.
  skipped += Math.max(attr('total') - attr('executed'), attr('notExecuted'));
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (files.length === 0 || passed + failed === 0) {
  console.error(`no test results found under ${root}`);
  process.exit(1);
}
