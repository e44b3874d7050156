// The evaluation charts' fixes of issue #12 in a real browser, at 1280x800 and 390x844: the ROC
// chart zooms into a dragged false-positive range and resets, its legend never covers the plot,
// the top-k labels do not overlap each other or leave the chart, and the uncertainty boxplot has
// its axis titles.
import type { Locator, Page } from '@playwright/test';
import { DATASET_INFO, evaluationFixture } from './fixtures/dashboard-data';
import { VIEWPORTS } from './fixtures/main-pages';
import { LOG_UNCERTAINTY, uncertaintyFixture } from './fixtures/uncertainty-data';
import { expect, shot, test } from './fixtures';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two boxes share more than a pixel of area. */
const overlaps = (a: Box, b: Box) =>
  a.x + 1 < b.x + b.width &&
  b.x + 1 < a.x + a.width &&
  a.y + 1 < b.y + b.height &&
  b.y + 1 < a.y + a.height;

/** Screen boxes of every element `locator` matches. */
const boxes = (locator: Locator): Promise<Box[]> =>
  locator.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );

/** Drags across the middle of `area` from fraction `from` to `to` of its width. */
async function dragAcross(page: Page, area: Locator, from: number, to: number): Promise<void> {
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  if (!box) throw new Error('drag area not drawn');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps: 6 });
  await page.mouse.up();
}

for (const vp of Object.values(VIEWPORTS)) {
  test.describe(`${vp.width}x${vp.height}`, () => {
    test.use({ viewport: vp });

    test(`ROC zoom and legend, top-k labels, boxplot axis titles at ${vp.width}`, async ({
      ownerPage: page,
      api,
      seeded,
    }, testInfo) => {
      const { labels } = evaluationFixture();
      const { classNames } = DATASET_INFO;
      await api.gql(LOG_UNCERTAINTY, {
        runId: seeded.completed,
        input: {
          ...uncertaintyFixture(labels, classNames.length),
          classNames,
          clientRequestId: `e2e-eval-charts-${vp.width}`,
        },
      });
      await page.goto(`/runs/${seeded.completed}`);

      // ROC: the whole [0, 1] range, then a drag over the left part narrows it, Reset restores.
      const card = page.locator('[data-testid="roc-curves"]');
      const roc = card.locator('svg[data-chart="roc"]');
      await expect(roc.locator('path.roc-line')).toHaveCount(10);
      await expect(roc).toHaveAttribute('data-x-domain', '0,1');
      const reset = card.getByRole('button', { name: 'Reset zoom' });
      await expect(reset).toBeDisabled();
      await dragAcross(page, roc.locator('rect.hover-target'), 0.02, 0.3);
      await expect(roc).not.toHaveAttribute('data-x-domain', '0,1');
      const [lo, hi] = ((await roc.getAttribute('data-x-domain')) ?? '').split(',').map(Number);
      expect(lo ?? NaN, 'zoomed range starts near the drag').toBeLessThan(0.1);
      expect(hi ?? NaN, 'zoomed range ends near the drag').toBeGreaterThan(0.2);
      expect(hi ?? NaN, 'zoomed range ends near the drag').toBeLessThan(0.4);
      await expect(reset).toBeEnabled();
      await reset.click();
      await expect(roc).toHaveAttribute('data-x-domain', '0,1');

      // The legend never covers the plot: no legend entry overlaps the drag area (the plot square).
      const plot = (await boxes(roc.locator('rect.hover-target')))[0];
      expect(plot, 'plot area drawn').toBeDefined();
      const legend = await boxes(roc.locator('g.legend-item'));
      expect(legend).toHaveLength(10);
      for (const item of legend)
        expect(overlaps(item, plot!), `legend entry at ${item.x},${item.y} off the plot`).toBe(
          false,
        );
      if (vp.width < 600)
        await expect(roc, 'on a phone the legend goes under the plot').toHaveAttribute(
          'data-legend',
          'below',
        );

      // Top-k: every shown label inside the chart and clear of every other shown label.
      const topk = page.locator('[data-testid="topk-curve"] svg[data-chart="line"]');
      await topk.scrollIntoViewIfNeeded();
      const shown = topk.locator('text.point-label:not(.is-hidden)');
      expect(await shown.count(), 'most labels fit').toBeGreaterThanOrEqual(vp.width < 600 ? 3 : 8);
      const svgBox = (await boxes(topk))[0]!;
      const labelBoxes = await boxes(shown);
      for (const [i, a] of labelBoxes.entries()) {
        expect(a.x, `label ${i} inside the chart`).toBeGreaterThanOrEqual(svgBox.x - 1);
        expect(a.x + a.width, `label ${i} inside the chart`).toBeLessThanOrEqual(
          svgBox.x + svgBox.width + 1,
        );
        for (const [j, b] of labelBoxes.entries())
          if (j > i) expect(overlaps(a, b), `labels ${i} and ${j} apart`).toBe(false);
      }

      // Uncertainty boxplot: both axes titled.
      const boxplot = page.locator(
        '[data-testid="uncertainty-boxplots"] svg[data-chart="boxplot"]',
      );
      await boxplot.scrollIntoViewIfNeeded();
      await expect(boxplot.locator('text.x-label')).toHaveText('probability');
      await expect(boxplot.locator('text.y-label')).toHaveText('class');
      await shot(page, testInfo, `evaluation-charts-${vp.width}`);
    });
  });
}
