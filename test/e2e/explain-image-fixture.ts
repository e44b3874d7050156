// Browser checks of "Explain your image" (/runs/[id]/explain-image). The e2e has no trained model
// and runs no worker, so the test plays the worker: it stores a model.json for the API to read,
// uploads an image through the API, claims the job and completes it with a synthetic result;
// the browser then uploads the same image and gets that result from the cache (same sha256 and
// parameters). A 3-channel image for the 1-channel model shows the API's error inline. Runs
// after the other tests (it adds a run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** What the tests need from the dashboard test's setup. */
export interface ExplainImageContext {
  page: Page;
  /** Dashboard origin. */
  base: () => string;
  /** API origin (uploads, GraphQL). */
  apiOrigin: () => string;
  /** The API key the seeding requests are made with. */
  apiKey: () => string;
  classNames: readonly string[];
  shotsDir: string;
}

const MODEL_JSON = JSON.stringify({
  format: 'layers-model',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'e2e',
      layers: [
        {
          class_name: 'Conv2D',
          config: { name: 'conv1', filters: 8, batch_input_shape: [null, 28, 28, 1] },
        },
        { class_name: 'Flatten', config: { name: 'flatten' } },
        { class_name: 'Dense', config: { name: 'predictions', units: 10 } },
      ],
    },
  },
  weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
});

