// The runs table people live in (issue #12): it refreshes by itself (a run created after the page
// loaded appears although nothing was live), fits 1280 px and a 390 px phone, offers every
// hyperparameter as a column, groups by one with per-group statistics, saves views per project,
// and answers "/", j, k and Enter.
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import type { Gql } from './fixtures/api';
import { FINISH } from './fixtures/dashboard-data';

const PROJECT = 'optimizer-study';

/** Creates a run that trains two epochs and completes, reaching `acc` validation accuracy. */
async function finishedRun(
  gql: Gql,
  name: string,
  hyperparameters: Record<string, unknown>,
  acc: number,
): Promise<string> {
  const { createRun } = await gql<{ createRun: { id: string } }>(
    'mutation($i: CreateRunInput!) { createRun(input: $i) { id } }',
    { i: { project: PROJECT, name, hyperparameters } },
  );
  const id = createRun.id;
  await gql('mutation($id: ID!) { startRun(id: $id) { id } }', { id });
  await gql(
    'mutation($r: ID!, $p: [MetricPointInput!]!) { logMetrics(runId: $r, points: $p) { accepted } }',
    {
      r: id,
      p: [
        { name: 'val_accuracy', step: 1, value: acc - 0.1 },
        { name: 'val_accuracy', step: 2, value: acc },
        { name: 'loss', step: 1, value: 1.2 },
        { name: 'loss', step: 2, value: 1 - acc },
      ],
    },
  );
  await gql(FINISH, { id, status: 'COMPLETED' });
  return id;
}

/** Four finished runs: adam reaches 0.9 and 0.8, sgd 0.7 and 0.6. Nothing is live. */
async function seedStudy(gql: Gql): Promise<string[]> {
  const hp = (optimizer: string, learningRate: number) => ({
    preset: 'small-cnn',
    optimizer,
    learningRate,
    batchSize: 64,
    epochs: 2,
    dropout: 0.25,
  });
  return [
    await finishedRun(gql, 'adam-lr1e-3-baseline-long-name', hp('adam', 0.001), 0.9),
    await finishedRun(gql, 'adam-lr3e-3', hp('adam', 0.003), 0.8),
    await finishedRun(gql, 'sgd-lr1e-2', hp('sgd', 0.01), 0.7),
    await finishedRun(gql, 'sgd-lr3e-2', hp('sgd', 0.03), 0.6),
  ];
}

