// The explanation-pack part of the browser test: a small deterministic pack (no model: the maps
// are drawn here) uploaded through the API as libs/ml's explanation-pack.ts stores one, and the
// walks through /runs/[id]/explain: the feature gallery (pick a sample, step through the layers,
// zoom a channel) and the Grad-CAM view (alpha, method and class change the drawn pixels).
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';

const W = 28;
const H = 28;

interface Entry {
  name: string;
  kind: string;
  mimeType: string;
  bytes: number;
  metadata: Record<string, unknown>;
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

async function grayPng(values: ArrayLike<number>, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(Uint8Array.from(values)), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** A [0, 255] Gaussian blob centred at (cx, cy) with spread s, as a 28 x 28 heatmap. */
function blob(cx: number, cy: number, s: number): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      out[y * W + x] = Math.round(255 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)));
  return out;
}

/** A channel grid like libs/ml's channelGrid: near-square, 1 px white padding, one pattern per channel. */
function grid(h: number, w: number, c: number) {
  const columns = Math.ceil(Math.sqrt(c));
  const rows = Math.ceil(c / columns);
  const width = columns * (w + 1) + 1;
  const height = rows * (h + 1) + 1;
  const px = new Uint8Array(width * height).fill(255);
  for (let k = 0; k < c; k++) {
    const x0 = 1 + (k % columns) * (w + 1);
    const y0 = 1 + Math.floor(k / columns) * (h + 1);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        // Channel k: stripes of period k + 2, direction alternating, so every tile differs.
        px[(y0 + y) * width + x0 + x] =
          (((k % 2 ? x : y) + k) % (k + 2)) * Math.floor(255 / (k + 2));
  }
  return { px, width, height, columns, rows };
}

const LAYERS: [string, string, number, number, number][] = [
  ['conv1', 'Conv2D', 28, 28, 8],
  ['pool1', 'MaxPooling2D', 14, 14, 8],
  ['conv2', 'Conv2D', 14, 14, 16],
  ['pool2', 'MaxPooling2D', 7, 7, 16],
];
const METHODS = ['gradcam', 'gradcampp', 'layercam', 'eigencam'];
// Per method: insertion and deletion AUC; layercam is the most faithful (highest ins - del).
const FAITH: Record<string, [number, number]> = {
  gradcam: [0.61, 0.22],
  gradcampp: [0.58, 0.2],
  layercam: [0.7, 0.15],
  eigencam: [0.5, 0.3],
};

/**
 * Uploads a deterministic explanation pack for a run whose test samples have these labels.
 * @returns the explained sample indices (the second one misclassified)
 */
