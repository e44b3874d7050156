// GET /graphql from a browser over HTTP: the API's own landing page (not Apollo's, which loads
// its explorer from a CDN), with a CSP that allows no script; JSON clients are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApi, type TestApi } from './helpers';

const sqlite = databases.find((d) => d.label === 'sqlite')!;

describe('landing page', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(sqlite, { webOrigin: 'http://127.0.0.1:3999' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('serves a self-contained page linking the dashboard explorer', async () => {
    const res = await fetch(`${api.origin}/graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline|https?:/);
    const html = await res.text();
    expect(html).toContain('href="http://127.0.0.1:3999/explorer"');
    expect(html).not.toMatch(/<script|apollographql|cdn\./i);
    // Every URL in the page is local: nothing to fetch from another host.
    for (const [url] of html.matchAll(/https?:\/\/[^\s"'<>)]+/g))
      expect(new URL(url).hostname, url).toMatch(/^(localhost|127\.0\.0\.1)$/);
  });

  it('still answers GraphQL over GET and POST', async () => {
    const get = await api.fetch('/graphql?query=%7B__typename%7D', {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    expect(await api.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});
