// The GraphQL explorer, offline: the API's GET /graphql page (no script, strict CSP) links the
// dashboard's /explorer, where GraphiQL (bundled from npm) runs the example query with the
// owner's session and opens the docs of `Run` from introspection. Every request to a host other
// than this machine is blocked and recorded, and the test fails if one was even attempted.
import type { BrowserContext } from '@playwright/test';
import { expect, shot, signIn, test } from './fixtures';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Blocks every non-local http(s) request of the context (pages and workers); returns the list. */
async function blockNonLocal(context: BrowserContext): Promise<string[]> {
  const attempted: string[] = [];
  await context.route(
    (url) => !LOCAL_HOSTS.has(url.hostname),
    async (route) => {
      attempted.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (/^(https?|wss?):$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname))
      attempted.push(request.url());
  });
  return attempted;
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`explorer at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport });

    test('from the API landing page to a query and the docs of Run, offline', async ({
      page,
      api,
      seeded,
    }, testInfo) => {
      const attempted = await blockNonLocal(page.context());
      await signIn(page, api);

      // The API's own page: a link to the dashboard's explorer (its CSP allows no script).
      const landing = await page.goto(`${api.origin}/graphql`);
      expect(landing?.headers()['content-security-policy']).toMatch(/^default-src 'none'/);
      await expect(page.locator('h1')).toHaveText('ConvScope GraphQL API');
      await shot(page, testInfo, `explorer-00-landing-${viewport.width}`);
      await page.locator('#explorer-link').click();
      await page.waitForURL(/\/explorer$/);

      // GraphiQL, rendered in the browser only, with the example query in its editor.
      const explorer = page.locator('[data-testid="graphiql"] .graphiql-container');
      await expect(explorer).toBeVisible({ timeout: 30_000 });
      // Monaco starts in the browser after the page: give it time on a loaded machine.
      await expect(page.locator('.graphiql-query-editor')).toContainText('query RecentRuns', {
        timeout: 45_000,
      });
      await expect(page.locator('.page-subtitle')).toContainText(`as ${api.ownerEmail}`);

      // Run it: the answer comes from the API with the owner's session (the seeded runs).
      const answered = page.waitForResponse(
        (r) =>
          r.url().endsWith('/graphql') &&
          r.request().method() === 'POST' &&
          (r.request().postData() ?? '').includes('RecentRuns'),
      );
      await page.locator('.graphiql-execute-button').click();
      const body = (await (await answered).json()) as {
        data?: { runs: { totalCount: number; nodes: { id: string }[] } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.runs.totalCount).toBe(3);
      expect(body.data?.runs.nodes.map((n) => n.id)).toContain(seeded.completed);
      // The response editor shows it (Monaco draws only the lines in view: the first ones).
      const result = page.locator('.result-window');
      await expect(result).toContainText('"data": {');
      await expect(result).toContainText('"runs": {');
      await shot(page, testInfo, `explorer-01-result-${viewport.width}`, { fullPage: false });

      // The docs, from introspection: search for the Run type and open it.
      await page
        .locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]')
        .click();
      const docs = page.locator('section.graphiql-doc-explorer');
      await expect(docs).toBeVisible();
      await docs.locator('[data-cy="doc-explorer-input"]').fill('Run');
      await docs
        .locator('.graphiql-doc-explorer-search-type', { hasText: /^Run$/ })
        .first()
        .click();
      await expect(docs.locator('.graphiql-doc-explorer-title')).toHaveText('Run');
      await expect(docs).toContainText('One training run.');
      await expect(docs).toContainText('metricNames');
      await shot(page, testInfo, `explorer-02-docs-run-${viewport.width}`, { fullPage: false });

      expect(attempted, 'requests to non-local hosts').toEqual([]);
    });
  });
}

test('the explorer tells an anonymous visitor to sign in', async ({ page, seeded }) => {
  void seeded;
  const attempted = await blockNonLocal(page.context());
  await page.goto('/explorer');
  await expect(page.locator('[data-testid="explorer-sign-in"]')).toContainText('Sign in');
  await expect(page.locator('.page-subtitle')).toContainText('as an anonymous visitor');
  await expect(page.locator('[data-testid="graphiql"] .graphiql-container')).toBeVisible({
    timeout: 30_000,
  });
  // The nav links the explorer on every page.
  await expect(page.locator('nav.nav a[href="/explorer"]')).toHaveText('GraphQL');
  expect(attempted, 'requests to non-local hosts').toEqual([]);
});