/** A 28 x 28 grayscale "T-shirt" blob. */
function shirt(): Promise<Buffer> {
  const px = Buffer.alloc(28 * 28);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      const body = x >= 8 && x < 20 && y >= 6 && y < 26;
      const sleeves = y >= 6 && y < 12 && x >= 3 && x < 25;
      px[y * 28 + x] = body || sleeves ? 200 : 10;
    }
  return sharp(px, { raw: { width: 28, height: 28, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** The tests, as [name, fn] pairs for the dashboard test's list. */
export function explainImageTests(ctx: ExplainImageContext): [string, () => Promise<void>][] {
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(`${ctx.apiOrigin()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.apiKey()}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: { message: string }[] };
    check(!body.errors, `GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const put = async (runId: string, name: string, bytes: Uint8Array | string) => {
    const res = await fetch(`${ctx.apiOrigin()}/runs/${runId}/artifacts/${name}?kind=model`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ctx.apiKey()}` },
      body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
    });
    check(res.status === 201, `upload of ${name} answered ${res.status}`);
  };

  return [
    [
      'explain your image: upload, top-k, heatmap overlay, activation grid, inline errors',
      async () => {
        const { page, shotsDir } = ctx;
        const { createRun } = await gql<{ createRun: { id: string } }>(
          `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`,
          {
            input: {
              project: 'fashion-mnist',
              name: 'explain-image-cnn',
              datasetInfo: { name: 'fashion-mnist', classNames: ctx.classNames },
              modelSummary: {
                layers: [
                  { name: 'conv1', className: 'Conv2D', outputShape: [26, 26, 8], params: 80 },
                  { name: 'flatten', className: 'Flatten', outputShape: [5408], params: 0 },
                  { name: 'predictions', className: 'Dense', outputShape: [10], params: 54090 },
                ],
                totalParams: 54170,
                trainableParams: 54170,
              },
            },
          },
        );
        const runId = createRun.id;
        await put(runId, 'weights.bin', new Uint8Array(64));
        await put(runId, 'model.json', MODEL_JSON);

        // Seed the result the worker would compute for this image with the page's defaults.
        const png = await shirt();
        const qs = 'method=gradcam&topK=5&wait=0';
        const queued = await fetch(`${ctx.apiOrigin()}/runs/${runId}/explain?${qs}`, {
          method: 'POST',
          headers: { 'content-type': 'image/png', authorization: `Bearer ${ctx.apiKey()}` },
          body: new Uint8Array(png),
        });
        check(queued.status === 202, `seed upload answered ${queued.status}`);
        const { claimExplanationJob: job } = await gql<{
          claimExplanationJob: { id: string; claimToken: string };
        }>(`mutation { claimExplanationJob(workerId: "e2e") { id claimToken } }`);
        const heatmap = Array.from({ length: 28 }, (_, y) =>
          Array.from({ length: 28 }, (_, x) => Math.max(0, 1 - Math.hypot(x - 14, y - 9) / 12)),
        );
        const gridPng = await sharp({
          create: { width: 120, height: 120, channels: 3, background: { r: 68, g: 1, b: 84 } },
        })
          .png()
          .toBuffer();
        const probs = [0.71, 0.12, 0.08, 0.05, 0.04];
        const result = {
          predictions: probs.map((p, i) => ({
            classIndex: i === 0 ? 0 : i + 1,
            className: ctx.classNames[i === 0 ? 0 : i + 1],
            probability: p,
          })),
          cam: {
            method: 'gradcam',
            layer: 'conv1',
            classIndex: 0,
            className: ctx.classNames[0],
            score: 4.2,
            mapShape: [26, 26],
            map: [],
            heatmapShape: [28, 28],
            heatmap,
          },
          activations: {
            layer: 'conv1',
            shape: [26, 26, 8],
            statistics: { mean: [0], std: [0], max: [1], zeroFraction: [0] },
            grid: {
              pngBase64: gridPng.toString('base64'),
              width: 120,
              height: 120,
              columns: 3,
              rows: 3,
              scale: 4,
              caption: 'conv1: 26 × 26 × 8 (8 channels shown)',
            },
          },
          inputShape: [28, 28, 1],
          backend: 'cpu',
          durationMs: 42,
        };
        await gql(
          `mutation($id: ID!, $t: String!, $r: JSON!) { completeExplanationJob(id: $id, claimToken: $t, result: $r) { id } }`,
          {
            id: job.id,
            t: job.claimToken,
            r: result,
          },
        );

        await page.goto(`${ctx.base()}/runs/${runId}`);
        await page.locator('[data-testid="explain-image-link"]').click();
        await page.waitForURL(`**/runs/${runId}/explain-image`);
        await page.locator('[data-testid="explain-image"][data-ready="1"]').waitFor();
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-explain-image-'));
        try {
          const file = path.join(tmp, 'shirt.png');
          fs.writeFileSync(file, png);
          await page.locator('[data-testid="explain-file"]').setInputFiles(file);
          const layers = await page
            .locator('[data-testid="explain-layer"] option')
            .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
          check(layers.join(',') === ',conv1', `CAM layers offered (${layers.join(',')})`);
          await page.locator('[data-testid="explain-submit"]').click();
          await page.locator('[data-testid="explain-result"]').waitFor();
          const bars = page.locator('[data-testid="explain-topk"] li');
          check((await bars.count()) === 5, `5 top-k bars (${await bars.count()})`);
          const first = await bars.first().innerText();
          check(first.includes(ctx.classNames[0]) && first.includes('71.0%'), `top-1 (${first})`);
          const overlay = page.locator('[data-testid="explain-overlay"]');
          await page.waitForFunction(
            () =>
              (document.querySelector('[data-testid="explain-overlay"]') as HTMLCanvasElement)
                ?.dataset.drawn === '0.5',
          );
          // The blend is on the canvas: a hot pixel is reddish, a cold one is not.
          // Inline arrows only: a named helper would need esbuild's __name in the page.
          const [hot, cold] = await overlay.evaluate((c: HTMLCanvasElement) =>
            [
              [14, 9],
              [1, 27],
            ].map(([x, y]) =>
              Array.from(
                c.getContext('2d')!.getImageData((x * c.width) / 28, (y * c.height) / 28, 1, 1)
                  .data,
              ),
            ),
          );
          check(hot[0] > hot[2] && cold[2] > cold[0], `blend colours hot ${hot} cold ${cold}`);
          await page.locator('[data-testid="explain-alpha"]').fill('0.8');
          await page.waitForFunction(
            () =>
              (document.querySelector('[data-testid="explain-overlay"]') as HTMLCanvasElement)
                ?.dataset.drawn === '0.8',
          );
          const grid = page.locator('[data-testid="explain-grid"]');
          await grid.waitFor();
          check(
            await grid.evaluate(
              (img: HTMLImageElement) => img.complete && img.naturalWidth === 120,
            ),
            'activation grid loaded',
          );
          await page.mouse.move(0, 0);
          await page.screenshot({
            path: path.join(shotsDir, '14-explain-image.png'),
            fullPage: true,
          });

          // The refused uploads: Chromium logs each 4xx response as a console error, so they run
          // in a second tab whose console may show exactly those and nothing else (the main tab
          // keeps feeding the suite's "no browser errors" check).
          const tab = await page.context().newPage();
          const tabErrors: string[] = [];
          tab.on('pageerror', (err) => tabErrors.push(err.message));
          tab.on('console', (msg) => {
            if (msg.type() === 'error') tabErrors.push(msg.text());
          });
          try {
            await tab.goto(`${ctx.base()}/runs/${runId}/explain-image`);
            await tab.locator('[data-testid="explain-image"][data-ready="1"]').waitFor();
            // A 3-channel image for this 1-channel model: the API's message, inline.
            const rgb = path.join(tmp, 'rgb.png');
            await sharp({
              create: { width: 20, height: 20, channels: 3, background: { r: 250, g: 20, b: 20 } },
            })
              .png()
              .toFile(rgb);
            await tab.locator('[data-testid="explain-file"]').setInputFiles(rgb);
            await tab.locator('[data-testid="explain-submit"]').click();
            const error = tab.locator('[data-testid="explain-error"]');
            await error.waitFor();
            const text = await error.innerText();
            check(
              text.includes('3 channels (RGB)') && text.includes('1 channel (grayscale)'),
              `channel error (${text})`,
            );
            // A corrupt PNG: named as such.
            const broken = path.join(tmp, 'broken.png');
            fs.writeFileSync(broken, png.subarray(0, png.length - 30));
            await tab.locator('[data-testid="explain-file"]').setInputFiles(broken);
            await tab.locator('[data-testid="explain-submit"]').click();
            await tab.waitForFunction(() =>
              document
                .querySelector('[data-testid="explain-error"]')
                ?.textContent?.includes('corrupt'),
            );
            await tab.screenshot({
              path: path.join(shotsDir, '14b-explain-image-error.png'),
              fullPage: true,
            });
            check(
              tabErrors.every((e) => /status of 400/.test(e)) && tabErrors.length === 2,
              `only the two expected 400s in the console (${tabErrors.join(' | ')})`,
            );
          } finally {
            await tab.close();
          }
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      },
    ],
  ];
}
