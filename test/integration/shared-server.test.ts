// Clients that survive a shared server: a real training run logged through RunTracker to an API
// that goes away in the middle for longer than its heartbeat timeout and comes back on the same
// port and database, and an MC-dropout run whose 100 synchronous uncertainty passes outlast the
// API's heartbeat timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createGraphqlClient,
  trainExperiment,
  TypedDocumentString,
  type EpochLogs,
  type RetryInfo,
} from '@convscope/ml';
import { startApiServer, type ApiServer } from '../../apps/api/src/server';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Longer than the API's heartbeat timeout below (the restarted API finds the run's last beat older
// than a timeout); both scaled down from the defaults (a minute each): the same situation in less
// waiting.
const HEARTBEAT_TIMEOUT_S = 20;
const OUTAGE_MS = 25_000;

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `convscope-${prefix}-`));
  dirs.push(dir);
  return dir;
}

interface StoredRun {
  status: string;
  error: string | null;
  metricNames: string[];
  metrics: { name: string; points: { step: number; value: number }[] }[];
  artifacts: { name: string; sha256: string }[];
  evaluations: { id: string }[];
  uncertainties: { id: string; passes: number }[];
}

/** Everything the API stored for a run, read with the admin key. */
async function storedRun(origin: string, key: string, id: string): Promise<StoredRun> {
  const client = createGraphqlClient({ apiUrl: origin, apiKey: key });
  // A document of this test only (out of codegen's reach): typed here by hand.
  const stored = new TypedDocumentString<
    { run: Omit<StoredRun, 'artifacts'> & { artifacts: { nodes: StoredRun['artifacts'] } } },
    { id: string }
  >(
    `query Stored($id: ID!) { run(id: $id) {
      status error metricNames
      metrics(maxPoints: 10000) { name points { step value } }
      artifacts { nodes { name sha256 } }
      evaluations { id }
      uncertainties { id passes }
    } }`,
  );
  const { run } = await client.request(stored, { id });
  return { ...run, artifacts: run.artifacts.nodes };
}

describe('a run logged to an API that restarts', () => {
  it(
    'completes through an outage longer than the heartbeat timeout with every metric point and artifact stored once',
    { timeout: 240_000 },
    async () => {
      const dir = await tempDir('outage');
      const settings = {
        databaseUrl: `file:${path.join(dir, 'db.sqlite')}`,
        artifactsDir: path.join(dir, 'artifacts'),
        keyFile: path.join(dir, 'local-api-key'),
        host: '127.0.0.1',
        // Shorter than the outage: the restarted API gives the run one timeout to come back
        // before judging it.
        heartbeatTimeoutS: HEARTBEAT_TIMEOUT_S,
        reaperIntervalMs: 1000,
      };
      let api: ApiServer = await startApiServer({ ...settings, port: 0 });
      const port = api.port;
      const origin = `http://127.0.0.1:${port}`;
      const key = api.localKey;
      let outage: Promise<void> | undefined;
      let down = 0;
      let up = 0;
      const retries: RetryInfo[] = [];
      const epochs: EpochLogs[] = [];
      const batchLosses = new Map<number, number>();
      try {
        const result = await trainExperiment({
          preset: 'fmnist-cnn',
          epochs: 2,
          trainLimit: 640,
          testLimit: 200,
          backend: 'wasm',
          // A short back-off cap keeps the test short once the API is back (default 20 s).
          client: createGraphqlClient({
            apiUrl: origin,
            apiKey: key,
            retry: { maxDelayMs: 3000 },
            onRetry: (r) => retries.push(r),
          }),
          apiUrl: origin,
          project: 'outage',
          heartbeatMs: 500,
          batchLogEvery: 3,
          // This test compares every stored series with what training logged; the sampled
          // system/* readings have no such record (their own test is reproducibility-tracking).
          systemMetrics: false,
          layerStats: false, // grad_norm/* etc.: computed, not logged by training; tested on their own
          explanations: { samples: 0 },
          outDir: path.join(dir, 'model'),
          onBatch: (b) => {
            if (b.step % 3 === 0) batchLosses.set(b.step, b.loss);
          },
          onEpoch: (e, logs) => {
            epochs.push(logs);
            if (e !== 0) return;
            // The rest of training (its metrics, checkpoint, evaluation, model) meets the outage.
            outage = (async () => {
              await api.close();
              down = Date.now();
              await new Promise((r) => setTimeout(r, OUTAGE_MS));
              api = await startApiServer({ ...settings, port });
              up = Date.now();
            })();
          },
        });
        await outage;
        expect(up).toBeGreaterThan(down); // the API was closed, then came back
        // The client did meet the outage, and kept going.
        expect(retries.some((r) => /ECONNREFUSED|fetch failed|socket/i.test(r.error))).toBe(true);

        const run = await storedRun(origin, key, result.runId!);
        expect(run).toMatchObject({ status: 'COMPLETED', error: null });
        const expected = new Map<string, Map<number, number>>();
        const put = (name: string, step: number, value: number) =>
          (expected.get(name) ?? expected.set(name, new Map()).get(name)!).set(step, value);
        epochs.forEach((logs, e) => {
          for (const [name, value] of Object.entries(logs))
            if (typeof value === 'number') put(name, e + 1, value);
        });
        for (const [step, loss] of batchLosses) put('batch_loss', step, loss);
        put('test_accuracy', epochs.length, result.testAccuracy);
        put('test_loss', epochs.length, result.testLoss);
        expect([...run.metricNames].sort()).toEqual([...expected.keys()].sort());
        for (const series of run.metrics) {
          // Each step once (the API keys points by run, name and step), with the logged value.
          expect(
            series.points.map((p) => [p.step, p.value]),
            series.name,
          ).toEqual([...expected.get(series.name)!].sort((a, b) => a[0] - b[0]));
        }
        const names = run.artifacts.map((a) => a.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names).toEqual(
          expect.arrayContaining(['model.json', 'weights.bin', 'test-samples.bin']),
        );
        // The stored model is the final one, byte for byte.
        const local = createHash('sha256')
          .update(await readFile(path.join(dir, 'model', 'weights.bin')))
          .digest('hex');
        expect(run.artifacts.find((a) => a.name === 'weights.bin')?.sha256).toBe(local);
        expect(run.evaluations).toHaveLength(1);
      } finally {
        await outage?.catch(() => undefined);
        await api.close();
      }
    },
  );
});