/** Whether the runs table's wrapper (and the page) scroll sideways. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const wrap = document.querySelector<HTMLElement>('[data-testid="runs-table-wrap"]')!;
    return {
      wrap: wrap.scrollWidth - wrap.clientWidth,
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}

const VIEWPORTS = [
  { label: 'desktop 1280x800', viewport: { width: 1280, height: 800 }, phone: false },
  { label: 'phone 390x844', viewport: { width: 390, height: 844 }, phone: true },
];

for (const { label, viewport, phone } of VIEWPORTS) {
  test.describe(label, () => {
    test.use({ viewport });

    test(`runs table: live, fits, columns, groups, views, keys (${label})`, async ({
      ownerPage: page,
      api,
    }, testInfo) => {
      test.setTimeout(180_000);
      const ids = await seedStudy(api.gql);
      const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');

      // Fits: the default columns need no sideways scroll (home page: beside the project list).
      await page.goto('/');
      await expect(rows).toHaveCount(4);
      const home = await overflow(page);
      expect(home.page, 'the page never scrolls sideways').toBeLessThanOrEqual(0);
      if (!phone) {
        expect(home.wrap, 'no horizontal scroll at 1280 px').toBeLessThanOrEqual(0);
        await expect(page.locator('th[data-col="duration"]')).toBeVisible();
        await expect(page.locator('th[data-col="created"]')).toBeVisible();
      } else {
        expect(home.wrap, 'the phone shows fewer columns, no sideways scroll').toBeLessThanOrEqual(
          0,
        );
        await expect(page.locator('th[data-col="duration"]')).toBeHidden();
        await expect(page.locator('th[data-col="best"]')).toBeVisible();
        // Long run names wrap instead of being cut.
        const clipped = await page
          .locator('td[data-col="name"]')
          .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).length);
        expect(clipped).toBe(0);
      }
      await shot(page, testInfo, `runs-table-home-${phone ? 'phone' : 'desktop'}`);

      // Live: nothing was running at load; a run created and finished now appears by itself.
      await page.goto(`/projects/${PROJECT}`);
      await expect(rows).toHaveCount(4);
      await expect(page.locator('[data-testid="runs-live"]')).toHaveCount(0);
      const late = await finishedRun(
        api.gql,
        'sgd-late',
        { optimizer: 'sgd', learningRate: 0.02 },
        0.65,
      );
      await expect(page.locator(`tr[data-run-id="${late}"]`)).toBeVisible({ timeout: 20_000 });
      await expect(rows).toHaveCount(5);
      await expect(page.locator('[data-testid="runs-count"]')).toHaveText('5');

      // "/" focuses the query box (not while typing elsewhere).
      await page.locator('h1').click();
      await page.keyboard.press('/');
      await expect(page.locator('[data-testid="run-query"]')).toBeFocused();
      await expect(page.locator('[data-testid="run-query"]')).toHaveValue('');
      // j/k move the highlight over the visible rows; Enter opens it.
      await page.locator('h1').click();
      const highlighted = page.locator('tr.highlighted');
      await page.keyboard.press('j');
      await expect(highlighted).toHaveAttribute('data-run-id', late);
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await expect(highlighted).toHaveAttribute('data-run-id', ids[2]!);
      await page.keyboard.press('k');
      await expect(highlighted).toHaveAttribute('data-run-id', ids[3]!);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/runs/${ids[3]}$`));
      await page.goBack();
      await expect(rows).toHaveCount(5);
      // The shortcuts are documented under "?".
      await expect(page.getByLabel('Keyboard shortcuts')).toHaveAttribute('title', /j \/ k/);

      // Column chooser: add the optimizer and dropout hyperparameters and the last loss.
      await page.locator('[data-testid="column-chooser"] summary').click();
      await page.getByLabel('Column optimizer', { exact: true }).check();
      await page.getByLabel('Column dropout', { exact: true }).check();
      await page.getByLabel('Column last loss', { exact: true }).check();
      await page.locator('[data-testid="column-chooser"] summary').click();
      await expect(page.locator('th[data-col="hp.optimizer"]')).toHaveText('optimizer');
      await expect(
        page.locator(`tr[data-run-id="${ids[0]}"] td[data-col="hp.optimizer"]`),
      ).toHaveText('adam');
      await expect(
        page.locator(`tr[data-run-id="${ids[0]}"] td[data-col="final.loss"]`),
      ).toHaveText('0.1');
      await expect(page).toHaveURL(/[?&]cols=[^&]*hp\.optimizer/);

      // Group by optimizer: adam 0.9 and 0.8 (mean 0.85); sgd 0.7, 0.6, 0.65.
      await page.getByLabel('Group by').selectOption('hp.optimizer');
      const headers = page.locator('[data-testid="group-header"]');
      await expect(headers).toHaveCount(2);
      await expect(headers.nth(0)).toContainText('optimizer = adam');
      await expect(headers.nth(0)).toContainText('2 runs');
      await expect(headers.nth(0)).toContainText('mean 0.85 · min 0.8 · max 0.9');
      await expect(headers.nth(1)).toContainText('optimizer = sgd');
      await expect(headers.nth(1)).toContainText('3 runs');
      await expect(headers.nth(1)).toContainText('mean 0.65 · min 0.6 · max 0.7');
      await shot(page, testInfo, `runs-table-grouped-${phone ? 'phone' : 'desktop'}`);

      // Save the view, reload without it, pick it again.
      await page.locator('[data-testid="save-view"]').click();
      await page.locator('[data-testid="save-view-name"]').fill('by optimizer');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/[?&]view=by\+optimizer/);
      await expect(page.locator('[data-testid="saved-views-error"]')).toHaveCount(0);
      await page.goto(`/projects/${PROJECT}`);
      await expect(rows).toHaveCount(5);
      await expect(headers).toHaveCount(0);
      const picker = page.locator('[data-testid="saved-view-select"]');
      await expect(picker.locator('option', { hasText: 'by optimizer' })).toHaveCount(1);
      await picker.selectOption({ label: 'by optimizer' });
      await page.waitForURL(/[?&]group=hp\.optimizer/);
      await expect(headers).toHaveCount(2);
      await expect(page.locator('th[data-col="hp.dropout"]')).toBeVisible();
      await expect(picker.locator('option:checked')).toHaveText('by optimizer');
    });
  });
}