export async function seedExplanationPack(
  apiOrigin: string,
  runId: string,
  labels: number[],
  classNames: readonly string[],
  /** The API key the uploads are made with (the API refuses anonymous writes). */
  apiKey: string,
): Promise<{ samples: number[]; misclassified: number }> {
  const entries: Entry[] = [];
  const put = async (
    name: string,
    kind: string,
    mimeType: string,
    body: Buffer,
    metadata: Record<string, unknown>,
  ) => {
    const qs = new URLSearchParams({ kind, metadata: JSON.stringify(metadata) });
    const res = await fetch(
      `${apiOrigin}/runs/${runId}/artifacts/${encodeURIComponent(name)}?${qs}`,
      {
        method: 'PUT',
        headers: { 'content-type': mimeType, authorization: `Bearer ${apiKey}` },
        body: Uint8Array.from(body),
      },
    );
    check(res.status === 201, `pack upload of ${name} answered ${res.status}`);
    entries.push({ name, kind, mimeType, bytes: body.length, metadata });
  };
  const first = (c: number) => labels.indexOf(c);
  const samples = [
    { index: first(0), label: 0, predicted: 0, confidence: 0.93, correct: true },
    { index: first(3), label: 3, predicted: 5, confidence: 0.71, correct: false },
    { index: first(7), label: 7, predicted: 7, confidence: 0.88, correct: true },
  ];
  for (const [si, s] of samples.entries()) {
    for (const cls of [...new Set([s.label, s.predicted])])
      for (const [mi, method] of METHODS.entries()) {
        // Blob position depends on method and class, so switching either changes the map.
        const map = blob(6 + mi * 5, cls === s.label ? 8 : 20, 3 + si);
        const [ins, del] = FAITH[method];
        await put(
          `explain.s${s.index}.cam.${method}.c${cls}.png`,
          'gradcam',
          'image/png',
          await grayPng(map, W, H),
          {
            kind: 'gradcam',
            method,
            layer: 'pool2',
            sample: s.index,
            classIndex: cls,
            target: cls === s.label ? (s.correct ? 'true+predicted' : 'true') : 'predicted',
            shape: [H, W],
            mapShape: [7, 7],
            format: 'gray8-png',
            score: 3.2,
            insertionAuc: ins,
            deletionAuc: del,
          },
        );
      }
    for (const [order, [layer, , h, w, c]] of LAYERS.entries()) {
      const g = grid(h, w, c);
      await put(
        `explain.s${s.index}.act.${layer}.png`,
        'activations',
        'image/png',
        await grayPng(g.px, g.width, g.height),
        {
          kind: 'activations',
          layer,
          order,
          sample: s.index,
          shape: [h, w, c],
          channels: c,
          grid: { columns: g.columns, rows: g.rows, padding: 1, tileHeight: h, tileWidth: w },
          caption: `${layer}: ${h} × ${w} × ${c} (${c} channels shown)`,
        },
      );
    }
  }
  const s0 = samples[0];
  for (const [k, method] of ['gradients', 'smoothgrad'].entries())
    await put(
      `explain.s${s0.index}.saliency.${method}.png`,
      'saliency',
      'image/png',
      await grayPng(blob(14, 10 + 6 * k, 4), W, H),
      {
        kind: 'saliency',
        method,
        sample: s0.index,
        classIndex: s0.predicted,
        shape: [H, W],
        format: 'gray8-png',
      },
    );
  // LIME: 16 square superpixels of 7 x 7.
  const segLabels = Array.from(
    { length: W * H },
    (_, p) => Math.floor(Math.floor(p / W) / 7) * 4 + Math.floor((p % W) / 7),
  );
  await put(
    `explain.s${s0.index}.lime.json`,
    'lime',
    'application/json',
    Buffer.from(
      JSON.stringify({
        width: W,
        height: H,
        numSegments: 16,
        labels: segLabels,
        coefficients: Array.from({ length: 16 }, (_, i) =>
          i === 5 ? 0.3 : i === 6 ? 0.2 : i === 0 ? -0.1 : 0,
        ),
        positive: [
          { segment: 5, weight: 0.3 },
          { segment: 6, weight: 0.2 },
        ],
        negative: [{ segment: 0, weight: -0.1 }],
        intercept: 0.2,
        score: 0.64,
        originalPrediction: 0.93,
        localPrediction: 0.6,
      }),
    ),
    {
      kind: 'lime',
      method: 'lime',
      sample: s0.index,
      classIndex: s0.predicted,
      shape: [H, W],
      numSegments: 16,
    },
  );
  const patterns = grid(28, 28, 4);
  await put(
    'explain.filters.conv1.png',
    'filters',
    'image/png',
    await grayPng(patterns.px, patterns.width, patterns.height),
    {
      kind: 'filters',
      layer: 'conv1',
      shape: [28, 28, 8],
      channel: [0, 1, 2, 3],
      imageShape: [28, 28, 1],
      grid: {
        columns: patterns.columns,
        rows: patterns.rows,
        padding: 1,
        tileHeight: 28,
        tileWidth: 28,
      },
      topK: [0, 1, 2, 3].map((c) => ({
        channel: c,
        samples: [c, c + 10, c + 20],
        values: [0.9, 0.8, 0.7],
      })),
    },
  );
  const index = {
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    classNames,
    imageShape: [H, W, 1],
    camLayer: 'pool2',
    camMethods: METHODS,
    layers: [
      ...LAYERS.map(([p, className, h, w, c]) => ({
        path: p,
        className,
        outputShape: [null, h, w, c],
      })),
      { path: 'flatten', className: 'Flatten', outputShape: [null, 784] },
      { path: 'dense', className: 'Dense', outputShape: [null, 10] },
    ],
    samples,
    files: entries,
    totalBytes: entries.reduce((n, e) => n + e.bytes, 0),
    timings: { total: 1 },
    skipped: [],
  };
  await put(
    'explain.index.json',
    'explanations',
    'application/json',
    Buffer.from(JSON.stringify(index)),
    {
      kind: 'explanations',
      files: entries.length,
    },
  );
  return { samples: samples.map((s) => s.index), misclassified: samples[1].index };
}

/** A cheap fingerprint of what a canvas shows. */
async function canvasPixels(page: Page, testId: string): Promise<string> {
  const canvas = page.locator(`[data-testid="${testId}"][data-ready="true"]`).first();
  await canvas.waitFor();
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;
    return `${c.width}x${c.height}:${h}`;
  });
}

