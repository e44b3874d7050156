// explainSample end to end: a tiny real run stores its model and test samples; a sample is
// explained on demand with several methods by the explain worker, and each map must equal the
// one libs/ml computes directly on the stored model and the stored image (Grad-CAM, vanilla
// gradients, integrated gradients, their deletion/insertion AUCs); the second request is a cache
// hit; an RGB upload of another size for this grayscale model is converted, saying how; the
// worker keeps no tensor from one job to the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  classActivationMap,
  faithfulness,
  integratedGradients,
  loadImageForModel,
  trainExperiment,
  vanillaGradients,
  type ExplanationResult,
} from '@convscope/ml';
import { startExplainQueueWorker } from '../../libs/ml/src/worker/explain-queue-worker';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;
let runId: string;

beforeAll(async () => {
  t = await startTestApi('explain-sample', { heartbeatTimeoutS: 120, explainWaitS: 0 });
  const trained = await trainExperiment({
    preset: 'fmnist-cnn',
    epochs: 1,
    trainLimit: 192,
    testLimit: 24,
    apiUrl: t.base,
    project: 'explain-sample',
    runName: 'explain-sample-run',
    backend: 'wasm',
    heartbeatMs: 300,
    maxSampleImages: 24,
    // Only what this test reads: the stored model and samples.
    snapshots: false,
    layerStats: false,
    projector: false,
    explanations: { samples: 0 },
  });
  runId = trained.runId!;
});

afterAll(async () => {
  await t?.stop();
});

interface Job {
  id: string;
  status: string;
  source: { split: string; index: number } | null;
  result: (ExplanationResult & { conversion: { steps: string[] } }) | null;
}

const EXPLAIN = `mutation($r: ID!, $i: ExplainSampleInput!) {
  explainSample(runId: $r, input: $i) { cached job { id status source { split index } result } }
}`;
const JOB = `query($id: ID!) { explanationJob(id: $id) { id status source { split index } result } }`;

/** Largest absolute difference of two equally long sequences. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The job once DONE or FAILED (the API's long-poll, up to 60 s). */
async function settled(id: string): Promise<Job> {
  const res = await fetch(`${t.base}/explain-jobs/${id}?wait=60`, {
    headers: { authorization: `Bearer ${t.key}` },
  });
  return ((await res.json()) as { job: Job }).job;
}

