// The explanation page (/runs/[id]/explain) over a seeded explanation pack: the feature gallery
// (pick a sample, step through the layers, zoom a channel), the Grad-CAM view (alpha, method,
// class and colormap change the drawn pixels), saliency, LIME and the filter gallery.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';

/** A cheap fingerprint of what a ready canvas shows: "<width>x<height>:<hash>". */
async function canvasPixels(page: Page, testId: string): Promise<string> {
  const canvas = page.locator(`[data-testid="${testId}"][data-ready="true"]`).first();
  await expect(canvas).toBeVisible();
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 'no 2d context';
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (const v of d) h = (Math.imul(h, 31) + v) | 0;
    return `${c.width}x${c.height}:${h}`;
  });
}

/** Waits until a canvas shows something other than `before`; returns what it shows then. */
async function changedPixels(
  page: Page,
  testId: string,
  before: string,
  what: string,
): Promise<string> {
  await expect
    .poll(() => canvasPixels(page, testId), { message: `${what} changes the ${testId} pixels` })
    .not.toBe(before);
  return canvasPixels(page, testId);
}

test('explain page: feature gallery walks the layers and zooms a channel', async ({
  ownerPage: page,
  seeded,
  explanationPack,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}`);
  await page.locator('[data-testid="explain-link"]').click();
  await page.waitForURL((u) => u.pathname.endsWith('/explain'));
  await page
    .locator(`[data-testid="sample-picker"] button[data-sample="${explanationPack.misclassified}"]`)
    .click();
  const caption = page.locator('[data-testid="layer-caption"]');
  await expect(page.locator('[data-testid="feature-grid"][data-ready="true"]')).toBeVisible();
  // First layer caption.
  await expect(caption).toContainText('Layer 1 of 4');
  await expect(caption).toContainText('conv1');
  await expect(caption).toContainText('28 × 28 × 8');
  for (const n of [2, 3, 4]) {
    await page.locator('[data-testid="layer-next"]').click();
    await expect(caption).toContainText(`Layer ${n} of 4`);
  }
  // Last layer caption.
  await expect(caption).toContainText('pool2');
  await expect(caption).toContainText('7 × 7 × 16');
  await expect(
    page.locator('[data-testid="layer-next"]'),
    'Next is disabled on the last layer',
  ).toBeDisabled();
  await page.locator('[data-testid="layer-prev"]').click();
  await expect(page.locator('[data-testid="layer-caption"][data-layer="conv2"]')).toBeVisible();
  // conv2: 14 x 14 tiles in a 4 x 4 grid; click the middle of tile 5 (row 1, column 1).
  const gridCanvas = page.locator('[data-testid="feature-grid"][data-ready="true"]');
  const box = await gridCanvas.boundingBox();
  if (!box) throw new Error('the feature grid is not laid out');
  const px = box.width / (4 * 15 + 1); // CSS pixels per grid pixel
  await gridCanvas.click({ position: { x: (1 + 15 + 7) * px, y: (1 + 15 + 7) * px } });
  await expect(page.locator('[data-testid="channel-zoom"][data-channel="5"]')).toBeVisible();
  const zoom = await canvasPixels(page, 'channel-zoom-canvas');
  expect(zoom, 'the zoomed channel is one 14 x 14 tile').toMatch(/^14x14:/);
  await shot(page.locator('[data-testid="feature-gallery"]'), testInfo, '20-explain-features');
});

test('explain page: Grad-CAM alpha, method and class change the drawn map', async ({
  ownerPage: page,
  seeded,
  explanationPack,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}/explain`);
  // The misclassified sample: Grad-CAM offers its true and its predicted class.
  await page
    .locator(`[data-testid="sample-picker"] button[data-sample="${explanationPack.misclassified}"]`)
    .click();
  const view = page.locator('[data-testid="gradcam-view"]');
  await view.scrollIntoViewIfNeeded();
  const first = await canvasPixels(page, 'gradcam-canvas');
  await page.locator('[data-testid="gradcam-alpha"]').fill('0.9');
  const opaque = await changedPixels(page, 'gradcam-canvas', first, 'the alpha slider');
  await page.locator('[data-testid="gradcam-method"]').selectOption('eigencam');
  const eigen = await changedPixels(page, 'gradcam-canvas', opaque, 'the method selector');
  await expect(
    page.locator('[data-testid="gradcam-class"] option'),
    'true and predicted class offered for the mistake',
  ).toHaveCount(2);
  await page.locator('[data-testid="gradcam-class"]').selectOption({ index: 1 });
  const otherClass = await changedPixels(page, 'gradcam-canvas', eigen, 'the class selector');
  await expect(
    page.locator('[data-testid="gradcam-methods"] [data-method]'),
    'four methods side by side',
  ).toHaveCount(4);
  await expect(
    page.locator('[data-testid="gradcam-methods"] [data-best="true"]'),
    'most faithful method highlighted',
  ).toHaveAttribute('data-method', 'layercam');
  await page.locator('[data-testid="gradcam-colormap"]').selectOption('viridis');
  const viridis = await changedPixels(page, 'gradcam-canvas', otherClass, 'the colormap');
  await page.locator('[data-testid="gradcam-alpha"]').fill('0.6');
  await changedPixels(page, 'gradcam-canvas', viridis, 'the alpha slider');
  await shot(view, testInfo, '21-explain-gradcam');
});

test('explain page: saliency, LIME and filter gallery', async ({
  ownerPage: page,
  seeded,
  explanationPack,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}/explain`);
  await page
    .locator(`[data-testid="saliency-sample"][data-sample="${explanationPack.samples[0]}"]`)
    .click();
  await expect(page.locator('[data-testid="lime-figure"] canvas[data-ready="true"]')).toBeVisible();
  await expect(
    page.locator('[data-testid="saliency-figure"]'),
    'gradients and SmoothGrad shown',
  ).toHaveCount(2);
  await shot(page.locator('[data-testid="saliency-view"]'), testInfo, '22-explain-saliency-lime');
  const channels = page.locator('[data-testid="filter-channel"]');
  await expect(channels, 'four filter channels').toHaveCount(4);
  await expect(channels.first().locator('img'), 'three top images beside a pattern').toHaveCount(3);
  await shot(page.locator('[data-testid="filter-gallery"]'), testInfo, '23-explain-filters');
  await shot(page, testInfo, '24-explain-page');
});