/** The API in its own process: a blocked test process must not stall the API or its reaper. */
async function spawnApi(dir: string, env: Record<string, string>) {
  const keyFile = path.join(dir, 'local-api-key');
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: `file:${path.join(dir, 'db.sqlite')}`,
      ARTIFACTS_DIR: path.join(dir, 'artifacts'),
      CONVSCOPE_KEY_FILE: keyFile,
      API_PORT: '0',
      API_HOST: '127.0.0.1',
      LOGIN_LINK: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /API ready at (\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`API exited (${code}):\n${output}`)));
  });
  return {
    origin: url.replace(/\/graphql$/, '').replace('localhost', '127.0.0.1'),
    key: (await readFile(keyFile, 'utf8')).trim(),
    output: () => output,
  };
}

describe('heartbeats during long synchronous work', () => {
  it(
    'keeps an MC-dropout run with 100 uncertainty passes alive under a 2 s heartbeat timeout',
    { timeout: 180_000 },
    async () => {
      const dir = await tempDir('mc-beat');
      const api = await spawnApi(dir, {
        RUN_HEARTBEAT_TIMEOUT_S: '2',
        RUN_REAPER_INTERVAL_MS: '250',
      });
      const delay = monitorEventLoopDelay({ resolution: 20 });
      delay.enable();
      const result = await trainExperiment({
        preset: 'mc-dropout-cnn',
        epochs: 1,
        trainLimit: 256,
        testLimit: 64, // 100 passes over them block the main thread for seconds
        backend: 'wasm',
        apiUrl: api.origin,
        apiKey: api.key,
        project: 'mc-beat',
        heartbeatMs: 500,
        uncertaintyPasses: 100,
        explanations: { samples: 0 },
        snapshots: false,
        layerStats: false,
        projector: false,
      }).finally(() => delay.disable());
      // How long the main thread was blocked at most (informative: beyond 2 s, a main-thread
      // timer could not have kept the run alive).
      console.log(
        `[shared-server] longest event-loop block during the MC-dropout run: ${(delay.max / 1e9).toFixed(1)} s`,
      );
      const run = await storedRun(api.origin, api.key, result.runId!);
      expect(run, api.output()).toMatchObject({ status: 'COMPLETED', error: null });
      expect(run.uncertainties).toEqual([expect.objectContaining({ passes: 100 })]);
      expect(api.output()).not.toMatch(/reaper failed/);
    },
  );
});
