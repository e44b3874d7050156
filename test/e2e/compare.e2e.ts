// The compare page (/compare?runs=…): two evaluated runs side by side — overlaid curves and
// top-k curves, per-class tiles with deltas, the hyperparameter diff, parallel coordinates —
// and runs added by a query.
import type { Locator, Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';

/** The computed value of a CSS property of the first element `locator` matches. */
const css = (locator: Locator, property: string) =>
  locator.evaluate((el, prop) => getComputedStyle(el).getPropertyValue(prop), property);

/** Overlaid training and top-k curves of the two runs (run colours as in the headers). */
async function checkCurves(page: Page): Promise<void> {
  // Overlaid curves: one path per run per series, validation dashed, run colours shared.
  const names = ['small-cnn-lr1e-3', 'ablation-lr5e-4'];
  for (const [curve, series] of [
    ['loss', ['loss', 'val_loss']],
    ['accuracy', ['accuracy', 'val_accuracy']],
  ] as const) {
    const chart = page.locator(`[data-testid="compare-curve-${curve}"] svg[data-chart="line"]`);
    await expect(chart.locator('path.series-line'), `${curve}: 2 runs x 2 series`).toHaveCount(4);
    for (const name of names)
      for (const s of series) {
        const line = chart.locator(`path.series-line[data-series="${name} · ${s}"]`);
        await expect(line, `${curve}: ${name} ${s} has 8 points`).toHaveAttribute(
          'data-points',
          '8',
        );
        const dash = await css(line, 'stroke-dasharray');
        if (s.startsWith('val_')) expect(dash, `${name} ${s} dashed`).not.toBe('none');
        else expect(dash, `${name} ${s} solid`).toBe('none');
      }
  }
  const headers = page.locator('[data-testid="compare-runs"] .compare-run');
  const swatch = await css(headers.first().locator('.swatch'), 'background-color');
  const stroke = await css(
    page.locator(
      `[data-testid="compare-curve-loss"] path.series-line[data-series="${names[0]} · loss"]`,
    ),
    'stroke',
  );
  expect(swatch, 'run colour shared by header and curve').toBe(stroke);

  // Top-k curves overlaid: one per run, k = 1..10.
  const topk = page.locator('[data-testid="compare-topk"] svg[data-chart="line"] path.series-line');
  await expect(topk, 'two top-k curves').toHaveCount(2);
  for (const line of await topk.all())
    await expect(line, 'top-k k = 1..10').toHaveAttribute('data-points', '10');
}

/** Per-class tiles side by side, with deltas against the first run. */
async function checkClassTiles(page: Page): Promise<void> {
  // Per-class tiles side by side; deltas vs the first run (Pullover recall 15 → 17 of 20, Coat 16 → 14).
  const tiles = page.locator('[data-testid="class-tile"]');
  await expect(tiles, 'two class tiles').toHaveCount(2);
  const [boxA, boxB] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
  if (!boxA || !boxB) throw new Error('class tiles are not laid out');
  expect(Math.abs(boxA.y - boxB.y), 'tiles side by side (same top)').toBeLessThan(2);
  expect(boxB.x, 'tiles side by side (second to the right)').toBeGreaterThan(
    boxA.x + boxA.width - 2,
  );
  await expect(
    tiles.nth(0).locator('[data-testid="class-delta"]'),
    'no deltas on the baseline',
  ).toHaveCount(0);
  const delta = (cls: string, metric: string) =>
    tiles
      .nth(1)
      .locator(`tr[data-class="${cls}"] td[data-metric="${metric}"] [data-testid="class-delta"]`);
  await expect(delta('Pullover', 'recall')).toHaveText('+0.100');
  await expect(delta('Pullover', 'recall'), 'improvement is green').toHaveClass(/better/);
  await expect(delta('Coat', 'recall')).toHaveText('−0.100');
  await expect(delta('Coat', 'recall'), 'regression is red').toHaveClass(/worse/);
  await expect(delta('Pullover', 'recall'), 'green text').toHaveCSS('color', 'rgb(31, 122, 67)');
}

/** The hyperparameter diff: differing keys, all with the toggle. */
async function checkHyperparameters(page: Page): Promise<void> {
  // Hyperparameter diff: only differing keys, all with the toggle.
  const hpRows = page.locator('[data-testid="hp-diff"] tbody tr');
  await expect(hpRows).toHaveCount(2);
  const keys = await hpRows.evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
  expect(keys, 'differing keys only').toEqual(['learningRate', 'optimizer']);
  await page.locator('[data-testid="hp-show-all"]').check();
  await expect(hpRows, 'all six keys with the toggle').toHaveCount(6);
  await page.locator('[data-testid="hp-show-all"]').uncheck();
}

/** Parallel coordinates: numeric hyperparameters, then the chosen metric. */
async function checkParallelCoordinates(page: Page): Promise<void> {
  // Parallel coordinates: numeric hyperparameters, then the chosen metric.
  const pc = page.locator(
    '[data-testid="parallel-coordinates"] svg[data-chart="parallel-coordinates"]',
  );
  await expect(pc).toBeVisible();
  await expect(page.locator('[data-testid="pc-metric"]'), 'default metric').toHaveValue(
    'best.val_accuracy',
  );
  await expect(pc.locator('path.pc-line'), 'one line per run').toHaveCount(2);
  const axes = await pc
    .locator('g.pc-axis')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
  expect(axes, 'five axes').toHaveLength(5);
  expect(axes).toContain('learningRate');
  expect(axes.at(-1), 'the metric last').toBe('best.val_accuracy');
  // Only numeric hyperparameters.
  expect(axes).not.toContain('optimizer');
  expect(axes).not.toContain('preset');
  await page.locator('[data-testid="pc-metric"]').selectOption('final.loss');
  await expect(pc.locator('g.pc-axis[data-key="final.loss"]')).toBeVisible();
  await page.locator('[data-testid="pc-metric"]').selectOption('best.val_accuracy');
  await expect(pc.locator('g.pc-axis[data-key="best.val_accuracy"]')).toBeVisible();
}

test('compare page', async ({ ownerPage: page, seeded, ablationRun }, testInfo) => {
  // The two runs selected on the runs table, compared.
  await page.goto(`/?sel=${seeded.completed},${ablationRun}`);
  await page.locator('[data-testid="compare-button"]').click();
  await page.waitForURL(/\/compare\?runs=/);
  expect(new URL(page.url()).searchParams.get('runs'), 'selection in the URL').toBe(
    `${seeded.completed},${ablationRun}`,
  );
  const headers = page.locator('[data-testid="compare-runs"] .compare-run');
  await expect(headers, 'two run headers').toHaveCount(2);
  // Projects in the headers.
  await expect(page.locator('[data-testid="compare-runs"]')).toContainText('fashion-mnist');
  await expect(page.locator('[data-testid="compare-runs"]')).toContainText('fashion-ablation');

  await checkCurves(page);
  await checkClassTiles(page);
  await checkHyperparameters(page);
  await checkParallelCoordinates(page);
  await page.mouse.move(0, 0);
  await shot(page, testInfo, '09-compare');

  // Adding runs by query from the compare page: the live run (lr 0.003) is appended.
  await page.locator('[data-testid="compare-add-query"]').fill('hp.learningRate = 0.003');
  await page.locator('[data-testid="compare-add-query"]').press('Enter');
  await expect(page, 'live run appended').toHaveURL(
    (url) => url.searchParams.get('runs') === `${seeded.completed},${ablationRun},${seeded.live}`,
  );
  await expect(page.locator('[data-testid="compare-runs"] .compare-run').nth(2)).toBeVisible();
});
