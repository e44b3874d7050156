// Live updates in the browser: the runs table and the run page follow a running run through the
// API's server-sent events, not by polling. The page clock is fast-forwarded over what used to
// be ten poll periods and no GraphQL request leaves the page; a metric batch or a status change
// logged through the API then shows without a reload, after one re-read.
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { FINISH } from './fixtures/dashboard-data';

const PROJECT = 'live-study';
const LOG = `mutation($r: ID!, $p: [MetricPointInput!]!) { logMetrics(runId: $r, points: $p) { accepted } }`;

/** The answer to the page's next GraphQL operation called `name` (e.g. its catch-up re-read). */
function nextOperation(page: Page, name: string) {
  return page.waitForResponse(
    (r) =>
      new URL(r.url()).pathname === '/graphql' &&
      (r.request().postData() ?? '').includes(`query ${name}(`),
  );
}

/** Counts the page's GraphQL requests and live-stream connections from now on. */
function countRequests(page: Page) {
  const counts = { graphql: 0, live: 0 };
  page.on('request', (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (path === '/graphql') counts.graphql += 1;
    if (path === '/live/events') counts.live += 1;
  });
  return counts;
}

test('runs table and run page update from pushed events without polling', async ({
  ownerPage: page,
  api,
}) => {
  const { createRun } = await api.gql<{ createRun: { id: string } }>(
    'mutation($i: CreateRunInput!) { createRun(input: $i) { id } }',
    { i: { project: PROJECT, name: 'live-run', status: 'RUNNING' } },
  );
  const id = createRun.id;
  await api.gql(LOG, { r: id, p: [{ name: 'val_accuracy', step: 1, value: 0.5 }] });

  // Timers under the test's control: "ten poll periods" pass without sleeping.
  await page.clock.install();
  const counts = countRequests(page);
  const tableCaughtUp = nextOperation(page, 'Runs');
  await page.goto(`/projects/${PROJECT}`);
  const best = page.locator(`tr[data-run-id="${id}"] td[data-col="best"]`);
  await expect(best).toHaveText('50.00%');
  const badge = page.locator('[data-testid="runs-live"]');
  await expect(badge).toHaveAttribute('data-stream', 'live');
  await expect(badge).toHaveText('Live');
  // Opening the stream re-reads once (what changed since the render was not announced).
  await tableCaughtUp;
  const opened = { ...counts };
  await page.clock.runFor(30_000); // the table used to re-read every 3 s while a run was live
  expect(counts.graphql - opened.graphql, 'no polling while the stream is up').toBe(0);

  // A new metric value, logged elsewhere, appears by itself after one re-read.
  await api.gql(LOG, { r: id, p: [{ name: 'val_accuracy', step: 2, value: 0.77 }] });
  await expect(best).toHaveText('77.00%');
  expect(counts.graphql - opened.graphql).toBeGreaterThanOrEqual(1);
  expect(counts.graphql - opened.graphql).toBeLessThanOrEqual(3);
  expect(counts.live - opened.live, 'the stream stayed open').toBe(0);

  // The run page: quiet while nothing changes, then the status change shows.
  const runCaughtUp = nextOperation(page, 'Run');
  await page.goto(`/runs/${id}`);
  const view = page.locator('[data-testid="run-view"]');
  await expect(view).toHaveAttribute('data-run-status', 'RUNNING');
  await expect(page.locator('[data-testid="live-indicator"]')).toHaveText('Live');
  await expect(view).toHaveAttribute('data-live-stream', 'live');
  expect(counts.live - opened.live).toBeGreaterThanOrEqual(1);
  await runCaughtUp; // its stream's catch-up re-read
  const before = counts.graphql;
  await page.clock.runFor(30_000); // the page used to re-read every 2 s
  expect(counts.graphql - before, 'no polling on the run page').toBe(0);
  await api.gql(FINISH, { id, status: 'COMPLETED' });
  await expect(view).toHaveAttribute('data-run-status', 'COMPLETED');
  await expect(page.locator('[data-testid="live-indicator"]')).toHaveCount(0);
});
