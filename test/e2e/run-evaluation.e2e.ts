// The run page's evaluation (/runs/[id], seeded test split of 200 samples): metric tiles, top-k
// curve, confusion matrix with its drill-down to the test images of a cell, ROC and
// reliability charts, and the gallery of misclassified images.
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { DATASET_INFO, EVAL_SAMPLES, evaluationFixture } from './fixtures/dashboard-data';
import { expect, shot, test } from './fixtures';

/** Numeric values of one attribute of every element `locator` matches. */
const numbers = (locator: Locator, attribute: string) =>
  locator.evaluateAll((els, attr) => els.map((el) => Number(el.getAttribute(attr))), attribute);

/** Waits until every image under `selector` has loaded; returns their natural widths. */
async function loadedImages(page: Page, selector: string): Promise<number[]> {
  const images = page.locator(selector);
  await expect
    .poll(() =>
      images.evaluateAll((els) =>
        (els as HTMLImageElement[]).every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true);
  return images.evaluateAll((els) => (els as HTMLImageElement[]).map((img) => img.naturalWidth));
}

test('evaluation views on the run page', async ({ ownerPage: page, seeded }, testInfo) => {
  await page.goto(`/runs/${seeded.completed}`);
  const section = page.locator('[data-testid="evaluation"]');
  await expect(section.locator('h2#evaluation-title')).toContainText('Evaluation (test split)');
  // Headline numbers.
  const stats = page.locator('[data-testid="evaluation-stats"]');
  await expect(stats).toContainText('86.00%');
  await expect(stats).toContainText('200');

  // Tiles: 10 classes x 6 metrics (AUC included), plus the macro and weighted rows.
  const tiles = page.locator('[data-testid="evaluation-tiles"] svg[data-chart="heatmap"]');
  await expect(tiles.locator('g.heatmap-cell[data-row-kind="class"]')).toHaveCount(10 * 6);
  await expect(tiles.locator('g.heatmap-cell[data-row-kind="average"]')).toHaveCount(2 * 6);
  const cellText = (row: string, col: string) =>
    tiles.locator(
      `g.heatmap-cell[data-row-label="${row}"][data-col-label="${col}"] text.cell-text`,
    );
  await expect(cellText('Pullover', 'precision'), 'Pullover precision 15/19').toHaveText('0.789');
  await expect(cellText('Pullover', 'recall'), 'Pullover recall 15/20').toHaveText('0.750');
  await expect(cellText('Pullover', 'F1'), 'Pullover F1 30/39').toHaveText('0.769');

  // Top-k curve: k = 1..10, labelled points.
  const topk = page.locator('[data-testid="topk-curve"] svg[data-chart="line"]');
  await expect(topk.locator('path.series-line')).toHaveAttribute('data-points', '10');
  await expect(topk.locator('text.point-label')).toHaveCount(10);
  await expect(topk.locator('text.point-label').first()).toHaveAttribute(
    'data-label',
    'top-1 86.0%',
  );

  // Confusion matrix: 100 cells holding the 200 samples; the toggle switches to row percentages.
  const cm = page.locator('[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"]');
  const cells = cm.locator('g.confusion-cell');
  await expect(cells).toHaveCount(100);
  const counts = await numbers(cells, 'data-count');
  expect(
    counts.reduce((a, b) => a + b, 0),
    'counts sum to the samples',
  ).toBe(EVAL_SAMPLES);
  await expect(cm.locator('g.confusion-cell.diagonal'), 'diagonal marked').toHaveCount(10);
  const pulloverCoat = cm.locator('g.confusion-cell[data-row="2"][data-col="4"]');
  await expect(pulloverCoat.locator('text.cell-text'), 'count view').toHaveText('3');
  await pulloverCoat.hover();
  const tip = page.locator('[data-testid="confusion-matrix"] .chart-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText('true Pullover → predicted Coat: 3 (15.0%)', { useInnerText: true });
  await page.locator('[data-testid="confusion-matrix"] button[data-mode="normalized"]').click();
  await expect(
    page.locator(
      '[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"][data-mode="normalized"]',
    ),
  ).toBeVisible();
  await expect(pulloverCoat.locator('text.cell-text'), 'row-normalised view').toHaveText('15.0%');
  await expect(
    cm.locator('g.confusion-cell[data-row="2"][data-col="2"] text.cell-text'),
    'diagonal = recall',
  ).toHaveText('75.0%');

  // ROC: one curve per class, AUC in the legend, chance diagonal.
  const roc = page.locator('[data-testid="roc-curves"] svg[data-chart="roc"]');
  await expect(roc.locator('path.roc-line')).toHaveCount(10);
  await expect(roc.locator('line.chance')).toHaveCount(1);
  await expect(roc.locator('g.legend-item')).toHaveText(
    Array<RegExp>(10).fill(/\(AUC \d\.\d{3}\)$/),
  );

  // Reliability: bars, the diagonal, a count histogram over all samples, ECE in the title.
  const rel = page.locator('[data-testid="reliability"] svg[data-chart="reliability"]');
  await expect(rel.locator('line.perfect'), 'perfect-calibration diagonal').toHaveCount(1);
  expect(await rel.locator('rect.reliability-bar').count(), 'reliability bars').toBeGreaterThan(3);
  const binCounts = await numbers(rel.locator('rect.count-bar'), 'data-count');
  expect(
    binCounts.reduce((a, b) => a + b, 0),
    'bin counts sum to the samples',
  ).toBe(EVAL_SAMPLES);
  await expect(rel.locator('text.chart-title'), 'ECE in the title').toHaveText(/ECE 0\.\d{4}/);

  await page.mouse.move(0, 0);
  await shot(section, testInfo, '07-evaluation');
});

/** The samples of cell (row, col) of the seeded evaluation: true class `row`, argmax `col`. */
function samplesOf(row: number, col: number): number[] {
  const fixture = evaluationFixture();
  return fixture.labels.flatMap((y, k) => {
    const p = fixture.probabilities[k] ?? [];
    return y === row && p.indexOf(Math.max(...p)) === col ? [k] : [];
  });
}

/** Clicks confusion-matrix cell (row, col) and checks the panel lists exactly its samples. */
async function openConfusionCell(page: Page, { row, col }: { row: number; col: number }) {
  const cm = page.locator('[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"]');
  const tiles = page.locator('[data-testid="cell-samples"] [data-testid="sample-tile"]');
  const cell = cm.locator(`g.confusion-cell[data-row="${row}"][data-col="${col}"]`);
  const count = Number(await cell.getAttribute('data-count'));
  await cell.click();
  await expect(
    page.locator(
      `[data-testid="cell-samples"][data-row="${row}"][data-col="${col}"][data-total="${count}"]`,
    ),
  ).toBeVisible();
  await expect(tiles).toHaveCount(count);
  const expected = samplesOf(row, col);
  expect(await numbers(tiles, 'data-index'), `cell ${row},${col}: samples`).toEqual(expected);
  // Every tile is of the cell.
  expect(await numbers(tiles, 'data-label')).toEqual(expected.map(() => row));
  expect(await numbers(tiles, 'data-predicted')).toEqual(expected.map(() => col));
  await expect(
    cm.locator('g.confusion-cell.selected'),
    'clicked cell marked selected',
  ).toHaveAttribute('data-row', String(row));
  return { count, expected };
}

/** Checks that a 3x upscaled sample PNG holds the uploaded 28 x 28 pixels of sample `k`. */
async function expectSamplePng(png: Buffer, images: Uint8Array, k: number): Promise<void> {
  const { data, info } = await sharp(png)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const want = images.subarray(k * 784, (k + 1) * 784);
  expect([info.width, info.height]).toEqual([84, 84]);
  let same = true;
  for (let y = 0; same && y < 84; y++)
    for (let x = 0; same && x < 84; x++)
      same = data[y * 84 + x] === want[Math.floor(y / 3) * 28 + Math.floor(x / 3)];
  expect(same, `sample ${k} PNG matches the uploaded bytes`).toBe(true);
}

test('clicking a confusion-matrix cell shows exactly its test images', async ({
  ownerPage: page,
  seeded,
  baseURL,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}`);
  const cm = page.locator('[data-testid="confusion-matrix"] svg[data-chart="confusion-matrix"]');
  await expect(cm).toBeVisible();
  const panel = page.locator('[data-testid="cell-samples"]');
  const tiles = panel.locator('[data-testid="sample-tile"]');
  const openCell = (row: number, col: number) => openConfusionCell(page, { row, col });

  // Pullover → Coat: 3 mistakes.
  const pc = await openCell(2, 4);
  expect(pc.count, 'Pullover → Coat holds 3 samples').toBe(3);
  const title = panel.locator('#cell-samples-title');
  await expect(title).toContainText('Pullover');
  await expect(title).toContainText('Coat');
  // Label, prediction and confidence on each tile.
  for (const caption of await tiles.allInnerTexts()) {
    expect(caption).toContain('Pullover');
    expect(caption).toContain('Coat');
    expect(caption).toMatch(/\d+\.\d%/);
  }
  // Every image loaded, 3x upscaled, drawn pixelated.
  await loadedImages(page, '[data-testid="cell-samples"] img');
  const imgs = panel.locator('img[data-testid="sample-image"]');
  await expect(imgs, 'three images').toHaveCount(3);
  expect(
    await imgs.evaluateAll((els) => (els as HTMLImageElement[]).map((el) => el.naturalWidth)),
    '84 px images',
  ).toEqual([84, 84, 84]);
  for (const img of await imgs.all()) await expect(img).toHaveCSS('image-rendering', 'pixelated');
  // The PNG behind a tile, fetched through the web app's rewrite, holds the uploaded pixels.
  const src = await imgs.first().getAttribute('src');
  const res = await page.request.get(new URL(src ?? '', baseURL).toString());
  expect(res.status(), 'image through the rewrite').toBe(200);
  await expectSamplePng(await res.body(), seeded.images, pc.expected[0] ?? -1);
  await page.mouse.move(0, 0);
  await shot(page, testInfo, '10-cell-samples');
  await shot(panel, testInfo, '10b-cell-panel');

  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(cm.locator('g.confusion-cell.selected'), 'selection cleared').toHaveCount(0);

  // A diagonal cell (Shirt correct: 13), closed with the button.
  const shirt = await openCell(6, 6);
  expect(shirt.count, 'Shirt → Shirt holds 13 samples').toBe(13);
  await panel.locator('[data-testid="cell-samples-close"]').click();
  await expect(panel).toHaveCount(0);
  // Keyboard: a focused cell opens with Enter.
  await cm.locator('g.confusion-cell[data-row="0"][data-col="6"]').focus();
  await page.keyboard.press('Enter');
  await expect(
    page.locator('[data-testid="cell-samples"][data-row="0"][data-col="6"][data-total="3"]'),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
});

/** What a mistake tile shows: its sample, confidence, true class and top-3 bars. */
interface MistakeTile {
  index: number;
  label: number;
  confidence: number;
  trueName: string;
  top: { c: number; p: number; isTrue: boolean }[];
}

const readMistakes = (tiles: Locator): Promise<MistakeTile[]> =>
  tiles.evaluateAll((els) =>
    els.map((el) => ({
      index: Number(el.getAttribute('data-index')),
      label: Number(el.getAttribute('data-label')),
      confidence: Number(el.getAttribute('data-confidence')),
      trueName: el.querySelector('[data-testid="mistake-true"]')?.textContent ?? '',
      top: Array.from(el.querySelectorAll('[data-testid="top3"] li')).map((li) => ({
        c: Number(li.getAttribute('data-class')),
        p: Number(li.getAttribute('data-probability')),
        isTrue: li.classList.contains('is-true'),
      })),
    })),
  );

/** Checks each tile against the fixture and the order: most confident mistakes first. */
function checkMistakes(list: MistakeTile[]): void {
  const fixture = evaluationFixture();
  list.forEach((tile, t) => {
    const probs = fixture.probabilities[tile.index] ?? [];
    const expected = probs
      .map((p, c) => ({ c, p }))
      .sort((a, b) => b.p - a.p || a.c - b.c)
      .slice(0, 3);
    expect(tile.label, `tile ${tile.index} label`).toBe(fixture.labels[tile.index]);
    expect(tile.trueName, `tile ${tile.index} true class name`).toBe(
      DATASET_INFO.classNames[tile.label],
    );
    expect(
      tile.top.map((x) => [x.c, x.p]),
      `tile ${tile.index} top-3`,
    ).toEqual(expected.map((x) => [x.c, x.p]));
    expect(tile.top[0]?.c, `tile ${tile.index} is a mistake`).not.toBe(tile.label);
    expect(
      tile.top.map((x) => x.isTrue),
      `tile ${tile.index} marks the true class`,
    ).toEqual(tile.top.map((x) => x.c === tile.label));
    const prev = list[t - 1];
    if (prev)
      expect(
        prev.confidence > tile.confidence ||
          (prev.confidence === tile.confidence && prev.index < tile.index),
        `most confident first (${prev.index}: ${prev.confidence}, ${tile.index}: ${tile.confidence})`,
      ).toBe(true);
  });
}

test('misclassified gallery: most confident mistakes first, top-3 on each tile', async ({
  ownerPage: page,
  seeded,
}, testInfo) => {
  await page.goto(`/runs/${seeded.completed}`);
  const gallery = page.locator('[data-testid="misclassified"][data-total="28"]');
  const tiles = gallery.locator('[data-testid="mistake-tile"]');
  await expect(tiles, 'first page of 24').toHaveCount(24);
  const first = await readMistakes(tiles);
  checkMistakes(first);
  expect(
    first.some((t) => t.top.some((x) => x.isTrue)),
    'the true class is among the top-3 of some mistakes',
  ).toBe(true);
  // Bars are as wide as the probabilities.
  const bar = await tiles
    .first()
    .locator('[data-testid="top3"] li')
    .first()
    .evaluate((li) => {
      const track = li.querySelector('.top3-bar');
      const fill = track?.firstElementChild;
      if (!track || !fill) return NaN;
      return fill.getBoundingClientRect().width / track.getBoundingClientRect().width;
    });
  expect(Math.abs(bar - (first[0]?.top[0]?.p ?? NaN)), 'bar width ~ probability').toBeLessThan(
    0.02,
  );

  await gallery.locator('[data-testid="misclassified-more"]').click();
  await expect(page.locator('[data-testid="mistake-tile"]')).toHaveCount(28);
  const all = await readMistakes(tiles);
  checkMistakes(all);
  expect(new Set(all.map((t) => t.index)).size, 'the 28 mistakes, each once').toBe(28);
  await expect(gallery.locator('[data-testid="misclassified-more"]'), 'no more pages').toHaveCount(
    0,
  );
  await gallery.scrollIntoViewIfNeeded();
  const widths = await loadedImages(page, '[data-testid="misclassified"] img');
  expect(
    widths.every((w) => w === 84),
    'every image 84 px wide',
  ).toBe(true);
  await page.mouse.move(0, 0);
  await shot(gallery, testInfo, '11-misclassified');
});
