// Chart controls on the run page (issue #12): the toolbar above the training curves smooths
// (TensorBoard EMA), switches to a log scale, zooms by brushing (Reset restores), changes the x
// axis (step, epoch, relative or wall time), ignores outliers on request and syncs the hover crosshair across charts; the legend
// stays in its own band and nothing overflows a phone. At 1280×800 and 390×844.
import type { Locator, Page } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { expect, shot, test } from './fixtures';

const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const START_RUN = `mutation($id: ID!) { startRun(id: $id) { id } }`;
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const FINISH = `mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }`;

/** The run's clock: 8 epochs of a minute each from 12:00 UTC, 50 batches per epoch. */
const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(START + ms).toISOString();

/**
 * A finished run with epoch metrics (loss, val_loss, accuracy, val_accuracy at epochs 1..8, one
 * a minute) and batch_loss every 20 batches (batches 20..400, 50 per epoch) with one spike.
 */
async function seedCurves(api: TestApi): Promise<string> {
  const { createRun } = await api.gql<{ createRun: { id: string } }>(CREATE_RUN, {
    input: { project: 'charts', name: 'curves', hyperparameters: { batchSize: 32 } },
  });
  const id = createRun.id;
  await api.gql(START_RUN, { id });
  const points = [];
  for (let e = 1; e <= 8; e++) {
    const t = iso(e * 60_000);
    const loss = 0.3 + Math.exp(-e / 2);
    const acc = 0.9 - 0.5 * Math.exp(-e / 2);
    points.push(
      { name: 'loss', step: e, value: +loss.toFixed(4), time: t },
      { name: 'val_loss', step: e, value: +(loss + 0.05).toFixed(4), time: t },
      { name: 'accuracy', step: e, value: +acc.toFixed(4), time: t },
      { name: 'val_accuracy', step: e, value: +(acc - 0.02).toFixed(4), time: t },
    );
  }
  for (let b = 20; b <= 400; b += 20) {
    const value = b === 200 ? 9 : 2 * Math.exp(-b / 150) + 0.2 + (b % 40 === 0 ? 0.08 : 0);
    points.push({
      name: 'batch_loss',
      step: b,
      value: +value.toFixed(4),
      time: iso((b / 50) * 60_000),
    });
  }
  await api.gql(LOG, { runId: id, points });
  await api.gql(FINISH, { id });
  return id;
}

const curve = (page: Page, key: string) => page.locator(`[data-testid="curve-${key}"]`);
const texts = (loc: Locator) => loc.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
const domainOf = async (page: Page, key: string) =>
  ((await curve(page, key).locator('svg[data-chart="line"]').getAttribute('data-x-domain')) ?? '')
    .split(',')
    .map(Number);

