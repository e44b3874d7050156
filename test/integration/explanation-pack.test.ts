// The explanation pack of a tracked run: a short real training run stores it through the API,
// its index lists every file it stored, and a stored Grad-CAM heatmap is what gradCam() gives
// on the stored model for that sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  buildExplanationPack,
  EXPLANATION_INDEX_NAME,
  gradCam,
  loadFashionMnist,
  predictSplit,
  trainExperiment,
  type ExplanationIndex,
} from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;
let base: string;

beforeAll(async () => {
  t = await startTestApi('pack', {
    heartbeatTimeoutS: 30,
    reaperIntervalMs: 1000,
  });
  base = t.base;
});

afterAll(async () => {
  await t?.stop();
});

/** The server's local key on a request (the API refuses anonymous reads). */
const auth = (): RequestInit => ({ headers: { authorization: `Bearer ${t.key}` } });

interface StoredArtifact {
  name: string;
  kind: string;
  bytes: number;
  url: string;
  metadata: Record<string, unknown> | null;
}

const SMALL = {
  samples: 6,
  filterChannels: 4,
  filterSteps: 4,
  topK: 3,
  saliencySamples: 2,
  smoothGradSamples: 4,
  limeSamples: 1,
  limePerturbations: 40,
};

describe('explanation pack', () => {
  it('is stored with a trained run: the index lists every file, a Grad-CAM file equals gradCam()', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 1,
      trainLimit: 256,
      testLimit: 60,
      apiUrl: base,
      project: 'explain',
      backend: 'wasm',
      heartbeatMs: 500,
      explanations: SMALL,
      // Off: not what this test reads (each has its own test).
      snapshots: false,
      layerStats: false,
      projector: false,
    });
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
      body: JSON.stringify({
        query: `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) { status artifacts(first: $artifactsFirst) { nodes { name kind bytes url metadata } } } }`,
        variables: { id: result.runId },
      }),
    });
    const { data } = (await res.json()) as {
      data: { run: { status: string; artifacts: { nodes: StoredArtifact[] } } };
    };
    expect(data.run.status).toBe('COMPLETED');
    const byName = new Map(data.run.artifacts.nodes.map((a) => [a.name, a]));
    const indexArtifact = byName.get(EXPLANATION_INDEX_NAME);
    expect(indexArtifact?.kind).toBe('explanations');
    const index = (await (await fetch(indexArtifact!.url, auth())).json()) as ExplanationIndex;

    // Every listed file is stored, with the listed kind, size and metadata; nothing is unlisted.
    expect(index.files.length).toBeGreaterThan(10);
    for (const f of index.files) {
      const a = byName.get(f.name);
      expect(a, f.name).toBeDefined();
      expect(a!.kind).toBe(f.kind);
      expect(a!.bytes).toBe(f.bytes);
      expect(a!.metadata).toEqual(f.metadata);
    }
    const explainNames = data.run.artifacts.nodes
      .map((a) => a.name)
      .filter((n) => n.startsWith('explain.') && n !== EXPLANATION_INDEX_NAME);
    expect(explainNames.sort()).toEqual(index.files.map((f) => f.name).sort());
    expect(index.totalBytes).toBe(index.files.reduce((s, f) => s + f.bytes, 0));
    expect(index.skipped).toEqual([]);
    const kinds = new Set(index.files.map((f) => f.kind));
    for (const k of [
      'gradcam',
      'activations',
      'activations-summary',
      'filters',
      'saliency',
      'lime',
    ])
      expect(kinds, k).toContain(k);

    // Samples: as many as asked, each with its own true-class maps for every CAM method; the
    // mistakes also with their predicted-class maps.
    expect(index.samples).toHaveLength(SMALL.samples);
    expect(index.camMethods).toEqual(
      expect.arrayContaining(['gradcam', 'gradcampp', 'layercam', 'eigencam']),
    );
    const cams = index.files.filter((f) => f.kind === 'gradcam');
    for (const s of index.samples) {
      for (const m of index.camMethods) {
        const forSample = cams.filter(
          (f) => f.metadata.sample === s.index && f.metadata.method === m,
        );
        const classes = forSample.map((f) => f.metadata.classIndex).sort();
        expect(classes).toEqual([...new Set([s.label, s.predicted])].sort());
        for (const f of forSample) {
          expect(f.metadata.insertionAuc).toBeGreaterThanOrEqual(0);
          expect(f.metadata.deletionAuc).toBeLessThanOrEqual(1);
        }
      }
    }
    // Every layer with a 4-D output has a grid per sample, in layer order.
    const gridLayers = index.files
      .filter((f) => f.kind === 'activations' && f.metadata.sample === index.samples[0]?.index)
      .map((f) => f.metadata.layer);
    expect(gridLayers).toEqual(
      index.layers.filter((l) => l.outputShape.length === 4).map((l) => l.path),
    );
    const filters = index.files.filter((f) => f.kind === 'filters');
    expect(filters.map((f) => f.metadata.layer)).toEqual(['conv1', 'conv2']);
    const topK = filters[0]?.metadata.topK as { channel: number; samples: number[] }[];
    expect(topK).toHaveLength(SMALL.filterChannels);
    expect(topK[0]?.samples).toHaveLength(SMALL.topK);

    // The stored heatmap of a sample equals gradCam() on the stored model, to 8-bit rounding.
    const cam = cams.find(
      (f) => f.metadata.method === 'gradcam' && f.metadata.target !== 'predicted',
    )!;
    const model = await tf.loadLayersModel(byName.get('model.json')!.url, { requestInit: auth() });
    const ds = await loadFashionMnist();
    const i = cam.metadata.sample as number;
    const image = tf.tidy(() =>
      tf.tensor4d(
        Float32Array.from(ds.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
        [1, 28, 28, 1],
      ),
    );
    const expected = gradCam({
      model,
      images: image,
      layer: cam.metadata.layer as string,
      classIndex: cam.metadata.classIndex as number,
    });
    const png = await sharp(
      Buffer.from(await (await fetch(byName.get(cam.name)!.url, auth())).arrayBuffer()),
    )
      .raw()
      .toBuffer({ resolveWithObject: true });
    // The file is 8-bit grayscale; sharp hands it back as RGB, every channel equal.
    expect([png.info.width, png.info.height]).toEqual([28, 28]);
    const step = png.info.channels;
    let worst = 0;
    for (let p = 0; p < 784; p++)
      worst = Math.max(
        worst,
        Math.abs((png.data[p * step] ?? NaN) / 255 - (expected.heatmap[p] ?? NaN)),
      );
    expect(worst).toBeLessThanOrEqual(1 / 255 + 1e-6);
    expect(Math.max(...expected.heatmap)).toBeCloseTo(1, 5); // a real map, not all zeros

    // No tensor leaks: building a pack again on the loaded model leaves the tensor count as it was.
    image.dispose();
    const test = { ...ds.test, count: 60, images: ds.test.images.subarray(0, 60 * 784) };
    const probabilities = predictSplit(model, test, { shape: [28, 28, 1], numClasses: 10 });
    const before = tf.memory().numTensors;
    const again = await buildExplanationPack({
      model,
      split: test,
      shape: [28, 28, 1],
      probabilities,
      classNames: ds.classNames,
      options: { ...SMALL, samples: 3 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(again.index.samples).toHaveLength(3);
    model.dispose();
  });
});