describe('explainSample with a queue worker taking explanation jobs', () => {
  it('explains a stored sample with several methods exactly as libs/ml does on the stored model', async () => {
    const input = { index: 5, methods: ['GRADCAM', 'SALIENCY', 'INTEGRATED_GRADIENTS'], topK: 3 };
    const asked = await t.gql<{ explainSample: { cached: boolean; job: Job } }>(EXPLAIN, {
      r: runId,
      i: input,
    });
    expect(asked.explainSample).toMatchObject({ cached: false, job: { status: 'QUEUED' } });
    const jobId = asked.explainSample.job.id;

    const running = startExplainQueueWorker({
      apiUrl: t.base,
      apiKey: t.key,
      name: 'sample-worker',
      minPollMs: 50,
      maxPollMs: 200,
    });
    try {
      expect(await settled(jobId)).toMatchObject({ id: jobId, status: 'DONE' });
      const afterFirst = tf.memory().numTensors;
      const { explanationJob: job } = await t.gql<{ explanationJob: Job }>(JOB, { id: jobId });
      expect(job).toMatchObject({ status: 'DONE', source: { split: 'test', index: 5 } });
      const result = job.result!;
      // A stored 28x28 grayscale sample needs no conversion for this model.
      expect(result.conversion.steps).toEqual([]);
      expect(result.methods.map((m) => m.method)).toEqual([
        'gradcam',
        'saliency',
        'integrated-gradients',
      ]);

      // The reference: the stored model, the stored image as the sample route serves it.
      const { run } = await t.gql<{
        run: { artifacts: { nodes: { name: string; url: string }[] } };
      }>(
        `query($id: ID!, $n: Int = 1000) { run(id: $id) { artifacts(first: $n) { nodes { name url } } } }`,
        {
          id: runId,
        },
      );
      const auth = { headers: { authorization: `Bearer ${t.key}` } };
      const model = await tf.loadLayersModel(
        run.artifacts.nodes.find((a) => a.name === 'model.json')!.url,
        { requestInit: auth },
      );
      const png = Buffer.from(
        await (await fetch(`${t.base}/runs/${runId}/samples/5.png`, auth)).arrayBuffer(),
      );
      const file = path.join(t.dir, 'sample-5.png');
      await writeFile(file, png);
      const image = await loadImageForModel(model, file);
      const refs = {
        gradcam: classActivationMap({ model, images: image, method: 'gradcam' }),
        saliency: vanillaGradients({ model, images: image }),
        'integrated-gradients': integratedGradients({ model, images: image, steps: 32 }),
      };
      for (const m of result.methods) {
        const ref = refs[m.method as keyof typeof refs];
        expect(m.classIndex, m.method).toBe(ref.classIndex[0]);
        expect(m.heatmapShape).toEqual([28, 28]);
        // Heatmaps travel with 5 decimals.
        expect(maxDiff(m.heatmap.flat(), ref.heatmap), m.method).toBeLessThan(1e-5 + 1e-6);
        const f = faithfulness({ model, images: image, saliency: ref.heatmap, steps: 20 });
        expect(m.faithfulness.deletionAuc, m.method).toBeCloseTo(f.deletionAuc[0]!, 4);
        expect(m.faithfulness.insertionAuc, m.method).toBeCloseTo(f.insertionAuc[0]!, 4);
        for (const v of Object.values(m.faithfulness)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
      expect(result.methods[0]!.layer).toBe(refs.gradcam.layer);
      expect(result.methods[1]!.layer).toBeNull();
      // result.cam is still there, unrounded, and is the same Grad-CAM.
      expect(maxDiff(result.cam.heatmap.flat(), refs.gradcam.heatmap)).toBeLessThan(1e-6);
      tf.dispose(image);
      model.dispose();

      const again = await t.gql<{ explainSample: { cached: boolean; job: Job } }>(EXPLAIN, {
        r: runId,
        i: input,
      });
      expect(again.explainSample).toMatchObject({
        cached: true,
        job: { id: jobId, status: 'DONE' },
      });

      // An RGB upload, 56x42, for this grayscale 28x28 model: converted, and said so.
      const rgb = await sharp({
        create: { width: 56, height: 42, channels: 3, background: { r: 200, g: 30, b: 90 } },
      })
        .png()
        .toBuffer();
      const up = await fetch(`${t.base}/runs/${runId}/explain?methods=eigencam,smoothgrad`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', authorization: `Bearer ${t.key}` },
        body: new Uint8Array(rgb),
      });
      expect(up.status).toBe(202);
      const upJob = ((await up.json()) as { job: Job }).job;
      // Claimed once, by this queue worker.
      expect(await settled(upJob.id)).toMatchObject({
        status: 'DONE',
        attempts: 1,
        workerId: 'sample-worker',
      });
      expect(tf.memory().numTensors).toBe(afterFirst);
      const converted = (await t.gql<{ explanationJob: Job }>(JOB, { id: upJob.id })).explanationJob
        .result!;
      expect(converted.conversion).toMatchObject({
        from: { width: 56, height: 42, channels: 3 },
        to: { width: 28, height: 28, channels: 1 },
      });
      expect(converted.conversion.steps).toHaveLength(2);
      expect(converted.conversion.steps[0]).toMatch(/^converted RGB to grayscale \(luminance/);
      expect(converted.conversion.steps[1]).toMatch(/^resized 56x42 -> 28x28 \(Lanczos-3/);
      expect(converted.cam.method).toBe('eigencam');
      expect(converted.methods.map((m) => m.method)).toEqual(['eigencam', 'smoothgrad']);
    } finally {
      await running.stop();
    }
  });
});
