// The run page (/runs/[id]): training curves, live updates of a running run, a failed run and
// the not-found pages, export links, and a transfer run's phase boundary and stored images.
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import { DATASET_INFO, FINISH, logEpochs } from './fixtures/dashboard-data';
import { seedTransferRun } from './fixtures/uncertainty-data';
import { expect, shot, test } from './fixtures';

/** The path of `series` inside the chart card `curve` (its data-points: points drawn). */
const seriesLine = (page: Page, curve: string, series: string) =>
  page.locator(
    `[data-testid="curve-${curve}"] svg[data-chart="line"] path.series-line[data-series="${series}"]`,
  );

test('run page draws training curves', async ({ ownerPage: page, seeded, baseURL }, testInfo) => {
  await page.goto('/');
  await page.locator(`tr[data-run-id="${seeded.completed}"] a[data-testid="run-link"]`).click();
  await page.waitForURL(`**/runs/${seeded.completed}`);
  await expect(page.locator('[data-testid="curve-loss"] path.series-line').first()).toBeVisible();
  for (const [curve, series] of [
    ['loss', 'loss'],
    ['loss', 'val_loss'],
    ['accuracy', 'accuracy'],
    ['accuracy', 'val_accuracy'],
  ] as const)
    await expect(seriesLine(page, curve, series), `${series} has 8 points`).toHaveAttribute(
      'data-points',
      '8',
    );
  const d = await seriesLine(page, 'loss', 'loss').getAttribute('d');
  expect(d?.match(/L/g) ?? [], 'loss path has 8 vertices').toHaveLength(7);
  await expect(page.locator('[data-testid="curve-accuracy"] circle.series-point')).toHaveCount(16);
  await expect(page.locator('[data-testid="model-summary"] tbody tr')).toHaveCount(7);
  await expect(page.locator('[data-testid="model-summary"] tfoot')).toContainText('56,714');
  await expect(page.locator('[data-testid="backend-reason"]')).toContainText('WASM');
  // The artifact downloads through the dashboard's rewrite.
  const link = page.locator('[data-testid="artifacts"] a', { hasText: 'weights.bin' });
  const href = await link.getAttribute('href');
  expect(href).toBeTruthy();
  const res = await page.request.get(new URL(href ?? '', baseURL).toString());
  expect(res.status()).toBe(200);
  expect((await res.body()).length).toBe(4096);
  const box = await page.locator('[data-testid="curve-accuracy"] rect.hover-target').boundingBox();
  if (!box) throw new Error('the accuracy chart has no hover target');
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect(page.locator('[data-testid="curve-accuracy"] .chart-tooltip')).toBeVisible();
  await shot(page, testInfo, '02-run');
});

test('running run updates live from pushed changes, and no polling once finished', async ({
  ownerPage: page,
  api,
  seeded,
}, testInfo) => {
  // The page's timers run on a clock the test can stop: whether the page polls is then shown by
  // running two poll intervals (2 s each) at once instead of waiting them out.
  await page.clock.install();
  const polls: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql')) polls.push(r.url());
  });
  await page.route('**/e2e-barrier', (route) => route.fulfill({ status: 204 }));
  /** /graphql requests sent while the page's timers run `ms` ahead (the clock stays paused). */
  const pollsWithin = async (ms: number) => {
    // A margin: the clock runs on between reading it and pausing (a loaded machine takes >100 ms).
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 2000);
    polls.length = 0;
    await page.clock.runFor(ms);
    // A request sent after the timers ran: any poll they sent was seen before it.
    await page.evaluate(() => fetch('/e2e-barrier').then(() => undefined));
    return polls.length;
  };
  await page.goto(`/runs/${seeded.live}`);
  await expect(page.locator('[data-testid="live-indicator"]')).toBeVisible();
  await expect(seriesLine(page, 'loss', 'val_loss'), 'three epochs at first').toHaveAttribute(
    'data-points',
    '3',
  );
  // While the run is RUNNING its changes are pushed (GET /live/events); that no request polls
  // meanwhile is test/e2e/live.e2e.ts's check, on a page whose stream is known to be open.
  await logEpochs(api.gql, seeded.live, 4, 6);
  await expect(seriesLine(page, 'loss', 'val_loss')).toHaveAttribute('data-points', '6');
  await shot(page, testInfo, '03-run-live');
  await logEpochs(api.gql, seeded.live, 7, 8);
  await api.gql(FINISH, { id: seeded.live, status: 'COMPLETED' });
  await expect(page.locator('[data-testid="run-view"][data-run-status="COMPLETED"]')).toBeVisible();
  await expect(page.locator('[data-testid="live-indicator"]'), 'live indicator gone').toHaveCount(
    0,
  );
  await expect(seriesLine(page, 'accuracy', 'accuracy'), 'final epochs drawn').toHaveAttribute(
    'data-points',
    '8',
  );

  // Polling has stopped: no /graphql request within two intervals and a bit.
  expect(await pollsWithin(4500), 'no polling after completion').toBe(0);
});

