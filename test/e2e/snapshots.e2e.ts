// The run page's "Training snapshots" card over snapshots stored as libs/ml's explain/snapshots
// stores them (snapshot.probes.json, snapshot.e0001.json..., snapshot.final.json): the slider
// walked with the keyboard and the play button changes the epoch label and the drawn overlay,
// the true/predicted toggle, the filters and layer statistics; a transfer-style run shows its
// phase boundary on the slider and, while live, new snapshots appear. Desktop and phone. A
// third test shows real snapshots of a small CNN trained on Fashion-MNIST by libs/ml's callback
// (fixtures/snapshots-run.ts, its own process) and saves the README's screenshot.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DATASET_INFO, evaluationFixture } from './fixtures/dashboard-data';
import type { TestApi } from './fixtures/api';
import { horizontalOverflow, VIEWPORTS } from './fixtures/main-pages';
import { expect, test } from './fixtures';

const S = 28;
const LAYERS = ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dense', 'out'];

/** A [0, 255] Gaussian blob centred at (cx, cy) with spread s, as a 28 x 28 map, base64. */
function blob(cx: number, cy: number, s: number): string {
  const out = new Uint8Array(S * S);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++)
      out[y * S + x] = Math.round(255 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)));
  return Buffer.from(out).toString('base64');
}

/** 32 filters 3x3: noise early, oriented edges by t = 1. */
function filters(t: number): string {
  const out = new Uint8Array(32 * 9);
  for (let f = 0; f < 32; f++)
    for (let p = 0; p < 9; p++) {
      const [y, x] = [Math.floor(p / 3), p % 3];
      const edge = f % 2 ? x - 1 : y - 1;
      const noise = (((f * 31 + p * 17) % 23) / 11 - 1) * (f % 4 < 2 ? 1 : -1);
      out[f * 9 + p] = Math.round(128 + 127 * (t * edge + (1 - t) * noise) * 0.99);
    }
  return Buffer.from(out).toString('base64');
}

interface Step {
  epoch: number;
  phase: string;
  final?: boolean;
}

/** One snapshot file: evidence moves from a corner onto the object as t goes 0 to 1. */
function snapshotFile(step: Step, t: number, probes: { index: number; label: number }[]) {
  const predictions = probes.map((p, i) => {
    // Probe 2 stays wrong; the others are right from t >= 0.5.
    const wrong = i === 2 || (t < 0.5 && i % 2 === 0);
    return { ...p, predicted: wrong ? (p.label + 1) % 10 : p.label, confidence: 0.4 + 0.5 * t };
  });
  return {
    version: 1,
    ...step,
    final: step.final ?? false,
    createdAt: '2026-12-07T08:00:00.000Z',
    seconds: 0.012,
    predictions,
    cams: {
      layer: 'conv2',
      method: 'gradcam',
      shape: [S, S],
      true: probes.map(() => blob(3 + 11 * t, 3 + 11 * t, 9 - 5 * t)),
      predicted: predictions.map((p) => (p.predicted === p.label ? null : blob(22, 5, 4))),
    },
    filters: {
      layer: 'conv1',
      count: 32,
      total: 32,
      shape: [3, 3],
      channels: 1,
      scaling: 'minmax',
      data: filters(t),
    },
    layers: LAYERS.map((layer, k) => ({
      layer,
      className: layer.startsWith('conv') ? 'Conv2D' : 'Layer',
      mean: 0.1 + 0.05 * k + 0.1 * t,
      std: 0.3 + 0.1 * t,
      zeroFraction: layer.startsWith('conv') ? 0.2 + 0.3 * t : 0,
    })),
    skipped: [],
  };
}

/** One test image per class of the completed run's evaluation. */
function probeList(): { index: number; label: number }[] {
  const labels = evaluationFixture().labels;
  return DATASET_INFO.classNames.flatMap((_, c) => {
    const index = labels.indexOf(c);
    return index < 0 ? [] : [{ index, label: c }];
  });
}

