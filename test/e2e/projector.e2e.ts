// The embedding projector over a real artifact (libs/ml's computeProjectorFiles on a tiny seeded
// CNN and the seeded run's 200 test images, computed in a tsx process): the run page's card, the
// full page (method switch, colour modes, hover tooltip with the sample's thumbnail, click to the
// sample's explanations, the keyboard search, axe in both themes), two runs side by side with a
// shared hover, and no horizontal overflow at 1280x800 and 390x844.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { horizontalOverflow, VIEWPORTS } from './fixtures/main-pages';
import { expect, test } from './fixtures';

// Computing an artifact loads TF.js (~15 s on a loaded 2-core machine): once per seed per worker.
const artifacts = new Map<number, Buffer>();
function projectorArtifact(seed: number): Buffer {
  let bytes = artifacts.get(seed);
  if (!bytes) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'projector-')), 'projector.json');
    execFileSync(
      'npx',
      ['tsx', 'test/e2e/fixtures/projector-artifact.ts', '--seed', String(seed), '--out', out],
      { stdio: 'pipe', timeout: 120_000 },
    );
    bytes = fs.readFileSync(out);
    artifacts.set(seed, bytes);
  }
  return bytes;
}

async function uploadProjector(api: TestApi, runId: string, seed: number): Promise<void> {
  await api.putArtifact(runId, 'projector.json', projectorArtifact(seed), {
    query: { kind: 'projector', metadata: JSON.stringify({ kind: 'projector' }) },
    contentType: 'application/json',
  });
}

/** A cheap fingerprint of what a canvas shows. */
async function canvasPixels(canvas: Locator): Promise<string> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    let h = 0;
    for (const v of d) h = (Math.imul(h, 31) + v) | 0;
    return `${c.width}x${c.height}:${h}`;
  });
}

/** axe's serious and critical WCAG 2.1 A/AA violations on the page, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // axe.run in the page itself: the dashboard has no iframes, and the default (runPartial,
    // then finishRun in a new blank page) took 2 to 3 times as long for the same results.
    .setLegacyMode()
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

/** Selects a sample with the keyboard search and hovers the ringed point; returns the tooltip's sample. */
async function hoverSample(page: Page, canvas: Locator, sample: number): Promise<number> {
  await page.locator('[data-testid="projector-sample-input"]').fill(String(sample));
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('[data-testid="projector-selected"]')).toContainText(`#${sample}`);
  await expect(canvas).toHaveAttribute('data-highlight-x', /\d+/);
  const x = Number(await canvas.getAttribute('data-highlight-x'));
  const y = Number(await canvas.getAttribute('data-highlight-y'));
  await canvas.hover({ position: { x, y } });
  const tooltip = page.locator('[data-testid="projector-tooltip"]');
  await expect(tooltip).toBeVisible();
  const shown = Number(/#(\d+)/.exec((await tooltip.textContent()) ?? '')?.[1]);
  expect(Number.isInteger(shown), 'the tooltip names a sample').toBe(true);
  return shown;
}

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  test(`projector (${viewport}): card, methods, colours, hover thumbnail, click to the sample`, async ({
    ownerPage: page,
    api,
    seeded,
  }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    await uploadProjector(api, seeded.completed, 1);
    await page.goto(`/runs/${seeded.completed}`);
    const card = page.locator('[data-testid="projector-card"]');
    await expect(card.locator('[data-testid="projector-preview"]')).toBeVisible();
    await expect(card).toContainText('UMAP, t-SNE of 120 points');
    await card.locator('[data-testid="projector-open"]').click();
    await page.waitForURL((u) => u.pathname.endsWith('/projector'));

    const canvas = page.locator('[data-testid="projector-canvas"]');
    const caption = page.locator('[data-testid="projector-caption"]');
    await expect(canvas).toHaveAttribute('data-points', '200');
    await expect(caption).toHaveText('UMAP');
    const legend = page.locator('[data-testid="projector-legend"]');
    await expect(legend).toContainText('Ankle boot');
    await expect(legend).toContainText('misclassified');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await axeViolations(page), `axe, ${colorScheme} theme`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Methods: t-SNE is a subset of 120 points, PCA all 200; each draws other pixels.
    const umapPixels = await canvasPixels(canvas);
    await page.getByRole('radio', { name: 't-SNE' }).click();
    await expect(caption).toHaveText('t-SNE of 120 points');
    await expect(canvas).toHaveAttribute('data-points', '120');
    await page.getByRole('radio', { name: 'PCA' }).click();
    await expect(caption).toHaveText('PCA');
    await expect.poll(() => canvasPixels(canvas)).not.toBe(umapPixels);
    const pcaPixels = await canvasPixels(canvas);

    // Colour modes: predicted class, then confidence (its legend is a scale).
    await page.locator('[data-testid="projector-color-mode"]').selectOption('predicted');
    await expect.poll(() => canvasPixels(canvas)).not.toBe(pcaPixels);
    await page.locator('[data-testid="projector-color-mode"]').selectOption('confidence');
    await expect(legend).toContainText('0.50');
    await expect(legend).not.toContainText('Ankle boot');

    // Hover shows the sample's thumbnail and classes; a click opens its explanations.
    let shown = await hoverSample(page, canvas, 37);
    const thumb = page.locator('[data-testid="projector-thumbnail"]');
    await expect(thumb).toBeVisible();
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    await expect(page.locator('[data-testid="projector-tooltip"]')).toContainText('confidence');
    expect(await horizontalOverflow(page)).toMatchObject({ offenders: [] });

    if (process.env.UPDATE_SCREENSHOTS === '1' && viewport === 'desktop') {
      await page.getByRole('radio', { name: 'UMAP' }).click();
      await page.locator('[data-testid="projector-color-mode"]').selectOption('label');
      shown = await hoverSample(page, canvas, 37);
      const png = await page.locator('[data-testid="projector-panel"]').screenshot();
      const dir = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'projector.png'), png);
    }

    // The pointer rests on the hovered point, which the canvas now rings: click it.
    const x = Number(await canvas.getAttribute('data-highlight-x'));
    const y = Number(await canvas.getAttribute('data-highlight-y'));
    await canvas.click({ position: { x, y } });
    await page.waitForURL((u) => u.pathname.endsWith('/explain'));
    expect(new URL(page.url()).searchParams.get('sample')).toBe(String(shown));
  });
}

