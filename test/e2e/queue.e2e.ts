// Queued work in the dashboard (issue #11): "New run" queues a run from the form (a wrong field
// is said under it and nothing is queued), Cancel ends a queued run CANCELLED and marks a running
// one "Cancelling…", "Run again with changes" opens the form pre-filled and queues a copy, the
// workers page lists a worker registered over GraphQL, viewers get no New run button, and axe
// finds no serious or critical violation on the new pages.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { apiGql, createUser, NEW_USER } from './fixtures/auth';
import { expect, signIn, test } from './fixtures';

const RUN_STATE = `query($id: ID!) { run(id: $id) { id name status cancelRequested sourceRunId tags queuedConfig } }`;
const QUEUED_COUNT = `query { runs(filter: { statuses: [QUEUED] }, first: 1) { totalCount } }`;
const REGISTER_WORKER = `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id name backend } }`;

interface RunState {
  run: {
    id: string;
    name: string;
    status: string;
    cancelRequested: boolean;
    sourceRunId: string | null;
    tags: string[];
    queuedConfig: { preset?: string; training?: Record<string, unknown> } | null;
  };
}

/** Serious and critical axe violations of the page, one line each. */
async function axeViolations(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // axe.run in the page itself: the dashboard has no iframes, and the default (runPartial,
    // then finishRun in a new blank page) took 2 to 3 times as long for the same results.
    .setLegacyMode()
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`);
}

/** The run page's id from its URL. */
function runIdOf(page: Page): string {
  const m = /\/runs\/([^/?#]+)/.exec(page.url());
  if (!m?.[1]) throw new Error(`not a run page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

test('New run queues a run, Cancel ends it CANCELLED, Run again with changes copies it', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  void seeded;
  test.setTimeout(240_000);
  const queuedBefore = (await api.gql<{ runs: { totalCount: number } }>(QUEUED_COUNT)).runs
    .totalCount;
  await page.goto('/projects/fashion-mnist');
  await page.getByTestId('new-run-link').click();
  await expect(page).toHaveURL(/\/new-run\?project=fashion-mnist$/);
  const form = page.getByTestId('new-run-form');
  await expect(page.getByTestId('new-run-project')).toHaveValue('fashion-mnist');
  await expect(page.getByTestId('new-run-preset')).toHaveValue('fmnist-cnn');

  // A wrong field: said under it, naming it; nothing is queued.
  await page.getByTestId('new-run-epochs').fill('0');
  await page.getByTestId('new-run-submit').click();
  await expect(form.getByTestId('error-epochs')).toHaveText(
    'Epochs: expected an integer from 1 to 10,000, got 0',
  );
  await expect(page.getByTestId('new-run-epochs')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('new-run-epochs')).toBeFocused();
  expect((await axeViolations(page, 'new-run with errors')).join('\n')).toBe('');
  expect(
    (await api.gql<{ runs: { totalCount: number } }>(QUEUED_COUNT)).runs.totalCount,
    'nothing queued',
  ).toBe(queuedBefore);

  // Fixed: queued, and its page shows QUEUED.
  await page.getByTestId('new-run-epochs').fill('2');
  await page.getByTestId('new-run-train-limit').fill('300');
  await page.getByTestId('new-run-tags').fill('e2e-queued, smoke');
  // The config box is folded while empty.
  await page.getByText('Advanced: config (YAML or JSON)').click();
  await page.getByTestId('new-run-config').fill('training:\n  seed: 7\n');
  await page.getByTestId('new-run-submit').click();
  await page.waitForURL(/\/runs\/[^/]+$/);
  const first = runIdOf(page);
  const badge = page.getByTestId('run-header').locator('.badge[data-status]');
  await expect(badge).toHaveAttribute('data-status', 'QUEUED');
  const queued = (await api.gql<RunState>(RUN_STATE, { id: first })).run;
  expect(queued.tags).toEqual(['e2e-queued', 'smoke']);
  expect(queued.queuedConfig).toMatchObject({
    preset: 'fmnist-cnn',
    training: { epochs: 2, trainLimit: 300, seed: 7 },
  });

  // Cancel, confirmed: CANCELLED (a queued run ends at once), with its own badge.
  await page.getByTestId('queue-actions').getByTestId('cancel-run').click();
  const dialog = page.getByTestId('cancel-dialog');
  await expect(dialog).toBeVisible();
  expect((await axeViolations(page, 'cancel dialog')).join('\n')).toBe('');
  await dialog.getByTestId('cancel-confirm').click();
  await expect(badge).toHaveAttribute('data-status', 'CANCELLED');
  await expect(badge).toHaveText('Cancelled');
  expect((await api.gql<RunState>(RUN_STATE, { id: first })).run.status).toBe('CANCELLED');
  // Finished: no Cancel any more, but it can be run again.
  await expect(page.getByTestId('cancel-run')).toHaveCount(0);

  // Run again with changes: the form pre-filled from the run; a change; queued with its source.
  await page.getByTestId('run-again').click();
  await expect(page).toHaveURL(new RegExp(`/new-run\\?from=${first}$`));
  await expect(page.getByRole('heading', { name: 'Run again with changes' })).toBeVisible();
  await expect(page.getByTestId('new-run-name')).toHaveValue(`${queued.name} (again)`);
  await expect(page.getByTestId('new-run-epochs')).toHaveValue('2');
  await expect(page.getByTestId('new-run-train-limit')).toHaveValue('300');
  await expect(page.getByTestId('new-run-tags')).toHaveValue('e2e-queued, smoke');
  await expect(page.getByTestId('new-run-config')).toHaveValue(/seed: 7/);
  await page.getByTestId('new-run-learning-rate').fill('0.002');
  await page.getByTestId('new-run-submit').click();
  await page.waitForURL(
    (url) => /\/runs\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(first),
  );
  const copy = (await api.gql<RunState>(RUN_STATE, { id: runIdOf(page) })).run;
  expect(copy.status).toBe('QUEUED');
  expect(copy.sourceRunId).toBe(first);
  expect(copy.queuedConfig).toMatchObject({
    training: { epochs: 2, trainLimit: 300, seed: 7, learningRate: 0.002 },
  });
  await expect(page.getByTestId('run-source')).toHaveAttribute('href', `/runs/${first}`);

  // The status filter and the runs query language know the new status.
  const rows = page.getByTestId('runs-table').locator('tbody tr');
  for (const filter of [`q=${encodeURIComponent('status = "CANCELLED"')}`, 'status=CANCELLED']) {
    await page.goto(`/?${filter}`);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-run-id', first);
    await expect(rows.first().locator('[data-col="status"]')).toHaveText('Cancelled');
  }
});

