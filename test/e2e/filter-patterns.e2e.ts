// Filter patterns (/runs/[id]/explain, the Filters card) over a real pack: a tiny fmnist-cnn run
// (fixtures/filter-pack-run.ts) whose pack holds readable patterns of 24 channels per conv layer.
// The test pages through a layer's channels (tile count and page label), switches layer, jumps to
// a channel, checks the tiles are large, square-pixelled and grayscale, and that nothing is wider
// than a 390 px phone. With UPDATE_SCREENSHOTS=1 it saves docs/screenshots/filter-patterns.png.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Locator } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { horizontalOverflow } from './fixtures/main-pages';
import { expect, shot, test } from './fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tsxBin = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

/** Trains the tiny run with its pack (about half a minute) and answers its id. */
async function trainRun(api: TestApi): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      tsxBin,
      path.join(repoRoot, 'test/e2e/fixtures/filter-pack-run.ts'),
      '--api',
      api.origin,
      '--api-key',
      api.localKey,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let runId: string | null = null;
  for await (const line of readline.createInterface({ input: child.stdout }))
    if (line.startsWith('RUN ')) runId = (JSON.parse(line.slice(4)) as { runId: string }).runId;
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (code !== 0 || !runId) throw new Error(`filter-pack-run exited with ${code}`);
  return runId;
}

/** Whether every drawn pixel of a ready pattern canvas is gray (r = g = b) and not all one value. */
async function grayAndStructured(canvas: Locator): Promise<{ gray: boolean; levels: number }> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let gray = true;
    const levels = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) gray = false;
      levels.add(d[i]!);
    }
    return { gray, levels: levels.size };
  });
}

test('filter patterns: every computed channel, paged, per layer, readable tiles', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  test.setTimeout(300_000);
  const runId = await trainRun(api);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/runs/${runId}/explain`);
  const gallery = page.locator('[data-testid="filter-gallery"]');
  await gallery.scrollIntoViewIfNeeded();
  const layers = gallery.locator('[data-testid="filter-layer"]');
  await expect(layers, 'one button per conv layer').toHaveText(['conv1', 'conv2']);
  const caption = gallery.locator('[data-testid="filter-caption"]');
  const label = gallery.locator('[data-testid="filter-page"]');
  const tiles = gallery.locator('[data-testid="filter-channel"]');
  await expect(caption).toContainText('24 of 32 channels computed');
  await expect(caption).toContainText('42 × 42 canvas');
  await expect(label).toHaveText('Channels 0–15 of 32 · page 1 of 2');
  await expect(tiles).toHaveCount(16);
  await expect(gallery.locator('[data-testid="filter-prev"]')).toBeDisabled();

  // The tiles: at least 96 CSS px, square pixels, gray, more than a couple of levels.
  const first = tiles.first().locator('canvas[data-testid="filter-pattern"][data-ready="true"]');
  await expect(first).toBeVisible();
  const box = await first.boundingBox();
  expect(box?.width ?? 0, 'pattern tiles are large').toBeGreaterThanOrEqual(96);
  expect(await first.evaluate((c) => getComputedStyle(c).imageRendering)).toBe('pixelated');
  const look = await grayAndStructured(first);
  expect(look.gray, 'a grayscale model draws grayscale patterns').toBe(true);
  expect(look.levels, 'a pattern, not a flat tile').toBeGreaterThan(8);
  await expect(tiles.first(), 'the mean activation reached').toContainText(/act -?\d+\.\d{3}/);
  await expect(tiles.first().locator('img'), 'top test images beside a pattern').toHaveCount(3);

  await expect(
    gallery.locator('[data-testid="filter-channel"] canvas[data-ready="true"]'),
  ).toHaveCount(16);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    // The README's picture: conv1's first page as a run shows it.
    const dir = path.join(repoRoot, 'docs/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.mouse.move(0, 0);
    await gallery.screenshot({
      path: path.join(dir, 'filter-patterns.png'),
      animations: 'disabled',
    });
  }

  await gallery.locator('[data-testid="filter-next"]').click();
  await expect(label).toHaveText('Channels 16–23 of 32 · page 2 of 2');
  await expect(tiles).toHaveCount(8);
  await expect(tiles.first()).toHaveAttribute('data-channel', '16');
  await expect(gallery.locator('[data-testid="filter-next"]')).toBeDisabled();

  // Another layer starts on its first page; a channel jump opens the page that holds it.
  await layers.nth(1).click();
  await expect(caption).toContainText('24 of 64 channels computed');
  await expect(label).toHaveText('Channels 0–15 of 64 · page 1 of 2');
  const jump = gallery.locator('[data-testid="filter-jump"]');
  await jump.fill('20');
  await expect(label).toHaveText('Channels 16–23 of 64 · page 2 of 2');
  await expect(tiles).toHaveCount(8);
  await expect(gallery.locator('[data-testid="filter-channel"][data-channel="20"]')).toBeVisible();
  await jump.fill('40');
  await expect(gallery.locator('[data-testid="filter-jump-error"]')).toHaveText(
    'Channel 40 was not computed (time budget).',
  );
  await gallery.locator('[data-testid="filter-prev"]').click();
  await expect(label).toHaveText('Channels 0–15 of 64 · page 1 of 2');
  await expect(gallery.locator('[data-testid="filter-jump-error"]')).toHaveCount(0);
  await expect(
    gallery.locator('[data-testid="filter-channel"] canvas[data-ready="true"]'),
  ).toHaveCount(16);
  await shot(gallery, testInfo, 'filter-patterns-1280');

  // A phone: nothing wider than the screen, tiles still at least 96 px.
  await page.setViewportSize({ width: 390, height: 844 });
  await gallery.scrollIntoViewIfNeeded();
  const overflow = await horizontalOverflow(page);
  expect(overflow.offenders, 'nothing wider than a 390 px screen').toEqual([]);
  const phoneBox = await tiles.first().locator('canvas').boundingBox();
  expect(phoneBox?.width ?? 0).toBeGreaterThanOrEqual(96);
  await expect(label).toBeVisible();
  await shot(gallery, testInfo, 'filter-patterns-390');
});
