// Uncertainty and the augmentation grid stored with tracked runs: libs/ml computes MC statistics
// and logs them over GraphQL to the real API; what the API serves back is exactly what was
// computed (float32 values as doubles), and a tracked mc-dropout run stores its uncertainty and
// its augmentation grid by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import {
  buildModel,
  evaluateMcPredictions,
  getPreset,
  mcPredict,
  RunTracker,
  selectBackend,
  trainExperiment,
  uncertaintyMethod,
  type ModelPreset,
} from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;
let base: string;
const gql = <T>(query: string, variables?: Record<string, unknown>) => t.gql<T>(query, variables);

beforeAll(async () => {
  t = await startTestApi('unc', {
    heartbeatTimeoutS: 30,
    reaperIntervalMs: 1000,
  });
  base = t.base;
  await selectBackend({ requested: 'wasm' });
});

afterAll(async () => {
  await t?.stop();
});

const small = (name: string): ModelPreset => ({ ...getPreset(name), inputShape: [8, 8, 1] });

interface StoredSample {
  index: number;
  label: number;
  predicted: number;
  meanProbabilities: number[];
  std: number[];
  entropy: number;
  mutualInformation: number;
  boxplots: { class: number; min: number; q1: number; median: number; q3: number; max: number }[];
}

describe('uncertainty stored with a run', () => {
  it('detects the sampling method by layer class', () => {
    const models = ['mc-dropout-cnn', 'vnn', 'fmnist-cnn'].map((p) =>
      buildModel(small(p), { seed: 1 }),
    );
    expect(models.map(uncertaintyMethod)).toEqual(['mc-dropout', 'variational', null]);
    models.forEach((m) => m.dispose());
  });

  it('round-trips a tiny mc-dropout model’s MC statistics exactly', async () => {
    const model = buildModel(small('mc-dropout-cnn'), { seed: 3 });
    const n = 9;
    const x = tf.randomUniform<tf.Rank.R4>([n, 8, 8, 1], 0, 1, 'float32', 5);
    const prediction = mcPredict(model, x, { passes: 12, keepPasses: false });
    x.dispose();
    model.dispose();
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const classNames = Array.from({ length: 10 }, (_, c) => `class ${c}`);
    const tracker = await RunTracker.create({
      apiUrl: base,
      project: 'uncertainty',
      name: 'tiny-mc',
      heartbeatMs: 60_000,
    });
    const stored = await tracker.logUncertainty({
      method: 'mc-dropout',
      labels,
      prediction,
      classNames,
    });
    await tracker.finish();
    const expected = evaluateMcPredictions(prediction, labels);
    expect(stored).toMatchObject({ numSamples: n, accuracy: expected.accuracy });

    const data = await gql<{
      run: {
        uncertainty: {
          method: string;
          passes: number;
          numClasses: number;
          classNames: string[];
          accuracy: number;
          auc: number | null;
          perClassAuc: (number | null)[];
          meanEntropy: number;
          meanMutualInformation: number;
          samples: { nodes: StoredSample[] };
        };
      };
    }>(
      // `first` as a variable, like the dashboard: a literal 100 multiplies the static cost.
      `query($id: ID!, $first: Int!) { run(id: $id) { uncertainty {
        method passes numClasses classNames accuracy auc perClassAuc meanEntropy meanMutualInformation
        samples(first: $first) { nodes { index label predicted meanProbabilities std entropy mutualInformation
          boxplots { class min q1 median q3 max } } }
      } } }`,
      { id: tracker.runId, first: 100 },
    );
    const u = data.run.uncertainty;
    expect(u).toMatchObject({
      method: 'mc-dropout',
      passes: 12,
      numClasses: 10,
      classNames,
      accuracy: expected.accuracy,
      auc: expected.macroAuc,
      perClassAuc: expected.auc,
    });
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(u.meanEntropy).toBeCloseTo(mean(prediction.predictiveEntropy), 12);
    expect(u.meanMutualInformation).toBeCloseTo(mean(prediction.mutualInformation), 12);
    const C = 10;
    u.samples.nodes.forEach((s, i) => {
      const row = Array.from(prediction.mean.subarray(i * C, (i + 1) * C));
      expect(s.index).toBe(i);
      expect(s.label).toBe(labels[i]);
      expect(s.predicted).toBe(row.indexOf(Math.max(...row)));
      expect(s.meanProbabilities).toEqual(row);
      expect(s.std).toEqual(Array.from(prediction.std.subarray(i * C, (i + 1) * C)));
      expect(s.entropy).toBe(prediction.predictiveEntropy[i]);
      expect(s.mutualInformation).toBe(prediction.mutualInformation[i]);
      s.boxplots.forEach((b, c) => {
        const q = prediction.quantiles.subarray((i * C + c) * 5, (i * C + c) * 5 + 5);
        expect([b.class, b.min, b.q1, b.median, b.q3, b.max]).toEqual([c, ...Array.from(q)]);
      });
    });
    // MC dropout varies between passes: some spread was measured and stored.
    expect(Math.max(...u.samples.nodes.map((s) => Math.max(...s.std)))).toBeGreaterThan(1e-3);
  });

  it('a tracked mc-dropout run with augmentation stores its uncertainty and augmentation grid', async () => {
    const result = await trainExperiment({
      preset: 'mc-dropout-cnn',
      epochs: 1,
      trainLimit: 128,
      testLimit: 30,
      apiUrl: base,
      project: 'uncertainty',
      backend: 'wasm',
      heartbeatMs: 500,
      explanations: { samples: 0 },
      // Off: not what this test reads (each has its own test).
      snapshots: false,
      layerStats: false,
      projector: false,
      uncertaintyPasses: 6,
      augmentation: { rotationRange: 15, widthShiftRange: 2, seed: 7 },
    });
    const { run } = await gql<{
      run: {
        status: string;
        hyperparameters: Record<string, unknown>;
        uncertainty: {
          method: string;
          passes: number;
          numSamples: number;
          samples: { nodes: { entropy: number }[] };
        } | null;
        artifacts: { nodes: { name: string; kind: string; mimeType: string; url: string }[] };
      };
    }>(
      `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) { status hyperparameters
        uncertainty { method passes numSamples samples(first: 30, orderBy: ENTROPY_DESC) { nodes { entropy } } }
        artifacts(first: $artifactsFirst) { nodes { name kind mimeType url } } } }`,
      { id: result.runId },
    );
    expect(run.status).toBe('COMPLETED');
    expect(run.hyperparameters.augmentation).toEqual({
      rotationRange: 15,
      widthShiftRange: 2,
      seed: 7,
    });
    expect(run.uncertainty).toMatchObject({ method: 'mc-dropout', passes: 6, numSamples: 30 });
    const entropies = run.uncertainty!.samples.nodes.map((s) => s.entropy);
    expect(entropies).toEqual([...entropies].sort((a, b) => b - a));
    const grid = run.artifacts.nodes.find((a) => a.name === 'augmentation-grid.png');
    expect(grid).toMatchObject({ kind: 'image', mimeType: 'image/png' });
    const png = Buffer.from(
      await (
        await fetch(grid!.url, { headers: { authorization: `Bearer ${t.key}` } })
      ).arrayBuffer(),
    );
    // 16 cells, 4 per row, of 28 px upscaled x3, with 2 px gaps: 4 * 84 + 5 * 2 = 346.
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 346, height: 346 });
  });

  it('a deterministic model stores no uncertainty', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 1,
      trainLimit: 64,
      testLimit: 10,
      apiUrl: base,
      project: 'uncertainty',
      backend: 'wasm',
      heartbeatMs: 500,
      explanations: { samples: 0 },
      snapshots: false,
      layerStats: false,
      projector: false,
    });
    const { run } = await gql<{
      run: { uncertainty: null; artifacts: { nodes: { name: string }[] } };
    }>(
      `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) { uncertainty { id } artifacts(first: $artifactsFirst) { nodes { name } } } }`,
      { id: result.runId },
    );
    expect(run.uncertainty).toBeNull();
    expect(run.artifacts.nodes.map((a) => a.name)).not.toContain('augmentation-grid.png');
  });
});