test('Cancel on a running run in the runs table: confirm, then "Cancelling…"', async ({
  ownerPage: page,
  api,
  seeded,
}) => {
  await page.goto('/projects/fashion-mnist');
  const row = page.locator(`tr[data-run-id="${seeded.live}"]`);
  await row.getByTestId('cancel-run').click();
  // "Keep it" changes nothing.
  await page.getByTestId('cancel-dialog').getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByTestId('cancel-dialog')).toHaveCount(0);
  expect((await api.gql<RunState>(RUN_STATE, { id: seeded.live })).run.cancelRequested).toBe(false);
  await row.getByTestId('cancel-run').click();
  await page.getByTestId('cancel-confirm').click();
  await expect(row.getByTestId('cancel-run')).toHaveText('Cancelling…');
  await expect(row.getByTestId('cancel-run')).toBeDisabled();
  const state = (await api.gql<RunState>(RUN_STATE, { id: seeded.live })).run;
  expect(state).toMatchObject({ status: 'RUNNING', cancelRequested: true });
  // The run page says so until its worker stops it.
  await page.goto(`/runs/${seeded.live}`);
  const badge = page.getByTestId('run-header').locator('.badge[data-status]');
  await expect(badge).toHaveText('Cancelling…');
  await expect(badge).toHaveAttribute('data-status', 'RUNNING');
});

test('the workers page lists a worker registered over GraphQL; viewers get no New run', async ({
  ownerPage: page,
  api,
  seeded,
  browser,
}) => {
  test.setTimeout(240_000);
  const registered = await api.gql<{ registerWorker: { id: string } }>(REGISTER_WORKER, {
    input: {
      name: 'gpu-box-7',
      host: 'gpu-box-7.lab',
      backend: 'onednn',
      gpu: true,
      memoryMb: 32768,
      concurrency: 2,
    },
  });
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Workers' }).click();
  await expect(page).toHaveURL(/\/workers$/);
  const row = page.locator(
    `[data-testid="worker-row"][data-worker-id="${registered.registerWorker.id}"]`,
  );
  await expect(row).toContainText('gpu-box-7');
  await expect(row.getByTestId('worker-backend')).toHaveText('onednn');
  await expect(row).toContainText('32 GB');
  await expect(row.getByTestId('worker-status')).toHaveText('Idle');
  await expect(row).toContainText(/\d+ s ago/);
  expect((await axeViolations(page, 'workers')).join('\n')).toBe('');

  // A viewer of fashion-mnist: no New run button, and the form page says why.
  await createUser(api, NEW_USER);
  const member = await apiGql(
    api,
    `mutation { setProjectMember(email: "${NEW_USER.email}", project: "fashion-mnist", role: VIEWER) { email } }`,
  );
  expect(member.errors).toBeUndefined();
  const context = await browser.newContext({ baseURL: process.env.E2E_WEB_URL });
  const viewer = await context.newPage();
  try {
    await signIn(viewer, api, NEW_USER.email);
    await viewer.goto('/projects/fashion-mnist');
    await expect(viewer.getByTestId('runs-table')).toBeVisible();
    await expect(viewer.getByTestId('new-run-link')).toHaveCount(0);
    await expect(viewer.getByTestId('cancel-run')).toHaveCount(0);
    await viewer.goto('/new-run');
    await expect(viewer.getByTestId('new-run-forbidden')).toBeVisible();
    await viewer.goto(`/runs/${seeded.live}`);
    await expect(viewer.getByTestId('run-view')).toBeVisible();
    await expect(viewer.getByTestId('queue-actions')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
