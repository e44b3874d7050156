// Builds apps/web for the browser tests ahead of `playwright test`, exactly as the global setup
// would (global-setup.ts: same folder, same environment, an API port chosen now). test/run.sh
// runs it while the vitest suites run — they leave a core mostly idle on a 2-core machine — and
// then starts Playwright with E2E_REUSE_BUILD=1, whose global setup reuses this build (or builds
// again if the port got taken meanwhile). Exits non-zero if the build failed; without a browser
// it builds nothing (the browser tests skip or fail on their own).
//   npx tsx test/e2e/prebuild-web.ts
import fs from 'node:fs';
import { chromiumMissing } from './fixtures/chromium';
import { BUILD_MARKER, buildWeb, freePort, webEnv } from './global-setup';

// An earlier build must never pass for this one, whatever happens below.
fs.rmSync(BUILD_MARKER, { force: true });
if (chromiumMissing()) {
  console.log(`[e2e] prebuild skipped: ${chromiumMissing()}`);
} else {
  const apiPort = await freePort();
  await buildWeb(apiPort, webEnv(apiPort));
}
