// The runs table (/ and /projects/[name]): sorting, filters, the query box with its syntax
// errors, the selection that feeds the compare page, and paging past the first 200 runs.
import { expect, shot, test } from './fixtures';
import type { Gql } from './fixtures/api';
import { FINISH } from './fixtures/dashboard-data';

test('runs list, sorting and filters', async ({ ownerPage: page, seeded }, testInfo) => {
  await page.goto('/');
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(page.locator('[data-testid="project-list"]')).toContainText('fashion-mnist');
  await expect(
    page.locator('svg[data-chart="sparkline"] path.sparkline-line').first(),
  ).toBeVisible();
  await shot(page, testInfo, '01-runs');
  await page.locator('button[data-sort-key="best"]').click();
  await page.waitForURL(/sort=best&dir=desc/);
  // Best validation accuracy first.
  await expect(rows.first()).toHaveAttribute('data-run-id', seeded.completed);
  await page.getByLabel('Filter by status').selectOption('FAILED');
  await page.waitForURL(/status=FAILED/);
  await expect(page.locator(`tr[data-run-id="${seeded.failed}"]`)).toBeVisible();
  await expect(rows, 'status filter keeps one run').toHaveCount(1);
  await page.goto('/projects/fashion-mnist');
  await expect(rows, 'project page lists its two runs').toHaveCount(2);
  await shot(page, testInfo, '06-project');
});

test('query box, selection and compare', async ({
  ownerPage: page,
  seeded,
  ablationRun,
}, testInfo) => {
  await page.goto('/');
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  await expect(rows, 'four runs before the query').toHaveCount(4);
  const box = page.locator('[data-testid="run-query"]');
  await box.fill('hp.learningRate <= 0.001');
  await box.press('Enter');
  await page.waitForURL(/[?&]q=hp\.learningRate/);
  await expect(rows).toHaveCount(2);
  // The query keeps the two low-lr runs.
  const shown = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-run-id')));
  expect(shown.sort()).toEqual([seeded.completed, ablationRun].sort());
  const error = page.locator('[data-testid="query-error"]');
  await expect(error, 'no error for a valid query').toHaveCount(0);

  await box.fill('hp.learningRate <= 0.001 and (best.val_accuracy >');
  await box.press('Enter');
  // A syntax error with line:column and a caret, in a monospace font.
  await expect(error).toContainText(/\d+:\d+/);
  await expect(error).toContainText('^');
  await expect(error).toHaveCSS('font-family', /mono|menlo|consolas/i);
  await shot(page, testInfo, '08-query');

  // Back to the valid query; sort by learning rate through the API; select both runs.
  await box.fill('hp.learningRate <= 0.001');
  await box.press('Enter');
  await expect(error).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  await page.locator('button[data-sort-key="lr"]').click();
  await page.waitForURL(/sort=lr&dir=asc/);
  await expect(rows.first()).toHaveAttribute('data-run-id', ablationRun);
  // The selection lives in the URL; after the sort's navigation React can apply the checkbox's
  // new state a moment after the click (seen in CI: checked a beat later). So click, wait for
  // the state, and click again only if it never came.
  await page.waitForLoadState('networkidle');
  for (const id of [seeded.completed, ablationRun]) {
    const select = page.locator(`tr[data-run-id="${id}"] input[data-testid="run-select"]`);
    await expect(async () => {
      if (!(await select.isChecked())) await select.click();
      await expect(select).toBeChecked({ timeout: 5000 });
    }, `run ${id} selected`).toPass({ timeout: 20_000 });
  }
  await expect(page.locator('[data-testid="compare-button"]')).toHaveText('Compare (2)');
});

