#!/usr/bin/env bash
# `npm test`: the whole suite, offline. Unit tests (vitest), API integration tests on SQLite and,
# when reachable, PostgreSQL (CI sets REQUIRE_POSTGRES=1 so a missing server fails instead of
# skipping), and the browser tests (@playwright/test driving Debian's chromium; REQUIRE_BROWSER=1 in CI).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
out=$(mktemp -d)
status=0

# Two lanes, one core each on a 2-core machine (each part alone left a core mostly idle):
#  - the browser lane: the browser tests' build of apps/web, then Playwright (one worker: the
#    browser, the dashboard's server and the API host), its output printed whole when it ends;
#  - the vitest lane: unit tests (one file at a time, vitest's default on two cores), the API's
#    tests (apps/api/test: a server and a database per file, mostly waiting on I/O) two files at
#    a time, then test/integration (training, worker processes, restarts, heartbeat and lease
#    timings) one file at a time, as two of them failed beside each other on two cores.
# Playwright's global setup reuses the lane's build (E2E_REUSE_BUILD=1), or builds again itself if
# the prebuild failed or its API port got taken meanwhile.
lane_start=$SECONDS
(
  start=$SECONDS
  reuse=1
  lane=$SECONDS
  npx tsx test/e2e/prebuild-web.ts >"$out/prebuild.log" 2>&1 || {
    reuse=0
    echo "[e2e] the prebuild failed: the global setup builds again" >>"$out/prebuild.log"
  }
  echo "e2e-prebuild $((SECONDS - start)) s" >"$out/browser-times"
  start=$SECONDS
  E2E_REUSE_BUILD=$reuse PLAYWRIGHT_JSON_OUTPUT_FILE="$out/e2e.json" npx playwright test \
    >"$out/e2e.log" 2>&1
  echo $? >"$out/e2e.rc"
  echo "e2e $((SECONDS - start)) s" >>"$out/browser-times"
  echo "browser lane $((SECONDS - lane)) s" >>"$out/browser-times"
) &
browser_lane=$!

phase_start=$SECONDS
# Seconds each part took, printed at the end beside the slowest files (CI's budget is 25 minutes).
timing=""
took() {
  timing+="$1 $((SECONDS - phase_start)) s; "
  phase_start=$SECONDS
}

npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json" || status=1
took unit
INTEGRATION_WORKERS=2 npx vitest run --project integration apps/api/test/ --reporter=default --reporter=json --outputFile.json="$out/integration-api.json" || status=1
took integration-api
npx vitest run --project integration test/integration/ --reporter=default --reporter=json --outputFile.json="$out/integration.json" || status=1
took integration
timing+="vitest lane $((SECONDS - lane_start)) s; "

wait "$browser_lane"
cat "$out/prebuild.log" "$out/e2e.log"
[ "$(cat "$out/e2e.rc" 2>/dev/null)" = 0 ] || status=1
timing+="$(tr '\n' ';' <"$out/browser-times" | sed 's/;/; /g')"
timing+="all $((SECONDS - lane_start)) s"
echo "[time] $timing"

# One closing line for the whole suite: "Tests: N passed, M failed".
node test/summarize-results.mjs "$out" || status=1
rm -rf "$out"
exit $status
