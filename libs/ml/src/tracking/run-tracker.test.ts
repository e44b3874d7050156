// RunTracker against a small fake of the API (node:http) that fails like a shared server: 503s,
// responses lost after the write, a slow flush. Time is injected, so retries take no real time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGraphqlClient, type ClientClock, type RetryPolicy } from './graphql-client';
import { RunTracker, toMetricSeries, type MetricPointInput } from './run-tracker';

/** What the fake does with one request: answer, fail with a status, or store and drop the answer. */
type Fault = 'ok' | 503 | 'store-then-drop';

/** A fake API: createRun, logMetrics (idempotent on name and step), finishRun, artifact PUTs. */
async function fakeApi() {
  const points = new Map<string, number>();
  const inserts = new Map<string, number>();
  const artifacts = new Map<string, { bytes: Buffer; puts: number }>();
  const faults: Fault[] = [];
  const seen: string[] = [];
  let gate: Promise<void> | undefined;
  let status = 'RUNNING';
  let startedWith: Record<string, unknown> | undefined;
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // The handler's promise is the test's: http only needs the callback to return.
    req.on(
      'end',
      () =>
        void (async () => {
          const raw = Buffer.concat(chunks);
          const fault = faults.shift() ?? 'ok';
          const send = (body: unknown) => {
            if (fault === 'store-then-drop') return req.socket.destroy();
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          };
          if (fault === 503) return res.writeHead(503).end('restarting');
          if (req.method === 'PUT') {
            seen.push('PUT');
            const name = decodeURIComponent(
              new URL(req.url!, 'http://x').pathname.split('/').pop()!,
            );
            const a = artifacts.get(name);
            artifacts.set(name, { bytes: raw, puts: (a?.puts ?? 0) + 1 });
            return send({
              artifact: { name, kind: 'model', sha256: 'x', bytes: raw.length, url: '' },
            });
          }
          const { query, variables } = JSON.parse(raw.toString()) as {
            query: string;
            variables: Record<string, unknown>;
          };
          const op =
            /(createRun|startRun|logMetricSeries|logMetrics|finishRun|heartbeat)/.exec(
              query,
            )?.[1] ?? '?';
          seen.push(op);
          if (op === 'createRun') return send({ data: { createRun: { id: 'r1', name: 'run' } } });
          if (op === 'startRun') {
            if (variables.id !== 'queued-7')
              return send({
                errors: [
                  {
                    message: `run ${String(variables.id)} not found`,
                    extensions: { code: 'NOT_FOUND' },
                  },
                ],
              });
            status = 'RUNNING';
            startedWith = variables;
            return send({ data: { startRun: { id: 'queued-7', name: 'queued run', status } } });
          }
          if (op === 'finishRun') {
            status = variables.status as string;
            return send({ data: { finishRun: { id: 'r1', status } } });
          }
          if (op === 'logMetrics' || op === 'logMetricSeries') {
            await gate;
            let accepted = 0;
            let duplicates = 0;
            // The tracker sends columns (logMetricSeries): one series per name.
            const sent =
              op === 'logMetrics'
                ? (variables.points as MetricPointInput[])
                : (
                    variables.series as { name: string; steps: number[]; values: number[] }[]
                  ).flatMap((s) =>
                    s.steps.map((step, i) => ({ name: s.name, step, value: s.values[i]! })),
                  );
            for (const p of sent) {
              const key = `${p.name}@${p.step}`;
              if (points.has(key)) {
                duplicates++;
                continue;
              }
              points.set(key, p.value);
              inserts.set(key, (inserts.get(key) ?? 0) + 1);
              accepted++;
            }
            return send({ data: { [op]: { accepted, duplicates } } });
          }
          send({
            errors: [{ message: `unexpected ${op}`, extensions: { code: 'BAD_USER_INPUT' } }],
          });
        })(),
    );
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => srv.close(() => r(undefined))));
  let release = () => {};
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    points,
    inserts,
    artifacts,
    faults,
    seen,
    status: () => status,
    startedWith: () => startedWith,
    /** Holds logMetrics answers until the returned function is called. */
    hold() {
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Sleeps that take no time (the back-off is tested in graphql-client.test.ts). */
const instant: Partial<ClientClock> = { sleep: async () => undefined };

async function tracker(
  api: { url: string },
  options: { maxBufferedPoints?: number; retry?: Partial<RetryPolicy> } = {},
) {
  const client = createGraphqlClient({
    apiUrl: api.url,
    apiKey: 'cs_test',
    clock: instant,
    retry: options.retry,
  });
  return RunTracker.create({
    apiUrl: api.url,
    project: 'p',
    client,
    heartbeatMs: 0, // heartbeats have their own tests (heartbeat.test.ts)
    maxBufferedPoints: options.maxBufferedPoints,
  });
}

const series = (name: string, from: number, n: number): MetricPointInput[] =>
  Array.from({ length: n }, (_, i) => ({ name, step: from + i, value: (from + i) / 7 }));

describe('RunTracker through a failing API', () => {
  it('stores every point exactly once through 503s and a response lost after the write', async () => {
    const api = await fakeApi();
    const t = await tracker(api);
    const logged = [...series('loss', 1, 120), ...series('acc', 1, 120)];
    await t.log(logged.slice(0, 100));
    api.faults.push(503, 503, 'store-then-drop'); // the write lands, its answer never comes
    await t.flush();
    await t.log(logged.slice(100));
    api.faults.push(503);
    await t.finish();
    expect(t.pendingPoints).toBe(0);
    expect(api.points.size).toBe(logged.length);
    for (const p of logged) expect(api.points.get(`${p.name}@${p.step}`)).toBe(p.value);
    expect(Math.max(...api.inserts.values())).toBe(1);
    // Past the 503s: the write whose answer was lost, its resend (all duplicates), the last batch.
    expect(api.seen.filter((s) => s === 'logMetricSeries')).toHaveLength(3);
    expect(api.status()).toBe('COMPLETED');
  });

  it('keeps the points of a failed flush for the next one', async () => {
    const api = await fakeApi();
    const t = await tracker(api, { retry: { budgetMs: 0 } });
    await t.log(series('loss', 1, 5));
    api.faults.push(503);
    await expect(t.flush()).rejects.toMatchObject({ code: 'UNREACHABLE' });
    expect(t.pendingPoints).toBe(5);
    expect(api.points.size).toBe(0);
    await t.flush();
    expect(t.pendingPoints).toBe(0);
    expect([...api.points.keys()]).toEqual(series('loss', 1, 5).map((p) => `loss@${p.step}`));
  });

  it('makes logging wait for a flush when the buffer is full, and drops nothing', async () => {
    const api = await fakeApi();
    const t = await tracker(api, { maxBufferedPoints: 10 });
    await t.log(series('loss', 1, 10)); // fits: resolved at once
    const release = api.hold();
    const flushing = t.flush();
    await vi.waitFor(() => expect(api.seen).toContain('logMetricSeries'));
    let admitted = false;
    const waiting = t.log(series('loss', 11, 15)).then(() => (admitted = true));
    const later = t.log(series('acc', 1, 3)); // queued behind the waiting call
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(admitted).toBe(false);
    expect(t.pendingPoints).toBeLessThanOrEqual(10);
    release();
    await Promise.all([flushing, waiting, later]);
    await t.flush();
    expect(api.points.size).toBe(28);
    expect(Math.max(...api.inserts.values())).toBe(1);
  });

  it('refuses non-finite values at once, queueing nothing', async () => {
    const api = await fakeApi();
    const t = await tracker(api);
    expect(() =>
      t.log([
        { name: 'loss', step: 1, value: 1 },
        { name: 'loss', step: 2, value: NaN },
      ]),
    ).toThrow(/metric loss at step 2 is NaN/);
    expect(t.pendingPoints).toBe(0);
  });

  it('uploads an artifact through an outage, sending the same bytes again', async () => {
    const api = await fakeApi();
    const t = await tracker(api);
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    api.faults.push(503, 'store-then-drop');
    const info = await t.uploadArtifact('weights.bin', bytes, {
      kind: 'model',
      mimeType: 'application/octet-stream',
    });
    expect(info.name).toBe('weights.bin');
    const stored = api.artifacts.get('weights.bin')!;
    expect(stored.puts).toBe(2); // the 503 stored nothing; the dropped answer's write is replaced
    expect(Buffer.compare(stored.bytes, Buffer.from(bytes))).toBe(0);
    expect(api.artifacts.size).toBe(1);
  });
});

describe('RunTracker.adopt', () => {
  it('trains into an existing run: startRun with the backend, no createRun, then finishes it', async () => {
    const api = await fakeApi();
    const client = createGraphqlClient({ apiUrl: api.url, apiKey: 'cs_test', clock: instant });
    const t = await RunTracker.adopt({
      apiUrl: api.url,
      client,
      runId: 'queued-7',
      backend: 'wasm',
      backendReason: 'forced',
      heartbeatMs: 0,
    });
    expect(t.runId).toBe('queued-7');
    expect(t.runName).toBe('queued run');
    expect(api.startedWith()).toMatchObject({ id: 'queued-7', backend: 'wasm' });
    await t.log(series('loss', 1, 3));
    await t.finish();
    expect(api.seen).not.toContain('createRun');
    expect(api.points.size).toBe(3);
    expect(api.status()).toBe('COMPLETED');
  });

  it('fails with the API error for a run it may not adopt', async () => {
    const api = await fakeApi();
    const client = createGraphqlClient({ apiUrl: api.url, apiKey: 'cs_test', clock: instant });
    await expect(
      RunTracker.adopt({ apiUrl: api.url, client, runId: 'nope', heartbeatMs: 0 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('toMetricSeries', () => {
  it('groups a batch by name in order, with times only where some point has one', () => {
    const t = '2026-12-01T10:00:00.000Z';
    expect(
      toMetricSeries([
        { name: 'loss', step: 0, value: 1 },
        { name: 'acc', step: 0, value: 0.5 },
        { name: 'loss', step: 1, value: 0.5, time: t },
        { name: 'loss', step: 2, value: 0.25 },
        { name: 'acc', step: 1, value: 0.75 },
      ]),
    ).toEqual([
      { name: 'loss', steps: [0, 1, 2], values: [1, 0.5, 0.25], times: [null, t, null] },
      { name: 'acc', steps: [0, 1], values: [0.5, 0.75] },
    ]);
    expect(toMetricSeries([])).toEqual([]);
  });
});
