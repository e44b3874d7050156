// Live updates end to end: GET /live/events streams on one API instance receive what another
// instance on the same PostgreSQL schema wrote (LISTEN/NOTIFY), the SQLite default works in one
// process, a caller sees only projects it may read, streams keep their budget and close on
// shutdown, and the heartbeat reaper of two instances fails a dead run once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/common/clock';
import {
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type TestApi,
  type TestDatabase,
} from './helpers';

/** One received server-sent event. */
interface SseEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** A live stream read in the background. */
interface OpenStream {
  status: number;
  events: SseEvent[];
  /** Comment lines (`: ping`) seen so far. */
  comments: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** The first event matching `pred` (waits up to `timeoutMs`). */
  next(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens GET /live/events?<query> with a key (null: anonymous) and parses its events. */
async function openStream(
  api: TestApi,
  query: string,
  key: string | null = api.key,
): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(`${api.origin}/live/events${query ? `?${query}` : ''}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const stream: OpenStream = {
    status: res.status,
    events,
    comments: 0,
    ended: Promise.resolve(),
    async next(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(pred);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.add(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
  if (res.status !== 200 || !res.body) return stream;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  stream.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith(':')) stream.comments += 1;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data)
            events.push({
              event,
              data: JSON.parse(data) as Record<string, unknown>,
              at: Date.now(),
            });
          for (const w of [...waiters]) w();
          waiters.clear();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  await stream.next((e) => e.event === 'ready');
  return stream;
}

/** Signs `email` in through a login link and mints an API key of theirs (as permissions.test.ts). */
async function keyOf(api: TestApi, email: string): Promise<string> {
  const link = (
    await api.ok<{ createLoginLink: string }>(
      'mutation($e: String!) { createLoginLink(email: $e) }',
      {
        e: email,
      },
    )
  ).createLoginLink;
  const url = new URL(link);
  const login = await fetch(`${api.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('convscope.session_token='));
  if (!cookie) throw new Error('the login link set no session cookie');
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      query: 'mutation { createApiKey(input: { name: "live", role: OWNER }) { key } }',
    }),
  });
  const body = (await res.json()) as { data?: { createApiKey: { key: string } } };
  if (!body.data) throw new Error(`no key: ${JSON.stringify(body)}`);
  return body.data.createApiKey.key;
}

const pg = databases.find((d) => d.label === 'postgresql')!;
const sqlite = databases.find((d) => d.label === 'sqlite')!;

/** Two API instances on one fresh database; `b` shares `a`'s database. */
async function twoInstances(db: TestDatabase, options: Parameters<typeof startTestApi>[1] = {}) {
  const a = await startTestApi(db, options);
  const b = await startTestApi(db, options, { url: a.databaseUrl, dispose: async () => {} });
  return { a, b };
}

const point = (step: number, value: number) => ({ name: 'val_accuracy', step, value });

