// The run page's "Layer distributions" card over real layer statistics: libs/ml's
// layerStatsCallback run on a tiny CNN for 4 epochs (fixtures/layer-stats-run.ts, its own process),
// its histograms.e000N.json artifacts uploaded and its grad_norm/, weight_norm/, dead_relu/ points
// logged to the seeded live run (a finished run takes no new points) as a training run stores them. A layer and a tensor are
// picked with the keyboard-accessible selectors, the band chart draws the 4 epochs, the histogram
// bars show their counts on hover and follow the epoch slider, and the seeded dead layer (fc1,
// 12 of 16 units dead) raises its warning. Desktop and phone, without horizontal overflow.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { horizontalOverflow, VIEWPORTS } from './fixtures/main-pages';
import { expect, test } from './fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;

interface LayerStatsRun {
  files: { name: string; body: string }[];
  points: { name: string; step: number; value: number }[];
}

let computed: Promise<LayerStatsRun> | undefined;

/** Runs the fixture script once per worker (a few seconds of TF.js on the CPU). */
function layerStatsRun(): Promise<LayerStatsRun> {
  computed ??= new Promise((resolve, reject) => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'layer-stats-')), 'run.json');
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
        path.join(repoRoot, 'test/e2e/fixtures/layer-stats-run.ts'),
        '--out',
        out,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`layer-stats-run exited with ${code}`));
      else resolve(JSON.parse(fs.readFileSync(out, 'utf8')) as LayerStatsRun);
    });
  });
  return computed;
}

/** Stores the layer statistics with `runId` as the training callback does. */
async function seedLayerStats(api: TestApi, runId: string): Promise<LayerStatsRun> {
  const run = await layerStatsRun();
  for (const f of run.files)
    await api.putArtifact(runId, f.name, f.body, {
      query: { kind: 'layer-stats' },
      contentType: 'application/json',
    });
  await api.gql(LOG, { runId, points: run.points });
  return run;
}

async function openCard(page: Page, runId: string) {
  await page.goto(`/runs/${runId}`);
  const card = page.locator('[data-testid="layer-distributions"][data-epochs="4"]');
  await expect(card).toBeVisible({ timeout: 15_000 });
  return card;
}

test('layer distributions: pick a layer and a tensor, the bands draw every epoch, hover and step the histogram, the dead layer warns', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize(VIEWPORTS.desktop);
  const run = await seedLayerStats(api, seeded.live);
  const card = await openCard(page, seeded.live);

  // The seeded dead layer: 12 of fc1's 16 units never activate.
  const dead = card.locator(
    '[data-testid="layer-warnings"] li[data-kind="dead"][data-layer="fc1"]',
  );
  await expect(dead).toContainText('75% of its ReLU units never activate');
  await expect(card.locator('[data-testid="dead-relu-chart"]')).toHaveAttribute('data-layers', '2');
  await expect(card.locator('[data-testid="grad-norm-chart"]')).toHaveAttribute('data-layers', '3');

  // Keyboard: the labelled selectors pick fc1's kernel gradient.
  const layer = card.getByLabel('Layer', { exact: true });
  await layer.focus();
  await layer.selectOption('fc1');
  await expect(layer).toHaveValue('fc1');
  const tensor = card.getByLabel('Tensor', { exact: true });
  await expect(tensor.locator('option')).toHaveText([
    'kernel',
    'kernel gradient',
    'bias',
    'bias gradient',
  ]);
  await tensor.selectOption('kernel.grad');
  const bands = card.locator('[data-testid="distribution-chart"] svg[data-chart="distribution"]');
  await expect(bands).toHaveAttribute('data-epochs', '4');
  await expect(bands.locator('circle.epoch-dot')).toHaveCount(4);
  await expect(bands.locator('path.band')).toHaveCount(4);

  // The latest epoch's histogram: 30 bins whose counts are those of the stored file.
  const histogram = card.locator('[data-testid="epoch-histogram"]');
  await expect(histogram).toHaveAttribute('data-step', '4');
  const stored = (step: number) => {
    const file = JSON.parse(
      run.files.find((f) => f.name === `histograms.e000${step}.json`)!.body,
    ) as {
      layers: { name: string; tensors: { weight: string; role: string; counts: number[] }[] }[];
    };
    return file.layers
      .find((l) => l.name === 'fc1')!
      .tensors.find((t) => t.weight === 'kernel' && t.role === 'gradient')!.counts;
  };
  const bars = histogram.locator('rect.hist-bar');
  await expect(bars).toHaveCount(30);
  const counts = () =>
    bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
  expect(await counts()).toEqual(stored(4));
  expect((await counts()).reduce((a, b) => a + b, 0)).toBe(16 * 8 * 12 * 12);

  // Hover: the tallest bar's count in the tooltip.
  const tallest = stored(4).indexOf(Math.max(...stored(4)));
  await bars.nth(tallest).hover();
  const tooltip = card.locator('[data-testid="histogram-chart"] [data-chart-tooltip]');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(`: ${Math.max(...stored(4))}`);

  // Step with the keyboard: Home shows epoch 1's histogram, ArrowRight epoch 2.
  const slider = card.getByLabel('Epoch', { exact: true });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(histogram).toHaveAttribute('data-step', '1');
  await expect(slider).toHaveAttribute('aria-valuetext', 'epoch 1 of 4');
  await expect.poll(counts).toEqual(stored(1));
  await page.keyboard.press('ArrowRight');
  await expect(histogram).toHaveAttribute('data-step', '2');
  await expect(bands.locator('line.selected-step')).toHaveAttribute('data-step', '2');
  // The training curves leave the per-layer metrics to this card.
  await expect(
    page.locator('[data-testid="training-curves"] [data-testid^="curve-grad_norm"]'),
  ).toHaveCount(0);

  const overflow = await horizontalOverflow(page);
  expect(overflow.offenders).toEqual([]);
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page.keyboard.press('End');
    await expect(histogram).toHaveAttribute('data-step', '4');
    await slider.blur();
    await page.mouse.move(0, 0);
    const png = await card.screenshot({ animations: 'disabled' });
    const dir = path.join(repoRoot, 'docs', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'distributions.png'), png);
  }
});

test('layer distributions at phone width: selectors, charts and warnings fit', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize(VIEWPORTS.phone);
  await seedLayerStats(api, seeded.live);
  const card = await openCard(page, seeded.live);
  await card.getByLabel('Layer', { exact: true }).selectOption('conv1');
  await card.getByLabel('Tensor', { exact: true }).selectOption('bias');
  await expect(card.locator('[data-testid="epoch-histogram"] rect.hist-bar')).toHaveCount(30);
  await expect(card.locator('[data-testid="layer-warnings"] li')).toHaveCount(1);
  await card.scrollIntoViewIfNeeded();
  const overflow = await horizontalOverflow(page);
  expect(overflow.offenders).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
});
