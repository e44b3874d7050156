// Compare at 1280x800 and 390x844: choosing the baseline (deltas follow it, the URL keeps it), the full
// hyperparameter table reachable inside its card, parallel-coordinate tick labels clear of the
// neighbouring axes, and batch_loss of runs with different batch sizes on "samples seen".
import type { Page } from '@playwright/test';
import type { Gql } from './fixtures/api';
import { expect, shot, test } from './fixtures';
import { VIEWPORTS } from './fixtures/main-pages';

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const CREATE_RUN = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const START_RUN = `mutation($id: ID!) { startRun(id: $id, backend: "cpu", backendReason: "e2e") { id } }`;

/** batch_loss every 20 batches up to `last`, falling from 2. */
async function logBatchLoss(gql: Gql, runId: string, last: number): Promise<void> {
  const points = [];
  for (let step = 20; step <= last; step += 20)
    points.push({ name: 'batch_loss', step, value: +(2 / (1 + step / 40)).toFixed(4) });
  await gql(LOG, { runId, points });
}

/** A run whose hyperparameters make a wide table: long unbroken values and extra keys. */
async function seedWideRun(gql: Gql): Promise<string> {
  const { createRun } = await gql<{ createRun: { id: string } }>(CREATE_RUN, {
    input: {
      project: 'fashion-mnist',
      name: 'wide-hyperparameters-with-a-long-run-name',
      hyperparameters: {
        preset: 'small-cnn',
        epochs: 8,
        batchSize: 256,
        learningRate: 0.000125,
        optimizer: 'adamw',
        seed: 3,
        dataDir: '/srv/datasets/fashion-mnist/versions/2026-11-30/train-images-idx3-ubyte.gz',
        augmentation: 'random-crop(24,pad=4)+horizontal-flip(p=0.5)+cutout(8x8,n=1)',
        scheduler: 'cosine-with-warmup(warmup_epochs=1,min_lr=1e-6,restarts=none)',
      },
    },
  });
  await gql(START_RUN, { id: createRun.id });
  return createRun.id;
}

/** Pullover and Coat recall deltas of the tile of `runId`. */
function recallDelta(page: Page, runId: string, cls: string) {
  return page.locator(
    `[data-testid="class-tile"][data-run-id="${runId}"] tr[data-class="${cls}"] td[data-metric="recall"] [data-testid="class-delta"]`,
  );
}

for (const vp of Object.values(VIEWPORTS)) {
  test.describe(`${vp.width}x${vp.height}`, () => {
    test.use({ viewport: vp });

    test(`compare at ${vp.width}x${vp.height}: baseline, full hyperparameters, axes and batch_loss`, async ({
      ownerPage: page,
      api,
      seeded,
      ablationRun,
    }, testInfo) => {
      // batch_loss of two running runs: batches of 128 (live) and of 256 (wide).
      const wide = await seedWideRun(api.gql);
      await logBatchLoss(api.gql, seeded.live, 80);
      await logBatchLoss(api.gql, wide, 40);
      const ids = [seeded.completed, ablationRun, seeded.live, wide];
      await page.goto(`/compare?runs=${ids.join(',')}`);

      // Baseline: the first run by default, labelled, then changed in the selector.
      const select = page.locator('[data-testid="baseline-select"]');
      await expect(select).toHaveValue(seeded.completed);
      const card = (id: string) =>
        page.locator(`[data-testid="compare-runs"] [data-run-id="${id}"]`);
      await expect(card(seeded.completed).locator('[data-testid="baseline-badge"]')).toHaveText(
        'baseline',
      );
      await expect(card(ablationRun).locator('[data-testid="baseline-badge"]')).toHaveCount(0);
      // Against the completed run: ablation's Pullover recall 15 → 17 of 20, Coat 16 → 14.
      await expect(recallDelta(page, ablationRun, 'Pullover')).toHaveText('+0.100');
      await expect(recallDelta(page, ablationRun, 'Coat')).toHaveText('−0.100');
      await expect(recallDelta(page, seeded.completed, 'Pullover')).toHaveCount(0);

      await select.selectOption(ablationRun);
      await expect(page).toHaveURL((url) => url.searchParams.get('baseline') === ablationRun);
      await expect(card(ablationRun).locator('[data-testid="baseline-badge"]')).toBeVisible();
      await expect(card(seeded.completed).locator('[data-testid="baseline-badge"]')).toHaveCount(0);
      await expect(page.locator('[data-testid="class-tiles-baseline"]')).toHaveText(
        'ablation-lr5e-4',
      );
      // Now the completed run is measured against the ablation: the signs flip.
      await expect(recallDelta(page, seeded.completed, 'Pullover')).toHaveText('−0.100');
      await expect(recallDelta(page, seeded.completed, 'Pullover')).toHaveClass(/worse/);
      await expect(recallDelta(page, seeded.completed, 'Coat')).toHaveText('+0.100');
      await expect(recallDelta(page, ablationRun, 'Pullover')).toHaveCount(0);
      // The hyperparameter marks follow: the completed run's optimizer (adam) differs from sgd.
      const hpCell = (key: string, col: number) =>
        page.locator(`[data-testid="hp-diff"] tr[data-key="${key}"] td.hp-value`).nth(col);
      await expect(hpCell('optimizer', 0)).toHaveAttribute('data-vs-baseline', 'differs');
      await expect(hpCell('optimizer', 1)).not.toHaveAttribute('data-vs-baseline', /.*/);
      // A shared link opens on the same baseline.
      await page.reload();
      await expect(page.locator('[data-testid="baseline-select"]')).toHaveValue(ablationRun);
      await expect(recallDelta(page, seeded.completed, 'Pullover')).toHaveText('−0.100');

      await checkHyperparameterTable(page, vp.width);
      await checkParallelAxes(page);
      await checkBatchLoss(page);
      await page.mouse.move(0, 0);
      await shot(page, testInfo, `compare-choose-${vp.width}`);
    });
  });
}

