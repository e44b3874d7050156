import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectClose, F0, F1, noLeak, tinyLogits, tinyModel, V, X } from './explain-test-helpers';
import {
  integratedGradients,
  occlusionSensitivity,
  quadrature,
  smoothGrad,
  vanillaGradients,
} from './input-attribution';

const image = (): tf.Tensor4D => tf.tensor4d(X.flat(), [1, 4, 4, 1]);

// Every conv unit of tinyModel is active on X (pre-activations 1, 3, 1, 1 and .5, 2.5, 2.5, 2.5),
// so d logit_c / d x[r][s] = sum over positions (i, j) and filters k of V[(i*2+j)*2+k][c] * f_k[r-i][s-j].
function handGradient(c: number): number[] {
  const g = new Array<number>(16).fill(0);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      [F0, F1].forEach((f, k) => {
        for (let a = 0; a < 3; a++)
          for (let b = 0; b < 3; b++)
            g[(i + a) * 4 + (j + b)]! += V[(i * 2 + j) * 2 + k]![c]! * f[a]![b]!;
      });
  return g;
}

describe('vanilla gradients', () => {
  it('equal the hand-derived gradient of the class logit; map = |gradient|', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => vanillaGradients({ model, images: x }));
    expect(r.classIndex).toEqual([0]);
    expectClose(r.attribution!, handGradient(0), 1e-6);
    expectClose(r.map, handGradient(0).map(Math.abs), 1e-6);
    expect(r.mapShape).toEqual([1, 4, 4]);
    const r1 = noLeak(() => vanillaGradients({ model, images: x, classIndex: 1 }));
    expectClose(r1.attribution!, handGradient(1), 1e-6);
    model.dispose();
    x.dispose();
  });
});

describe('integrated gradients', () => {
  it('quadrature points and weights', () => {
    expect(quadrature('trapezoid', 4)).toEqual({
      alphas: [0, 0.25, 0.5, 0.75, 1],
      weights: [0.125, 0.25, 0.25, 0.25, 0.125],
    });
    expect(quadrature('riemann-left', 2).alphas).toEqual([0, 0.5]);
    expect(quadrature('riemann-right', 2).alphas).toEqual([0.5, 1]);
    expect(quadrature('riemann-middle', 2)).toEqual({ alphas: [0.25, 0.75], weights: [0.5, 0.5] });
    expect(() => quadrature('trapezoid', 0)).toThrow(/positive integer/);
  });

  it('on a path where the model is linear: x * gradient, summing to logit(x) - logit(0)', () => {
    // Along a * X (a in [0, 1]) every pre-activation stays positive (filter 0: 2 - a, 2 + a;
    // filter 1: .5, .5 + 2a), so the logit is linear in a and the gradient constant.
    const model = tinyModel();
    const x = image();
    // logit0(0) = sum_k0 V*2 + sum_k1 V*.5 = 2*(1+2+0-1) + .5*(-1+0+1+.5) = 4.25; logit0(X) = 9.25
    const l0 = tinyLogits(X)[0]! - tinyLogits(X.map((r) => r.map(() => 0)))[0]!;
    expect(l0).toBe(5);
    for (const rule of ['trapezoid', 'riemann-left', 'riemann-right', 'riemann-middle'] as const) {
      const r = noLeak(() => integratedGradients({ model, images: x, steps: 3, rule }));
      const g = handGradient(0);
      expectClose(
        r.attribution!,
        X.flat().map((v, i) => v * g[i]!),
        1e-5,
      );
      expect(r.attribution!.reduce((a, v) => a + v, 0)).toBeCloseTo(5, 4);
    }
    model.dispose();
    x.dispose();
  });

  it('approximately satisfies completeness on a nonlinear model and a non-zero baseline', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 3,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
        biasInitializer: tf.initializers.constant({ value: 0.1 }),
      }),
    );
    model.add(tf.layers.flatten());
    model.add(
      tf.layers.dense({
        units: 3,
        activation: 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }),
      }),
    );
    const x = tf.randomUniform<tf.Rank.R4>([2, 6, 6, 2], 0, 1, 'float32', 3);
    const baseline = tf.fill<tf.Rank.R3>([6, 6, 2], 0.2);
    const r = noLeak(() =>
      integratedGradients({ model, images: x, baseline, steps: 256, batchSize: 100 }),
    );
    // The head is linear here, so predict() gives the logits.
    const logits = (t: tf.Tensor) =>
      tf.tidy(() => (model.predict(t) as tf.Tensor).arraySync() as number[][]);
    const lx = logits(x);
    const lb = logits(tf.stack([baseline, baseline]));
    for (let s = 0; s < 2; s++) {
      const c = r.classIndex[s]!;
      const sum = r.attribution!.subarray(s * 72, (s + 1) * 72).reduce((a, v) => a + v, 0);
      expect(Math.abs(sum - (lx[s]![c]! - lb[s]![c]!))).toBeLessThan(
        2e-3 * Math.max(1, Math.abs(lx[s]![c]!)),
      );
    }
    tf.dispose([x, baseline]);
    model.dispose();
  });
});

