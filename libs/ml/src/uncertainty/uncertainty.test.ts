import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildModel } from '../models/build-model';
import { getPreset, type ModelPreset } from '../models/presets';
import { GaussianSampling } from '../models/custom-layers';
import { serializeModel } from '../models/serialize-model';
import {
  evaluateMcPredictions,
  mcPredict,
  mcPredictSplit,
  quantileSorted,
  summarizePasses,
} from './mc-predict';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

const small = (name: string, inputShape: [number, number, number] = [8, 8, 1]): ModelPreset => {
  const p = getPreset(name);
  return { ...p, inputShape };
};

describe('summarizePasses (hand-computed)', () => {
  it('gives entropy ln 2 and MI ln 2 for two confident, disagreeing passes', () => {
    const s = summarizePasses([1, 0, 0, 1], 1, 2, 2);
    expect(Array.from(s.mean)).toEqual([0.5, 0.5]);
    expect(Array.from(s.std)).toEqual([0.5, 0.5]);
    expect(s.predictiveEntropy[0]).toBeCloseTo(Math.LN2, 6);
    expect(s.expectedEntropy[0]).toBe(0);
    expect(s.mutualInformation[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('gives MI 0 when every pass agrees, however uncertain', () => {
    const s = summarizePasses([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 1, 3, 2);
    expect(s.predictiveEntropy[0]).toBeCloseTo(Math.LN2, 6);
    expect(s.expectedEntropy[0]).toBeCloseTo(Math.LN2, 6);
    expect(s.mutualInformation[0]).toBeCloseTo(0, 7);
  });

  it('matches a three-class case worked by hand', () => {
    // Passes [0.7, 0.2, 0.1] and [0.1, 0.2, 0.7]: mean [0.4, 0.2, 0.4].
    const s = summarizePasses([0.7, 0.2, 0.1, 0.1, 0.2, 0.7], 1, 2, 3);
    const h = (p: number[]) => -p.reduce((a, v) => a + v * Math.log(v), 0);
    const predictive = h([0.4, 0.2, 0.4]);
    const expected = h([0.7, 0.2, 0.1]);
    expect(s.predictiveEntropy[0]).toBeCloseTo(predictive, 6);
    expect(s.expectedEntropy[0]).toBeCloseTo(expected, 6);
    expect(s.mutualInformation[0]).toBeCloseTo(predictive - expected, 6);
    expect(s.std[0]).toBeCloseTo(0.3, 6);
    expect(s.std[1]).toBe(0);
  });

  it('computes quartiles like numpy.percentile (linear)', () => {
    // numpy.percentile([0.1, 0.5, 0.2, 0.9], [0, 25, 50, 75, 100]) = [0.1, 0.175, 0.35, 0.6, 0.9]
    const s = summarizePasses([0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.9, 0.1], 1, 4, 2);
    const q = Array.from(s.quantiles.subarray(0, 5));
    [0.1, 0.175, 0.35, 0.6, 0.9].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 6));
    expect(quantileSorted([3], 0.5)).toBe(3);
    expect(() => summarizePasses([0.5], 1, 2, 2)).toThrow(/expected 1 x 2 x 2 = 4/);
  });
});

describe('mcPredict', () => {
  it('varies across passes with MC dropout, not with a plain model; no tensor leaks', () => {
    const mc = buildModel(small('mc-dropout-cnn'), { seed: 1 });
    const plain = buildModel(small('fmnist-cnn'), { seed: 1 });
    const x = tf.randomUniform<tf.Rank.R4>([5, 8, 8, 1], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    // maxRowsPerBatch 12: 2 passes per forward over blocks of 5 samples, then leftovers.
    const a = mcPredict(mc, x, { passes: 7, maxRowsPerBatch: 12 });
    const b = mcPredict(plain, x, { passes: 7, maxRowsPerBatch: 12 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.stochastic).toBe(true);
    expect(b.stochastic).toBe(false);
    expect(a.passProbabilities).toHaveLength(5 * 7 * 10);
    expect(Math.min(...a.std)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.std)).toBeGreaterThan(1e-3);
    expect(Math.max(...a.mutualInformation)).toBeGreaterThan(0);
    expect(Math.max(...b.std)).toBe(0);
    b.mutualInformation.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-6));
    // Each pass of the plain model equals its ordinary prediction.
    const p = plain.predict(x) as tf.Tensor;
    const ref = p.dataSync();
    for (let c = 0; c < 10; c++) expect(b.mean[c]).toBeCloseTo(ref[c] ?? NaN, 6);
    tf.dispose([p, x]);
    mc.dispose();
    plain.dispose();
  });

  it('samples the variational latent at prediction and summarises a split', () => {
    const vnn = buildModel(small('vnn'), { seed: 2 });
    const split = {
      images: Uint8Array.from({ length: 3 * 64 }, (_, i) => (i * 37) % 256),
      labels: Uint8Array.from([0, 1, 2]),
      count: 3,
    };
    const before = tf.memory().numTensors;
    const r = mcPredictSplit(vnn, split, { shape: [8, 8, 1], passes: 20, blockSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.numSamples).toBe(3);
    expect(r.quantiles).toHaveLength(3 * 10 * 5);
    expect(Math.max(...r.std)).toBeGreaterThan(0);
    const rowSum = r.mean.subarray(0, 10).reduce((s, v) => s + v, 0);
    expect(rowSum).toBeCloseTo(1, 5);
    const e = evaluateMcPredictions(r, split.labels);
    expect(e.auc).toHaveLength(10);
    expect(e.auc[5]).toBeNull(); // class 5 has no samples
    expect(e.accuracy).toBeGreaterThanOrEqual(0);
    vnn.dispose();
  });

  it('expands a sigmoid output to two classes', () => {
    const preset: ModelPreset = {
      ...small('mc-dropout-cnn'),
      layers: [
        { type: 'flatten' },
        { type: 'mcDropout', rate: 0.5 },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      loss: 'binaryCrossentropy',
    };
    const m = buildModel(preset, { seed: 4 });
    const x = tf.ones<tf.Rank.R4>([2, 8, 8, 1]);
    const r = mcPredict(m, x, { passes: 4 });
    expect(r.numClasses).toBe(2);
    const passes = r.passProbabilities ?? new Float32Array(0);
    expect(passes).toHaveLength(2 * 4 * 2);
    for (let i = 0; i < 2 * 4; i++)
      expect((passes[2 * i] ?? NaN) + (passes[2 * i + 1] ?? NaN)).toBeCloseTo(1, 6);
    const e = evaluateMcPredictions(r, [0, 1]);
    expect(e.auc).toHaveLength(2);
    x.dispose();
    m.dispose();
  });
});

describe('variational network', () => {
  it('adds exactly klWeight * mean KL to the training loss', async () => {
    const withKl = (klWeight: number) => {
      const p = small('vnn');
      p.layers = p.layers.map((l) => (l.type === 'gaussianSampling' ? { ...l, klWeight } : l));
      return buildModel(p, { seed: 7 });
    };
    const a = withKl(0.5);
    const b = withKl(0);
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 11);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), 10);
    // KL by hand from the latent parameters (same weights in both models: same seed).
    const params = tf.model({
      inputs: a.inputs,
      outputs: a.getLayer('z_params').output,
    });
    const zp = (params.predict(x) as tf.Tensor).arraySync() as number[][];
    let kl = 0;
    for (const row of zp) {
      const d = row.length / 2;
      for (let j = 0; j < d; j++) {
        const mu = row[j] ?? NaN;
        const lv = row[d + j] ?? NaN;
        kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
      }
    }
    kl /= zp.length;
    expect(kl).toBeGreaterThan(0);
    // The first step's loss is computed before the update, with the same noise in both models.
    const [la] = (await a.trainOnBatch(x, y)) as number[];
    const [lb] = (await b.trainOnBatch(x, y)) as number[];
    expect((la ?? NaN) - (lb ?? NaN)).toBeCloseTo(0.5 * kl, 4);
    const { mean, logVar } = GaussianSampling.split(tf.tensor2d(zp));
    const perSample = GaussianSampling.klPerSample(mean, logVar);
    expect(perSample.mean().dataSync()[0]).toBeCloseTo(kl, 4);
    tf.dispose([x, y, mean, logVar, perSample]);
    a.dispose();
    b.dispose();
  });

  it('saves and loads with its custom layers, still sampling', async () => {
    const m = buildModel(small('vnn'), { seed: 3 });
    const { modelJson, weights } = await serializeModel(m);
    const json = JSON.parse(new TextDecoder().decode(modelJson));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.slice().buffer,
      }),
    );
    const layer = loaded.getLayer('z') as GaussianSampling;
    expect(layer).toBeInstanceOf(GaussianSampling);
    expect(layer.klWeight).toBe(1e-3);
    const x = tf.ones<tf.Rank.R4>([1, 8, 8, 1]);
    const r = mcPredict(loaded, x, { passes: 5 });
    expect(r.stochastic).toBe(true);
    expect(Math.max(...r.std)).toBeGreaterThan(0);
    x.dispose();
    m.dispose();
    loaded.dispose();
  });
});
