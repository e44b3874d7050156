import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { onednnAddonBuilt } from '../backend/onednn/addon';
import { initOnednnBackend } from '../backend/onednn/setup';
import { buildModel } from '../models/build-model';
import { getPreset, type ModelPreset } from '../models/presets';
import { MCDropout } from '../models/custom-layers';
import { mcPredict, mcPredictSplit, type McPrediction } from './mc-predict';
import { dropoutMask, normalNoise, newNoiseRun, withNoiseRun } from './row-noise';
import { MC_DROPOUT_KERNEL, mcDropout } from './mc-dropout-kernel';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const small = (name: string): ModelPreset => ({ ...getPreset(name), inputShape: [8, 8, 1] });

/** Largest absolute difference of two equally long arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function expectSamePrediction(a: McPrediction, b: McPrediction, tol = 0): void {
  const fields = ['mean', 'std', 'predictiveEntropy', 'expectedEntropy', 'quantiles'] as const;
  for (const f of fields) expect(maxDiff(a[f], b[f]), f).toBeLessThanOrEqual(tol);
  expect(
    maxDiff(a.passProbabilities ?? [], b.passProbabilities ?? []),
    'passes',
  ).toBeLessThanOrEqual(tol);
}

describe('row noise', () => {
  // 0.5 has its own path (one hash per 32 units), 0.3 the general one.
  it.each([0.3, 0.5])('drops a fraction %s of units, scales the rest, independently', (rate) => {
    const rows = 100;
    const width = 2000;
    const keep = 1 - rate;
    const m = dropoutMask(123, null, rows, width, rate);
    let kept = 0;
    for (const v of m) {
      if (v !== 0) {
        expect(v).toBeCloseTo(1 / keep, 6);
        kept++;
      }
    }
    // 2e5 Bernoulli draws: sd <= 1.1e-3.
    expect(Math.abs(kept / m.length - keep)).toBeLessThan(0.005);
    // Neighbouring rows and units are uncorrelated (r of ~2e5 pairs: sd 2.2e-3); for 0.5,
    // unit shifts 1 and 31 compare bits of one hash, 32 the next hash's.
    const corr = (shiftRow: number, shiftUnit: number): number => {
      let sxy = 0;
      let n = 0;
      for (let r = 0; r + shiftRow < rows; r++)
        for (let j = 0; j + shiftUnit < width; j++) {
          const x = m[r * width + j]! > 0 ? 1 : 0;
          const y = m[(r + shiftRow) * width + j + shiftUnit]! > 0 ? 1 : 0;
          sxy += (x - keep) * (y - keep);
          n++;
        }
      return sxy / n / (keep * rate);
    };
    for (const [dr, dj] of [
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 31],
      [0, 32],
    ] as const)
      expect(Math.abs(corr(dr, dj)), `shift ${dr}, ${dj}`).toBeLessThan(0.012);
    // Another stream gives another mask; the same stream the same one.
    expect(maxDiff(m, dropoutMask(124, null, rows, width, rate))).toBeGreaterThan(1);
    expect(maxDiff(m, dropoutMask(123, null, rows, width, rate))).toBe(0);
  });

  it('draws standard normal noise', () => {
    const z = normalNoise(7, null, 1000, 500);
    let s = 0;
    let ss = 0;
    let beyond2 = 0;
    for (const v of z) {
      s += v;
      ss += v * v;
      if (Math.abs(v) > 1.96) beyond2++;
    }
    const n = z.length;
    expect(Math.abs(s / n)).toBeLessThan(0.005);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(beyond2 / n - 0.05)).toBeLessThan(0.002);
  });

  it('keys rows by (pass, sample): the same row gets the same noise in any batch', () => {
    const rowsA = { pass: Uint32Array.from([0, 1, 2]), sample: Uint32Array.from([5, 5, 5]) };
    const rowsB = { pass: Uint32Array.from([2, 9]), sample: Uint32Array.from([5, 5]) };
    const a = dropoutMask(1, rowsA, 3, 100, 0.5);
    const b = dropoutMask(1, rowsB, 2, 100, 0.5);
    expect(maxDiff(a.subarray(200, 300), b.subarray(0, 100))).toBe(0);
    expect(maxDiff(a.subarray(0, 100), a.subarray(100, 200))).toBeGreaterThan(0);
    expect(() => dropoutMask(1, rowsA, 4, 10, 0.5)).toThrow(/expects 3 rows/);
  });
});

describe('MC dropout kernel', () => {
  it('equals the mask and tf.mul, forward and gradient, on wasm and cpu; no leaks', async () => {
    const attrs = { stream: 42, rate: 0.25, rows: null };
    const shape = [6, 4, 4, 3];
    const mask = dropoutMask(42, null, 6, 48, 0.25);
    const half = { ...attrs, rate: 0.5 };
    const halfMask = dropoutMask(42, null, 6, 48, 0.5);
    const xv = Float32Array.from({ length: 6 * 48 }, (_, i) => Math.sin(i) * 3);
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      expect(tf.getKernel(MC_DROPOUT_KERNEL, backend)).toBeDefined();
      const x = tf.tensor(xv, shape);
      const before = tf.memory().numTensors;
      const [y, g, yHalf] = tf.tidy(() => {
        const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(mcDropout(t, attrs), 2)));
        return [mcDropout(x, attrs), grad(x), mcDropout(x, half)];
      });
      const yv = await y.data();
      const gv = await g.data();
      const hv = await yHalf.data();
      for (let i = 0; i < xv.length; i++) {
        expect(yv[i]).toBeCloseTo(xv[i]! * mask[i]!, 5);
        expect(gv[i]).toBeCloseTo(2 * mask[i]!, 5);
        expect(hv[i]).toBeCloseTo(xv[i]! * halfMask[i]!, 5);
      }
      tf.dispose([y, g, yHalf]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
    await tf.setBackend('wasm');
  });

  it('trains a model with MC dropout (gradient through the kernel)', async () => {
    const m = buildModel(small('mc-dropout-cnn'), { seed: 5 });
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
    const loss = async () => ((await m.trainOnBatch(x, y)) as number[])[0] ?? NaN;
    const first = await loss();
    // The optimizer's slots exist after the first step: later steps must leave nothing behind.
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 15; i++) last = await loss();
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('mcPredict determinism', () => {
  for (const name of ['mc-dropout-cnn', 'vnn']) {
    it(`${name}: same seed, same result whatever maxRowsPerBatch or blockSize; no leaks`, () => {
      const x = tf.randomUniform<tf.Rank.R4>([5, 8, 8, 1], 0, 1, 'float32', 9);
      /** `fn` on a fresh model of seed 3 (disposed after), checking that `fn` leaks nothing. */
      const fresh = <T>(fn: (m: tf.LayersModel) => T): T => {
        const m = buildModel(small(name), { seed: 3 });
        const before = tf.memory().numTensors;
        try {
          return fn(m);
        } finally {
          expect(tf.memory().numTensors).toBe(before);
          m.dispose();
        }
      };
      const run = (rows: number) =>
        fresh((m) => mcPredict(m, x, { passes: 9, maxRowsPerBatch: rows }));
      // 64 rows: 12 passes per forward; 4 rows: blocks of 4 and 1 samples, one pass each.
      const a = run(64);
      const b = run(4096);
      const c = run(4);
      expectSamePrediction(a, b);
      expectSamePrediction(a, c);
      expect(Math.max(...a.std)).toBeGreaterThan(1e-3);
      // Two runs of one model differ (the layer takes a new stream per run).
      fresh((m) => {
        const r1 = mcPredict(m, x, { passes: 9 });
        const r2 = mcPredict(m, x, { passes: 9 });
        expectSamePrediction(r1, a);
        expect(maxDiff(r1.mean, r2.mean)).toBeGreaterThan(0);
      });
      // A split in blocks of 2 images equals mcPredict over all of it.
      const split = {
        images: Uint8Array.from({ length: 5 * 64 }, (_, i) => (i * 53) % 256),
        labels: Uint8Array.from([0, 1, 2, 3, 4]),
        count: 5,
      };
      const xs = tf.tidy(() => tf.div(tf.tensor4d(split.images, [5, 8, 8, 1], 'float32'), 255));
      const whole = fresh((m) => mcPredict(m, xs as tf.Tensor4D, { passes: 6 }));
      const blocks = fresh((m) =>
        mcPredictSplit(m, split, { shape: [8, 8, 1], passes: 6, blockSize: 2 }),
      );
      // The split's bytes / 255 in makeBatch may round differently from tf.div.
      expectSamePrediction(whole, blocks, 1e-6);
      tf.dispose([xs, x]);
    });
  }

  it('a plain predict outside a run draws a new mask per call', () => {
    const m = buildModel(small('mc-dropout-cnn'), { seed: 4 });
    expect(m.layers.some((l) => l instanceof MCDropout)).toBe(true);
    const x = tf.ones<tf.Rank.R4>([3, 8, 8, 1]);
    const [p1, p2] = [m.predict(x) as tf.Tensor, m.predict(x) as tf.Tensor];
    expect(maxDiff(p1.dataSync(), p2.dataSync())).toBeGreaterThan(0);
    // Inside a run the layer keeps one stream: two forwards with the same rows agree.
    const run = newNoiseRun();
    run.rows = { pass: Uint32Array.from([0, 1, 2]), sample: Uint32Array.from([0, 0, 0]) };
    const [q1, q2] = withNoiseRun(run, () => [
      m.predict(x) as tf.Tensor,
      m.predict(x) as tf.Tensor,
    ]);
    expect(maxDiff(q1.dataSync(), q2.dataSync())).toBe(0);
    tf.dispose([p1, p2, q1, q2, x]);
    m.dispose();
  });
});

describe.skipIf(!onednnAddonBuilt())('mcPredict on onednn', () => {
  it('equals the cpu backend on a fixed seed (1e-5)', async () => {
    const results: McPrediction[] = [];
    for (const backend of ['onednn', 'cpu']) {
      if (backend === 'onednn') await initOnednnBackend();
      else await tf.setBackend(backend);
      for (const name of ['mc-dropout-cnn', 'vnn']) {
        const m = buildModel({ ...getPreset(name), inputShape: [12, 12, 3] }, { seed: 11 });
        const x = tf.randomUniform<tf.Rank.R4>([6, 12, 12, 3], 0, 1, 'float32', 2);
        const before = tf.memory().numTensors;
        results.push(mcPredict(m, x, { passes: 8, maxRowsPerBatch: 24 }));
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
        m.dispose();
      }
    }
    const [onednnMc, onednnVnn, cpuMc, cpuVnn] = results;
    expectSamePrediction(onednnMc!, cpuMc!, 1e-5);
    expectSamePrediction(onednnVnn!, cpuVnn!, 1e-5);
    await tf.setBackend('wasm');
  });
});
