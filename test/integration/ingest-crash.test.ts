// A server a lab can share: 50 training processes log to one API (a separate process, on SQLite
// and on PostgreSQL) through the real libs/ml tracking client while one request in ten is sent a
// second time on purpose; when 40 % of the points are acknowledged the API is killed with
// SIGKILL and a new one started on the same port and database. The loggers ride out the outage
// with their retries, and afterwards every run holds exactly its points: none lost, none twice,
// every value bit-exact. No timings are asserted (bench/ measures speed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases } from '../../apps/api/test/helpers';
import {
  freePort,
  spawnApi,
  stopAllApis,
  type ApiProcess,
  type ApiProcessOptions,
} from './api-process';
import { INGEST_METRICS, loggerPoints, runIngest } from './ingest-load';

const LOGGERS = 50;
const STEPS = 500; // x 4 metric names = 2,000 points per logger
const STEPS_PER_BATCH = 25; // 100 points per request: 1,000 requests plus 100 re-sent
const POINTS_PER_LOGGER = STEPS * INGEST_METRICS.length;
const TOTAL = LOGGERS * POINTS_PER_LOGGER;
const KILL_AT = Math.round(TOTAL * 0.4);

interface GqlBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe.each(databases)('ingest through an API crash on $label', (db) => {
  let database: { url: string; dispose(): Promise<void> };
  let dir: string;
  let options: ApiProcessOptions;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    database = await db.create();
    dir = await mkdtemp(path.join(tmpdir(), 'convscope-crash-'));
    options = {
      databaseUrl: database.url,
      artifactsDir: path.join(dir, 'artifacts'),
      keyFile: path.join(dir, 'key', 'local-api-key'),
      port: await freePort(),
      env: {
        // 50 loggers share the admin key here; the per-key default (6,000 a minute) is for people.
        RATE_LIMIT_PER_MIN: '1000000',
        // The loggers send no heartbeats of their own (their batches are the heartbeat); on an
        // overloaded machine a logger can wait past the 60 s default and see its run failed.
        RUN_HEARTBEAT_TIMEOUT_S: '3600',
      },
    };
    api = await spawnApi(options);
  });

  afterAll(async () => {
    // Also the replacement API when a failure came while it was still starting.
    await stopAllApis();
    await database?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<GqlBody<T>> {
    const res = await fetch(`${api!.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api!.key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlBody<T>;
  }

  it(
    '50 loggers, 10 % of requests sent twice, kill -9 at 40 %: nothing lost, nothing twice',
    {
      timeout: 300_000,
    },
    async () => {
      const first = api!;
      const project = `crash-${db.label}`;
      let restarted: Promise<void> | undefined;
      let restartError: unknown;
      let killedAt = 0;
      let outageMs = 0;
      const crashAndRestart = async () => {
        const t0 = performance.now();
        await first.kill('SIGKILL');
        api = await spawnApi(options);
        outageMs = performance.now() - t0;
      };

      const result = await runIngest({
        apiUrl: first.origin,
        apiKey: first.key,
        project,
        loggers: LOGGERS,
        steps: STEPS,
        stepsPerBatch: STEPS_PER_BATCH,
        duplicateEvery: 10,
        // The library's back-off, capped lower than its 20 s default so the test stays short. On a
        // busy 2-core machine a request can wait longer than the client's 30 s attempt timeout and
        // 10 s first-contact budget while 50 loggers write: allow that (speed is bench/'s business).
        retry: { budgetMs: 120_000, connectBudgetMs: 120_000, baseDelayMs: 100, maxDelayMs: 2_000 },
        timeoutMs: 90_000,
        onAcknowledged(total) {
          if (restarted || total < KILL_AT) return;
          killedAt = total;
          restarted = crashAndRestart().catch((err: unknown) => {
            restartError = err;
          });
        },
      });
      await restarted;
      expect(restartError).toBeUndefined();
      const second = api!;

      // The crash happened midway, a new process took over, and the loggers had to retry.
      expect(killedAt).toBeGreaterThanOrEqual(KILL_AT);
      expect(killedAt).toBeLessThan(TOTAL);
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(second.pid).not.toBe(first.pid);
      expect(second.key).toBe(first.key);
      expect(result.retries).toBeGreaterThan(0);
      expect(result.resentBatches).toBeGreaterThanOrEqual((LOGGERS * STEPS) / STEPS_PER_BATCH / 10);
      // Answers lost in the crash make the acknowledged count a lower bound.
      expect(result.accepted).toBeLessThanOrEqual(TOTAL);
      expect(result.accepted).toBeGreaterThan(0);

      // One run per logger (retried createRun calls made none twice), each completed.
      const runs = await gql<{
        runs: { totalCount: number; nodes: { id: string; name: string; status: string }[] };
      }>(
        `query($p: [String!]) { runs(filter: { projects: $p }, first: 100) { totalCount nodes { id name status } } }`,
        { p: [project] },
      );
      expect(runs.errors).toBeUndefined();
      expect(runs.data!.runs.totalCount).toBe(LOGGERS);
      expect(new Set(runs.data!.runs.nodes.map((r) => r.id))).toEqual(new Set(result.runIds));
      expect(runs.data!.runs.nodes.every((r) => r.status === 'COMPLETED')).toBe(true);

      let stored = 0;
      for (const [logger, runId] of result.runIds.entries()) {
        // Per name: exactly STEPS points (counted by the database).
        const series = await gql<{ run: { metrics: { name: string; totalPoints: number }[] } }>(
          `query($id: ID!) { run(id: $id) { metrics(maxPoints: 2) { name totalPoints } } }`,
          { id: runId },
        );
        expect(series.errors).toBeUndefined();
        expect(
          Object.fromEntries(series.data!.run.metrics.map((m) => [m.name, m.totalPoints])),
        ).toEqual(Object.fromEntries(INGEST_METRICS.map((n) => [n, STEPS])));
        // Every stored point, exactly the set sent: (name, step, value), values bit-exact.
        const res = await fetch(`${second.origin}/runs/${runId}/export/metrics.json`, {
          headers: { authorization: `Bearer ${second.key}` },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          points: { name: string; step: number; value: number }[];
        };
        const got = body.points.map((p) => `${p.name}|${p.step}|${p.value}`);
        const want = loggerPoints(logger, STEPS).map((p) => `${p.name}|${p.step}|${p.value}`);
        expect(got.length).toBe(POINTS_PER_LOGGER);
        expect(new Set(got).size).toBe(POINTS_PER_LOGGER);
        expect(got.sort()).toEqual(want.sort());
        stored += got.length;
      }
      expect(stored).toBe(TOTAL);
      // For the record (no assertion on time): what the loggers went through.
      console.info(
        `[ingest-crash ${db.label}] ${TOTAL} points in ${Math.round(result.elapsedMs)} ms, ` +
          `API down ${Math.round(outageMs)} ms after ${killedAt} acknowledged, ` +
          `${result.retries} retries, ${result.resentBatches} batches re-sent, answers: ` +
          `${result.accepted} accepted + ${result.duplicates} duplicates`,
      );

      // The restarted API still answers, and still tells a re-send from a conflict.
      const health = await fetch(`${second.origin}/healthz`);
      expect(health.status).toBe(200);
      const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted duplicates } }`;
      const runId = (await createRun(project)).id;
      const points = loggerPoints(0, 3);
      const log = (p: typeof points) =>
        gql<{ logMetrics: { accepted: number; duplicates: number } }>(LOG, { runId, points: p });
      expect((await log(points)).data?.logMetrics).toEqual({ accepted: 12, duplicates: 0 });
      expect((await log(points)).data?.logMetrics).toEqual({ accepted: 0, duplicates: 12 });
      const [point] = points;
      if (!point) throw new Error('no points to send');
      const conflict = await log([{ ...point, value: point.value + 1 }]);
      expect(conflict.errors?.[0]?.extensions?.code).toBe('STEP_CONFLICT');
    },
  );

  async function createRun(project: string): Promise<{ id: string }> {
    const r = await gql<{ createRun: { id: string } }>(
      `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`,
      { input: { project, name: 'after-the-crash', status: 'RUNNING' } },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createRun;
  }
});
