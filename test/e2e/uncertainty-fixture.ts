// Browser checks of the run page's uncertainty section, the phase boundary of a transfer run's
// curves and the images stored with a run. The data is logged through the API inside the tests
// (they run after the others, so the run counts the earlier tests check are unchanged).
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
// Pure metric code of the training client: the AUC the page shows is computed like a real run's.
import { evaluateClassification } from '../../libs/ml/src/evaluation/classification-metrics';

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** What the tests need from the dashboard test's setup. */
export interface UncertaintyContext {
  page: Page;
  /** Dashboard origin. */
  base: () => string;
  /** API origin (artifact uploads) and its GraphQL client. */
  apiOrigin: () => string;
  /** The API key the seeding requests are made with. */
  apiKey: () => string;
  gql: () => <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;
  /** The completed run with stored images, and the labels of its 200 test samples. */
  runId: () => string;
  labels: () => number[];
  classNames: readonly string[];
  shotsDir: string;
}

const entropyOf = (p: number[]) => -p.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);

function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The statistics of T deterministic "stochastic" passes per sample (what libs/ml mcPredict
 * sends): sample i leans to its true class, with a disagreement between passes that grows with
 * (i * 37) % 200, so entropies and mutual informations are spread and distinct.
 */
export function uncertaintyFixture(labels: number[], C: number, T = 20) {
  const n = labels.length;
  const out = {
    meanProbabilities: [] as number[],
    std: [] as number[],
    entropy: [] as number[],
    mutualInformation: [] as number[],
    quantiles: [] as number[],
  };
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    // 37 and 200 are coprime: every sample gets its own spread, so no two share their stats.
    const spread = ((i * 37) % 200) / 200;
    const passes = Array.from({ length: T }, (_, t) => {
      // Passes alternate between the true class and a confuser, more so for a larger spread.
      const confuser = (y + 1 + (t % 3)) % C;
      const logits = Array.from({ length: C }, (_, c) =>
        c === y ? 5 - (5 * spread * ((t * 13) % 7)) / 6 : c === confuser ? 5 * spread : 0,
      );
      const e = logits.map((l) => Math.exp(l));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    const mean = Array.from({ length: C }, (_, c) => passes.reduce((a, p) => a + p[c], 0) / T);
    const h = entropyOf(mean);
    out.entropy.push(h);
    out.mutualInformation.push(Math.max(0, h - passes.reduce((a, p) => a + entropyOf(p), 0) / T));
    for (let c = 0; c < C; c++) {
      out.meanProbabilities.push(mean[c]);
      out.std.push(Math.sqrt(passes.reduce((a, p) => a + (p[c] - mean[c]) ** 2, 0) / T));
      const sorted = passes.map((p) => p[c]).sort((a, b) => a - b);
      out.quantiles.push(...[0, 0.25, 0.5, 0.75, 1].map((q) => quantile(sorted, q)));
    }
  }
  const report = evaluateClassification({
    labels,
    probabilities: out.meanProbabilities,
    numClasses: C,
  });
  const auc = report.perClass.map((p) => p.auc);
  const defined = auc.filter((a): a is number => a !== null);
  return {
    method: 'mc-dropout',
    passes: T,
    labels,
    ...out,
    accuracy: report.accuracy,
    perClassAuc: auc,
    auc: defined.reduce((a, b) => a + b, 0) / defined.length,
  };
}

const LOG_UNCERTAINTY = `mutation($runId: ID!, $input: UncertaintyInput!) { logUncertainty(runId: $runId, input: $input) { id meanEntropy } }`;
const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const FINISH = `mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }`;

/** The tests, to be spread into the dashboard test's list. */
export function uncertaintyTests(ctx: UncertaintyContext): [string, () => Promise<void>][] {
  const { page } = ctx;
  return [
    [
      'run page: uncertainty summary, most uncertain images and per-sample boxplots',
      async () => {
        const labels = ctx.labels();
        const C = ctx.classNames.length;
        const input = {
          ...uncertaintyFixture(labels, C),
          classNames: [...ctx.classNames],
          clientRequestId: 'e2e-uncertainty',
        };
        await ctx.gql()(LOG_UNCERTAINTY, { runId: ctx.runId(), input });
        const byEntropy = input.entropy
          .map((v, i) => ({ v, i }))
          .sort((a, b) => b.v - a.v || a.i - b.i);
        const byMi = input.mutualInformation
          .map((v, i) => ({ v, i }))
          .sort((a, b) => b.v - a.v || a.i - b.i);

        await page.goto(`${ctx.base()}/runs/${ctx.runId()}`);
        const section = page.locator('[data-testid="uncertainty"]');
        await section.waitFor();
        const stats = await section.locator('[data-testid="uncertainty-stats"]').innerText();
        const pct = `${(input.accuracy * 100).toFixed(2)}%`;
        check(stats.includes(pct), `MC accuracy ${pct} shown (${stats})`);
        check(stats.includes('20'), 'passes shown');
        const tiles = section.locator('[data-testid="uncertain-tile"]');
        await tiles.nth(11).waitFor();
        check((await tiles.count()) === 12, `12 most uncertain tiles (${await tiles.count()})`);
        const shown = await tiles.evaluateAll((els) =>
          els.map((el) => Number(el.getAttribute('data-index'))),
        );
        check(
          JSON.stringify(shown) === JSON.stringify(byEntropy.slice(0, 12).map((x) => x.i)),
          `highest entropy first (${shown.join(',')})`,
        );
        // Every tile shows its stored image (decoded by the browser; lazy, so scrolled to first).
        await section.locator('[data-testid="uncertain-gallery"]').scrollIntoViewIfNeeded();
        await page.waitForFunction(() =>
          [...document.querySelectorAll('[data-testid="uncertain-tile"] img')].every(
            (img) =>
              (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
          ),
        );

        // The boxplots show the first (most uncertain) sample: one box per class, medians as stored.
        const chart = section.locator('[data-testid="uncertainty-boxplots"]');
        const rows = chart.locator('svg[data-chart="boxplot"] g.box-row');
        await rows.first().waitFor();
        check((await rows.count()) === C, `${C} boxes (${await rows.count()})`);
        const checkMedians = async (index: number) => {
          check(
            (await chart.getAttribute('data-index')) === String(index),
            `boxplots of sample ${index}`,
          );
          const medians = await rows.evaluateAll((els) =>
            els.map((el) => Number(el.getAttribute('data-median'))),
          );
          const expected = Array.from(
            { length: C },
            (_, c) => input.quantiles[(index * C + c) * 5 + 2],
          );
          check(
            medians.every((m, c) => Math.abs(m - expected[c]) < 1e-12),
            `medians of sample ${index} (${medians.join(', ')} vs ${expected.join(', ')})`,
          );
          check(
            (await chart.locator('g.box-row.is-true').getAttribute('data-class')) ===
              String(labels[index]),
            'true class highlighted',
          );
        };
        await checkMedians(byEntropy[0].i);
        await section.screenshot({ path: path.join(ctx.shotsDir, '12-uncertainty.png') });
        // Clicking another tile shows its boxplots.
        await tiles.nth(3).click();
        await page.waitForFunction(
          (i) =>
            document
              .querySelector('[data-testid="uncertainty-boxplots"]')
              ?.getAttribute('data-index') === String(i),
          byEntropy[3].i,
        );
        await checkMedians(byEntropy[3].i);
        // Ordered by mutual information instead.
        await section.locator('[data-testid="uncertainty-order"]').selectOption('MI_DESC');
        await page.locator('[data-testid="uncertain-gallery"][data-order="MI_DESC"]').waitFor();
        await page.waitForFunction(
          (i) =>
            document.querySelector('[data-testid="uncertain-tile"]')?.getAttribute('data-index') ===
            String(i),
          byMi[0].i,
        );
        await checkMedians(byMi[0].i);
      },
    ],
    [
      'transfer run: phase boundary on the curves, phase hidden from the charts, stored images shown',
      async () => {
        const gql = ctx.gql();
        const { createRun } = await gql<{ createRun: { id: string } }>(CREATE_RUN, {
          input: {
            project: 'transfer-study',
            name: 'cats-dogs transfer',
            status: 'RUNNING',
            hyperparameters: {
              preset: 'cats-dogs-small',
              epochs: 6,
              phases: [
                { phase: 'head', startEpoch: 1, epochs: 3 },
                { phase: 'finetune', startEpoch: 4, epochs: 3 },
              ],
            },
          },
        });
        const runId = createRun.id;
        const points = [];
        for (let e = 1; e <= 6; e++) {
          // Fine-tuning (epochs 4-6) drops the loss again after the head has plateaued.
          const loss = e <= 3 ? 0.6 - 0.05 * e : 0.3 - 0.06 * (e - 3);
          points.push(
            { name: 'loss', step: e, value: loss },
            { name: 'val_loss', step: e, value: loss + 0.05 },
            { name: 'accuracy', step: e, value: 1 - loss },
            { name: 'val_accuracy', step: e, value: 0.95 - loss },
            { name: 'phase', step: e, value: e <= 3 ? 0 : 1 },
          );
        }
        await gql(LOG, { runId, points });
        // An augmentation grid as a run stores it: a PNG artifact of kind image.
        const w = 96;
        const pixels = Uint8Array.from({ length: w * w }, (_, k) =>
          (Math.floor(k / w / 24) + Math.floor((k % w) / 24)) % 2 ? 230 : 40,
        );
        const png = await sharp(Buffer.from(pixels), { raw: { width: w, height: w, channels: 1 } })
          .png()
          .toBuffer();
        const put = await fetch(
          `${ctx.apiOrigin()}/runs/${runId}/artifacts/augmentation-grid.png?kind=image`,
          {
            method: 'PUT',
            headers: { 'content-type': 'image/png', authorization: `Bearer ${ctx.apiKey()}` },
            body: new Uint8Array(png),
          },
        );
        check(put.status === 201, `grid upload answered ${put.status}`);
        await gql(FINISH, { id: runId });

        await page.goto(`${ctx.base()}/runs/${runId}`);
        for (const curve of ['loss', 'accuracy']) {
          const card = page.locator(`[data-testid="curve-${curve}"]`);
          await card.locator('path.series-line').first().waitFor();
          const lines = card.locator('line.marker-line');
          check((await lines.count()) === 1, `${curve}: one phase marker (${await lines.count()})`);
          check(
            (await lines.getAttribute('data-step')) === '3.5',
            `${curve}: marker between epochs 3 and 4`,
          );
          const labels = await card
            .locator('text.marker-label')
            .evaluateAll((els) =>
              els.map((el) => `${el.getAttribute('data-side')}:${el.textContent}`),
            );
          check(
            labels.join(',') === 'before:head,after:fine-tune',
            `${curve}: labels (${labels.join(',')})`,
          );
          // The marker sits between the x positions of epochs 3 and 4 (dots of the train series).
          const xs = await card
            .locator('path.series-line[data-series]')
            .first()
            .evaluate(
              (p) =>
                (p.getAttribute('d') ?? '')
                  .match(/[ML]([\d.]+),/g)
                  ?.map((m) => Number(m.slice(1, -1))) ?? [],
            );
          const mx = Number(await lines.getAttribute('x1'));
          check(
            xs.length === 6 && mx > xs[2] && mx < xs[3],
            `marker x ${mx} between ${xs[2]} and ${xs[3]}`,
          );
        }
        check(
          (await page.locator('[data-testid="curve-phase"]').count()) === 0,
          'no chart for the phase pseudo-metric',
        );
        const img = page.locator(
          '[data-testid="artifact-images"] figure[data-name="augmentation-grid.png"] img',
        );
        await img.waitFor();
        await page.waitForFunction(() => {
          const el = document.querySelector(
            '[data-testid="artifact-images"] img',
          ) as HTMLImageElement | null;
          return !!el && el.complete && el.naturalWidth === 96;
        });
        await page.locator('[data-testid="training-curves"]').screenshot({
          path: path.join(ctx.shotsDir, '13-phase-curves.png'),
        });
        await page.locator('[data-testid="artifact-images"]').screenshot({
          path: path.join(ctx.shotsDir, '14-artifact-images.png'),
        });
      },
    ],
  ];
}
