// Browser tests of the dashboard (test/e2e/*.e2e.ts): `npm run test:e2e`. The global setup builds
// apps/web once against a fixed API port and starts it; every test then gets a fresh API on an
// empty SQLite file (test/e2e/fixtures). Failures keep a trace and a screenshot under
// test-results/e2e/; `npx playwright show-trace <trace.zip>` replays one. One test alone:
// `npx playwright test test/e2e/run-page.e2e.ts -g "failed run"` (E2E_REUSE_BUILD=1 skips the
// build when an earlier run's is there; it does not see later source changes).
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './test/e2e/fixtures/chromium';

const ci = !!process.env.CI;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  // One dashboard and one API port for the run: tests take turns (each on its own database).
  workers: 1,
  fullyParallel: false,
  forbidOnly: ci,
  retries: 0,
  // A test seeds its database, signs in and walks a page on a loaded 2-core box.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // The JSON report is what test/run.sh counts (PLAYWRIGHT_JSON_OUTPUT_FILE moves it).
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e-report.json' }],
    ...(ci ? [] : [['html', { open: 'never', outputFolder: 'playwright-report' }] as const]),
  ],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    headless: true,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
