// "Explain your image" (/runs/[id]/explain-image): an RGB image uploaded to a grayscale model's
// run is converted, not refused (no 400 in the console): the page says what was done, shows two
// methods side by side with their faithfulness (the most faithful marked), and zooms an
// activation-grid tile in a dialog (mouse and keyboard), at 1280x800 and 390x844. The browser
// uploads the image whose result a "worker" left in the cache (fixtures/explain-image-upload.ts);
// a corrupt PNG still shows the API's error inline.
import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { DATASET_INFO } from './fixtures/dashboard-data';
import { seedExplainImageRun } from './fixtures/explain-image-data';
import { FAITHFULNESS, GRID, seedRgbUploadResult, tileGrey } from './fixtures/explain-image-upload';
import { horizontalOverflow, VIEWPORTS } from './fixtures/main-pages';
import { expect, shot, test } from './fixtures';

const { classNames } = DATASET_INFO;

/** Saves the README's screenshot when UPDATE_SCREENSHOTS=1. */
async function readmeScreenshot(page: Page, file: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.resolve(import.meta.dirname, '..', '..', 'docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.mouse.move(0, 0);
  const png = await page.screenshot({ fullPage: true, animations: 'disabled' });
  fs.writeFileSync(path.join(dir, file), png);
}

/**
 * A corrupt PNG is refused with the API's message inline. Chromium logs the 4xx response as a
 * console error, so it runs in a second tab whose console may show exactly that one (the test's
 * page keeps its own "no browser errors" check).
 */
async function corruptUpload(
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
  await tab.locator('[data-testid="explain-file"]').setInputFiles({
    name: 'broken.png',
    mimeType: 'image/png',
    buffer: png.subarray(0, png.length - 30),
  });
  await tab.locator('[data-testid="explain-submit"]').click();
  await expect(tab.locator('[data-testid="explain-error"]')).toContainText('corrupt');
  await shot(tab, testInfo, '14b-explain-image-error');
  await expect
    .poll(() => tabErrors, { message: 'only the expected 400 in the console' })
    .toHaveLength(1);
  expect(tabErrors[0]).toMatch(/status of 400/);
  await tab.close();
}

/** RGBA of canvas pixel (x, y) given in model-input pixels (28 x 28). */
function canvasPixel(page: Page, testId: string, method: string, x: number, y: number) {
  return page
    .locator(
      `[data-testid="explain-method-tile"][data-method="${method}"] [data-testid="${testId}"]`,
    )
    .evaluate(
      (c: HTMLCanvasElement, [px, py]) =>
        Array.from(
          c.getContext('2d')?.getImageData((px! * c.width) / 28, (py! * c.height) / 28, 1, 1)
            .data ?? [],
        ),
      [x, y],
    );
}

/** The conversion note, the two methods side by side with their AUCs, the best one marked. */
async function checkMethods(page: Page): Promise<void> {
  const note = page.locator('[data-testid="explain-conversion"]');
  await expect(note).toHaveAttribute('data-changed', 'true');
  await expect(note).toContainText('56 × 40 RGB');
  await expect(note).toContainText('28 × 28 grayscale');
  await expect(note.locator('li'), 'both conversion steps').toHaveCount(2);
  const tiles = page.locator('[data-testid="explain-method-tile"]');
  await expect(tiles, 'two methods side by side').toHaveCount(2);
  await expect(tiles.nth(0)).toHaveAttribute('data-method', 'gradcam');
  await expect(tiles.nth(1)).toHaveAttribute('data-method', 'saliency');
  const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
  expect(Math.abs(a!.y - b!.y), 'side by side on a wide screen').toBeLessThan(2);
  for (const [i, m] of (['gradcam', 'saliency'] as const).entries()) {
    const t = tiles.nth(i);
    await expect(t.locator('[data-testid="explain-deletion"]')).toHaveText(
      FAITHFULNESS[m].deletionAuc.toFixed(3),
    );
    await expect(t.locator('[data-testid="explain-insertion"]')).toHaveText(
      FAITHFULNESS[m].insertionAuc.toFixed(3),
    );
  }
  // 0.64 - 0.21 = 0.43 beats 0.52 - 0.35 = 0.17.
  await expect(
    page.locator('[data-testid="explain-method-tile"][data-best="true"]'),
  ).toHaveAttribute('data-method', 'gradcam');
  await expect(page.locator('[data-testid="explain-faithfulness-legend"]')).toContainText(
    'lower is better',
  );
  const overlay = tiles.nth(0).locator('[data-testid="explain-overlay"]');
  await expect(overlay).toHaveAttribute('data-drawn', '0.5');
  const [hotR = 0, , hotB = 0] = await canvasPixel(page, 'explain-overlay', 'gradcam', 14, 9);
  const [coldR = 0, , coldB = 0] = await canvasPixel(page, 'explain-overlay', 'gradcam', 1, 27);
  expect(hotR, 'hot pixel reddish').toBeGreaterThan(hotB);
  expect(coldB, 'cold pixel bluish').toBeGreaterThan(coldR);
  // Without the map, the image is drawn as the model saw it: the red shirt in grey.
  await page.locator('[data-testid="explain-alpha"]').fill('0');
  await expect(overlay).toHaveAttribute('data-drawn', '0');
  const [r = 0, g = 0, bl = 0] = await canvasPixel(page, 'explain-overlay', 'gradcam', 14, 16);
  expect(Math.max(r, g, bl) - Math.min(r, g, bl), `grey shirt (${r},${g},${bl})`).toBeLessThan(3);
  await page.locator('[data-testid="explain-alpha"]').fill('0.5');
  await expect(overlay).toHaveAttribute('data-drawn', '0.5');
}

/** A tile opens large by click and by keyboard; the dialog steps and closes with the keys. */
async function checkZoom(page: Page): Promise<void> {
  const tiles = page.locator('[data-testid="explain-grid-tile"]');
  await expect(tiles, 'a button per channel').toHaveCount(GRID.c);
  await tiles.nth(4).click();
  const dialog = page.locator('[data-testid="explain-tile-dialog"]');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('data-channel', '4');
  await expect(dialog.locator('h3')).toHaveText('conv1 · channel 4');
  // Channel 4: max 2.5, mean 0.5, 25% zeros (so its minimum is 0).
  const stats = dialog.locator('[data-testid="explain-tile-stats"]');
  await expect(stats).toContainText('0 … 2.5');
  await expect(stats).toContainText('25.0%');
  const canvas = dialog.locator('[data-testid="explain-tile-canvas"]');
  await expect(canvas).toHaveAttribute('data-channel', '4');
  const centre = await canvas.evaluate((c: HTMLCanvasElement) => [
    c.width,
    Array.from(c.getContext('2d')!.getImageData(c.width / 2, c.height / 2, 1, 1).data),
  ]);
  expect(centre[0], 'the tile at the grid scale').toBe(GRID.w * GRID.scale);
  expect((centre[1] as number[])[0], "channel 4's grey").toBe(tileGrey(4));
  const shown = await canvas.boundingBox();
  expect(shown!.width, 'drawn large').toBeGreaterThan(250);
  await page.keyboard.press('ArrowRight');
  await expect(dialog).toHaveAttribute('data-channel', '5');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // Keyboard only: the focused tile moves with the arrows, Enter opens it.
  await expect(tiles.nth(5)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(tiles.nth(5 - GRID.columns)).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(tiles.nth(4 - GRID.columns)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveAttribute('data-channel', String(4 - GRID.columns));
  await dialog.locator('[data-testid="explain-tile-close"]').click();
  await expect(dialog).toHaveCount(0);
}

test('explain your image: RGB on a grayscale model converted, methods side by side, zoomable grid', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  const { runId, png: grey } = await seedExplainImageRun(api, classNames);
  const rgb = await seedRgbUploadResult(api, runId, classNames);
  await page.goto(`/runs/${runId}`);
  await page.locator('[data-testid="explain-image-link"]').click();
  await page.waitForURL(`**/runs/${runId}/explain-image`);
  await expect(page.locator('[data-testid="explain-image"][data-ready="1"]')).toBeVisible();
  const classes = await page.locator('[data-testid="explain-class"] option').allTextContents();
  expect(classes, 'every class, after "Predicted class"').toEqual([
    'Predicted class',
    ...classNames.map((n, i) => `${i}: ${n}`),
  ]);
  const checked = await page
    .locator('[data-testid="explain-method"]:checked')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.method));
  expect(checked, 'two methods by default').toEqual(['gradcam', 'saliency']);
  await page
    .locator('[data-testid="explain-file"]')
    .setInputFiles({ name: 'shirt-rgb.png', mimeType: 'image/png', buffer: rgb });
  await page.locator('[data-testid="explain-submit"]').click();
  await expect(page.locator('[data-testid="explain-result"]')).toBeVisible();
  const bars = page.locator('[data-testid="explain-topk"] li');
  await expect(bars, '5 top-k bars').toHaveCount(5);
  await expect(bars.first(), 'top-1').toContainText('71.0%');
  await checkMethods(page);
  await checkZoom(page);
  await shot(page, testInfo, '14-explain-image');
  await readmeScreenshot(page, 'explain-image.png');

  // A phone: nothing wider than the screen, the tiles still on the grid, the dialog inside.
  await page.setViewportSize(VIEWPORTS.phone);
  const overflow = await horizontalOverflow(page);
  expect(overflow.offenders, 'nothing wider than 390 px').toEqual([]);
  const img = await page.locator('[data-testid="explain-grid"]').boundingBox();
  const last = await page.locator('[data-testid="explain-grid-tile"]').last().boundingBox();
  expect(last!.x + last!.width, 'tiles inside the scaled grid').toBeLessThanOrEqual(
    img!.x + img!.width + 1,
  );
  await page.locator('[data-testid="explain-grid-tile"]').first().click();
  const box = await page.locator('[data-testid="explain-tile-dialog"]').boundingBox();
  expect(box!.x, 'dialog inside the screen').toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(VIEWPORTS.phone.width);
  await shot(page, testInfo, '14c-explain-image-phone');
  await page.keyboard.press('Escape');

  await corruptUpload(page, { runId, png: grey }, testInfo);
});
