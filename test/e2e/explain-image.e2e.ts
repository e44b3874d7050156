// "Explain your image" (/runs/[id]/explain-image): the browser uploads the image whose result a
// worker left in the cache (fixtures/explain-image-data.ts) and shows top-k, the heatmap overlay
// and the activation grid; a 3-channel image for the 1-channel model and a corrupt PNG show the
// API's errors inline.
import type { Page, TestInfo } from '@playwright/test';
import sharp from 'sharp';
import { DATASET_INFO } from './fixtures/dashboard-data';
import { seedExplainImageRun } from './fixtures/explain-image-data';
import { expect, shot, test } from './fixtures';

const { classNames } = DATASET_INFO;

/**
 * The refused uploads: a 3-channel image for the 1-channel model and a corrupt PNG show the
 * API's messages inline. Chromium logs each 4xx response as a console error, so they run in a
 * second tab whose console may show exactly those and nothing else (the test's page keeps its
 * own "no browser errors" check).
 */
async function refusedUploads(
  page: Page,
  { runId, png }: { runId: string; png: Buffer },
  testInfo: TestInfo,
): Promise<void> {
  const tab = await page.context().newPage();
  const tabErrors: string[] = [];
  tab.on('pageerror', (err) => tabErrors.push(err.message));
  tab.on('console', (msg) => {
    if (msg.type() === 'error') tabErrors.push(msg.text());
  });
  await tab.goto(`/runs/${runId}/explain-image`);
  await expect(tab.locator('[data-testid="explain-image"][data-ready="1"]')).toBeVisible();
  // A 3-channel image for this 1-channel model: the API's message, inline.
  const rgb = await sharp({
    create: { width: 20, height: 20, channels: 3, background: { r: 250, g: 20, b: 20 } },
  })
    .png()
    .toBuffer();
  await tab
    .locator('[data-testid="explain-file"]')
    .setInputFiles({ name: 'rgb.png', mimeType: 'image/png', buffer: rgb });
  await tab.locator('[data-testid="explain-submit"]').click();
  const error = tab.locator('[data-testid="explain-error"]');
  await expect(error, 'channel error').toContainText('3 channels (RGB)');
  await expect(error, 'channel error').toContainText('1 channel (grayscale)');
  // A corrupt PNG: named as such.
  await tab.locator('[data-testid="explain-file"]').setInputFiles({
    name: 'broken.png',
    mimeType: 'image/png',
    buffer: png.subarray(0, png.length - 30),
  });
  await tab.locator('[data-testid="explain-submit"]').click();
  await expect(error).toContainText('corrupt');
  await shot(tab, testInfo, '14b-explain-image-error');
  await expect
    .poll(() => tabErrors, { message: 'only the two expected 400s in the console' })
    .toHaveLength(2);
  for (const e of tabErrors) expect(e).toMatch(/status of 400/);
  await tab.close();
}

test('explain your image: upload, top-k, heatmap overlay, activation grid, inline errors', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  const { runId, png } = await seedExplainImageRun(api, classNames);
  await page.goto(`/runs/${runId}`);
  await page.locator('[data-testid="explain-image-link"]').click();
  await page.waitForURL(`**/runs/${runId}/explain-image`);
  await expect(page.locator('[data-testid="explain-image"][data-ready="1"]')).toBeVisible();
  await page
    .locator('[data-testid="explain-file"]')
    .setInputFiles({ name: 'shirt.png', mimeType: 'image/png', buffer: png });
  const layers = await page
    .locator('[data-testid="explain-layer"] option')
    .evaluateAll((els) => (els as HTMLOptionElement[]).map((el) => el.value));
  expect(layers, 'CAM layers offered').toEqual(['', 'conv1']);
  await page.locator('[data-testid="explain-submit"]').click();
  await expect(page.locator('[data-testid="explain-result"]')).toBeVisible();
  const bars = page.locator('[data-testid="explain-topk"] li');
  await expect(bars, '5 top-k bars').toHaveCount(5);
  await expect(bars.first(), 'top-1').toContainText(classNames[0] ?? '');
  await expect(bars.first(), 'top-1').toContainText('71.0%');
  const overlay = page.locator('[data-testid="explain-overlay"]');
  await expect(overlay).toHaveAttribute('data-drawn', '0.5');
  // The blend is on the canvas: a hot pixel is reddish, a cold one is not.
  // Inline arrows only: a named helper would need the bundler's __name in the page.
  const [hot = [], cold = []] = await overlay.evaluate((c: HTMLCanvasElement) =>
    [
      [14, 9],
      [1, 27],
    ].map(([x = 0, y = 0]) =>
      Array.from(
        c.getContext('2d')?.getImageData((x * c.width) / 28, (y * c.height) / 28, 1, 1).data ?? [],
      ),
    ),
  );
  const [hotR = 0, , hotB = 0] = hot;
  const [coldR = 0, , coldB = 0] = cold;
  expect(hotR, `hot pixel reddish (${hot.join(',')})`).toBeGreaterThan(hotB);
  expect(coldB, `cold pixel bluish (${cold.join(',')})`).toBeGreaterThan(coldR);
  await page.locator('[data-testid="explain-alpha"]').fill('0.8');
  await expect(overlay).toHaveAttribute('data-drawn', '0.8');
  const grid = page.locator('[data-testid="explain-grid"]');
  await expect(grid).toBeVisible();
  // Activation grid loaded.
  await expect
    .poll(() => grid.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(120);
  await page.mouse.move(0, 0);
  await shot(page, testInfo, '14-explain-image');

  await refusedUploads(page, { runId, png }, testInfo);
});
