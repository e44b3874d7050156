// Queued training end to end, as a lab runs it: an API with the job queue (pg-boss on
// PostgreSQL; the embedded table queue on SQLite), two `npm run worker` processes, a four-run
// grid sweep and six short training runs queued over GraphQL, one worker killed with SIGKILL
// while it trains. Every run must end COMPLETED once, with its metrics (no step stored twice)
// and its model artifacts; the killed worker's job is retried by the other worker; the sweep
// ends FINISHED with each of its four grid points queued once (none again for the killed run)
// and a best run; a cancelled running job ends CANCELLED.
// PostgreSQL is skipped when unreachable unless REQUIRE_POSTGRES=1 (CI).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApiServer, type ApiServer } from '../../apps/api/src/server';
import { repoRoot } from './api-process';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
const withPostgres = process.env.REQUIRE_POSTGRES === '1' || (await postgresReachable());

/** A short run: one epoch over a few dozen Fashion-MNIST images (the repository's subset). */
const TINY_CONFIG = {
  preset: 'fmnist-cnn',
  training: { epochs: 1, batchSize: 16, trainLimit: 48, testLimit: 32, uncertaintyPasses: 0 },
};

/** A worker process (`npm run worker`, run with tsx like the npm script). */
interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
  /** Set when the test kills it (an exit otherwise fails the flow at once). */
  killed: boolean;
}

/**
 * What one database's flow started (its API, schema, folder and workers) and its steps with their
 * wall-clock times. The two flows run at the same time, each tearing down only its own.
 */
interface Flow {
  kind: 'sqlite' | 'postgresql';
  workers: WorkerProcess[];
  cleanups: (() => Promise<unknown>)[];
  marks: string[];
}

/** Every worker started, so none outlives a failed run of the file. */
const allWorkers = new Set<WorkerProcess>();

function mark(flow: Flow, what: string): void {
  const line = `${new Date().toISOString().slice(11, 23)} ${flow.kind}: ${what}`;
  flow.marks.push(line);
  // Written at once too: a flow cut short by the test's time-out still shows how far it got.
  if (process.env.QUEUE_TEST_LOG) appendFileSync(process.env.QUEUE_TEST_LOG, `${line}\n`);
}

/** The workers' recent output (for failure messages). */
function flowLogs(flow: Flow): string {
  return flow.workers.map((w) => `--- ${w.name} ---\n${w.output().slice(-4000)}`).join('\n');
}

