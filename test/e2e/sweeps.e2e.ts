// Sweeps in the dashboard (issue #11): the project's sweeps list, "New sweep" with its errors said
// under the config box (the dashboard's own check and the API's, naming the field), the sweep page
// following its runs (progress, best run, parallel coordinates of every run, the importance
// table) while runs finish as a worker would finish them, and Pause / Resume / Stop for editors.
import type { Page } from '@playwright/test';
import type { Gql } from './fixtures/api';
import { expect, test } from './fixtures';

const GRID = `method: grid
metric: { name: val_accuracy, goal: maximize }
parameters:
  learningRate: { values: [0.001, 0.01] }
  batchSize: { values: [32, 64] }
budget: { maxRuns: 10, parallel: 2 }
base: { preset: fmnist-cnn, training: { epochs: 1 } }
`;

const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) {
  logMetrics(runId: $runId, points: $points) { accepted }
}`;

const SWEEP_RUNS = `query($id: ID!) { sweep(id: $id) { status progress { launched completed }
  runs(first: 100) { nodes { id status hyperparameters } } } }`;

interface SweepRuns {
  sweep: {
    status: string;
    progress: { launched: number; completed: number };
    runs: { nodes: { id: string; status: string; hyperparameters: Record<string, number> }[] };
  };
}

/** Trains the sweep's queued runs as a worker would (start, log val_accuracy, finish). */
async function finishQueued(gql: Gql, sweepId: string): Promise<number> {
  const { sweep } = await gql<SweepRuns>(SWEEP_RUNS, { id: sweepId });
  const queued = sweep.runs.nodes.filter((r) => r.status === 'QUEUED');
  for (const run of queued) {
    const hp = run.hyperparameters;
    // learningRate drives the metric; batchSize barely.
    const value = 0.5 + 20 * (hp.learningRate ?? 0) + (hp.batchSize ?? 0) / 10_000;
    await gql('mutation($id: ID!) { startRun(id: $id) { id } }', { id: run.id });
    await gql(LOG, { runId: run.id, points: [{ name: 'val_accuracy', step: 1, value }] });
    await gql('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }', {
      id: run.id,
    });
  }
  return sweep.progress.completed + queued.length;
}

/** The sweep page's id from its URL. */
function sweepIdOf(page: Page): string {
  const m = /^\/sweeps\/([^/]+)$/.exec(new URL(page.url()).pathname);
  if (!m?.[1]) throw new Error(`not a sweep page: ${page.url()}`);
  return decodeURIComponent(m[1]);
}

test('New sweep says what is wrong, then the sweep page follows its runs to the end', async ({
  ownerPage: page,
  api,
}) => {
  await api.gql('mutation { createProject(name: "sweepy") { id } }');
  await page.goto('/projects/sweepy');
  await page.getByTestId('project-sweeps-link').click();
  await expect(page.getByTestId('sweeps-empty')).toBeVisible();
  await page.getByTestId('new-sweep-link').click();
  await page.getByTestId('sweep-name').fill('lr-grid');

  // The dashboard's own check: the path of the problem, nothing sent.
  await page.getByTestId('sweep-config').fill(GRID.replace('method: grid', 'method: bayes'));
  await page.getByTestId('create-sweep').click();
  await expect(page.getByTestId('sweep-config-error')).toHaveText(
    'Config: method: expected grid, random or asha, got "bayes"',
  );
  // The API's check (training overrides are its business): its message, naming the field.
  await page.getByTestId('sweep-config').fill(GRID.replace('batchSize:', 'dropoutRate:'));
  await page.getByTestId('create-sweep').click();
  await expect(page.getByTestId('sweep-config-error')).toContainText('parameters.dropoutRate');
  await expect(page).toHaveURL(/\/sweeps\/new$/);

  await page.getByTestId('sweep-config').fill(GRID);
  await page.getByTestId('create-sweep').click();
  // The sweep's own page (/sweeps/<id>), not the form's (/projects/…/sweeps/new).
  await page.waitForURL((url) => /^\/sweeps\/[^/]+$/.test(url.pathname));
  const id = sweepIdOf(page);
  await expect(page.getByTestId('sweep-status')).toHaveText('RUNNING');
  await expect(page.getByTestId('sweep-progress')).toContainText('0 / 4');
  await expect(page.getByTestId('sweep-run-row')).toHaveCount(2);

  // Runs finish; the API's sweep timer queues the rest; the page refreshes itself.
  await expect
    .poll(() => finishQueued(api.gql, id), { timeout: 60_000, intervals: [1000] })
    .toBe(4);
  await expect(page.getByTestId('sweep-status')).toHaveText('FINISHED', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('sweep-run-row')).toHaveCount(4);
  await expect(page.locator('[data-testid="sweep-parallel"] path.pc-line')).toHaveCount(4);
  await expect(page.locator('[data-testid="sweep-parallel"] g.pc-axis')).toHaveCount(3);
  // Best: learningRate 0.01, batchSize 64 -> 0.5 + 0.2 + 0.0064.
  await expect(page.getByTestId('sweep-best-value')).toHaveText('0.7064');
  const lr = page.locator('[data-testid="importance-row"][data-name="learningRate"]');
  // np.corrcoef(lr, metric) over the 2x2 grid: 0.99984, shown at 3 digits as 1.
  await expect(lr.getByTestId('correlation-value')).toHaveText('1');
  await expect(page.getByTestId('importance-row').first()).toHaveAttribute(
    'data-name',
    'learningRate',
  );

  await page.goto('/projects/sweepy/sweeps');
  await expect(page.getByTestId('sweep-row')).toHaveCount(1);
  await expect(page.getByTestId('sweep-status')).toHaveText('FINISHED');
});

test('Pause, Resume and Stop from the sweep page', async ({ ownerPage: page, api }) => {
  const { createProject } = await api.gql<{ createProject: { id: string } }>(
    'mutation { createProject(name: "sweep-actions") { id } }',
  );
  const { createSweep } = await api.gql<{ createSweep: { id: string } }>(
    'mutation($p: ID!, $c: String!) { createSweep(projectId: $p, name: "s", config: $c) { id } }',
    { p: createProject.id, c: GRID.replace('parallel: 2', 'parallel: 1') },
  );
  await page.goto(`/sweeps/${createSweep.id}`);
  await page.getByTestId('pause-sweep').click();
  await expect(page.getByTestId('sweep-status')).toHaveText('PAUSED');
  await page.getByTestId('resume-sweep').click();
  await expect(page.getByTestId('sweep-status')).toHaveText('RUNNING');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('stop-sweep').click();
  await expect(page.getByTestId('sweep-status')).toHaveText('STOPPED');
  await expect(page.getByTestId('sweep-actions')).toHaveCount(0);
  const { sweep } = await api.gql<SweepRuns>(SWEEP_RUNS, { id: createSweep.id });
  expect(sweep.runs.nodes.map((r) => r.status)).toEqual(['CANCELLED']);
});