/** Uploads the probes and the given snapshots, as a training run stores them. */
async function seedSnapshots(
  api: TestApi,
  runId: string,
  images: Uint8Array,
  steps: Step[],
): Promise<void> {
  const probes = probeList();
  const pixels = Buffer.concat(
    probes.map((p) => images.subarray(p.index * S * S, (p.index + 1) * S * S)),
  );
  const put = (name: string, body: unknown) =>
    api.putArtifact(runId, name, JSON.stringify(body), {
      query: { kind: 'snapshot' },
      contentType: 'application/json',
    });
  await put('snapshot.probes.json', {
    version: 1,
    classNames: DATASET_INFO.classNames,
    imageShape: [S, S, 1],
    storedShape: [S, S, 1],
    probes,
    images: pixels.toString('base64'),
  });
  const last = Math.max(...steps.map((s) => s.epoch));
  for (const s of steps)
    await put(
      s.final ? 'snapshot.final.json' : `snapshot.e${String(s.epoch).padStart(4, '0')}.json`,
      snapshotFile(s, s.final ? 1 : (s.epoch - 1) / Math.max(1, last - 1), probes),
    );
}

/** WCAG A/AA violations inside the snapshots card, as "rule: target" lines. */
async function cardViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .include('[data-testid="training-snapshots"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // axe.run in the page itself: the dashboard has no iframes, and the default (runPartial,
    // then finishRun in a new blank page) took 2 to 3 times as long for the same results.
    .setLegacyMode()
    .analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** A cheap fingerprint of what a ready canvas shows. */
async function canvasPixels(page: Page, selector: string): Promise<string> {
  const canvas = page.locator(`${selector}[data-ready="true"]`).first();
  await expect(canvas).toBeVisible();
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (const v of d) h = (Math.imul(h, 31) + v) | 0;
    return `${c.width}x${c.height}:${h}`;
  });
}

const FIRST_PROBE =
  '[data-testid="snapshot-probe"] >> nth=0 >> [data-testid="snapshot-probe-canvas"]';
const WRONG_PROBE =
  '[data-testid="snapshot-probe"][data-correct="false"] >> nth=0 >> [data-testid="snapshot-probe-canvas"]';

