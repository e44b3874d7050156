// The run page's layout on a laptop (1280x800) and a phone (390x844): the training curves come
// right after the header, within the first screen; facts follow as one compact card with the
// backend's reason folded; nothing makes the page scroll sideways on the phone.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';

const VIEWPORTS = [
  { width: 1280, height: 800, name: 'laptop' },
  { width: 390, height: 844, name: 'phone' },
] as const;

/** Top (px from the top of the page) and height of the first element `selector` matches. */
async function boxOf(page: Page, selector: string): Promise<{ y: number; height: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not laid out`);
  return { y: box.y, height: box.height };
}

for (const vp of VIEWPORTS) {
  test.describe(`run page on a ${vp.name} (${vp.width}x${vp.height})`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('curves lead, long texts folded, no sideways scrolling', async ({
      ownerPage: page,
      seeded,
    }, testInfo) => {
      await page.goto(`/runs/${seeded.completed}`);
      const firstCurve = '[data-testid="training-curves"] > section';
      await expect(page.locator(`${firstCurve} path.series-line`).first()).toBeVisible();
      expect(await page.evaluate(() => window.scrollY), 'page opened at its top').toBe(0);

      // The first curve card starts in the first screen, its plot visible: at most 400 px down
      // on the laptop, and with at least 200 px of it on screen on the phone.
      const curve = await boxOf(page, firstCurve);
      if (vp.name === 'laptop') expect(curve.y, 'first curve top (px)').toBeLessThan(400);
      else expect(curve.y, 'first curve top (px)').toBeLessThan(vp.height - 200);
      const plot = await boxOf(page, `${firstCurve} svg[data-chart="line"]`);
      expect(plot.y, 'the plot itself starts on screen').toBeLessThan(vp.height);
      await page.mouse.move(0, 0);
      await shot(page, testInfo, `run-layout-${vp.name}`, { fullPage: false });

      // Facts, stats and the metrics table come after the curves.
      const facts = await boxOf(page, '[data-testid="run-facts"]');
      const stats = await boxOf(page, '[data-testid="headline-stats"]');
      expect(facts.y, 'facts below the curves').toBeGreaterThan(curve.y + curve.height);
      expect(stats.y, 'stats below the facts').toBeGreaterThan(facts.y);
      // Compact facts: the seven facts fit in a card far shorter than a grid of tall cells.
      await expect(page.locator('[data-testid="run-facts"] .fact-chip')).toHaveCount(7);
      await expect(page.locator('[data-testid="run-facts"]')).toContainText('wasm');

      // "Why wasm?" is folded: closed, its text hidden until the summary is clicked.
      const why = page.locator('details[data-testid="backend-reason"]');
      await expect(why).not.toHaveAttribute('open', /.*/);
      await expect(why.locator('summary')).toHaveText('Why wasm?');
      await expect(why.locator('.fold-body')).toBeHidden();
      await why.locator('summary').click();
      await expect(why.locator('.fold-body')).toBeVisible();
      await expect(why.locator('.fold-body')).toContainText('WASM with SIMD');

      // The evaluation further down is drawn too before the width is measured.
      await expect(page.locator('[data-testid="evaluation"]').first()).toBeVisible();
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(widths.scroll, 'no horizontal overflow').toBeLessThanOrEqual(vp.width);
      expect(widths.scroll, 'no horizontal overflow').toBeLessThanOrEqual(widths.client);
    });
  });
}