describe('live updates across two API instances on postgresql', () => {
  let a: TestApi;
  let b: TestApi;
  const project = uniq('live');

  beforeAll(async () => {
    ({ a, b } = await twoInstances(pg));
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('delivers a metric batch logged on A to a run stream on B within seconds', async () => {
    const runId = await createRun(a, { project, status: 'RUNNING' });
    const stream = await openStream(b, `run=${runId}`);
    expect(stream.status).toBe(200);
    const sent = Date.now();
    await a.ok(LOG_METRICS, { runId, points: [point(1, 0.5), point(2, 0.6)] });
    const got = await stream.next((e) => e.event === 'run.metrics');
    expect(got.data).toMatchObject({ runId });
    expect(got.at - sent).toBeLessThan(2000);
    stream.close();
  });

  it('coalesces many batches into a few events', async () => {
    const runId = await createRun(a, { project, status: 'RUNNING' });
    const stream = await openStream(b, `run=${runId}`);
    for (let step = 0; step < 20; step++)
      await a.ok(LOG_METRICS, { runId, points: [point(step, step / 20)] });
    // The last batch is always announced (a trailing event), so the dashboard never misses it.
    await stream.next((e) => e.event === 'run.metrics');
    const last = await a.ok(LOG_METRICS, { runId, points: [point(99, 0.99)] });
    expect(last.logMetrics.accepted).toBe(1);
    const count = () => stream.events.filter((e) => e.event === 'run.metrics').length;
    const before = count();
    await stream.next(() => count() > before);
    // 21 batches, far fewer events (at most one per 250 ms, plus the first).
    expect(count()).toBeLessThan(21);
    stream.close();
  });

  it('announces status changes and new runs of a project', async () => {
    const stream = await openStream(b, `project=${project}`);
    const runId = await createRun(a, { project, status: 'QUEUED' });
    await stream.next((e) => e.event === 'run.created' && e.data.runId === runId);
    await a.ok('mutation($id: ID!) { startRun(id: $id) { id } }', { id: runId });
    await stream.next(
      (e) => e.event === 'run.status' && e.data.runId === runId && e.data.status === 'RUNNING',
    );
    await a.ok('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }', {
      id: runId,
    });
    const done = await stream.next(
      (e) => e.event === 'run.status' && e.data.runId === runId && e.data.status === 'COMPLETED',
    );
    expect(done.data.projectId).toEqual(expect.any(String));
    stream.close();
  });

  it('shows a caller only the projects it may read', async () => {
    const secret = uniq('secret');
    const open = uniq('open');
    for (const name of [secret, open])
      await a.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: name });
    await a.ok(
      'mutation($n: String!) { setProjectVisibility(project: $n, visibility: PUBLIC) { id } }',
      {
        n: open,
      },
    );
    const email = `${uniq('eve')}@lab.test`;
    await a.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { email, name: 'eve' },
    });
    const eveKey = await keyOf(a, email);
    const secretRun = await createRun(a, { project: secret, status: 'RUNNING' });

    // Scoped to what she may not read: refused like a read (404 / 401), nothing streamed.
    const byRun = await openStream(b, `run=${secretRun}`, eveKey);
    expect(byRun.status).toBe(404);
    const byProject = await openStream(b, `project=${secret}`, eveKey);
    expect(byProject.status).toBe(404);
    const anonymous = await openStream(b, `run=${secretRun}`, null);
    expect(anonymous.status).toBe(401);

    // Unscoped: events of the private project are filtered out, the public one's arrive.
    const watcher = await openStream(b, '', eveKey);
    expect(watcher.status).toBe(200);
    const everything = await openStream(b, '');
    await a.ok(LOG_METRICS, { runId: secretRun, points: [point(1, 0.1)] });
    await everything.next((e) => e.event === 'run.metrics' && e.data.runId === secretRun);
    const openRun = await createRun(a, { project: open, status: 'RUNNING' });
    await watcher.next((e) => e.event === 'run.created' && e.data.runId === openRun);
    await a.ok(LOG_METRICS, { runId: openRun, points: [point(1, 0.2)] });
    await watcher.next((e) => e.event === 'run.metrics' && e.data.runId === openRun);
    expect(watcher.events.filter((e) => e.data.runId === secretRun)).toEqual([]);
    watcher.close();
    everything.close();
  });

  it('stops a key revoked on A on B at once, not when the key cache of B expires', async () => {
    const made = await a.ok<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      'mutation { createApiKey(input: { name: "short-lived", role: VIEWER }) { key apiKey { id } } }',
    );
    const key = made.createApiKey.key;
    const me = () => b.gql<{ me: { email: string } | null }>('{ me { email } }', {}, { key });
    expect((await me()).errors).toBeUndefined(); // B has verified and cached the key
    await a.ok('mutation($id: ID!) { revokeApiKey(id: $id) { enabled } }', {
      id: made.createApiKey.apiKey.id,
    });
    const started = Date.now();
    let refused = false;
    while (!refused && Date.now() - started < 3000) {
      refused = (await me()).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    // B's cache alone would accept it for KEY_CACHE_MS (10 s).
    expect(refused).toBe(true);
  });

  it('refuses a bad scope with 400 naming it', async () => {
    const res = await b.fetch('/live/events?project=x&run=y');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/project or run/);
    const extra = await b.fetch('/live/events?since=1');
    expect(extra.status).toBe(400);
  });
});

