// The tracking client against a local node:http server that fails the way a shared server does
// (503s, Retry-After, dropped connections, a restart minutes later), with an injected clock so
// minutes of outage take milliseconds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  backoffDelay,
  createGraphqlClient,
  DEFAULT_KEY_FILE,
  isLoopbackUrl,
  parseRetryAfter,
  resolveApiKey,
  retryPolicy,
  type ClientClock,
  TypedDocumentString,
} from './graphql-client';

describe('resolveApiKey', () => {
  const files = (content: Record<string, string>) => {
    const read: string[] = [];
    return {
      read,
      readKeyFile: (p: string) => {
        read.push(p);
        return content[p];
      },
    };
  };

  it('prefers the explicit key, then CONVSCOPE_API_KEY, then the key file', () => {
    const f = files({ [DEFAULT_KEY_FILE]: 'cs_file\n' });
    const env = { CONVSCOPE_API_KEY: 'cs_env' };
    const apiUrl = 'http://localhost:4000';
    expect(resolveApiKey({ apiKey: 'cs_flag', apiUrl, env, ...f })).toMatchObject({
      key: 'cs_flag',
      source: 'option',
    });
    expect(resolveApiKey({ apiUrl, env, ...f })).toMatchObject({ key: 'cs_env', source: 'env' });
    const fromFile = resolveApiKey({ apiUrl, env: {}, ...f });
    expect(fromFile).toMatchObject({ key: 'cs_file', source: 'key-file' });
    expect(fromFile.description).toContain(DEFAULT_KEY_FILE);
  });

  it('reads the key file named by CONVSCOPE_KEY_FILE; blank values count as absent', () => {
    const f = files({ '/tmp/k': '  cs_custom  ' });
    const r = resolveApiKey({
      apiKey: ' ',
      apiUrl: 'http://127.0.0.1:4000',
      env: { CONVSCOPE_API_KEY: '', CONVSCOPE_KEY_FILE: '/tmp/k' },
      ...f,
    });
    expect(r).toMatchObject({ key: 'cs_custom', source: 'key-file' });
    expect(f.read).toEqual(['/tmp/k']);
  });

  it('resolves a relative CONVSCOPE_KEY_FILE against the repository root, like the API', () => {
    const f = files({});
    resolveApiKey({ apiUrl: 'http://[::1]:4000', env: { CONVSCOPE_KEY_FILE: 'tmp/key' }, ...f });
    expect(f.read).toEqual([path.join(path.dirname(path.dirname(DEFAULT_KEY_FILE)), 'tmp/key')]);
  });

  it('never reads the local key file for an API on another machine', () => {
    for (const apiUrl of [
      'https://convscope.example.org',
      'http://10.0.0.7:4000',
      'http://localhost.example.org',
      'http://127.0.0.1.nip.io',
      'http://[::2]:4000',
    ]) {
      const f = files({ [DEFAULT_KEY_FILE]: 'cs_local' });
      const r = resolveApiKey({ apiUrl, env: {}, ...f });
      expect(r.key, apiUrl).toBeUndefined();
      expect(r.source).toBe('none');
      expect(f.read).toEqual([]);
    }
    // An explicit key or the environment still go to a remote API: the user chose them.
    expect(
      resolveApiKey({ apiUrl: 'https://x.example.org', env: { CONVSCOPE_API_KEY: 'cs_e' } }).key,
    ).toBe('cs_e');
  });

  it('says when there is no key at all', () => {
    const r = resolveApiKey({
      apiUrl: 'http://localhost:1',
      env: {},
      readKeyFile: () => undefined,
    });
    expect(r.key).toBeUndefined();
    expect(r.source).toBe('none');
    expect(r.description).toMatch(/no key file at/);
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    ['http://localhost:4000', true],
    ['http://LOCALHOST', true],
    ['http://127.0.0.1:4000/graphql', true],
    ['http://127.200.3.4', true],
    ['http://[::1]:4000', true],
    ['http://[::ffff:127.0.0.1]:4000', true],
    ['http://[::ffff:10.0.0.1]:4000', false],
    ['http://128.0.0.1', false],
    ['http://0.0.0.0:4000', false],
    ['http://example.org', false],
    ['not a url', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});

describe('back-off', () => {
  const policy = retryPolicy({ baseDelayMs: 500, maxDelayMs: 20_000, budgetMs: 600_000 });

  it('draws each delay uniformly below a cap that doubles up to maxDelayMs (full jitter)', () => {
    expect(backoffDelay(0, policy, 0)).toBe(0);
    expect(backoffDelay(0, policy, 0.999)).toBe(499);
    expect(backoffDelay(3, policy, 0.5)).toBe(2000);
    expect(backoffDelay(6, policy, 0.999)).toBe(19_980);
    expect(backoffDelay(100, policy, 0.999)).toBe(19_980);
  });

  it('parses Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('defaults to a budget of minutes, not a handful of attempts', () => {
    const d = retryPolicy();
    expect(d.budgetMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(d.maxDelayMs).toBeGreaterThanOrEqual(15_000);
    expect(d.maxDelayMs).toBeLessThanOrEqual(30_000);
  });
});

/** A clock whose sleeps only move its time; `onSleep` can change the world at a given time. */
function fakeClock(
  options: { random?: () => number; onSleep?: (now: number) => Promise<void> | void } = {},
) {
  let t = 0;
  const sleeps: number[] = [];
  const clock: ClientClock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
      await options.onSleep?.(t);
    },
    random: options.random ?? Math.random,
  };
  return { clock, sleeps, now: () => t };
}

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

/** A local server; `handler` may be swapped while it runs; it can close and listen again on its port. */
async function server(initial: Handler) {
  let handler = initial;
  const requests: { method: string; url: string; auth?: string; body: string }[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        body,
      });
      handler(req, body, res);
    });
  });
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  const s = {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h: Handler) => (handler = h),
    async down() {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
    async up() {
      await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    },
    close: () => s.down().catch(() => undefined),
  };
  cleanups.push(s.close);
  return s;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) =>
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));

