#!/usr/bin/env bash
# `npm test`: the whole suite, offline. Unit tests (vitest), API integration tests on SQLite and,
# when reachable, PostgreSQL (CI sets REQUIRE_POSTGRES=1 so a missing server fails instead of
# skipping), and the browser tests (@playwright/test driving Debian's chromium; REQUIRE_BROWSER=1 in CI).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
out=$(mktemp -d)
status=0

npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json" || status=1
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/integration.json" || status=1
PLAYWRIGHT_JSON_OUTPUT_FILE="$out/e2e.json" npx playwright test || status=1

# One closing line for the whole suite: "Tests: N passed, M failed".
node -e '
const fs = require("fs"); const dir = process.argv[1];
let passed = 0, failed = 0, skipped = 0;
for (const f of ["unit.json", "integration.json"]) {
  try { const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
        passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0); }
  catch { failed += 1; console.error("no results from the " + f.replace(".json", "") + " tests"); }
}
// Playwright's JSON report: expected = passed, unexpected = failed, flaky = passed on a retry.
try { const r = JSON.parse(fs.readFileSync(dir + "/e2e.json", "utf8")); const s = r.stats;
      passed += s.expected + s.flaky; failed += s.unexpected; skipped += s.skipped;
      // Errors outside any test (the global setup, a file that does not load) count as one failure.
      if (r.errors && r.errors.length) { failed += 1; console.error("browser tests: " + r.errors.map((e) => e.message).join("; ")); } }
catch { failed += 1; console.error("no results from the browser tests"); }
console.log(`Tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(failed ? 1 : 0);
' "$out" || status=1
rm -rf "$out"
exit $status
