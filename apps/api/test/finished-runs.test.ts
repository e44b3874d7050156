// What stays possible on a finished run (the refusals are in hostile-inputs.test.ts): notes and
// tags, new evaluations, artifacts under new names, identical re-uploads, and a later
// evaluation's images under a new name served as the newest samples. Plus the upload temp
// files: none left by an aborted upload, and a crashed process's swept at start. Both databases.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type TestApi,
} from './helpers';

const FINISH = `mutation($id: ID!, $s: FinalRunStatus!) { finishRun(id: $id, status: $s) { status } }`;
const EVALUATION = {
  split: 'test',
  classNames: ['a', 'b'],
  labels: [0, 1],
  probabilities: {
    rows: [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
  },
  report: {
    accuracy: 1,
    logLoss: 0.16,
    ece: 0.15,
    topK: [{ k: 1, accuracy: 1 }],
    perClass: ['a', 'b'].map((label) => ({
      label,
      precision: 1,
      recall: 1,
      f1: 1,
      sensitivity: 1,
      specificity: 1,
      support: 1,
      auc: 1,
    })),
    confusionMatrix: [
      [1, 0],
      [0, 1],
    ],
    macro: { precision: 1, recall: 1, f1: 1 },
    weighted: { precision: 1, recall: 1, f1: 1 },
    calibration: [],
  },
};
const samplesMeta = (count: number) =>
  encodeURIComponent(
    JSON.stringify({
      format: 'uint8-nhwc',
      split: 'test',
      count,
      total: count,
      height: 2,
      width: 2,
      channels: 1,
    }),
  );

describe.each(databases)('finished runs on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const put = (runId: string, name: string, body: BodyInit, qs = '') =>
    api.fetch(`/runs/${runId}/artifacts/${name}${qs}`, { method: 'PUT', body });

  it('keeps notes, tags, evaluations and new artifacts possible, and the training record fixed', async () => {
    const runId = await createRun(api, { project: uniq('fin'), status: 'RUNNING' });
    await api.ok(LOG_METRICS, { runId, points: [{ name: 'loss', step: 1, value: 0.5 }] });
    expect((await put(runId, 'model.json', '{"v":1}', '?kind=model')).status).toBe(201);
    expect(
      (
        await put(
          runId,
          'test-samples.bin',
          new Uint8Array(8).fill(1),
          `?kind=samples&metadata=${samplesMeta(2)}`,
        )
      ).status,
    ).toBe(201);
    // While RUNNING an artifact may still be replaced (best checkpoints do).
    expect((await put(runId, 'model.json', '{"v":2}', '?kind=model')).status).toBe(201);
    await api.ok(FINISH, { id: runId, s: 'COMPLETED' });

    const refused = await api.gql(LOG_METRICS, {
      runId,
      points: [{ name: 'loss', step: 2, value: 0.4 }],
    });
    expect(codeOf(refused)).toBe('INVALID_STATE');
    expect(refused.errors?.[0]?.extensions?.status).toBe('COMPLETED');
    const replaced = await put(runId, 'model.json', '{"v":3}', '?kind=model');
    expect(replaced.status).toBe(409);
    expect(await replaced.json()).toMatchObject({ code: 'INVALID_STATE', status: 'COMPLETED' });

    // Identical bytes again: the stored artifact, unchanged (retries stay idempotent).
    const again = await put(runId, 'model.json', '{"v":2}', '?kind=model');
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ created: false });
    // New names, notes, tags and evaluations are post-hoc work, still welcome.
    expect((await put(runId, 'explain.index.json', '{}', '?kind=explanations')).status).toBe(201);
    const updated = await api.ok(
      `mutation($id: ID!) { updateRun(id: $id, notes: "looked again", tags: ["reviewed"]) { notes tags } }`,
      { id: runId },
    );
    expect(updated.updateRun).toEqual({ notes: 'looked again', tags: ['reviewed'] });
    await api.ok(
      `mutation($id: ID!, $i: EvaluationInput!) { logEvaluation(runId: $id, input: $i) { id } }`,
      { id: runId, i: EVALUATION },
    );
    // A later evaluation's images under a new name become the run's samples.
    const later = new Uint8Array(12).fill(7);
    expect(
      (
        await put(
          runId,
          'test-samples-20261206201530123.bin',
          later,
          `?kind=samples&metadata=${samplesMeta(3)}`,
        )
      ).status,
    ).toBe(201);
    const run = await api.ok(
      `query($id: ID!) { run(id: $id) { status metric(name: "loss") { step } evaluations { id } samples { count } artifacts { nodes { name } } } }`,
      { id: runId },
    );
    expect(run.run).toMatchObject({
      status: 'COMPLETED',
      metric: [{ step: 1 }],
      samples: { count: 3 },
    });
    expect(run.run.evaluations).toHaveLength(1);
    expect(run.run.artifacts.nodes.map((a: { name: string }) => a.name)).toEqual([
      'explain.index.json',
      'model.json',
      'test-samples-20261206201530123.bin',
      'test-samples.bin',
    ]);
    const png = await api.fetch(`/runs/${runId}/samples/2.png`);
    expect(png.status).toBe(200);
  });

  it('leaves no temp file behind an aborted upload, and sweeps a crashed one at start', async () => {
    const runId = await createRun(api, { project: uniq('tmp'), status: 'RUNNING' });
    const tmp = path.join(api.artifactsDir, 'tmp');
    // Send part of a declared 1 MiB body, then drop the connection.
    await new Promise<void>((resolve) => {
      const req = http.request(`${api.origin}/runs/${runId}/artifacts/big.bin`, {
        method: 'PUT',
        headers: { 'content-length': String(1 << 20), authorization: `Bearer ${api.key}` },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(64 * 1024));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    for (let i = 0; i < 50 && fs.existsSync(tmp) && fs.readdirSync(tmp).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
    expect((await api.fetch(`/runs/${runId}/artifacts/big.bin`)).status).toBe(404);

    // A process killed mid-upload leaves its temp file; the next start removes it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-sweep-'));
    fs.mkdirSync(path.join(dir, 'tmp'));
    fs.writeFileSync(path.join(dir, 'tmp', `${2 ** 22 + 3}-0123456789abcdef`), 'half an upload');
    const next = await startTestApi(db, { artifactsDir: dir });
    try {
      expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    } finally {
      await next.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