/** Documents of the fake servers here (built by hand: they are not the API's schema). */
type Ping = TypedDocumentString<{ ping: string }, Record<string, never>>;
const PING: Ping = new TypedDocumentString('query Ping { ping }');
const ANONYMOUS_PING: Ping = new TypedDocumentString('{ ping }');
const ONCE: Ping = new TypedDocumentString('mutation Once { ping }');
const LOG: Ping = new TypedDocumentString('mutation Log { ping }');

const ok = (res: http.ServerResponse) => json(res, 200, { data: { ping: 'pong' } });

describe('createGraphqlClient', () => {
  it('sends the key as a Bearer token on every attempt, GraphQL and raw HTTP', async () => {
    let n = 0;
    const s = await server((_req, _body, res) => (n++ < 2 ? json(res, 503, {}) : ok(res)));
    const { clock } = fakeClock();
    const c = createGraphqlClient({ apiUrl: `${s.url}/graphql`, apiKey: 'cs_test', clock });
    await c.request(PING);
    await c.http('/runs/1/artifacts/a', { method: 'PUT', body: 'x' });
    expect(s.requests.map((r) => r.auth)).toEqual(Array(4).fill('Bearer cs_test'));
  });

  it('sends no Authorization header without a key, and never to another origin', async () => {
    const s = await server((_req, _body, res) => ok(res));
    const other = await server((_req, _body, res) => ok(res));
    const none = createGraphqlClient({
      apiUrl: s.url,
      credentials: { source: 'none', description: 'no key' },
    });
    await none.request(ANONYMOUS_PING);
    const keyed = createGraphqlClient({ apiUrl: s.url, apiKey: 'cs_k' });
    await keyed.http(`${other.url}/model.json`);
    await keyed.http(`${s.url}/model.json`);
    expect(s.requests.map((r) => r.auth)).toEqual([undefined, 'Bearer cs_k']);
    expect(other.requests.map((r) => r.auth)).toEqual([undefined]);
  });

  it('rides out a 6-minute outage (connections refused, then back on the same port)', async () => {
    const s = await server((_req, _body, res) => ok(res));
    let restarted = false;
    const { clock, sleeps, now } = fakeClock({
      onSleep: async (t) => {
        if (t < 6 * 60_000 || restarted) return;
        restarted = true;
        await s.up();
      },
    });
    const c = createGraphqlClient({ apiUrl: s.url, apiKey: 'cs_k', clock });
    await c.request(ANONYMOUS_PING); // the API answered once: outages are ridden out from now on
    await s.down();
    const data = await c.request(ONCE);
    expect(data.ping).toBe('pong');
    expect(now()).toBeGreaterThanOrEqual(6 * 60_000);
    // Capped and jittered: no wait above maxDelayMs, and not all the same.
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(c.retry.maxDelayMs);
    expect(new Set(sleeps).size).toBeGreaterThan(sleeps.length / 2);
    // Exactly one request reached the server after it came back: nothing was sent twice.
    expect(s.requests.filter((r) => r.body.includes('Once'))).toHaveLength(1);
  });

  it('gives up when the time budget is spent, saying where it tried', async () => {
    const s = await server((_req, _body, res) => json(res, 502, { message: 'bad gateway' }));
    const { clock, sleeps, now } = fakeClock({ random: () => 0.999 });
    const c = createGraphqlClient({
      apiUrl: s.url,
      clock,
      retry: { budgetMs: 120_000, connectBudgetMs: 120_000, maxDelayMs: 15_000 },
    });
    const err = await c.request(ANONYMOUS_PING).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('UNREACHABLE');
    expect((err as ApiError).message).toMatch(/HTTP 502 bad gateway.*is the API running at/);
    expect(now()).toBe(120_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(15_000);
    expect(s.requests.length).toBe(sleeps.length + 1);
  });

  it('fails fast before the API ever answered (a wrong --api), then waits once it has', async () => {
    const s = await server((_req, _body, res) => ok(res));
    await s.down();
    const { clock, now } = fakeClock();
    const c = createGraphqlClient({
      apiUrl: s.url,
      clock,
      retry: { connectBudgetMs: 10_000, budgetMs: 600_000 },
    });
    await expect(c.request(ANONYMOUS_PING)).rejects.toMatchObject({ code: 'UNREACHABLE' });
    expect(now()).toBe(10_000);
  });

  it('honours Retry-After on 503 and 429', async () => {
    let n = 0;
    const s = await server((_req, _body, res) => {
      n++;
      if (n === 1) return json(res, 503, {}, { 'retry-after': '7' });
      if (n === 2) return json(res, 429, {}, { 'retry-after': '3' });
      ok(res);
    });
    const { clock, sleeps } = fakeClock({ random: () => 0 });
    const c = createGraphqlClient({ apiUrl: s.url, clock });
    await c.request(ANONYMOUS_PING);
    expect(sleeps).toEqual([7000, 3000]);
  });

  it('reports each retry before waiting', async () => {
    let n = 0;
    const s = await server((_req, _body, res) => (n++ === 0 ? json(res, 500, {}) : ok(res)));
    const seen: string[] = [];
    const c = createGraphqlClient({
      apiUrl: s.url,
      clock: fakeClock({ random: () => 0.5 }).clock,
      onRetry: (r) => seen.push(`${r.what} #${r.attempt}: ${r.error} wait ${r.delayMs}`),
    });
    await c.request(LOG);
    expect(seen).toEqual(['GraphQL Log #1: HTTP 500 {} wait 250']);
  });

  it('fails at once on 401, naming the key source and what to do', async () => {
    const s = await server((_req, _body, res) =>
      json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'unknown API key' } }),
    );
    const { clock, sleeps } = fakeClock();
    const c = createGraphqlClient({ apiUrl: s.url, apiKey: 'cs_wrong', clock });
    const err = (await c
      .http('/runs/1/artifacts/a', { method: 'PUT', body: 'x' })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.status).toBe(401);
    expect(err.message).toContain('unknown API key');
    expect(err.message).toContain('the --api-key option');
    expect(err.message).toContain('--api-key KEY');
    expect(err.message).toContain('CONVSCOPE_API_KEY');
    expect(err.message).toContain('npm run keys -- create');
    expect(s.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails at once on a GraphQL UNAUTHENTICATED or FORBIDDEN error', async () => {
    let code = 'UNAUTHENTICATED';
    const s = await server((_req, _body, res) =>
      json(res, 200, { errors: [{ message: 'nope', extensions: { code } }] }),
    );
    const c = createGraphqlClient({
      apiUrl: s.url,
      credentials: { source: 'none', description: 'no key (none given)' },
    });
    await expect(c.request(LOG)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(
        /refused GraphQL Log: it needs an API key.*no key \(none given\)/,
      ),
    });
    code = 'FORBIDDEN';
    await expect(c.request(LOG)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/role is too low.*npm run keys -- create/),
    });
    expect(s.requests).toHaveLength(2);
  });

  it('never retries a GraphQL error (bad input would fail again)', async () => {
    const s = await server((_req, _body, res) =>
      json(res, 200, { errors: [{ message: 'bad step', extensions: { code: 'BAD_USER_INPUT' } }] }),
    );
    const c = createGraphqlClient({ apiUrl: s.url, clock: fakeClock().clock });
    await expect(c.request(ANONYMOUS_PING)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(s.requests).toHaveLength(1);
  });

  it('retries a dropped connection and re-creates the body for each attempt', async () => {
    let n = 0;
    const s = await server((req, _body, res) => {
      if (n++ === 0) return req.socket.destroy(); // the response is lost
      json(res, 200, { ok: true });
    });
    const c = createGraphqlClient({ apiUrl: s.url, clock: fakeClock().clock });
    let made = 0;
    const res = await c.http('/upload', {
      method: 'PUT',
      body: () => {
        made++;
        return new Blob([new Uint8Array([1, 2, 3])]);
      },
    });
    expect(res.status).toBe(200);
    expect(made).toBe(2);
    expect(s.requests.map((r) => r.body)).toEqual(['\u0001\u0002\u0003', '\u0001\u0002\u0003']);
  });

  it('refuses a one-shot stream body, which a retry could not send again', async () => {
    const c = createGraphqlClient({ apiUrl: 'http://127.0.0.1:9' });
    expect(() => c.http('/x', { method: 'PUT', body: new Blob(['a']).stream() })).toThrow(
      /pass a function that creates it/,
    );
  });
});