test('training snapshots: the slider walks the epochs by keyboard and by play, the overlay follows', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  await page.setViewportSize(VIEWPORTS.desktop);
  await seedSnapshots(api, seeded.completed, seeded.images, [
    { epoch: 1, phase: 'train' },
    { epoch: 2, phase: 'train' },
    { epoch: 3, phase: 'train' },
    { epoch: 3, phase: 'train', final: true },
  ]);
  await page.goto(`/runs/${seeded.completed}`);
  const card = page.locator('[data-testid="training-snapshots"][data-steps="4"]');
  await expect(card).toBeVisible();
  const label = card.locator('[data-testid="snapshot-epoch"]');
  const slider = card.locator('[data-testid="snapshot-slider"]');
  // It opens on the latest snapshot.
  await expect(label).toContainText('final (epoch 3)');
  await expect(card.locator('[data-testid="snapshot-phase-boundary"]')).toHaveCount(0);
  await expect(card.locator('[data-testid="snapshot-probe"]')).toHaveCount(10);
  await expect(card.locator('[data-empty-map="true"]')).toHaveCount(0);

  // Keyboard: Home, then one step right; the label and the drawn overlay change.
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(label).toContainText('epoch 1');
  await expect(slider).toHaveAttribute('aria-valuetext', 'epoch 1');
  // At epoch 1 half the probes are wrong (red), at the final one only probe 2.
  await expect(card.locator('[data-testid="snapshot-probe"][data-correct="false"]')).toHaveCount(5);
  const first = await canvasPixels(page, FIRST_PROBE);
  await page.keyboard.press('ArrowRight');
  await expect(label).toContainText('epoch 2');
  await expect
    .poll(() => canvasPixels(page, FIRST_PROBE), { message: 'the overlay moves' })
    .not.toBe(first);
  await expect(card.locator('[data-testid="snapshot-probe"][data-correct="false"]')).toHaveCount(1);

  // The predicted class's map of a misclassified probe differs from its true class's.
  const truth = await canvasPixels(page, WRONG_PROBE);
  await card.locator('[data-testid="snapshot-target-predicted"]').click();
  await expect(card.locator('[data-testid="snapshot-target-predicted"]')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect.poll(() => canvasPixels(page, WRONG_PROBE)).not.toBe(truth);
  await card.locator('[data-testid="snapshot-target-true"]').click();

  // Opacity 0 shows the bare image: another picture again.
  const blended = await canvasPixels(page, FIRST_PROBE);
  await card.locator('[data-testid="snapshot-alpha"]').fill('0');
  await expect.poll(() => canvasPixels(page, FIRST_PROBE)).not.toBe(blended);
  await card.locator('[data-testid="snapshot-alpha"]').fill('0.5');

  // The filters and the layer statistics of the step.
  const filtersAt2 = await canvasPixels(page, '[data-testid="snapshot-filters-canvas"]');
  await expect(card.locator('[data-testid="snapshot-layer-stats"] tbody tr')).toHaveCount(
    LAYERS.length,
  );
  await expect(
    card.locator('[data-testid="snapshot-layer-stats"] tr[data-layer="conv1"]'),
  ).toContainText('35.0%');

  // Play from the start: it steps through every snapshot and stops on the last.
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(label).toContainText('epoch 1');
  const play = card.locator('[data-testid="snapshot-play"]');
  await play.click();
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect(label).toContainText('epoch 2');
  await expect(label).toContainText('final (epoch 3)', { timeout: 10_000 });
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await expect(play).toHaveText('Play');
  await expect(
    card.locator('[data-testid="snapshot-layer-stats"] tr[data-layer="conv1"]'),
  ).toContainText('50.0%');
  await expect
    .poll(() => canvasPixels(page, '[data-testid="snapshot-filters-canvas"]'))
    .not.toBe(filtersAt2);

  expect(await cardViolations(page)).toEqual([]);
});

test('training snapshots of a live transfer run: the phase boundary on the slider, new snapshots appear, phone width', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  await page.setViewportSize(VIEWPORTS.phone);
  const steps = [
    { epoch: 1, phase: 'head' },
    { epoch: 2, phase: 'head' },
    { epoch: 3, phase: 'finetune' },
    { epoch: 4, phase: 'finetune' },
  ];
  await seedSnapshots(api, seeded.live, seeded.images, steps);
  await page.goto(`/runs/${seeded.live}`);
  const card = page.locator('[data-testid="training-snapshots"]');
  await expect(card).toHaveAttribute('data-steps', '4');
  const label = card.locator('[data-testid="snapshot-epoch"]');
  const slider = card.locator('[data-testid="snapshot-slider"]');
  await expect(label).toContainText('epoch 4, fine-tune');
  const boundary = card.locator('[data-testid="snapshot-phase-boundary"]');
  await expect(boundary).toHaveCount(1);
  await expect(boundary).toHaveAttribute('data-index', '2');
  await expect(boundary).toContainText('fine-tune');
  // The marker sits between the thumb positions of epochs 2 and 3 (3/8 along the 4 steps).
  const box = (await slider.boundingBox())!;
  const mark = (await boundary.boundingBox())!;
  const at = (mark.x - (box.x + 8)) / (box.width - 16);
  expect(at).toBeGreaterThan(1 / 3);
  expect(at).toBeLessThan(2 / 3);

  await slider.focus();
  await page.keyboard.press('Home');
  await expect(label).toContainText('epoch 1, head');
  await expect(slider).toHaveAttribute('aria-valuetext', 'epoch 1, head');

  // The run stores a fifth snapshot: the page's poll brings it; the chosen step stays.
  await api.putArtifact(
    seeded.live,
    'snapshot.e0005.json',
    JSON.stringify(snapshotFile({ epoch: 5, phase: 'finetune' }, 1, probeList())),
    { query: { kind: 'snapshot' }, contentType: 'application/json' },
  );
  await expect(card).toHaveAttribute('data-steps', '5', { timeout: 15_000 });
  await expect(label).toContainText('epoch 1, head');
  await slider.focus();
  await page.keyboard.press('End');
  await expect(label).toContainText('epoch 5, fine-tune');

  expect(await cardViolations(page)).toEqual([]);
  // Nothing on the page is wider than the phone.
  const overflow = await horizontalOverflow(page);
  expect(overflow.offenders).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
});

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Fingerprints of every probe canvas, joined. */
async function probeGridPixels(page: Page): Promise<string> {
  const n = await page.locator('[data-testid="snapshot-probe-canvas"]').count();
  const all: string[] = [];
  for (let i = 0; i < n; i++)
    all.push(
      await canvasPixels(
        page,
        `[data-testid="snapshot-probe"] >> nth=${i} >> [data-testid="snapshot-probe-canvas"]`,
      ),
    );
  return all.join(' ');
}