/** Drags across the plot of `key` from `from` to `to` (fractions of its width). */
async function brush(page: Page, key: string, from: number, to: number): Promise<void> {
  const box = await curve(page, key).locator('rect.hover-target').boundingBox();
  if (!box) throw new Error(`${key}: no plot`);
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps: 6 });
  await page.mouse.up();
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`charts at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport });

    test('chart controls: smoothing, log scale, brush zoom, x axis, synced crosshair', async ({
      ownerPage: page,
      api,
    }, testInfo) => {
      const runId = await seedCurves(api);
      await page.goto(`/runs/${runId}`);
      const loss = curve(page, 'loss');
      await expect(loss.locator('path.series-line[data-series="loss"]')).toBeVisible();
      // Axis titles say what a step counts.
      await expect(loss.locator('text.x-label')).toHaveText('epoch');
      await expect(curve(page, 'batch_loss').locator('text.x-label')).toHaveText('batch');

      // Nothing overflows the viewport; the legend sits above the plot, inside the chart.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
      const svgBox = await loss.locator('svg[data-chart="line"]').boundingBox();
      const plotBox = await loss.locator('rect.hover-target').boundingBox();
      for (const item of await loss.locator('g.legend-item').all()) {
        const b = await item.boundingBox();
        if (!b || !svgBox || !plotBox) throw new Error('no layout');
        expect(b.x + b.width, 'legend inside the chart').toBeLessThanOrEqual(
          svgBox.x + svgBox.width + 1,
        );
        expect(b.y + b.height, 'legend above the plot').toBeLessThanOrEqual(plotBox.y);
      }

      // Hover one chart: the crosshair and values show on another chart of the page.
      const lossPlot = await loss.locator('rect.hover-target').boundingBox();
      if (!lossPlot) throw new Error('no loss plot');
      await page.mouse.move(lossPlot.x + lossPlot.width * 0.5, lossPlot.y + lossPlot.height / 2);
      const accuracy = curve(page, 'accuracy');
      // (A vertical line has an empty box: check its group, which holds the value dots too.)
      await expect(accuracy.locator('g.hover')).toBeVisible();
      await expect(accuracy.locator('g.hover circle.hover-dot').first()).toBeVisible();
      await expect(accuracy.locator('.chart-tooltip')).toBeVisible();
      await expect(accuracy.locator('.chart-tooltip-title')).toHaveText(/^epoch [45]$/);
      await page.mouse.move(0, 0);
      await expect(accuracy.locator('g.hover')).toBeHidden();

      // Smoothing: a smoothed path over each series, the logged one kept faint behind it.
      await expect(loss.locator('path.series-smoothed')).toHaveCount(0);
      // Keyboard on the slider: End is 0.99, then 39 steps of 0.01 down to 0.60.
      const slider = page.getByLabel('Smoothing');
      await slider.focus();
      await slider.press('End');
      for (let i = 0; i < 39; i++) await slider.press('ArrowLeft');
      await expect(slider).toHaveValue('0.6');
      await expect(loss.locator('path.series-smoothed')).toHaveCount(2);
      await expect(loss.locator('path.series-line').first()).toHaveAttribute(
        'stroke-opacity',
        '0.3',
      );

      // Log scale: other tick labels, the axis title says so.
      const linearTicks = await texts(loss.locator('.y-axis .tick text'));
      await page.getByLabel('Y scale').selectOption('log');
      await expect(loss.locator('text.y-label')).toHaveText('loss (log)');
      expect(await texts(loss.locator('.y-axis .tick text'))).not.toEqual(linearTicks);

      // Brush: the x domain narrows; Reset zoom restores it; so does a double-click.
      expect(await domainOf(page, 'loss')).toEqual([1, 8]);
      await brush(page, 'loss', 0.25, 0.75);
      await expect.poll(async () => (await domainOf(page, 'loss'))[1], 'zoomed in').toBeLessThan(8);
      const [lo = NaN, hi = NaN] = await domainOf(page, 'loss');
      expect(lo).toBeGreaterThan(1);
      expect(hi - lo).toBeLessThan(7 * 0.6);
      await shot(page, testInfo, `charts-zoomed-${viewport.width}`);
      await page.getByRole('button', { name: 'Reset zoom' }).first().click();
      await expect.poll(() => domainOf(page, 'loss')).toEqual([1, 8]);
      await brush(page, 'loss', 0.2, 0.6);
      await expect.poll(async () => (await domainOf(page, 'loss'))[1]).toBeLessThan(8);
      const plot = await loss.locator('rect.hover-target').boundingBox();
      if (!plot) throw new Error('no plot');
      await page.mouse.dblclick(plot.x + plot.width / 2, plot.y + plot.height / 2);
      await expect.poll(() => domainOf(page, 'loss')).toEqual([1, 8]);

      // X axis: epoch puts batches on epochs; relative time counts from the run's first point.
      await page.getByLabel('X axis').selectOption('epoch');
      await expect(curve(page, 'batch_loss').locator('text.x-label')).toHaveText('epoch');
      await page.getByLabel('X axis').selectOption('relative');
      await expect(loss.locator('text.x-label')).toHaveText('relative time');
      await expect(curve(page, 'batch_loss').locator('text.x-label')).toHaveText('relative time');
      const xTicks = await texts(loss.locator('.x-axis .tick text'));
      expect(xTicks.length).toBeGreaterThan(1);
      for (const t of xTicks) expect(t).toMatch(/^\d+(\.\d)?[hms]( \d+[ms])?$/);
      await shot(page, testInfo, `charts-relative-${viewport.width}`);

      // Wall time: UTC clock ticks (the seeded run's epochs end at 12:01 ... 12:08).
      await page.getByLabel('X axis').selectOption('wall');
      await expect(loss.locator('text.x-label')).toHaveText('wall time (UTC)');
      const wallTicks = await texts(loss.locator('.x-axis .tick text'));
      // A phone's narrow chart has room for one clock label.
      expect(wallTicks.length).toBeGreaterThanOrEqual(viewport.width < 600 ? 1 : 2);
      expect(
        wallTicks.some((t) => /12:0\d/.test(t)),
        wallTicks.join(' '),
      ).toBe(true);

      // Ignore outliers: batch_loss's spike (9 at batch 200) stops setting the y range.
      await page.getByLabel('Y scale').selectOption('linear');
      const batchYMax = async () =>
        Math.max(
          ...(await texts(curve(page, 'batch_loss').locator('.y-axis .tick text')))
            .map(Number)
            .filter(Number.isFinite),
        );
      expect(await batchYMax(), 'the spike sets the range').toBeGreaterThanOrEqual(8);
      await page.getByText('Ignore outliers').click();
      await expect.poll(batchYMax, 'the spike no longer sets the range').toBeLessThan(4);

      // The choices survive a reload (localStorage).
      await page.reload();
      await expect(page.getByLabel('X axis')).toHaveValue('wall');
      await expect(curve(page, 'loss').locator('path.series-smoothed')).toHaveCount(2);
    });
  });
}
