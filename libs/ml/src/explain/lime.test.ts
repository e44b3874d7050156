import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cosineDistanceToAllOn,
  explainImage,
  limeKernel,
  type LimeExplanation,
  type LimeOptions,
  perturbImage,
  segmentFill,
  segmentHeatmap,
  weightedRidge,
} from './lime';
import type { Segmentation } from './slic';

interface RidgeCase {
  n: number;
  k: number;
  x: number[];
  y: number[];
  distances: number[];
  weights: number[];
  coefficients: number[];
  intercept: number;
  score: number;
  localPrediction: number;
}
// lime's linear step run by scikit-learn, written by fixtures/make_lime_fixture.py.
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/lime-ridge.json', import.meta.url), 'utf8'),
) as { cases: RidgeCase[] };

const closeAll = (a: ArrayLike<number>, b: ArrayLike<number>, digits: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, digits);
};

describe('weighted ridge', () => {
  it('matches the closed form worked by hand on one feature', () => {
    // x = [0, 1, 1, 0], y = [1, 3, 2, 0], w = [1, 1, 2, 2]: sum w = 6, mean x = 3/6 = 0.5,
    // mean y = (1 + 3 + 4 + 0) / 6 = 4/3; Sxx = sum w (x - 0.5)^2 = 1.5;
    // Sxy = 1(-0.5)(-1/3) + 1(0.5)(5/3) + 2(0.5)(2/3) + 2(-0.5)(-4/3) = 1/6 + 5/6 + 2/3 + 4/3 = 3.
    // b = Sxy / (Sxx + alpha) = 3 / 2.5 = 1.2; intercept = 4/3 - 0.5 * 1.2 = 11/15.
    const fit = weightedRidge({
      x: [0, 1, 1, 0],
      y: [1, 3, 2, 0],
      weights: [1, 1, 2, 2],
      numSamples: 4,
      numFeatures: 1,
      alpha: 1,
    });
    expect(fit.coefficients[0]).toBeCloseTo(1.2, 12);
    expect(fit.intercept).toBeCloseTo(11 / 15, 12);
    // R^2: predictions 11/15 and 29/15; ss_res = 1(4/15)^2 + 1(16/15)^2 + 2(1/15)^2 + 2(11/15)^2
    // = (16 + 256 + 2 + 242) / 225 = 516/225; ss_tot = sum w (y - 4/3)^2 = 1/9 + 25/9 + 8/9 + 32/9 = 66/9.
    expect(fit.score).toBeCloseTo(1 - 516 / 225 / (66 / 9), 12);
  });

  it.each([0, 1])('matches lime + scikit-learn (case %i)', (c) => {
    const f = fixture.cases[c]!;
    const d = cosineDistanceToAllOn(f.x, f.n, f.k);
    closeAll(d, f.distances, 12);
    const w = limeKernel(d, 0.25);
    closeAll(w, f.weights, 12);
    const fit = weightedRidge({ x: f.x, y: f.y, weights: w, numSamples: f.n, numFeatures: f.k });
    closeAll(fit.coefficients, f.coefficients, 10);
    expect(fit.intercept).toBeCloseTo(f.intercept, 10);
    expect(fit.score).toBeCloseTo(f.score, 10);
    expect(fit.intercept + fit.coefficients.reduce((s, v) => s + v, 0)).toBeCloseTo(
      f.localPrediction,
      10,
    );
  });
});

describe('perturbation', () => {
  const seg: Segmentation = {
    labels: Int32Array.from([0, 0, 1, 1, 1, 2]),
    numSegments: 3,
    width: 3,
    height: 2,
  };
  const image = [10, 1, 30, 3, 50, 5, 70, 7, 90, 9, 11, 13]; // 2 channels
  it('replaces switched-off superpixels by their mean colour or a fill value', () => {
    const mean = segmentFill(image, seg, 2, 'mean');
    expect(Array.from(mean)).toEqual([20, 2, 70, 7, 11, 13]);
    const out = perturbImage({ image, segmentation: seg, channels: 2, on: [1, 0, 1], fill: mean });
    expect(Array.from(out)).toEqual([10, 1, 30, 3, 70, 7, 70, 7, 70, 7, 11, 13]);
    const zero = segmentFill(image, seg, 2, -1);
    const hidden = perturbImage({
      image,
      segmentation: seg,
      channels: 2,
      on: [0, 1, 1],
      fill: zero,
    });
    expect(Array.from(hidden.subarray(0, 4))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(segmentHeatmap(seg, [0.5, -1, 2]))).toEqual([0.5, 0.5, -1, -1, -1, 2]);
  });
});

/** 40 x 40 RGB in [0, 1]: four flat quadrants of different colours. */
function quadrants(): Float32Array {
  const img = new Float32Array(40 * 40 * 3);
  const colours = [
    [0.9, 0.2, 0.2],
    [0.2, 0.8, 0.2],
    [0.2, 0.3, 0.9],
    [0.9, 0.9, 0.3],
  ];
  for (let y = 0; y < 40; y++)
    for (let x = 0; x < 40; x++)
      img.set(colours[(y < 20 ? 0 : 2) + (x < 20 ? 0 : 1)]!, (y * 40 + x) * 3);
  return img;
}