test('failed run, unknown run and unknown project', async ({
  ownerPage: page,
  seeded,
}, testInfo) => {
  await page.goto(`/runs/${seeded.failed}`);
  await expect(page.locator('[data-testid="run-error"]')).toContainText('Loss diverged');
  await expect(seriesLine(page, 'loss', 'loss'), 'partial loss curve drawn').toHaveAttribute(
    'data-points',
    '2',
  );
  await shot(page, testInfo, '04-run-failed');
  // Streamed behind loading.tsx, so the HTTP status is 200: check what the user sees.
  await page.goto('/runs/no-such-run');
  await expect(page.locator('[data-testid="run-not-found"]')).toContainText('Run not found');
  await shot(page, testInfo, '05-run-not-found');
  await page.goto('/projects/no-such-project');
  await expect(page.locator('[data-testid="project-not-found"]')).toBeVisible();
});

test('export links on the run page', async ({ ownerPage: page, seeded, baseURL }) => {
  await page.goto(`/runs/${seeded.completed}`);
  const links = page.locator('[data-testid="export-links"] a[data-export]');
  await expect(links.first()).toBeVisible();
  const files = await links.evaluateAll((els) => els.map((el) => el.getAttribute('data-export')));
  expect(files).toEqual([
    'metrics.csv',
    'metrics.json',
    'evaluation.json',
    'predictions.csv',
    'predictions.json',
  ]);
  const metricsLink = page.locator('[data-testid="export-links"] a[data-export="metrics.csv"]');
  // Same-origin href.
  await expect(metricsLink).toHaveAttribute('href', `/runs/${seeded.completed}/export/metrics.csv`);
  const [download] = await Promise.all([page.waitForEvent('download'), metricsLink.click()]);
  const downloaded = await download.path();
  const lines = fs.readFileSync(downloaded, 'utf8').trim().split(/\r?\n/);
  expect(lines[0], 'CSV header').toBe('name,step,value,time');
  expect(lines.length - 1, '32 metric rows').toBe(4 * 8);
  // The predictions CSV through the rewrite.
  const res = await page.request.get(
    new URL(`/runs/${seeded.completed}/export/predictions.csv`, baseURL).toString(),
  );
  expect(res.status()).toBe(200);
  const header = (await res.text()).split(/\r?\n/)[0] ?? '';
  expect(header, 'probability columns named by class').toBe(
    `index,label,predicted,confidence,${DATASET_INFO.classNames.map((c) => `p_${c}`).join(',')}`,
  );
});

test('transfer run: phase boundary on the curves, phase hidden from the charts, stored images shown', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  const runId = await seedTransferRun(api);
  await page.goto(`/runs/${runId}`);
  for (const curve of ['loss', 'accuracy']) {
    const card = page.locator(`[data-testid="curve-${curve}"]`);
    await expect(card.locator('path.series-line').first()).toBeVisible();
    const lines = card.locator('line.marker-line');
    await expect(lines, `${curve}: one phase marker`).toHaveCount(1);
    await expect(lines, `${curve}: marker between epochs 3 and 4`).toHaveAttribute(
      'data-step',
      '3.5',
    );
    const labels = await card
      .locator('text.marker-label')
      .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-side')}:${el.textContent}`));
    expect(labels, `${curve}: labels`).toEqual(['before:head', 'after:fine-tune']);
    // The marker sits between the x positions of epochs 3 and 4 (vertices of the train series).
    const xs = await card
      .locator('path.series-line[data-series]')
      .first()
      .evaluate(
        (p) =>
          (p.getAttribute('d') ?? '').match(/[ML]([\d.]+),/g)?.map((m) => Number(m.slice(1, -1))) ??
          [],
      );
    const mx = Number(await lines.getAttribute('x1'));
    expect(xs).toHaveLength(6);
    const [x3 = NaN, x4 = NaN] = xs.slice(2, 4);
    expect(mx, `marker x between ${x3} and ${x4}`).toBeGreaterThan(x3);
    expect(mx).toBeLessThan(x4);
  }
  await expect(
    page.locator('[data-testid="curve-phase"]'),
    'no chart for the phase pseudo-metric',
  ).toHaveCount(0);
  const img = page.locator(
    '[data-testid="artifact-images"] figure[data-name="augmentation-grid.png"] img',
  );
  await expect(img).toBeVisible();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
    .toBe(96);
  await shot(page.locator('[data-testid="training-curves"]'), testInfo, '13-phase-curves');
  await shot(page.locator('[data-testid="artifact-images"]'), testInfo, '14-artifact-images');
});
