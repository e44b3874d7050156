// End to end across the boundary the product depends on: libs/ml trains and logs a run to the
// real API over GraphQL/HTTP (as a separate client would), and the stored model loads back with
// tf.loadLayersModel straight from the API's artifact URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { startTestApi, type TestApi } from './test-api';
import { startDroppingProxy } from './dropping-proxy';
import sharp from 'sharp';
import {
  evaluateStoredRun,
  loadFashionMnist,
  makeBatch,
  RunTracker,
  trainExperiment,
} from '@convscope/ml';

let t: TestApi;
let dir: string;
let base: string;
const gql = <T>(query: string, variables?: Record<string, unknown>) => t.gql<T>(query, variables);

beforeAll(async () => {
  t = await startTestApi('e2e', {
    heartbeatTimeoutS: 10, // generous: one training batch blocks the event loop, longer on a loaded CI machine
    reaperIntervalMs: 500,
  });
  ({ dir, base } = t);
});

afterAll(async () => {
  await t?.stop();
});

// The query of the foundation issue, exactly as written there.
const ISSUE_QUERY = `query($artifactsFirst: Int = 1000) {
  projects { nodes { name runCount } }
  runs(filter: { projects: ["demo"] }, first: 20) {
    totalCount
    nodes { id name status backend hyperparameters project { name }
            metric(name: "val_accuracy") { step value }
            artifacts(first: $artifactsFirst) { nodes { kind name sha256 bytes url } } }
  }
}`;

interface IssueQuery {
  projects: { nodes: { name: string; runCount: number }[] };
  runs: {
    totalCount: number;
    nodes: {
      id: string;
      name: string;
      status: string;
      backend: string;
      hyperparameters: Record<string, unknown>;
      project: { name: string };
      metric: { step: number; value: number }[];
      artifacts: {
        nodes: { kind: string; name: string; sha256: string; bytes: number; url: string }[];
      };
    }[];
  };
}