/** explainImage on a fresh {@link quadrants} image; `options` adds the model and the settings. */
function explainQuadrants(
  options: Omit<LimeOptions, 'image' | 'width' | 'height' | 'channels'>,
): Promise<LimeExplanation> {
  return explainImage({ image: quadrants(), width: 40, height: 40, channels: 3, ...options });
}

describe('explainImage', () => {
  it('ranks the superpixels of the region the model looks at first', async () => {
    // Class 1 = fraction of the top-left quadrant still visible (hidden pixels are filled with 0).
    const predict = (batch: Float32Array, n: number): Float32Array => {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        let visible = 0;
        for (let y = 0; y < 20; y++)
          for (let x = 0; x < 20; x++) if (batch[i * 4800 + (y * 40 + x) * 3] !== 0) visible++;
        out[2 * i + 1] = visible / 400;
        out[2 * i] = 1 - visible / 400;
      }
      return out;
    };
    const r = await explainQuadrants({
      predict,
      numSegments: 16,
      numSamples: 300,
      hide: 0,
      seed: 1,
      top: 16,
    });
    expect(r.classIndex).toBe(1); // the all-on image scores 1
    expect(r.originalPrediction).toBe(1);
    const { labels, numSegments } = r.segmentation;
    // Superpixels inside the top-left quadrant, and their share of it.
    const inRegion = new Set<number>();
    const share = new Float64Array(numSegments);
    labels.forEach((s, p) => {
      if (p % 40 < 20 && p < 20 * 40) {
        inRegion.add(s);
        share[s]! += 1 / 400;
      }
    });
    expect(inRegion.size).toBeGreaterThan(1);
    const topIds = r.positive.slice(0, inRegion.size).map((s) => s.segment);
    expect(new Set(topIds)).toEqual(inRegion);
    // The score is linear in the on/off pattern, so ridge recovers each share, shrunk a little.
    for (const s of inRegion) {
      expect(r.coefficients[s]).toBeGreaterThan(0.8 * share[s]!);
      expect(r.coefficients[s]).toBeLessThanOrEqual(share[s]! + 1e-9);
    }
    for (let s = 0; s < numSegments; s++)
      if (!inRegion.has(s)) expect(Math.abs(r.coefficients[s]!)).toBeLessThan(0.01);
    expect(r.score).toBeGreaterThan(0.99);
    // The opposite class has the opposite weights.
    const against = await explainQuadrants({
      predict,
      numSegments: 16,
      numSamples: 300,
      hide: 0,
      seed: 1,
      classIndex: 0,
    });
    closeAll(
      against.coefficients,
      Array.from(r.coefficients, (v) => -v),
      6,
    );
    expect(against.negative[0]!.segment).toBe(r.positive[0]!.segment);
  });

  it('takes a TF.js model, gives the same as the same model as a function, and leaks no tensors', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [40, 40, 3] }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    // Known weights: a deterministic pattern, so the test does not depend on initialisers.
    const [kernel, bias] = model.getWeights();
    if (!kernel || !bias) throw new Error('the dense layer has no weights');
    const kv = new Float32Array(kernel.size).map((_, i) => Math.sin(i * 0.7) * 0.05);
    model.setWeights([tf.tensor2d(kv, kernel.shape as [number, number]), tf.zeros(bias.shape)]);
    // The same model written in plain JS: softmax(flatten(x) . W).
    const asFunction = (batch: Float32Array, n: number): Float32Array => {
      const out = new Float32Array(3 * n);
      for (let i = 0; i < n; i++) {
        const z = [0, 0, 0];
        for (let p = 0; p < 4800; p++)
          for (let c = 0; c < 3; c++) z[c]! += batch[i * 4800 + p]! * kv[p * 3 + c]!;
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const sum = e[0]! + e[1]! + e[2]!;
        for (let c = 0; c < 3; c++) out[3 * i + c] = e[c]! / sum;
      }
      return out;
    };
    const before = tf.memory().numTensors;
    const common = {
      numSegments: 9,
      numSamples: 120,
      batchSize: 32,
    };
    const a = await explainQuadrants({ ...common, predict: model });
    expect(tf.memory().numTensors).toBe(before);
    const b = await explainQuadrants({ ...common, predict: asFunction });
    expect(a.classIndex).toBe(b.classIndex);
    closeAll(a.coefficients, b.coefficients, 4);
    model.dispose();
  });

  it('reads a single sigmoid output as [1 - p, p] and rejects a bad class', async () => {
    const predict = (_batch: Float32Array, n: number) => new Float32Array(n).fill(0.8);
    const r = await explainQuadrants({
      predict,
      numSegments: 4,
      numSamples: 20,
    });
    expect(r.classIndex).toBe(1);
    expect(r.originalPrediction).toBeCloseTo(0.8, 6);
    await expect(
      explainQuadrants({
        predict,
        numSegments: 4,
        numSamples: 20,
        classIndex: 2,
      }),
    ).rejects.toThrow('classIndex 2 is not in [0, 2)');
  });
});