test('projector: two runs side by side share the hovered sample', async ({
  ownerPage: page,
  api,
  seeded,
  ablationRun,
}) => {
  test.setTimeout(180_000);
  await uploadProjector(api, seeded.completed, 1);
  await uploadProjector(api, ablationRun, 2);
  await page.goto(`/compare?runs=${seeded.completed},${ablationRun}`);
  await page.locator('[data-testid="compare-projector-link"]').click();
  await page.waitForURL((u) => u.pathname === '/compare/projector');
  const sides = page.locator('[data-testid="compare-projector-side"]');
  await expect(sides).toHaveCount(2);
  const left = sides.nth(0).locator('[data-testid="projector-canvas"]');
  const right = sides.nth(1).locator('[data-testid="projector-canvas"]');
  await expect(left).toHaveAttribute('data-points', '200');
  await expect(right).toHaveAttribute('data-points', '200');
  // Two seeds, two layouts.
  expect(await canvasPixels(left)).not.toBe(await canvasPixels(right));
  // Sweep the left canvas until a point is under the pointer: the right one rings the same sample.
  const box = await left.boundingBox();
  if (!box) throw new Error('the canvas is not laid out');
  let found = false;
  for (let gy = 0.1; gy < 0.95 && !found; gy += 0.05)
    for (let gx = 0.1; gx < 0.95 && !found; gx += 0.05) {
      await left.hover({ position: { x: box.width * gx, y: box.height * gy } });
      found = await page.locator('[data-testid="projector-tooltip"]').isVisible();
    }
  expect(found, 'some point of the left layout is under the pointer').toBe(true);
  await expect(right).toHaveAttribute('data-highlight-x', /\d+/);
  for (const size of Object.values(VIEWPORTS)) {
    await page.setViewportSize(size);
    expect(await horizontalOverflow(page)).toMatchObject({ offenders: [] });
  }
});

test('projector: a run without one offers to compute it', async ({ ownerPage: page, seeded }) => {
  await page.goto(`/runs/${seeded.completed}/projector`);
  await expect(page.locator('[data-testid="projector-missing"]')).toBeVisible();
  await page.getByRole('button', { name: 'Compute projection' }).click();
  // The seeded run stores weights but no model.json: the API refuses, and the page says why.
  await expect(page.locator('[data-testid="projector-missing"] [role="alert"]')).toContainText(
    'Projection failed',
  );
});