function startWorker(flow: Flow, api: string, key: string, name: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'libs/ml/src/cli/worker.cli.ts',
      '--api',
      api,
      '--api-key',
      key,
      '--name',
      name,
      '--heartbeat-ms',
      '1000',
      '--light',
    ],
    {
      cwd: repoRoot,
      // One thread per worker: the workers share the test machine's cores.
      env: { ...process.env, CONVSCOPE_DATA_PARALLEL: 'off', RUN_HEARTBEAT_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const append = (c: Buffer) => (log = (log + c.toString('utf8')).slice(-32_768));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const w: WorkerProcess = { name, child, output: () => log, exited, killed: false };
  flow.workers.push(w);
  allWorkers.add(w);
  return w;
}

async function killWorker(w: WorkerProcess, signal: NodeJS.Signals): Promise<void> {
  w.killed = true;
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
  allWorkers.delete(w);
}

/** Kills the flow's workers, undoes what it made and keeps its log (QUEUE_TEST_LOG=file). */
async function endFlow(flow: Flow): Promise<void> {
  await Promise.all(flow.workers.map((w) => killWorker(w, 'SIGKILL')));
  for (const c of flow.cleanups.splice(0).reverse()) await c().catch(() => undefined);
  mark(flow, 'cleaned up');
  const log = [
    `=== ${flow.kind} ===`,
    ...flow.workers.map((w) => `--- ${w.name} ---\n${w.output()}`),
  ];
  if (process.env.QUEUE_TEST_LOG)
    await appendFile(process.env.QUEUE_TEST_LOG, `${log.join('\n')}\n`);
}

afterAll(async () => {
  await Promise.all([...allWorkers].map((w) => killWorker(w, 'SIGKILL')));
});

interface RunState {
  id: string;
  name: string;
  status: string;
  attempts: number;
  error: string | null;
  worker: { name: string } | null;
}

/** How long a killed worker's lease lasts, s: its job waits this long before a retry. */
const LEASE_S = 10;

async function startApi(flow: Flow) {
  const { kind, cleanups } = flow;
  const dir = await mkdtemp(path.join(tmpdir(), 'convscope-queue-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  let databaseUrl = `file:${path.join(dir, 'db.sqlite')}`;
  if (kind === 'postgresql') {
    const schema = `q_${randomBytes(6).toString('hex')}`;
    databaseUrl = `${POSTGRES_URL}?schema=${schema}`;
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      // pg-boss keeps its tables in a schema of its own beside ours.
      await client.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`).catch(() => undefined);
      await client.end();
    });
  }
  const api: ApiServer = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    artifactsDir: path.join(dir, 'artifacts'),
    keyFile: path.join(dir, 'keys', 'local-api-key'),
    // A killed worker's lease ends after LEASE_S (a loaded CI machine answers beats slowly) and
    // the reaper looks twice a second.
    jobLeaseS: LEASE_S,
    reaperIntervalMs: 500,
    heartbeatTimeoutS: 30,
    // The sweep queues its next grid point soon after one ends (the default tick is 5 s).
    sweepTickMs: 250,
  });
  cleanups.push(() => api.close());
  const base = api.url.replace(/\/graphql$/, '');
  const key = api.localKey;
  const gql = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: { message: string }[] };
    if (body.errors) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };
  return { base, key, gql };
}

type Gql = Awaited<ReturnType<typeof startApi>>['gql'];

const RUN_FIELDS = 'id name status attempts error worker { name }';

/** The runs' states in one request (aliased `run` fields), in the order of `ids`. */
async function runStates(gql: Gql, ids: string[]): Promise<RunState[]> {
  if (ids.length === 0) return [];
  const vars = ids.map((_, i) => `$i${i}: ID!`).join(', ');
  const fields = ids.map((_, i) => `r${i}: run(id: $i${i}) { ${RUN_FIELDS} }`).join(' ');
  const data = await gql<Record<string, RunState>>(
    `query(${vars}) { ${fields} }`,
    Object.fromEntries(ids.map((id, i) => [`i${i}`, id])),
  );
  return ids.map((_, i) => data[`r${i}`]!);
}

/**
 * Polls `probe` until it returns something; fails with the workers' output after `timeoutMs`, or
 * at once when a worker the test did not kill has exited (a crash at start-up, say).
 */
async function waitFor<T>(
  flow: Flow,
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    const dead = flow.workers.find((w) => !w.killed && w.child.exitCode !== null);
    if (dead)
      throw new Error(
        `${dead.name} exited (${dead.child.exitCode}) while waiting for ${what}\n${flowLogs(flow)}`,
      );
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${flowLogs(flow)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function queueRuns(gql: Gql, projectId: string, n: number, prefix: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const data = await gql<{ queueRun: { id: string; status: string } }>(
      `mutation($input: QueueRunInput!) { queueRun(input: $input) { id status } }`,
      {
        input: {
          projectId,
          name: `${prefix}-${i}`,
          config: TINY_CONFIG,
          hyperparameters: { seed: i + 1 },
        },
      },
    );
    expect(data.queueRun.status).toBe('QUEUED');
    ids.push(data.queueRun.id);
  }
  return ids;
}

/** A four-run grid sweep over the same short job, two runs in flight at a time. */
const SWEEP_CONFIG = {
  method: 'grid',
  metric: { name: 'val_accuracy', goal: 'maximize' },
  parameters: { learningRate: { values: [0.001, 0.01] }, batchSize: { values: [8, 16] } },
  budget: { maxRuns: 4, parallel: 2 },
  base: TINY_CONFIG,
};
const GRID_POINTS = ['0.001/16', '0.001/8', '0.01/16', '0.01/8'];

interface SweepState {
  id: string;
  name: string;
  status: string;
  lastError: string | null;
  progress: {
    queued: number;
    running: number;
    completed: number;
    failed: number;
    cancelled: number;
    launched: number;
    planned: number;
    launchErrors: number;
  };
  bestRun: { runId: string; value: number } | null;
  runs: {
    totalCount: number;
    nodes: { id: string; name: string; status: string; hyperparameters: Record<string, unknown> }[];
  };
}

async function sweepState(gql: Gql, id: string): Promise<SweepState> {
  const data = await gql<{ sweep: SweepState }>(
    `query($id: ID!) { sweep(id: $id) { id name status lastError
      progress { queued running completed failed cancelled launched planned launchErrors }
      bestRun { runId value }
      runs(first: 100) { totalCount nodes { id name status hyperparameters } } } }`,
    { id },
  );
  return data.sweep;
}

async function createSweep(gql: Gql, projectId: string, name: string): Promise<string> {
  const data = await gql<{ createSweep: { id: string; status: string } }>(
    `mutation($p: ID!, $n: String!, $c: String!) {
      createSweep(projectId: $p, name: $n, config: $c) { id status } }`,
    { p: projectId, n: name, c: JSON.stringify(SWEEP_CONFIG) },
  );
  expect(data.createSweep.status).toBe('RUNNING');
  return data.createSweep.id;
}

interface StoredRun {
  run: {
    status: string;
    metricNames: string[];
    metrics: { name: string; points: { step: number }[] }[];
    artifacts: { nodes: { name: string }[] };
  };
}

/** A run's metrics (one point per step, val_accuracy at epoch 1) and model artifacts, once each. */
async function expectStored(gql: Gql, id: string): Promise<void> {
  const { run } = await gql<StoredRun>(
    `query($id: ID!) { run(id: $id) { status metricNames
        metrics(names: ["val_accuracy", "accuracy", "loss", "batch_loss"]) { name points { step } }
        artifacts(first: 200) { nodes { name } } } }`,
    { id },
  );
  expect(run.metricNames).toEqual(expect.arrayContaining(['val_accuracy', 'loss']));
  for (const series of run.metrics) {
    const steps = series.points.map((p) => p.step);
    // No step stored twice, even for the run trained twice.
    expect(new Set(steps).size, `${id} ${series.name}`).toBe(steps.length);
  }
  expect(run.metrics.find((m) => m.name === 'val_accuracy')!.points.map((p) => p.step)).toEqual([
    1,
  ]);
  const names = run.artifacts.nodes.map((n) => n.name);
  expect(names).toEqual(expect.arrayContaining(['model.json', 'weights.bin']));
  expect(new Set(names).size).toBe(names.length);
}

const ENDED = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** The sweep ended every grid point once: FINISHED, four runs each COMPLETED, a best run. */
function expectSweepFinished(sweep: SweepState): void {
  const runs = sweep.runs.nodes;
  expect(runs.map((r) => [r.name, r.status])).toEqual(runs.map((r) => [r.name, 'COMPLETED']));
  expect(sweep.status, sweep.lastError ?? '').toBe('FINISHED');
  // Four indexes claimed, four runs queued: the killed run was retried, never queued anew.
  expect(sweep.runs.totalCount).toBe(4);
  expect(sweep.progress).toEqual({
    queued: 0,
    running: 0,
    completed: 4,
    failed: 0,
    cancelled: 0,
    launched: 4,
    planned: 4,
    launchErrors: 0,
  });
  expect(runs.map((r) => r.name).sort()).toEqual([1, 2, 3, 4].map((i) => `${sweep.name}-${i}`));
  const points = runs.map(
    (r) => `${String(r.hyperparameters.learningRate)}/${String(r.hyperparameters.batchSize)}`,
  );
  expect(points.sort()).toEqual(GRID_POINTS);
  expect(runs.map((r) => r.id)).toContain(sweep.bestRun?.runId);
  expect(sweep.bestRun!.value).toBeGreaterThanOrEqual(0);
  expect(sweep.bestRun!.value).toBeLessThanOrEqual(1);
}

/** The run the flow cancels: long (200 epochs). */
async function queueLongRun(gql: Gql, projectId: string, kind: string): Promise<string> {
  const long = await gql<{ queueRun: { id: string } }>(
    `mutation($input: QueueRunInput!) { queueRun(input: $input) { id } }`,
    {
      input: {
        projectId,
        name: `${kind}-cancelled`,
        config: { ...TINY_CONFIG, training: { ...TINY_CONFIG.training, epochs: 200 } },
      },
    },
  );
  return long.queueRun.id;
}

/** A running job is cancelled: the worker stops it within seconds and the run ends CANCELLED. */
async function cancelFlow(flow: Flow, gql: Gql, longId: string) {
  await waitFor(
    flow,
    'the long run to start',
    async () => (await runStates(gql, [longId]))[0]!.status === 'RUNNING',
    60_000,
  );
  await gql(`mutation($id: ID!) { cancelRun(id: $id) { id cancelRequested } }`, { id: longId });
  const cancelled = await waitFor(
    flow,
    'the cancelled run to end',
    async () => {
      const [s] = await runStates(gql, [longId]);
      return s!.status !== 'RUNNING' && s;
    },
    30_000,
  );
  expect(cancelled.status).toBe('CANCELLED');
}

/**
 * Queues the sweep and the six runs, SIGKILLs worker A mid-job, waits for every run and the sweep
 * to end, then queues the long run to cancel; returns the runs' final states, the sweep, the
 * killed run and the long run's id.
 */
async function trainAll(flow: Flow, api: Awaited<ReturnType<typeof startApi>>, projectId: string) {
  const { gql } = api;
  const a = startWorker(flow, api.base, api.key, 'worker-a');
  startWorker(flow, api.base, api.key, 'worker-b');
  // The sweep first: its first two runs are the first claimed, so the kill lands on a sweep run.
  const sweepId = await createSweep(gql, projectId, `sweep-${flow.kind}`);
  const ids = await queueRuns(gql, projectId, 6, flow.kind);
  const allIds = async () => [
    ...ids,
    ...(await sweepState(gql, sweepId)).runs.nodes.map((r) => r.id),
  ];

  // SIGKILL worker A while it holds a RUNNING run (mid-job: no hand-back, no goodbye).
  const victim = await waitFor(
    flow,
    'worker-a to be training a run',
    async () =>
      (await runStates(gql, await allIds())).find(
        (r) => r.status === 'RUNNING' && r.worker?.name === 'worker-a',
      ),
    120_000,
  );
  await killWorker(a, 'SIGKILL');
  mark(flow, `worker-a killed (run ${victim.name})`);

  const ended = await waitFor(
    flow,
    'every run and the sweep to end',
    async () => {
      const sweep = await sweepState(gql, sweepId);
      if (sweep.status === 'RUNNING') return false;
      const states = await runStates(gql, await allIds());
      return states.every((s) => ENDED.includes(s.status)) && { final: states, sweep };
    },
    180_000,
  );
  mark(flow, 'every run and the sweep ended');
  // Queued before the checks of the runs, so the surviving worker's next poll finds it meanwhile.
  const longId = await queueLongRun(gql, projectId, flow.kind);
  return { ...ended, victim, longId };
}

/** The flow on one database: a sweep and six runs over two workers, one killed mid-job, a cancel. */
async function queueFlow(kind: 'sqlite' | 'postgresql') {
  const flow: Flow = { kind, workers: [], cleanups: [], marks: [] };
  try {
    mark(flow, 'start');
    const api = await startApi(flow);
    mark(flow, 'api started');
    const project = await api.gql<{ createProject: { id: string } }>(
      `mutation { createProject(name: "queue-${kind}") { id } }`,
    );
    const { final, sweep, victim, longId } = await trainAll(flow, api, project.createProject.id);
    expect(final.map((s) => [s.name, s.status, s.error])).toEqual(
      final.map((s) => [s.name, 'COMPLETED', null]),
    );
    const killed = final.find((s) => s.id === victim.id)!;
    // Retried on the surviving worker after the lease expired (a loaded machine may lose a lease
    // once more on the way: then it is retried again, never run twice at once).
    expect(killed.attempts).toBeGreaterThanOrEqual(2);
    expect(killed.worker?.name).toBe('worker-b');
    expectSweepFinished(sweep);
    for (const s of final) await expectStored(api.gql, s.id);
    mark(flow, 'checked');

    await cancelFlow(flow, api.gql, longId);
    mark(flow, 'cancelled');

    // SIGTERM: the surviving worker exits cleanly with nothing left to hand back.
    const b = flow.workers.find((w) => w.name === 'worker-b')!;
    await killWorker(b, 'SIGTERM');
    expect(b.child.exitCode, flowLogs(flow)).toBe(0);
    mark(flow, 'worker-b stopped');
  } finally {
    await endFlow(flow);
  }
}

// The two databases' flows run at once: while one waits (an API or a worker starting, a lease
// running out, a worker polling), the other trains on the machine's other core.
describe.concurrent('queued training on two worker processes', () => {
  it.skipIf(!withPostgres)(
    'PostgreSQL (pg-boss): a sweep and six runs complete once each, one worker killed mid-job, a cancel',
    () => queueFlow('postgresql'),
    420_000,
  );

  it('embedded default (SQLite): the same flow', () => queueFlow('sqlite'), 420_000);
});
