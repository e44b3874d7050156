// Hardening of the API over HTTP: GraphQL limits (static and the metric points budget), stored
// artifacts that cannot run script, internal errors that leak nothing, CORS, security headers
// and the default bind address.
import net from 'node:net';
import os from 'node:os';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArtifactRepository } from '../src/artifact/artifact.repository';
import { DEFAULT_REQUEST_LIMITS } from '../src/common/request-limits';
import { MetricRepository } from '../src/metric/metric.repository';
import {
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const sqlite = databases.find((d) => d.label === 'sqlite')!;
const BUDGET = 1000;

/** Authorization of the fixture's admin key, when the fixture has one. */
function auth(api: TestApi): Record<string, string> {
  const key = (api as { key?: string }).key;
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * POSTs a GraphQL document as a GraphQL-over-HTTP client (Accept:
 * application/graphql-response+json, so a refused document is a 4xx); returns the HTTP status
 * and the parsed body.
 */
async function post(
  api: TestApi,
  query: string,
  variables?: Record<string, unknown>,
  { accept = 'application/graphql-response+json' }: { accept?: string } = {},
): Promise<{ status: number; body: Loose }> {
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...auth(api) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * A rejected document: HTTP 400 (200 for a legacy application/json client, as GraphQL over HTTP
 * asks), QUERY_TOO_COMPLEX naming the limit, no data, no SQL sent.
 */
async function expectTooComplex(api: TestApi, query: string, limit: string): Promise<Loose> {
  const before = api.server.queryCount();
  const legacy = await post(api, query, undefined, { accept: 'application/json' });
  expect(legacy.status).toBe(200);
  expect(legacy.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
  const { status, body } = await post(api, query);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
  // Rejected before any resolver ran: not one database query.
  expect(api.server.queryCount()).toBe(before);
  return body.errors[0];
}

describe('GraphQL request limits', () => {
  let api: TestApi;
  let runIds: string[];
  beforeAll(async () => {
    // A small points budget, so a few short series can exhaust it; the other limits as shipped.
    api = await startTestApi(sqlite, { requestLimits: { pointsBudget: BUDGET } });
    const project = uniq('limits');
    runIds = [];
    for (let r = 0; r < 3; r++) {
      const id = await createRun(api, { project, name: `r${r}` });
      runIds.push(id);
      const points = ['loss', 'acc', 'val_loss', 'val_acc'].flatMap((name) =>
        Array.from({ length: 20 }, (_, step) => ({ name, step, value: step / 20 })),
      );
      await api.ok(LOG_METRICS, { runId: id, points });
    }
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers the standard GraphiQL introspection query', async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const { status, body } = await post(api, query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a 60-deep introspection query', async () => {
    let inner = 'name';
    for (let i = 0; i < 29; i++) inner = `fields { type { ${inner} } }`;
    const err = await expectTooComplex(api, `{ __schema { types { ${inner} } } }`, 'depth');
    expect(err.extensions.max).toBe(DEFAULT_REQUEST_LIMITS.maxDepth);
    expect(err.extensions.found).toBeGreaterThan(60);
    expect(err.message).toMatch(/GRAPHQL_MAX_DEPTH/);
  });

  it('refuses 1,000 aliases of runs(first: 50) and a few more aliases than the limit', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => `a${i}: runs(first: 50) { totalCount }`);
    // 1,000 aliases are over the token limit already: refused while parsing.
    await expectTooComplex(api, `{ ${many.join(' ')} }`, 'tokens');
    const some = many.slice(0, DEFAULT_REQUEST_LIMITS.maxAliases + 1);
    const err = await expectTooComplex(api, `{ ${some.join(' ')} }`, 'aliases');
    expect(err.extensions).toMatchObject({ max: DEFAULT_REQUEST_LIMITS.maxAliases, found: 11 });
  });

  it('refuses 1,000 nested fragments and too many directives', async () => {
    const fragments = Array.from(
      { length: 1000 },
      (_, i) =>
        `fragment F${i} on Query { ${i < 999 ? `...F${i + 1}` : 'projects { nodes { id } }'} }`,
    );
    await expectTooComplex(api, `{ ...F0 } ${fragments.join(' ')}`, 'tokens');
    const directives = Array.from({ length: 25 }, () => '@include(if: true)').join(' ');
    await expectTooComplex(api, `{ projects ${directives} { nodes { id } } }`, 'directives');
  });

  it('refuses five aliases of runs(first: 100) with 100,000-point metrics by cost', async () => {
    const five = Array.from(
      { length: 5 },
      (_, i) =>
        `a${i}: runs(first: 100) { nodes { metrics(maxPoints: 100000) { points { step value } } } }`,
    );
    const err = await expectTooComplex(api, `{ ${five.join(' ')} }`, 'cost');
    expect(err.extensions.found).toBeGreaterThan(DEFAULT_REQUEST_LIMITS.maxCost);
  });

  it('refuses nested pages sized by variables beyond the page-items budget, before any SQL', async () => {
    const q = `query($n: Int, $m: Int) { runs(first: $n) { nodes { id artifacts(first: $m) { nodes { name } } } } }`;
    const before = api.server.queryCount();
    const { status, body } = await post(api, q, { n: 500, m: 1000 });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'pageItems',
      max: 100_000,
      found: 500_000,
    });
    expect(api.server.queryCount()).toBe(before);
    // The same document within the budget runs.
    const ok = await post(api, q, { n: 50, m: 100 });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('caps maxPoints per series', async () => {
    const { status, body } = await post(
      api,
      `query($id: ID!) { run(id: $id) { metric(name: "loss", maxPoints: 100001) { step } } }`,
      { id: runIds[0] },
    );
    expect(status).toBe(200);
    expect(body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'maxPoints',
      max: DEFAULT_REQUEST_LIMITS.maxPointsPerSeries,
    });
    expect(body.errors[0].message).toMatch(/at most 100000 \(METRIC_MAX_POINTS\)/);
  });

  it('charges each series the points it returns against the request budget', async () => {
    // One run, 4 series of 20 points at maxPoints 100,000: 80 points, well within 1,000.
    const one = await post(
      api,
      `query($id: ID!) { run(id: $id) { metrics(maxPoints: 100000) { name points { step } } } }`,
      { id: runIds[0] },
    );
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.run.metrics).toHaveLength(4);
    // The five-alias query with the page size in a variable (no static cost multiplier):
    // 5 x 3 runs x 80 points = 1,200; twelve runs' metrics fit (960), the next one does not.
    const five = Array.from(
      { length: 5 },
      (_, i) =>
        `a${i}: runs(first: $first, filter: { ids: $ids }) { nodes { id metrics(maxPoints: 100000) { name points { step value } } } }`,
    );
    const { status, body } = await post(
      api,
      `query($first: Int, $ids: [ID!]) { ${five.join(' ')} }`,
      { first: 100, ids: runIds },
    );
    expect(status).toBe(200);
    // Run.metrics and runs are non-null: the first failure nulls the whole answer, and
    // graphql-js answers at once; the budget stays spent, so resolvers still running load nothing.
    expect(body.data).toBeNull();
    const over = body.errors.filter((e: Loose) => e.extensions.code === 'BUDGET_EXCEEDED');
    expect(over.length).toBeGreaterThan(0);
    expect(over).toHaveLength(body.errors.length);
    expect(over[0].extensions).toMatchObject({
      budget: 'metricPoints',
      limit: BUDGET,
      requested: 80,
      remaining: BUDGET - 960,
    });
    expect(over[0].message).toMatch(/METRIC_POINTS_BUDGET/);
    // The next request has a budget of its own.
    const again = await post(
      api,
      `query($id: ID!) { run(id: $id) { metric(name: "loss") { step } } }`,
      { id: runIds[0] },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.run.metric).toHaveLength(20);
  });
});

describe('errors, bodies, CORS and headers', () => {
  let api: TestApi;
  beforeAll(async () => {
    // host left to the default (127.0.0.1), the dashboard's origin given, CORS_ORIGINS from env.
    vi.stubEnv('CORS_ORIGINS', 'https://lab.example.org, http://127.0.0.1:8888/');
    api = await startTestApi(sqlite, {
      host: undefined,
      webOrigin: 'http://localhost:3999',
    });
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await api?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers an internal error with an id only, and logs the error under that id', async () => {
    const runId = await createRun(api, { project: uniq('err') });
    const leaky = new Error(
      'Invalid `prisma.runMetricSummary.findMany()` invocation in\n' +
        '/work/main/apps/api/src/metric/metric.repository.ts:193:45\n\n' +
        '  192   names(runIds) {\n→ 193     return this.prisma.runMetricSummary.findMany({',
    );
    vi.spyOn(MetricRepository.prototype, 'names').mockRejectedValue(leaky);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { status, body } = await post(api, `query($id: ID!) { run(id: $id) { metricNames } }`, {
      id: runId,
    });
    expect(status).toBe(200);
    const text = JSON.stringify(body);
    for (const leak of ['/work/', 'apps/api', 'metric.repository', 'prisma', 'findMany', 'stack'])
      expect(text).not.toContain(leak);
    const [err] = body.errors;
    expect(err.message).toMatch(/^Internal error [0-9a-f]{8,}$/);
    expect(err.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
    expect(err.message).toBe(`Internal error ${err.extensions.errorId}`);
    const line = logged.mock.calls.find((c) => String(c[0]).includes(err.extensions.errorId));
    expect(line).toBeDefined();
    expect(line).toContain(leaky);
  });

  it('answers an internal error of an HTTP route with an id only', async () => {
    const runId = await createRun(api, { project: uniq('err') });
    vi.spyOn(ArtifactRepository.prototype, 'find').mockRejectedValue(
      new Error('SQLITE_IOERR at /work/main/apps/api/src/artifact/artifact.repository.ts:20'),
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await fetch(`${api.origin}/runs/${runId}/artifacts/x.bin`, { headers: auth(api) });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/work\/main|apps\/api|SQLITE_IOERR|repository/);
    expect(JSON.parse(text)).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      errorId: expect.any(String),
    });
  });

  it('answers malformed, mistyped and oversized bodies with 400, 415 and 413 and a code', async () => {
    const send = (body: string | Buffer, type: string) =>
      fetch(`${api.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': type, ...auth(api) },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
    const malformed = await send('{"query": "{ projects { nodes { id } } }"', 'application/json');
    expect(malformed.status).toBe(400);
    const m = await malformed.json();
    expect(m.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(m)).not.toMatch(/node_modules|at JSON\.parse|\.js:/);
    const text = await send('{ projects { nodes { id } } }', 'text/plain');
    expect(text.status).toBe(415);
    expect((await text.json()).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await send(
      Buffer.concat([
        Buffer.from('{"query":"'),
        Buffer.alloc(65 * 1024 * 1024, 32),
        Buffer.from('"}'),
      ]),
      'application/json',
    );
    expect(huge.status).toBe(413);
    expect((await huge.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('allows CORS for the dashboard and CORS_ORIGINS only, with credentials', async () => {
    const from = (origin: string, init: RequestInit = {}) =>
      fetch(`${api.origin}/healthz`, { ...init, headers: { origin, ...(init.headers ?? {}) } });
    for (const origin of [
      'http://localhost:3999',
      'https://lab.example.org',
      'http://127.0.0.1:8888',
    ]) {
      const res = await from(origin);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toMatch(/Origin/i);
    }
    const evil = await from('http://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = (origin: string) =>
      from(origin, {
        method: 'OPTIONS',
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const ok = await preflight('http://localhost:3999');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const refused = await preflight('http://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('sends security headers and no framework banner', async () => {
    const res = await fetch(`${api.origin}/healthz`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull();
    // The landing page (no script, links the dashboard's explorer): the strict CSP plus its
    // one inline style by hash (landing-page.test.ts checks the page itself).
    const landing = await fetch(`${api.origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
    expect(landing.headers.get('content-security-policy')).toMatch(
      /^default-src 'none';style-src 'sha256-[A-Za-z0-9+/=]+';frame-ancestors 'none'/,
    );
    expect(landing.headers.get('x-frame-options')).toBe('DENY');
    const json = await fetch(`${api.origin}/graphql?query=%7B__typename%7D`, {
      headers: { 'apollo-require-preflight': '1', ...auth(api) },
    });
    expect(json.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('listens on 127.0.0.1 only by default', async () => {
    const ok = await fetch(`http://127.0.0.1:${api.server.port}/healthz`);
    expect(ok.status).toBe(200);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    const addresses = [external?.address, '::1'].filter((a): a is string => Boolean(a));
    for (const address of addresses) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: api.server.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused, `connection on ${address}`).toBe(true);
    }
  });
});

describe('artifact serving', () => {
  let api: TestApi;
  let runId: string;
  beforeAll(async () => {
    api = await startTestApi(sqlite);
    runId = await createRun(api, { project: uniq('xss') });
  });
  afterAll(async () => {
    await api?.stop();
  });

  const put = (name: string, type: string, body: string | Buffer) =>
    fetch(`${api.origin}/runs/${runId}/artifacts/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': type, ...auth(api) },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const get = (name: string) =>
    fetch(`${api.origin}/runs/${runId}/artifacts/${encodeURIComponent(name)}`, {
      headers: auth(api),
    });

  it('serves uploaded HTML and SVG as sandboxed octet-stream attachments, never inline', async () => {
    const cases = [
      [
        'evil.html',
        'Text/HTML; charset=utf-8',
        '<script>alert(document.cookie)</script>',
        'text/html',
      ],
      [
        'evil.svg',
        'image/svg+xml',
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        'image/svg+xml',
      ],
      ['odd.bin', 'text/html<script>', '<b>x</b>', 'application/octet-stream'],
    ] as const;
    for (const [name, type, body, stored] of cases) {
      const up = await put(name, type, body);
      expect(up.status).toBe(201);
      expect((await up.json()).mimeType).toBe(stored);
      const res = await get(name);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      // A malformed type is stored as application/octet-stream, which needs no disposition.
      if (stored === 'application/octet-stream')
        expect(res.headers.get('content-disposition')).toBeNull();
      else
        expect(res.headers.get('content-disposition')).toMatch(
          new RegExp(`^attachment; filename="?${name.replace('.', '\\.')}"?$`),
        );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/(^|; )sandbox($|;)/);
      expect(await res.text()).toBe(body);
    }
  });

  it('serves allow-listed types inline, canonical, sandboxed', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    for (const [name, type, served] of [
      ['curve.png', 'IMAGE/PNG; foo=bar', 'image/png'],
      ['photo.jpg', 'image/jpg', 'image/jpeg'],
      ['model.json', 'application/json; charset=utf-8', 'application/json'],
      ['weights.bin', 'application/octet-stream', 'application/octet-stream'],
    ] as const) {
      expect((await put(name, type, png)).status).toBe(201);
      const res = await get(name);
      expect(res.headers.get('content-type')).toBe(served);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
    }
  });

  it('sandboxes exports too', async () => {
    const res = await fetch(`${api.origin}/runs/${runId}/export/metrics.csv`, {
      headers: auth(api),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
  });
});
