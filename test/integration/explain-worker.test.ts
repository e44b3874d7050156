// On-demand explanations end to end: a tiny real run is trained and logged to the API, a PNG is
// uploaded to POST /runs/:id/explain, a queue worker taking explanation jobs (libs/ml, what
// `npm run worker` runs) claims the job from the job queue over GraphQL, loads the stored model
// over HTTP and posts the result; the Grad-CAM heatmap must equal the one
// classActivationMap computes directly on the same stored model and image, the top-1 class must
// be model.predict's, and the worker must not leak tensors from one job to the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  classActivationMap,
  loadFashionMnist,
  loadImageForModel,
  trainExperiment,
  type ExplanationResult,
} from '@convscope/ml';
import { startExplainQueueWorker } from '../../libs/ml/src/worker/explain-queue-worker';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;
let dir: string;
let base: string;
let runId: string;

beforeAll(async () => {
  t = await startTestApi('explain', {
    // Generous: on a loaded machine the training's heartbeats may lag (a 10 s timeout failed the
    // run mid-training there); nothing here waits for the reaper.
    heartbeatTimeoutS: 120,
    reaperIntervalMs: 500,
    explainWaitS: 0,
  });
  ({ dir, base } = t);
  const trained = await trainExperiment({
    preset: 'fmnist-cnn',
    epochs: 1,
    trainLimit: 192,
    testLimit: 40,
    apiUrl: base,
    project: 'explain',
    runName: 'explain-run',
    backend: 'wasm',
    heartbeatMs: 300,
    maxSampleImages: 0,
    // Only what this test reads: the stored model (the rest have their own tests; the CLI run
    // of image-folder-config.test.ts keeps every default).
    explanations: { samples: 0 },
    snapshots: false,
    layerStats: false,
    projector: false,
  });
  runId = trained.runId!;
});

afterAll(async () => {
  await t?.stop();
});

const gql = <T>(query: string, variables: Record<string, unknown>) => t.gql<T>(query, variables);

interface JobBody {
  job: { id: string; status: string; result: ExplanationResult | null; error: string | null };
  cached: boolean;
}

