// The warm-up page's own script in a real browser (Debian's chromium, no Next build needed):
// it runs under the page's CSP (nonce), redraws the curves from the status endpoint as the
// demo logs more points, and once the warm-up server is closed and a dashboard answers on the
// same port, opens the demo run's page there. Skipped where chromium is missing.
import http from 'node:http';
import type net from 'node:net';
import { chromium, type Browser } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  browserRequired,
  chromiumMissing,
} from '../e2e/fixtures/chromium';
import {
  startWarmupServer,
  type DemoRunMetrics,
  type WarmupServer,
} from '../../tools/launcher/warmup-server';

const missing = chromiumMissing();

describe.skipIf(missing !== null && !browserRequired)('warm-up page in a browser', () => {
  let browser: Browser | undefined;
  let warm: WarmupServer | undefined;
  let dashboard: http.Server | undefined;

  afterAll(async () => {
    await browser?.close();
    await warm?.close();
    await new Promise<void>((r) => (dashboard ? dashboard.close(() => r()) : r()));
  });

  it(
    'refreshes the curves, then opens the run page on the dashboard',
    { timeout: 90_000 },
    async () => {
      const run: DemoRunMetrics = {
        id: 'run-1',
        name: 'demo <i>x</i>',
        status: 'RUNNING',
        metrics: [{ name: 'batch_loss', points: [{ step: 0, value: 2.3 }] }],
      };
      warm = await startWarmupServer({
        port: 0,
        hosts: ['127.0.0.1'],
        buildLines: () => ['[web] building the dashboard...'],
        runId: () => run.id,
        fetchRun: () => Promise.resolve(structuredClone(run)),
      });
      const port = warm.port;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const cspErrors: string[] = [];
      page.on('console', (msg) => {
        if (/Content.Security.Policy|Refused to/i.test(msg.text())) cspErrors.push(msg.text());
      });
      page.on('pageerror', (err) => cspErrors.push(err.message));

      await page.goto(`http://127.0.0.1:${port}/`);
      // Server-rendered: one chart with one point, the name as text.
      expect(await page.locator('#charts figure').count()).toBe(1);
      expect(await page.locator('#run').textContent()).toBe('Demo run demo <i>x</i> (running)');
      expect(await page.locator('#run i').count()).toBe(0);

      // The demo logs an epoch: the script (allowed by the nonce) draws the second chart.
      run.metrics.push({ name: 'loss', points: [{ step: 1, value: 0.9 }] });
      run.metrics[0]!.points.push({ step: 20, value: 1.3 });
      await page.waitForSelector('#charts figure:nth-child(2)', { timeout: 30_000 });
      expect(
        await page.locator('#charts figure').first().locator('polyline').getAttribute('points'),
      ).toBe('6,6 314,134');

      // Hand-over: the warm-up server goes, a dashboard takes the same port.
      await warm.close();
      warm = undefined;
      dashboard = http.createServer((req, res) => {
        if (req.url === '/runs/run-1') {
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<h1>run page of the dashboard</h1>');
          return;
        }
        res.writeHead(404).end('not found');
      });
      await new Promise<void>((resolve, reject) => {
        dashboard!.once('error', reject);
        dashboard!.listen(port, '127.0.0.1', () => resolve());
      });
      await page.waitForURL(`http://127.0.0.1:${port}/runs/run-1`, { timeout: 30_000 });
      expect(await page.locator('h1').textContent()).toBe('run page of the dashboard');
      expect(cspErrors).toEqual([]);
      expect((dashboard.address() as net.AddressInfo).port).toBe(port);
    },
  );
});
