#!/usr/bin/env bash
# `npm test`: the whole suite, offline. Unit tests (vitest), API integration tests on SQLite and,
# when reachable, PostgreSQL (CI sets REQUIRE_POSTGRES=1 so a missing server fails instead of
# skipping), and the browser tests (@playwright/test driving Debian's chromium; REQUIRE_BROWSER=1 in CI).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
out=$(mktemp -d)
status=0

# The browser tests' build of apps/web (minutes) runs beside the vitest suites, which leave a
# core mostly idle on two cores; Playwright's global setup then reuses it (E2E_REUSE_BUILD=1), or
# builds again itself if the prebuild failed or its API port got taken meanwhile.
npx tsx test/e2e/prebuild-web.ts >"$out/prebuild.log" 2>&1 &
prebuild=$!

phase_start=$SECONDS
# Seconds each part took, printed at the end beside the slowest files (CI's budget is 25 minutes).
timing=""
took() {
  timing+="$1 $((SECONDS - phase_start)) s; "
  phase_start=$SECONDS
}

npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json" || status=1
took unit
# Integration in two parts: the API's tests (apps/api/test: a server and a database per file, mostly
# waiting on I/O) two files at a time, then test/integration (training, worker processes, restarts,
# heartbeat and lease timings) one at a time, as they failed beside each other on two cores.
INTEGRATION_WORKERS=2 npx vitest run --project integration apps/api/test/ --reporter=default --reporter=json --outputFile.json="$out/integration-api.json" || status=1
took integration-api
npx vitest run --project integration test/integration/ --reporter=default --reporter=json --outputFile.json="$out/integration.json" || status=1
took integration

reuse=1
wait "$prebuild" || { reuse=0; echo "[e2e] the prebuild failed: the global setup builds again" >&2; }
cat "$out/prebuild.log"
took "e2e prebuild wait"
E2E_REUSE_BUILD=$reuse PLAYWRIGHT_JSON_OUTPUT_FILE="$out/e2e.json" npx playwright test || status=1
took e2e
echo "[time] $timing"

# One closing line for the whole suite: "Tests: N passed, M failed".
node test/summarize-results.mjs "$out" || status=1
rm -rf "$out"
exit $status