/** The files of a real run's snapshots (fixtures/snapshots-run.ts, about 10 s). */
async function realSnapshots(): Promise<{
  files: { name: string; body: string }[];
  layers: string[];
}> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snapshots-run-')), 'run.json');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
        path.join(repoRoot, 'test/e2e/fixtures/snapshots-run.ts'),
        '--out',
        out,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`snapshots-run exited with ${code}`)),
    );
  });
  return JSON.parse(fs.readFileSync(out, 'utf8')) as {
    files: { name: string; body: string }[];
    layers: string[];
  };
}

test('training snapshots of a real Fashion-MNIST run, as libs/ml stores them', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize(VIEWPORTS.desktop);
  const run = await realSnapshots();
  for (const f of run.files)
    await api.putArtifact(seeded.completed, f.name, f.body, {
      query: { kind: 'snapshot' },
      contentType: 'application/json',
    });
  await page.goto(`/runs/${seeded.completed}`);
  const card = page.locator('[data-testid="training-snapshots"]');
  // 4 epochs and the final snapshot; the index and the probes are not steps.
  await expect(card).toHaveAttribute('data-steps', '5');
  const label = card.locator('[data-testid="snapshot-epoch"]');
  await expect(label).toContainText('final (epoch 4)');
  // One probe per Fashion-MNIST class, captioned with its class name.
  await expect(card.locator('[data-testid="snapshot-probe"]')).toHaveCount(10);
  await expect(card.locator('[data-testid="snapshot-probes"]')).toContainText('Ankle boot');
  // A probe without positive Grad-CAM evidence for its class says so.
  await expect(card.locator('[data-empty-map="true"]').first()).toContainText(
    'no positive evidence',
  );
  await expect(card.locator('[data-testid="snapshot-layer-stats"] tbody tr')).toHaveCount(
    run.layers.length,
  );
  await expect(card.locator('[data-testid="snapshot-filters"]')).toContainText('conv1: 16 filters');
  const slider = card.locator('[data-testid="snapshot-slider"]');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(label).toContainText('epoch 1');
  // Some probes have no positive Grad-CAM evidence (an all-zero map): compare every probe.
  const first = await probeGridPixels(page);
  await page.keyboard.press('End');
  await expect(label).toContainText('final (epoch 4)');
  await expect.poll(() => probeGridPixels(page)).not.toBe(first);
  expect(await cardViolations(page)).toEqual([]);

  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect(label).toContainText('epoch 2');
    await page.mouse.move(0, 0);
    await slider.blur();
    const png = await card.screenshot({ animations: 'disabled' });
    const dir = path.join(repoRoot, 'docs', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'snapshots.png'), png);
  }
});
