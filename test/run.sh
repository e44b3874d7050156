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
node test/summarize-results.mjs "$out" || status=1
rm -rf "$out"
exit $status