async function upload(png: Buffer, qs: string): Promise<{ status: number; body: JobBody }> {
  const res = await fetch(`${base}/runs/${runId}/explain?${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', authorization: `Bearer ${t.key}` },
    body: new Uint8Array(png),
  });
  return { status: res.status, body: (await res.json()) as JobBody };
}

describe('explain worker against the API', () => {
  it('computes the Grad-CAM of an uploaded PNG exactly as classActivationMap does on the stored model', async () => {
    const ds = await loadFashionMnist();
    const index = 3;
    const pixels = ds.test.images.subarray(index * 784, (index + 1) * 784);
    const png = await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();

    const queued = await upload(png, 'method=gradcam&topK=3');
    expect(queued.status).toBe(202);
    expect(queued.body.job.status).toBe('QUEUED');

    const running = startExplainQueueWorker({
      apiUrl: base,
      apiKey: t.key,
      name: 'test-worker',
      minPollMs: 50,
      maxPollMs: 200,
    });
    const { executor } = running;
    try {
      // Waits (long-poll) until the worker posted the result.
      const first = await upload(png, 'method=gradcam&topK=3&wait=60');
      expect(first.body.job).toMatchObject({ id: queued.body.job.id, status: 'DONE' });
      // The model stays cached; what the job itself created is gone.
      const afterFirst = tf.memory().numTensors;

      const done = await upload(png, 'method=gradcam&topK=3');
      expect(done.status).toBe(200);
      expect(done.body.cached).toBe(true);
      const result = done.body.job.result!;

      // The reference: the same stored model loaded from its artifact URL, the same image file
      // decoded by the explain CLI's loader.
      const { run } = await gql<{
        run: {
          artifacts: { nodes: { name: string; url: string }[] };
          datasetInfo: { classNames: string[] };
        };
      }>(
        `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) { artifacts(first: $artifactsFirst) { nodes { name url } } datasetInfo } }`,
        { id: runId },
      );
      const model = await tf.loadLayersModel(
        run.artifacts.nodes.find((a) => a.name === 'model.json')!.url,
        { requestInit: { headers: { authorization: `Bearer ${t.key}` } } },
      );
      const file = path.join(dir, 'upload.png');
      await writeFile(file, png);
      const image = await loadImageForModel(model, file);
      const expected = classActivationMap({ model, images: image, method: 'gradcam' });
      const probs = tf.tidy(() => Array.from((model.predict(image) as tf.Tensor).dataSync()));
      tf.dispose(image);
      model.dispose();

      const top1 = probs.indexOf(Math.max(...probs));
      expect(result.predictions).toHaveLength(3);
      const [best] = result.predictions;
      expect(best?.classIndex).toBe(top1);
      expect(best?.className).toBe(run.datasetInfo.classNames[top1]);
      expect(best?.probability).toBeCloseTo(probs[top1] ?? NaN, 6);
      expect(result.cam).toMatchObject({
        method: 'gradcam',
        layer: expected.layer,
        classIndex: expected.classIndex[0],
        heatmapShape: [28, 28],
      });
      const heat = result.cam.heatmap.flat();
      expect(heat).toHaveLength(expected.heatmap.length);
      heat.forEach((v, i) => expect(v).toBeCloseTo(expected.heatmap[i] ?? NaN, 6));
      expect(Math.max(...heat)).toBeGreaterThan(0.5);
      expect(Math.max(...heat)).toBeLessThanOrEqual(1);
      expect(result.activations.layer).toBe(expected.layer);
      expect(result.activations.statistics.mean).toHaveLength(result.activations.shape[2] ?? -1);
      const grid = Buffer.from(result.activations.grid!.pngBase64, 'base64');
      const meta = await sharp(grid).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([
        'png',
        result.activations.grid!.width,
        result.activations.grid!.height,
      ]);

      // A second job with other parameters (Score-CAM of another class, a dense layer's
      // activations) on the cached model leaves no tensor behind either.
      const otherQs = `method=scorecam&classIndex=${(top1 + 1) % 10}&activationsLayer=fc1`;
      const scoredRes = await upload(png, `${otherQs}&wait=60`);
      expect(scoredRes.body.job.status).toBe('DONE');
      expect(executor.cachedModels).toBe(1);
      expect(tf.memory().numTensors).toBe(afterFirst);
      const scored = scoredRes.body.job.result!;
      expect(scored.cam.classIndex).toBe((top1 + 1) % 10);
      expect(scored.activations).toMatchObject({ layer: 'fc1', shape: [128], grid: null });
      // The worker is a registered queue worker; the job went through the queue's claims.
      const { explanationJob } = await gql<{
        explanationJob: { attempts: number; workerId: string };
      }>(`query($id: ID!) { explanationJob(id: $id) { attempts workerId } }`, {
        id: queued.body.job.id,
      });
      expect(explanationJob).toEqual({ attempts: 1, workerId: 'test-worker' });
    } finally {
      await running.stop();
    }
    expect(executor.cachedModels).toBe(0);
  });

  it('answers a long-polling request once a running worker has computed it', async () => {
    const running = startExplainQueueWorker({
      apiUrl: base,
      apiKey: t.key,
      name: 'loop',
      minPollMs: 50,
      maxPollMs: 200,
    });
    try {
      const png = await sharp({
        create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 30, b: 90 } },
      })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      const res = await upload(png, 'method=eigencam&wait=60');
      expect(res.status).toBe(200);
      expect(res.body.cached).toBe(false);
      expect(res.body.job.status).toBe('DONE');
      expect(res.body.job.result!.cam.method).toBe('eigencam');
    } finally {
      await running.stop();
    }
  });
});
