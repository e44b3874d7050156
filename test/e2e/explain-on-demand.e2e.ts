// Explanations on demand (/runs/[id]/explain?sample=…): a real tiny run (fixtures/on-demand-run.ts:
// model, evaluation, stored test images, a 4-sample pack) and a real explain worker (the
// explain-worker CLI) against the test's API. From the confusion-matrix drill-down the test opens
// a sample outside the pack's preselected set, sees the worker's Grad-CAM of the predicted class,
// then asks for a class that is not the predicted one, another layer and a second method, sees
// both overlays with their faithfulness, and after a reload gets them from the cache.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { horizontalOverflow } from './fixtures/main-pages';
import { expect, shot, test } from './fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tsxBin = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

/** Runs a TypeScript file under tsx; resolves with the child (stdout piped, stderr inherited). */
function tsx(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [tsxBin, path.join(repoRoot, file), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Trains the tiny run (about 20 s) and answers its id and the pack's preselected samples. */
async function trainRun(api: TestApi): Promise<{ runId: string; packSamples: number[] }> {
  const child = tsx('test/e2e/fixtures/on-demand-run.ts', [
    '--api',
    api.origin,
    '--api-key',
    api.localKey,
  ]);
  let result: { runId: string; packSamples: number[] } | null = null;
  for await (const line of readline.createInterface({ input: child.stdout! }))
    if (line.startsWith('RUN ')) result = JSON.parse(line.slice(4)) as typeof result;
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (code !== 0 || !result) throw new Error(`on-demand-run exited with ${code}`);
  return result;
}

/** The explain worker CLI polling the test's API every 100 ms (killed by the caller). */
function startWorker(api: TestApi): ChildProcess {
  const child = tsx('libs/ml/src/cli/explain-worker.cli.ts', [
    '--api',
    api.origin,
    '--api-key',
    api.localKey,
    '--poll-ms',
    '100',
    '--backend',
    'wasm',
  ]);
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  return child;
}

interface Row {
  index: number;
  label: number;
  predicted: number;
}

/** The run's predictions, for choosing a sample outside the pack in a small confusion cell. */
async function predictions(api: TestApi, runId: string): Promise<Row[]> {
  const { run } = await api.gql<{ run: { predictions: { nodes: Row[] } } }>(
    `query($id: ID!) { run(id: $id) { predictions(first: 100) { nodes { index label predicted } } } }`,
    { id: runId },
  );
  return run.predictions.nodes;
}

/** Waits for the on-demand card to settle DONE (cached or not) and returns its status text. */
async function settled(page: Page, cached: boolean): Promise<void> {
  const card = page.locator('[data-testid="ondemand"]');
  await expect(card, 'the worker answered').toHaveAttribute('data-phase', 'DONE', {
    timeout: 90_000,
  });
  await expect(card).toHaveAttribute('data-cached', String(cached));
}

test('explain on demand: a sample outside the pack from the drill-down, any class, layer and method, then from the cache', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  test.setTimeout(300_000);
  const { runId, packSamples } = await trainRun(api);
  expect(packSamples, 'the pack preselected 4 samples').toHaveLength(4);
  const rows = await predictions(api, runId);
  const cellSize = (r: Row) =>
    rows.filter((x) => x.label === r.label && x.predicted === r.predicted).length;
  const target = rows.find((r) => !packSamples.includes(r.index) && cellSize(r) <= 48);
  if (!target) throw new Error('no sample outside the pack');
  const worker = startWorker(api);
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/runs/${runId}`);
    await expect(page.locator('[data-testid="explain-samples-link"]')).toHaveAttribute(
      'href',
      `/runs/${runId}/explain`,
    );
    await expect(
      page.locator('[data-testid="mistake-explain-link"]').first(),
      'the misclassified gallery links to explanations',
    ).toHaveAttribute('href', new RegExp(`^/runs/${runId}/explain\\?sample=\\d+$`));
    // The confusion-matrix drill-down: the target's cell, then its sample's explanation link.
    await page
      .locator(
        `[data-testid="confusion-matrix"] g.confusion-cell[data-row="${target.label}"][data-col="${target.predicted}"]`,
      )
      .click();
    await page
      .locator(
        `[data-testid="cell-samples"] [data-testid="sample-tile"][data-index="${target.index}"] [data-testid="sample-explain-link"]`,
      )
      .click();
    await page.waitForURL(
      (u) => u.pathname.endsWith('/explain') && u.searchParams.get('sample') === `${target.index}`,
    );
    const card = page.locator(`[data-testid="ondemand"][data-sample="${target.index}"]`);
    await expect(card).toBeVisible();
    await expect(
      page.locator('[data-testid="pack-views-note"]'),
      'not a pack sample',
    ).toBeVisible();
    // The first answer: Grad-CAM of the predicted class at the default (last spatial) layer.
    await settled(page, false);
    const maps = page.locator('[data-testid="ondemand-map"]');
    await expect(maps).toHaveCount(1);
    await expect(maps.first()).toHaveAttribute('data-method', 'gradcam');
    await expect(maps.first()).toHaveAttribute('data-layer', 'pool2');
    const predicted = Number(await maps.first().getAttribute('data-class'));
    await expect(
      page.locator(`[data-testid="ondemand-class"] option[value="${predicted}"]`),
      'the predicted class is tagged in the list',
    ).toContainText('(predicted)');
    // Every class, every spatial layer and every method are offered.
    await expect(page.locator('[data-testid="ondemand-class"] option')).toHaveCount(1 + 10);
    const layers = await page
      .locator('[data-testid="ondemand-layer"] option')
      .evaluateAll((els) => (els as HTMLOptionElement[]).map((el) => el.value));
    expect(layers, 'spatial layers').toEqual(['', 'conv1', 'pool1', 'conv2', 'pool2']);
    await expect(page.locator('[data-testid="ondemand-methods"] input')).toHaveCount(8);

    // A class that is not the predicted one, another layer and a second method.
    const other = (predicted + 1) % 10;
    await page.locator('[data-testid="ondemand-class"]').selectOption(String(other));
    await page.locator('[data-testid="ondemand-layer"]').selectOption('conv1');
    await page.locator('[data-testid="ondemand-methods"] input[value="layercam"]').check();
    await expect(maps).toHaveCount(2, { timeout: 90_000 });
    await settled(page, false);
    for (const method of ['gradcam', 'layercam']) {
      const map = page.locator(`[data-testid="ondemand-map"][data-method="${method}"]`);
      await expect(map).toHaveAttribute('data-class', String(other));
      await expect(map).toHaveAttribute('data-layer', 'conv1');
      await expect(map.locator('[data-testid="ondemand-canvas"][data-ready="true"]')).toBeVisible();
      await expect(map.locator('[data-testid="ondemand-faithfulness"]')).toContainText(/ins \d/);
    }
    await expect(page.locator('[data-testid="ondemand-map"][data-best="true"]')).toHaveCount(1);
    await expect(
      page.locator('[data-testid="ondemand-activations"][data-layer="conv1"] img'),
      "the chosen layer's feature maps",
    ).toBeVisible();
    const wide = await horizontalOverflow(page);
    expect(wide.offenders, 'no overflow at 1280 x 800').toEqual([]);
    // Labels, names and contrast of the sample picker and the on-demand card (axe, WCAG 2.1 AA).
    const axe = await new AxeBuilder({ page })
      .include('[aria-labelledby="sample-title"]')
      .include('[data-testid="ondemand"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      'no serious accessibility violations',
    ).toEqual([]);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams), 'the address is a deep link').toEqual({
      sample: `${target.index}`,
      class: `${other}`,
      layer: 'conv1',
      method: 'gradcam,layercam',
    });

    // A reload asks again: the cache answers at once.
    await page.reload();
    await settled(page, true);
    await expect(page.locator('[data-testid="ondemand-cached"]')).toBeVisible();
    await expect(maps).toHaveCount(2);
    await expect(page.locator('[data-testid="ondemand-class"]')).toHaveValue(String(other));

    // The pack's samples stay one click away.
    await page.locator('[data-testid="sample-tab-pack"]').click();
    await expect(page.locator('[data-testid="sample-picker"] button[data-sample]')).toHaveCount(4);

    // The search by index, from the keyboard: type it, Enter opens it (explained with the same settings).
    await page.locator('[data-testid="sample-tab-pack"]').press('ArrowRight');
    await expect(page.locator('[data-testid="sample-tab-search"]')).toBeFocused();
    await page.locator('[data-testid="search-by"]').selectOption('index');
    const next = rows.find((r) => r.index !== target.index && !packSamples.includes(r.index))!;
    await page.locator('[data-testid="search-index"]').fill(String(next.index));
    await page.locator('[data-testid="search-index"]').press('Enter');
    await expect(
      page.locator(`[data-testid="ondemand"][data-sample="${next.index}"]`),
    ).toBeVisible();
    await settled(page, false);
    expect(new URL(page.url()).searchParams.get('sample')).toBe(String(next.index));
    await page.goto(
      `/runs/${runId}/explain?sample=${target.index}&class=${other}&layer=conv1&method=gradcam,layercam`,
    );
    await settled(page, true);

    await page.mouse.move(0, 0);
    const ondemand = page.locator('[data-testid="ondemand"]');
    await shot(ondemand, testInfo, 'explain-on-demand');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      const dir = path.join(repoRoot, 'docs/screenshots');
      fs.mkdirSync(dir, { recursive: true });
      await ondemand.screenshot({
        path: path.join(dir, 'explain-on-demand.png'),
        animations: 'disabled',
      });
    }

    // Phones: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await settled(page, true);
    const o = await horizontalOverflow(page);
    expect(o.offenders, `no overflow at 390 px (document ${o.scrollWidth} px)`).toEqual([]);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
  } finally {
    worker.kill('SIGTERM');
  }
});
