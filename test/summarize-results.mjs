// Prints the closing line of `npm test`, "Tests: N passed, M failed[, K skipped]", from the JSON
// reports of the vitest runs (unit, the integration project's two parts) and of Playwright, and
// exits 1 when anything failed or a report is missing. Before it, the slowest files of each part
// (where CI's time goes, to keep it under its budget).
// Usage: node test/summarize-results.mjs <dir with unit.json, integration-api.json,
// integration.json and e2e.json>
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;

const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

for (const name of ['unit', 'integration-api', 'integration']) {
  try {
    const r = read(`${name}.json`);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } catch {
    failed += 1;
    console.error(`no results from the ${name} tests`);
  }
}

// Playwright: expected = passed, unexpected = failed, flaky = passed on a retry.
try {
  const r = read('e2e.json');
  const s = r.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  // Errors outside any test (the global setup, a file that does not load) count as one failure.
  if (r.errors?.length) {
    failed += 1;
    console.error(`browser tests: ${r.errors.map((e) => e.message).join('; ')}`);
  }
} catch {
  failed += 1;
  console.error('no results from the browser tests');
}

/** The `count` longest [label, seconds] entries, one line. */
function slowest(entries, count = 6) {
  return entries
    .filter(([, s]) => Number.isFinite(s))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, s]) => `${label} ${s.toFixed(0)} s`)
    .join(', ');
}
for (const name of ['unit', 'integration-api', 'integration']) {
  try {
    const files = read(`${name}.json`).testResults.map((f) => [
      path.relative(process.cwd(), f.name),
      (f.endTime - f.startTime) / 1000,
    ]);
    console.log(`[slowest ${name} files] ${slowest(files)}`);
  } catch {
    // Counted as a failure above.
  }
}
try {
  const perFile = new Map();
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        for (const r of t.results ?? [])
          perFile.set(file, (perFile.get(file) ?? 0) + (r.duration ?? 0) / 1000);
    for (const child of suite.suites ?? []) walk(child, file);
  };
  for (const suite of read('e2e.json').suites ?? []) walk(suite, suite.file ?? suite.title);
  console.log(`[slowest browser test files] ${slowest([...perFile])}`);
} catch {
  // Counted as a failure above.
}

console.log(`Tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed ? 1 : 0);