describe('training logged to the API', () => {
  it('stores the run, its curves and a model that tf.loadLayersModel loads from the artifact URL', async () => {
    const outDir = path.join(dir, 'local-model');
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 2,
      trainLimit: 320,
      testLimit: 100,
      apiUrl: base,
      project: 'demo',
      runName: 'integration-run',
      backend: 'wasm',
      outDir,
      heartbeatMs: 300,
      explanations: { samples: 0 }, // the pack has its own test (explanation-pack.test.ts)
      layerStats: false, // its own tests (callbacks/layer-stats.test.ts, explain/layer-stats)
      projector: false, // its own test (projector-tracking.test.ts)
      snapshots: false, // its own test (training-snapshots.test.ts)
    });
    expect(result.runId).toBeTruthy();

    const data = await gql<IssueQuery>(ISSUE_QUERY);
    expect(data.projects.nodes).toContainEqual({ name: 'demo', runCount: 1 });
    expect(data.runs.totalCount).toBe(1);
    const run = data.runs.nodes[0];
    if (!run) throw new Error('the run is not listed');
    expect(run).toMatchObject({
      id: result.runId,
      name: 'integration-run',
      status: 'COMPLETED',
      backend: 'wasm',
      project: { name: 'demo' },
    });
    expect(run.hyperparameters).toMatchObject({
      preset: 'fmnist-cnn',
      epochs: 2,
      batchSize: 64,
      learningRate: 0.001,
    });
    expect(run.metric.map((p) => p.step)).toEqual([1, 2]);
    expect(run.metric.map((p) => p.value)).toEqual(
      result.history.map((h) => expect.closeTo(h.val_accuracy!, 6)),
    );
    const names = run.artifacts.nodes.map((a) => a.name).sort();
    expect(names).toEqual(['model.json', 'test-samples.bin', 'weights.bin']);
    const weights = run.artifacts.nodes.find((a) => a.name === 'weights.bin')!;
    expect(weights.bytes).toBe(421642 * 4);
    expect(weights.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Load the model over HTTP from the API, exactly as a user would, and compare its predictions
    // with the copy the trainer wrote locally.
    const modelUrl = run.artifacts.nodes.find((a) => a.name === 'model.json')!.url;
    expect(modelUrl).toMatch(/^https?:\/\//);
    // With the key, like the clients of libs/ml (reads of a project need a credential).
    const remote = await tf.loadLayersModel(
      tf.io.http(modelUrl, { requestInit: { headers: { authorization: `Bearer ${t.key}` } } }),
    );
    const local = await tf.loadLayersModel(tf.io.fromMemory(await readLocal(outDir)));
    const ds = await loadFashionMnist();
    const { xs, ys } = makeBatch(ds.test, [0, 1, 2, 3], {
      shape: [28, 28, 1],
      numClasses: 10,
      encoding: 'one-hot',
    });
    const a = remote.predict(xs) as tf.Tensor;
    const b = local.predict(xs) as tf.Tensor;
    const pa = Array.from(a.dataSync());
    const pb = Array.from(b.dataSync());
    pa.forEach((v, i) => expect(v).toBeCloseTo(pb[i] ?? NaN, 6));
    tf.dispose([xs, ys, a, b]);
    remote.dispose();
    local.dispose();

    // The test-split evaluation is stored with the run: its accuracy is the logged test_accuracy,
    // and every sample's probability vector is served back.
    const ev = await gql<{
      run: {
        test: { value: number }[];
        evaluation: {
          id: string;
          accuracy: number;
          numSamples: number;
          perClass: { label: string; support: number }[];
          confusionMatrix: number[][];
        };
        evaluations: { id: string }[];
        predictions: {
          totalCount: number;
          nodes: { index: number; label: number; predicted: number; probabilities: number[] }[];
        };
      };
    }>(
      `query($id: ID!) { run(id: $id) {
        test: metric(name: "test_accuracy") { value }
        evaluation { id accuracy numSamples perClass { label support } confusionMatrix }
        evaluations { id }
        predictions(first: 5) { totalCount nodes { index label predicted probabilities } }
      } }`,
      { id: result.runId },
    );
    expect(ev.run.test).toHaveLength(1);
    expect(ev.run.evaluation.accuracy).toBe(ev.run.test[0]?.value);
    expect(ev.run.evaluation.accuracy).toBe(result.testAccuracy);
    expect(ev.run.evaluation.id).toBe(result.evaluationId);
    expect(ev.run.evaluations).toEqual([{ id: result.evaluationId }]);
    expect(ev.run.evaluation.numSamples).toBe(100);
    expect(ev.run.evaluation.perClass.map((p) => p.label)).toEqual(ds.classNames);
    expect(ev.run.evaluation.perClass.reduce((s, p) => s + p.support, 0)).toBe(100);
    expect(ev.run.predictions.totalCount).toBe(100);
    expect(ev.run.predictions.nodes.map((n) => n.index)).toEqual([0, 1, 2, 3, 4]);
    for (const n of ev.run.predictions.nodes) {
      expect(n.probabilities).toHaveLength(10);
      expect(n.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(n.label).toBe(ds.test.labels[n.index]);
      expect(n.predicted).toBe(n.probabilities.indexOf(Math.max(...n.probabilities)));
    }

    // The evaluated test images are stored with the run in prediction order, and the API serves
    // each one as a PNG holding exactly the dataset's pixels.
    const samplesQuery = `query($id: ID!) { run(id: $id) { samples { count total height width channels } } }`;
    const stored = await gql<{ run: { samples: Record<string, number> } }>(samplesQuery, {
      id: result.runId,
    });
    expect(stored.run.samples).toEqual({
      count: 100,
      total: 100,
      height: 28,
      width: 28,
      channels: 1,
    });
    const withKey = { headers: { authorization: `Bearer ${t.key}` } };
    const samplePixels = async (index: number) => {
      const res = await fetch(`${base}/runs/${result.runId}/samples/${index}.png`, withKey);
      expect(res.status).toBe(200);
      const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([28, 28, 1]);
      return Array.from(data);
    };
    for (const index of [0, 37, 99])
      expect(await samplePixels(index)).toEqual(
        Array.from(ds.test.images.subarray(index * 784, (index + 1) * 784)),
      );
    expect((await fetch(`${base}/runs/${result.runId}/samples/100.png`, withKey)).status).toBe(404);

    // `npm run evaluate`: the stored model, loaded from the API, evaluated again on the whole
    // committed test split, becomes the run's newest evaluation.
    const again = await evaluateStoredRun({ apiUrl: base, runId: result.runId!, backend: 'wasm' });
    expect(again.report.numSamples).toBe(1000);
    const after = await gql<{
      run: { evaluation: { id: string; accuracy: number }; evaluations: { id: string }[] };
    }>(`query($id: ID!) { run(id: $id) { evaluation { id accuracy } evaluations { id } } }`, {
      id: result.runId,
    });
    expect(after.run.evaluations.map((e) => e.id)).toEqual([
      again.evaluationId,
      result.evaluationId,
    ]);
    expect(after.run.evaluation.id).toBe(again.evaluationId);
    // Its images replace the samples: the whole committed test split now.
    expect(
      (await gql<{ run: { samples: Record<string, number> } }>(samplesQuery, { id: result.runId }))
        .run.samples,
    ).toMatchObject({ count: 1000, total: 1000 });
    expect(await samplePixels(999)).toEqual(Array.from(ds.test.images.subarray(999 * 784)));
    // Independent count of correct argmax predictions of the locally written copy of the model.
    const copy = await tf.loadLayersModel(tf.io.fromMemory(await readLocal(outDir)));
    const all = makeBatch(
      ds.test,
      Array.from({ length: 1000 }, (_, i) => i),
      { shape: [28, 28, 1], numClasses: 10, encoding: 'one-hot' },
    );
    const hits = tf.tidy(
      () =>
        (copy.predict(all.xs) as tf.Tensor).argMax(1).equal(all.ys.argMax(1)).sum().dataSync()[0] ??
        NaN,
    );
    expect(after.run.evaluation.accuracy).toBe(hits / 1000);
    tf.dispose([all.xs, all.ys]);
    copy.dispose();
    await expect(evaluateStoredRun({ apiUrl: base, runId: 'no-such-run' })).rejects.toThrow(
      /not found/,
    );
  });

  it('marks the run FAILED when the training worker dies mid-run', async () => {
    const cli = path.resolve('libs/ml/src/cli/train.cli.ts');
    // node --import tsx (not the tsx wrapper) so that SIGKILL hits the training process itself.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        '--preset',
        'fmnist-cnn',
        '--epochs',
        '50',
        '--project',
        'crash',
        '--api',
        base,
        '--limit',
        '2000',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RUN_HEARTBEAT_MS: '300' },
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // Wait until the run exists and is RUNNING, then kill the worker without any chance to clean up.
    let runId: string | undefined;
    for (let i = 0; i < 120 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const d = await gql<{ runs: { nodes: { id: string; status: string }[] } }>(
        `{ runs(filter: { projects: ["crash"] }) { nodes { id status } } }`,
      );
      runId = d.runs.nodes.find((n) => n.status === 'RUNNING')?.id;
    }
    expect(runId, output).toBeTruthy();
    child.kill('SIGKILL');
    let status = 'RUNNING';
    let error = '';
    for (let i = 0; i < 60 && status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const d = await gql<{ run: { status: string; error: string | null } }>(
        `query($id: ID!) { run(id: $id) { status error } }`,
        { id: runId },
      );
      status = d.run.status;
      error = d.run.error ?? '';
    }
    expect(status).toBe('FAILED');
    expect(error).toMatch(/heartbeat/);
  });

  it('never duplicates or loses a point when a logMetricSeries response is lost and the call retried', async () => {
    // The answer to the first logMetricSeries call (how RunTracker sends points) is lost after the
    // server has committed it.
    const proxy = await startDroppingProxy({ base, dropFirst: 'logMetricSeries' });
    try {
      const tracker = await RunTracker.create({
        apiUrl: proxy.url,
        project: 'retry',
        heartbeatMs: 60_000,
      });
      await tracker.log([
        { name: 'loss', step: 1, value: 0.9 },
        { name: 'loss', step: 2, value: 0.7 },
        { name: 'val_accuracy', step: 1, value: 0.5 },
      ]);
      await tracker.flush();
      await tracker.log({ name: 'loss', step: 3, value: 0.6 });
      await tracker.finish();
      expect(proxy.dropped()).toBe(1);
      const d = await gql<{ run: { status: string; metric: { step: number; value: number }[] } }>(
        `query($id: ID!) { run(id: $id) { status metric(name: "loss") { step value } } }`,
        { id: tracker.runId },
      );
      expect(d.run.status).toBe('COMPLETED');
      expect(d.run.metric).toEqual([
        { step: 1, value: 0.9 },
        { step: 2, value: 0.7 },
        { step: 3, value: 0.6 },
      ]);
    } finally {
      proxy.close();
    }
  });

  it('stores one evaluation when a logEvaluation response is lost and the call retried', async () => {
    const proxy = await startDroppingProxy({ base, dropFirst: 'logEvaluation' });
    try {
      const tracker = await RunTracker.create({
        apiUrl: proxy.url,
        project: 'eval-retry',
        heartbeatMs: 60_000,
      });
      const labels = [0, 1, 2, 1, 0, 2];
      const probabilities = new Float32Array([
        0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1, 0.5, 0.25, 0.25, 0.2, 0.2, 0.6,
      ]);
      const info = await tracker.logEvaluation({
        labels,
        probabilities,
        numClasses: 3,
        classNames: ['a', 'b', 'c'],
      });
      await tracker.finish();
      expect({ dropped: proxy.dropped(), requests: proxy.matched() }).toEqual({
        dropped: 1,
        requests: 2,
      });
      expect(info.accuracy).toBe(5 / 6);
      const d = await gql<{
        run: {
          evaluations: { id: string; accuracy: number }[];
          evaluation: { roc: { fpr: number[]; tpr: number[] } };
          predictions: { totalCount: number };
        };
      }>(
        `query($id: ID!) { run(id: $id) { evaluations { id accuracy } evaluation { roc(label: "b") { fpr tpr } } predictions { totalCount } } }`,
        { id: tracker.runId },
      );
      expect(d.run.evaluations).toEqual([{ id: info.id, accuracy: 5 / 6 }]);
      expect(d.run.predictions.totalCount).toBe(6);
      expect(d.run.evaluation.roc.fpr[0]).toBe(0);
      expect(d.run.evaluation.roc.tpr.at(-1)).toBe(1);
    } finally {
      proxy.close();
    }
  });

  it('refuses NaN metrics on the client before anything is sent', async () => {
    const tracker = await RunTracker.create({ apiUrl: base, project: 'nan', heartbeatMs: 60_000 });
    expect(() => tracker.log({ name: 'loss', step: 1, value: NaN })).toThrow(
      /metric loss at step 1 is NaN/,
    );
    await tracker.fail(new Error('test over'));
    const d = await gql<{ run: { status: string; error: string } }>(
      `query($id: ID!) { run(id: $id) { status error } }`,
      { id: tracker.runId },
    );
    expect(d.run).toEqual({ status: 'FAILED', error: 'test over' });
  });

  it('exits non-zero with a clear message when the API is unreachable or the usage is wrong', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(
          path.resolve('node_modules/.bin/tsx'),
          [path.resolve('libs/ml/src/cli/train.cli.ts'), ...args],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (out += d));
        c.on('exit', (code) => resolve({ code, out }));
      });
    const bad = await run(['--preset', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/unknown preset "nope"/);
    const down = await run([
      '--preset',
      'fmnist-cnn',
      '--epochs',
      '1',
      '--limit',
      '64',
      '--api',
      'http://127.0.0.1:9',
    ]);
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/training failed: .*is the API running at http:\/\/127\.0\.0\.1:9/);
  });
});

async function readLocal(dirPath: string): Promise<tf.io.ModelArtifacts> {
  const { readFile } = await import('node:fs/promises');
  const json = JSON.parse(await readFile(path.join(dirPath, 'model.json'), 'utf8'));
  const w = await readFile(path.join(dirPath, 'weights.bin'));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
  };
}