/** Waits until a canvas shows something other than `before`. */
async function changedPixels(
  page: Page,
  testId: string,
  before: string,
  what: string,
): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const now = await canvasPixels(page, testId);
    if (now !== before) return now;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what} did not change the ${testId} pixels`);
}

/** The browser-test steps of the explanation page. */
export function explainTests(
  page: Page,
  base: () => string,
  runId: () => string,
  pack: () => { samples: number[]; misclassified: number },
  shotsDir: string,
): [string, () => Promise<void>][] {
  return [
    [
      'explain page: feature gallery walks the layers and zooms a channel',
      async () => {
        await page.goto(`${base()}/runs/${runId()}`);
        await page.locator('[data-testid="explain-link"]').click();
        await page.waitForURL((u) => u.pathname.endsWith('/explain'));
        const { misclassified } = pack();
        await page
          .locator(`[data-testid="sample-picker"] button[data-sample="${misclassified}"]`)
          .click();
        const caption = page.locator('[data-testid="layer-caption"]');
        await page.locator('[data-testid="feature-grid"][data-ready="true"]').waitFor();
        const seen: string[] = [];
        for (let i = 0; i < 4; i++) {
          const text = (await caption.textContent()) ?? '';
          seen.push(text);
          if (i < 3) await page.locator('[data-testid="layer-next"]').click();
        }
        check(
          seen[0].includes('Layer 1 of 4') &&
            seen[0].includes('conv1') &&
            seen[0].includes('28 × 28 × 8'),
          `first layer caption (${seen[0]})`,
        );
        check(
          seen[3].includes('Layer 4 of 4') &&
            seen[3].includes('pool2') &&
            seen[3].includes('7 × 7 × 16'),
          `last layer caption (${seen[3]})`,
        );
        check(
          await page.locator('[data-testid="layer-next"]').isDisabled(),
          'Next is disabled on the last layer',
        );
        await page.locator('[data-testid="layer-prev"]').click();
        await page.locator('[data-testid="layer-caption"][data-layer="conv2"]').waitFor();
        // conv2: 14 x 14 tiles in a 4 x 4 grid; click the middle of tile 5 (row 1, column 1).
        const gridCanvas = page.locator('[data-testid="feature-grid"][data-ready="true"]');
        const box = (await gridCanvas.boundingBox())!;
        const px = box.width / (4 * 15 + 1); // CSS pixels per grid pixel
        await gridCanvas.click({ position: { x: (1 + 15 + 7) * px, y: (1 + 15 + 7) * px } });
        await page.locator('[data-testid="channel-zoom"][data-channel="5"]').waitFor();
        const zoom = await canvasPixels(page, 'channel-zoom-canvas');
        check(zoom.startsWith('14x14:'), `zoomed channel is one 14 x 14 tile (${zoom})`);
        await page
          .locator('[data-testid="feature-gallery"]')
          .screenshot({ path: path.join(shotsDir, '20-explain-features.png') });
      },
    ],
    [
      'explain page: Grad-CAM alpha, method and class change the drawn map',
      async () => {
        const view = page.locator('[data-testid="gradcam-view"]');
        await view.scrollIntoViewIfNeeded();
        const first = await canvasPixels(page, 'gradcam-canvas');
        await page.locator('[data-testid="gradcam-alpha"]').fill('0.9');
        const opaque = await changedPixels(page, 'gradcam-canvas', first, 'the alpha slider');
        await page.locator('[data-testid="gradcam-method"]').selectOption('eigencam');
        const eigen = await changedPixels(page, 'gradcam-canvas', opaque, 'the method selector');
        const classes = await page.locator('[data-testid="gradcam-class"] option').count();
        check(classes === 2, `true and predicted class offered for the mistake (${classes})`);
        await page.locator('[data-testid="gradcam-class"]').selectOption({ index: 1 });
        await changedPixels(page, 'gradcam-canvas', eigen, 'the class selector');
        const tiles = page.locator('[data-testid="gradcam-methods"] [data-method]');
        check((await tiles.count()) === 4, `four methods side by side (${await tiles.count()})`);
        const best = await page
          .locator('[data-testid="gradcam-methods"] [data-best="true"]')
          .getAttribute('data-method');
        check(best === 'layercam', `most faithful method highlighted (${best})`);
        await page.locator('[data-testid="gradcam-colormap"]').selectOption('viridis');
        await page.locator('[data-testid="gradcam-alpha"]').fill('0.6');
        await page.waitForTimeout(300);
        await view.screenshot({ path: path.join(shotsDir, '21-explain-gradcam.png') });
      },
    ],
    [
      'explain page: saliency, LIME and filter gallery',
      async () => {
        const { samples } = pack();
        await page.locator(`[data-testid="saliency-sample"][data-sample="${samples[0]}"]`).click();
        await page.locator('[data-testid="lime-figure"] canvas[data-ready="true"]').waitFor();
        check(
          (await page.locator('[data-testid="saliency-figure"]').count()) === 2,
          'gradients and SmoothGrad shown',
        );
        await page
          .locator('[data-testid="saliency-view"]')
          .screenshot({ path: path.join(shotsDir, '22-explain-saliency-lime.png') });
        const channels = page.locator('[data-testid="filter-channel"]');
        await channels.first().waitFor();
        check((await channels.count()) === 4, `four filter channels (${await channels.count()})`);
        check(
          (await channels.first().locator('img').count()) === 3,
          'three top images beside a pattern',
        );
        await page
          .locator('[data-testid="filter-gallery"]')
          .screenshot({ path: path.join(shotsDir, '23-explain-filters.png') });
        await page.screenshot({ path: path.join(shotsDir, '24-explain-page.png'), fullPage: true });
      },
    ],
  ];
}
