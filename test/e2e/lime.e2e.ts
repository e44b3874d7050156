// The LIME view of the explanations page: the pack's LIME (16 square superpixels of 7 x 7 px;
// weights +0.3 for superpixel 5, +0.2 for 6, −0.1 for 0, fixtures/explanation-pack.ts) drawn at
// 8 screen pixels per image pixel with the top superpixels numbered and outlined, the rest
// faded, their weights listed; boundaries are off by default and one screen pixel wide when
// on; the superpixels against the class only on request.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, shot, test } from './fixtures';

/** RGB of the LIME canvas at screen pixel (x, y). */
function pixel(canvas: Locator, x: number, y: number): Promise<number[]> {
  return canvas.evaluate(
    (c: HTMLCanvasElement, [px, py]) =>
      Array.from(c.getContext('2d')!.getImageData(px!, py!, 1, 1).data.slice(0, 3)),
    [x, y],
  );
}

test('LIME: top superpixels numbered with their weights, thin boundaries behind a toggle', async ({
  ownerPage: page,
  seeded,
  explanationPack,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}/explain`);
  await page
    .locator(`[data-testid="saliency-sample"][data-sample="${explanationPack.samples[0]}"]`)
    .click();
  const view = page.locator('[data-testid="lime-view"]');
  const canvas = view.locator('[data-testid="lime-canvas"]');
  await expect(canvas).toHaveAttribute('data-ready', 'true');
  await expect(view).toHaveAttribute('data-boundaries', 'off');
  // 28 px at 8 screen pixels each.
  expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([224, 224]);

  // The superpixels for the class, strongest first, with their weights.
  const legend = view.locator('[data-testid="lime-segment"]');
  await expect(legend, 'the two positive superpixels').toHaveCount(2);
  await expect(legend.nth(0)).toHaveAttribute('data-segment', '5');
  await expect(legend.nth(0)).toContainText('+0.300');
  await expect(legend.nth(1)).toHaveAttribute('data-segment', '6');
  await expect(legend.nth(1)).toContainText('+0.200');
  await expect(view.locator('[data-sign="against"]'), 'none against by default').toHaveCount(0);
  // Their numbers sit on them: superpixel 5 spans screen pixels 56..111 on both axes.
  const box = (await canvas.boundingBox())!;
  const badge = (await view.getByText('1', { exact: true }).first().boundingBox())!;
  const [bx, by] = [badge.x + badge.width / 2 - box.x, badge.y + badge.height / 2 - box.y];
  expect(bx, 'badge 1 on superpixel 5').toBeGreaterThan(56);
  expect(bx).toBeLessThan(112);
  expect(by).toBeGreaterThan(56);
  expect(by).toBeLessThan(112);
  // An outline two screen pixels wide inside superpixel 5 (left edge at x = 56), none further in.
  expect(await pixel(canvas, 56, 84)).toEqual([0, 200, 90]);
  expect(await pixel(canvas, 57, 84)).toEqual([0, 200, 90]);
  expect(await pixel(canvas, 60, 84)).not.toEqual([0, 200, 90]);

  // Boundaries: one screen pixel at x = 111 (left of the column-1/column-2 change at 112), in a
  // faded superpixel of the bottom row; its neighbours keep their colour.
  const before = await Promise.all([109, 110, 111].map((x) => pixel(canvas, x, 200)));
  expect(before[2], 'no boundary drawn while off').toEqual(before[1]);
  await view.locator('[data-testid="lime-boundaries"]').check();
  await expect(view).toHaveAttribute('data-boundaries', 'on');
  await expect.poll(() => pixel(canvas, 111, 200), 'the boundary pixel').not.toEqual(before[2]);
  expect(await pixel(canvas, 110, 200), 'one pixel wide').toEqual(before[1]);
  expect(await pixel(canvas, 109, 200)).toEqual(before[0]);
  await shot(view, testInfo, '25-lime-boundaries');
  await view.locator('[data-testid="lime-boundaries"]').uncheck();
  await expect.poll(() => pixel(canvas, 111, 200)).toEqual(before[2]);

  // Against the class, on request: superpixel 0 listed and numbered −1.
  await view.locator('[data-testid="lime-against"]').check();
  const against = view.locator('[data-testid="lime-segment"][data-sign="against"]');
  await expect(against).toHaveCount(1);
  await expect(against).toHaveAttribute('data-segment', '0');
  await expect(against).toContainText('−0.100');
  await expect(view.getByText('−1', { exact: true }).first()).toBeVisible();
  await shot(view, testInfo, '25-lime');
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const dir = path.resolve(import.meta.dirname, '..', '..', 'docs/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.mouse.move(0, 0);
    await page.locator('[data-testid="saliency-view"]').screenshot({
      path: path.join(dir, 'lime.png'),
      animations: 'disabled',
    });
  }
});