/** "Show all": every column reachable inside the card, the key column sticky, nothing spilling out. */
async function checkHyperparameterTable(page: Page, width: number): Promise<void> {
  await page.locator('[data-testid="hp-show-all"]').check();
  const rows = page.locator('[data-testid="hp-diff"] tbody tr');
  await expect(rows, 'every key of the four runs').toHaveCount(9);
  const wrap = page.locator('[data-testid="hp-diff-scroll"]');
  const m = await wrap.evaluate((el) => {
    const card = el.closest('section') as HTMLElement;
    const table = el.querySelector('table') as HTMLTableElement;
    const cardBox = card.getBoundingClientRect();
    const next = card.nextElementSibling?.getBoundingClientRect();
    return {
      overflowX: getComputedStyle(el).overflowX,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      tableWidth: table.getBoundingClientRect().width,
      cardRight: cardBox.right,
      cardTop: cardBox.top,
      nextLeft: next?.left ?? null,
      nextTop: next?.top ?? null,
      pageWidth: document.documentElement.scrollWidth,
      // The outermost elements past the right edge that no scroller clips (for the message).
      spill: [...document.body.querySelectorAll('*')]
        .filter((e) => {
          if (e.getBoundingClientRect().right <= window.innerWidth + 1) return false;
          for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
            if (p.getBoundingClientRect().right > window.innerWidth + 1) return false;
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX))
              return false;
          }
          return true;
        })
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.getAttribute('data-testid') ?? ''}]`,
        ),
    };
  });
  expect(
    m.pageWidth,
    `the page does not scroll sideways (spilling: ${m.spill.join(', ')})`,
  ).toBeLessThanOrEqual(width);
  expect(m.cardRight, 'the card stays in the viewport').toBeLessThanOrEqual(width);
  if (m.nextLeft !== null && m.nextTop !== null && Math.abs(m.nextTop - m.cardTop) < 2)
    expect(m.cardRight, 'the card does not run under the plot beside it').toBeLessThanOrEqual(
      m.nextLeft,
    );
  if (m.scrollWidth > m.clientWidth) {
    expect(['auto', 'scroll'], 'a wide table scrolls inside its card').toContain(m.overflowX);
    expect(m.scrollWidth, 'the whole table is inside the scroller').toBeGreaterThanOrEqual(
      Math.floor(m.tableWidth),
    );
  }
  // Scrolled to the end, the last column is inside the card and the key column still shows.
  await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  const edges = await wrap.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const lastTh = el.querySelector('thead th:last-child')?.getBoundingClientRect();
    const key = el.querySelector('tbody tr td.sticky-col')?.getBoundingClientRect();
    return { left: box.left, right: box.right, lastRight: lastTh?.right, keyLeft: key?.left };
  });
  expect(edges.lastRight, 'last column reachable').toBeLessThanOrEqual(edges.right + 1);
  expect(edges.keyLeft, 'key column sticks to the left edge').toBeGreaterThanOrEqual(
    edges.left - 1,
  );
  // Long values wrap inside their cell instead of stretching the table without end.
  const scheduler = page.locator('[data-testid="hp-diff"] tr[data-key="scheduler"] td.hp-value');
  const cell = await scheduler.last().boundingBox();
  expect(cell?.height ?? 0, 'a long value wraps onto several lines').toBeGreaterThan(30);
}

/** Each axis' tick labels end before the previous axis' line; the first axis' labels are not cut. */
async function checkParallelAxes(page: Page): Promise<void> {
  const svg = page.locator('[data-testid="parallel-coordinates"] svg');
  await expect(svg.locator('g.pc-axis')).toHaveCount(5);
  const axes = await svg.locator('g.pc-axis').evaluateAll((els) =>
    els.map((g) => ({
      key: g.getAttribute('data-key'),
      line: (g.querySelector('path.domain') as SVGGraphicsElement).getBoundingClientRect().left,
      labelsLeft: Math.min(
        ...[...g.querySelectorAll('.tick text')].map((t) => t.getBoundingClientRect().left),
      ),
    })),
  );
  const svgLeft = (await svg.boundingBox())?.x ?? 0;
  expect(axes[0]?.labelsLeft ?? -1, 'first axis labels inside the plot').toBeGreaterThanOrEqual(
    svgLeft,
  );
  for (let i = 1; i < axes.length; i++)
    expect(
      axes[i]?.labelsLeft ?? -1,
      `${axes[i]?.key} tick labels clear of the ${axes[i - 1]?.key} axis`,
    ).toBeGreaterThan((axes[i - 1]?.line ?? Infinity) + 2);
}

/** batch_loss of runs with batches of 128 and 256 on samples seen, and the axis says so. */
async function checkBatchLoss(page: Page): Promise<void> {
  const curve = page.locator('[data-testid="compare-curve-batch_loss"]');
  await expect(curve).toHaveAttribute('data-x-label', 'samples seen (step × batch size)');
  await expect(curve.locator('svg text.x-label')).toHaveText('samples seen (step × batch size)');
  await expect(curve.locator('path.series-line'), 'one line per run with batch_loss').toHaveCount(
    2,
  );
}