describe('live stream budget and shutdown', () => {
  it('caps streams per caller, pings, times out idle streams and ends streams on close', async () => {
    const api = await startTestApi(sqlite, {
      liveLimits: { maxStreamsPerPrincipal: 2, heartbeatMs: 50, idleTimeoutMs: 400 },
    });
    try {
      const s1 = await openStream(api, '');
      const s2 = await openStream(api, '');
      const s3 = await openStream(api, '');
      expect(s3.status).toBe(429);
      // Heartbeat comments keep proxies from closing a quiet stream.
      await s1.next(() => s1.comments >= 2);
      // Idle streams are ended with a reason (EventSource then reconnects).
      const bye = await s1.next((e) => e.event === 'bye', 3000);
      expect(bye.data).toEqual({ reason: 'idle' });
      await s1.ended;
      await s2.ended;
      // Their slots are free again.
      const s4 = await openStream(api, '');
      expect(s4.status).toBe(200);
      const started = Date.now();
      await api.stop();
      await s4.ended;
      expect(s4.events.at(-1)).toMatchObject({ event: 'bye', data: { reason: 'shutdown' } });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await api.stop();
    }
  });
});

describe('live updates on the sqlite default (one instance)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(sqlite);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('streams metrics and status of a run in process', async () => {
    const project = uniq('solo');
    const runId = await createRun(api, { project, status: 'RUNNING' });
    const stream = await openStream(api, `run=${runId}`);
    await api.ok(LOG_METRICS, { runId, points: [point(1, 0.7)] });
    await stream.next((e) => e.event === 'run.metrics' && e.data.runId === runId);
    await api.ok('mutation($id: ID!) { finishRun(id: $id, status: FAILED, error: "x") { id } }', {
      id: runId,
    });
    await stream.next((e) => e.event === 'run.status' && e.data.status === 'FAILED');
    stream.close();
  });
});

describe('queue notices across two API instances on postgresql', () => {
  it('announces a queued run, a registered worker and a cancel', async () => {
    const { a, b } = await twoInstances(pg);
    try {
      const project = uniq('queue');
      const made = await a.ok<{ createProject: { id: string } }>(
        'mutation($n: String!) { createProject(name: $n) { id } }',
        { n: project },
      );
      const projectId = made.createProject.id;
      const stream = await openStream(b, `project=${project}`);
      const everything = await openStream(b, '');
      const queued = await a.ok<{ queueRun: { id: string } }>(
        'mutation($i: QueueRunInput!) { queueRun(input: $i) { id } }',
        { i: { projectId, config: { preset: 'cifar3-cnn' } } },
      );
      const runId = queued.queueRun.id;
      await stream.next((e) => e.event === 'run.created' && e.data.runId === runId);
      await stream.next((e) => e.event === 'queue' && e.data.runId === runId);
      await a.ok('mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }', {
        i: { name: 'w', host: 'h', backend: 'wasm', gpu: false, memoryMb: 1000, concurrency: 1 },
      });
      // A worker belongs to no project: signed-in callers hear of it on the unscoped stream.
      await everything.next((e) => e.event === 'queue' && e.data.projectId === null);
      await a.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId });
      await stream.next(
        (e) => e.event === 'run.status' && e.data.runId === runId && e.data.status === 'CANCELLED',
      );
      stream.close();
      everything.close();
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

describe('the heartbeat reaper on two instances', () => {
  it('fails a dead run once', async () => {
    const clock = new FakeClock();
    const { a, b } = await twoInstances(pg, { clock, heartbeatTimeoutS: 30 });
    try {
      const project = uniq('reap');
      const runId = await createRun(a, { project, status: 'RUNNING' });
      const stream = await openStream(b, `project=${project}`);
      clock.advance(61_000); // past the grace period and the timeout
      const [fromA, fromB] = await Promise.all([a.server.reapNow(), b.server.reapNow()]);
      expect([...fromA, ...fromB].filter((id) => id === runId)).toEqual([runId]);
      await stream.next(
        (e) => e.event === 'run.status' && e.data.runId === runId && e.data.status === 'FAILED',
      );
      const status = await b.ok<{ run: { status: string } }>(
        'query($id: ID!) { run(id: $id) { status } }',
        { id: runId },
      );
      expect(status.run.status).toBe('FAILED');
      // Announced once too: a later notice arrives with no second FAILED before it.
      const marker = await createRun(a, { project, status: 'QUEUED' });
      await stream.next((e) => e.event === 'run.created' && e.data.runId === marker);
      expect(stream.events.filter((e) => e.event === 'run.status')).toHaveLength(1);
      stream.close();
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