test('clear selection unchecks every run', async ({ ownerPage: page, seeded, ablationRun }) => {
  // On the runs table with two runs selected, "Clear selection" clears both.
  await page.goto(`/?sel=${seeded.completed},${ablationRun}`);
  const button = page.locator('[data-testid="compare-button"]');
  await expect(button, 'two runs selected').toHaveText('Compare (2)');
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(button).toHaveText('Compare (0)');
  await expect(page, 'selection removed from the URL').toHaveURL(
    (url) => !url.searchParams.has('sel'),
  );
  await expect(page.locator('input[data-testid="run-select"]:checked')).toHaveCount(0);
});

/** More runs than one page of the table (200). */
const SWEEP_RUNS = 205;

/**
 * Seeds project `sweep` with {@link SWEEP_RUNS} bare QUEUED runs, `sweep-000` (created first, so
 * the last row newest-first) to `sweep-204`, ten per request (the API's alias limit).
 */
async function seedSweep(gql: Gql): Promise<string[]> {
  await gql(`mutation { createProject(name: "sweep") { id } }`);
  const ids: string[] = [];
  for (let start = 0; start < SWEEP_RUNS; start += 10) {
    const count = Math.min(10, SWEEP_RUNS - start);
    const fields = Array.from({ length: count }, (_, i) => {
      const name = `sweep-${String(start + i).padStart(3, '0')}`;
      return `r${i}: createRun(input: { project: "sweep", name: "${name}" }) { id }`;
    });
    const data = await gql<Record<string, { id: string }>>(`mutation { ${fields.join(' ')} }`);
    for (let i = 0; i < count; i++) ids.push(data[`r${i}`]!.id);
  }
  return ids;
}

test('load more pages past the first 200 runs, each run once', async ({
  ownerPage: page,
  api,
}, testInfo) => {
  const ids = await seedSweep(api.gql);
  await page.goto('/projects/sweep');
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  const count = page.locator('[data-testid="runs-count"]');
  const more = page.locator('[data-testid="runs-load-more"]');
  await expect(rows, 'one page').toHaveCount(200);
  await expect(count).toHaveText(`200 of ${SWEEP_RUNS}`);
  await expect(more).toHaveText('Load more (5 left)');
  // Newest first: the oldest five (sweep-000 first of all) are on the second page.
  await expect(page.locator(`tr[data-run-id="${ids[0]}"]`)).toHaveCount(0);

  await more.scrollIntoViewIfNeeded();
  await shot(page, testInfo, '09-load-more', { fullPage: false });
  await page.getByRole('button', { name: /Load more/ }).click();
  await expect(rows).toHaveCount(SWEEP_RUNS);
  await expect(count).toHaveText(String(SWEEP_RUNS));
  await expect(more, 'nothing left to load').toHaveCount(0);
  const shown = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-run-id')));
  expect(new Set(shown).size, 'each run once').toBe(SWEEP_RUNS);
  expect([...shown].sort()).toEqual([...ids].sort());
  await expect(rows.last()).toHaveAttribute('data-run-id', ids[0]!);

  // Queued runs keep the table live: the refresh re-reads both pages, so the second page stays
  // (and sweep-000, on it, shows its new status).
  const oldest = page.locator(`tr[data-run-id="${ids[0]}"] [data-status]`);
  await expect(oldest).toHaveAttribute('data-status', 'QUEUED');
  await api.gql(`mutation($id: ID!) { startRun(id: $id) { id } }`, { id: ids[0] });
  await api.gql(FINISH, { id: ids[0], status: 'COMPLETED' });
  await expect(oldest, 'refreshed on the second page').toHaveAttribute('data-status', 'COMPLETED');
  await expect(rows, 'the refresh keeps every loaded page').toHaveCount(SWEEP_RUNS);

  // Another order starts again from its first page.
  await page.locator('button[data-sort-key="name"]').click();
  await page.waitForURL(/sort=name/);
  await expect(rows).toHaveCount(200);
  await expect(count).toHaveText(`200 of ${SWEEP_RUNS}`);
  await expect(rows.first()).toHaveAttribute('data-run-id', ids[0]!);
  await expect(more).toBeVisible();
});