describe('SmoothGrad', () => {
  it('equals the gradient where the model is locally linear, and is reproducible by seed', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() =>
      smoothGrad({ model, images: x, samples: 8, noiseLevel: 0.005, seed: 3 }),
    );
    expectClose(r.attribution!, handGradient(0), 1e-5);
    // Larger noise crosses ReLU kinks: results depend on the seed, and only on it.
    const a = smoothGrad({ model, images: x, samples: 6, noiseLevel: 0.5, seed: 1 });
    const b = smoothGrad({ model, images: x, samples: 6, noiseLevel: 0.5, seed: 1 });
    const c = smoothGrad({ model, images: x, samples: 6, noiseLevel: 0.5, seed: 2 });
    expect(Array.from(a.attribution!)).toEqual(Array.from(b.attribution!));
    expect(Array.from(a.attribution!)).not.toEqual(Array.from(c.attribution!));
    model.dispose();
    x.dispose();
  });
});

describe('occlusion sensitivity', () => {
  it('is the probability drop of each patch, averaged over the patches covering a pixel', () => {
    const model = tinyModel();
    const x = image();
    const p0 = (img: number[][]) => {
      const [a = NaN, b = NaN] = tinyLogits(img);
      return 1 / (1 + Math.exp(b - a));
    };
    const base = p0(X);
    const occluded = (y: number, s: number, win: number) =>
      X.map((row, i) =>
        row.map((v, j) => (i >= y && i < y + win && j >= s && j < s + win ? 0 : v)),
      );
    // window 2, stride 2: four disjoint patches.
    const r = noLeak(() => occlusionSensitivity({ model, images: x, window: 2, stride: 2 }));
    const expected = new Array<number>(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const y = Math.floor(i / 2) * 2;
        const s = Math.floor(j / 2) * 2;
        expected[i * 4 + j] = base - p0(occluded(y, s, 2));
      }
    expectClose(r.attribution!, expected, 1e-5);
    expectClose(
      r.map,
      expected.map((v) => Math.max(0, v)),
      1e-5,
    );
    // window 3, stride 1: four overlapping patches at (0,0), (0,1), (1,0), (1,1); the centre
    // pixels are covered by all four, corners by one.
    const o = noLeak(() => occlusionSensitivity({ model, images: x, window: 3, stride: 1 }));
    const corners: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const d = corners.map(([y, s]) => base - p0(occluded(y, s, 3)));
    expect(o.attribution![0]!).toBeCloseTo(d[0]!, 5); // (0,0): patch (0,0) only
    expect(o.attribution![5]).toBeCloseTo((d[0]! + d[1]! + d[2]! + d[3]!) / 4, 5); // (1,1): all four
    expect(o.attribution![1]).toBeCloseTo((d[0]! + d[1]!) / 2, 5); // (0,1): patches (0,0), (0,1)
    expect(() => occlusionSensitivity({ model, images: x, window: 5 })).toThrow(/do not fit/);
    model.dispose();
    x.dispose();
  });
});
