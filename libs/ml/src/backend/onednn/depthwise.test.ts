import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardAndGrads, randomValues, relError, rng } from '../test-helpers';
import { initWasmBackend } from '../wasm-setup';
import { loadOnednnAddon, onednnAddonBuilt } from './addon';
import { ONEDNN } from './kernels';
import { initOnednnBackend } from './setup';

const addonBuilt = onednnAddonBuilt();
const SKIP = addonBuilt
  ? ''
  : ' (SKIPPED: addon not built; run `npm run build:native -w @convscope/ml`, needs libdnnl-dev)';

/** f's forward output and (unless forwardOnly) input gradients on `backend` and on the stock 'cpu' backend. */
async function compare(
  backend: string,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  shapes: number[][],
  seed: number,
  options: { forwardOnly?: boolean } = {},
): Promise<void> {
  await tf.setBackend(backend);
  const got = forwardAndGrads(f, shapes, seed, options.forwardOnly);
  await tf.setBackend('cpu');
  const want = forwardAndGrads(f, shapes, seed, options.forwardOnly);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length, `output ${i} size`).toBe(want[i]!.length);
    expect(relError(g, want[i]!), i === 0 ? 'forward' : `grad ${i - 1}`).toBeLessThan(1e-4);
  });
}

type Strides = number | [number, number];
interface DwCase {
  name: string;
  /** [n, h, w, c] */
  x: number[];
  /** [kh, kw, c, m] */
  w: number[];
  strides: Strides;
  pad: 'same' | 'valid';
  dilation?: number;
}

// Channel multipliers 1 (Keras' default), 2 and 3; batches 1 to 3; strides 1, 2 and mixed;
// 'same' with asymmetric padding and 'valid' with a leftover column.
const dwCases: DwCase[] = [
  { name: '3x3 s1 same m1', x: [2, 7, 7, 5], w: [3, 3, 5, 1], strides: 1, pad: 'same' },
  { name: '3x3 s2 same m1 (asym pad)', x: [3, 8, 9, 4], w: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { name: '3x3 s2 valid m1 batch 1', x: [1, 8, 8, 3], w: [3, 3, 3, 1], strides: 2, pad: 'valid' },
  {
    name: '3x3 s1 valid m1, 19 channels',
    x: [2, 6, 5, 19],
    w: [3, 3, 19, 1],
    strides: 1,
    pad: 'valid',
  },
  { name: '3x3 s1 same m2', x: [2, 6, 6, 3], w: [3, 3, 3, 2], strides: 1, pad: 'same' },
  { name: '2x2 s[2,1] valid m3', x: [2, 7, 6, 2], w: [2, 2, 2, 3], strides: [2, 1], pad: 'valid' },
  { name: '5x5 s2 same m1', x: [2, 9, 9, 8], w: [5, 5, 8, 1], strides: 2, pad: 'same' },
];

const depthwise = (c: DwCase) => (x: tf.Tensor, w: tf.Tensor) =>
  tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilation ?? 1);

// Keras' SeparableConv2D: depthwise 3x3 then a pointwise 1x1 conv; gradients flow through both.
const separable =
  (strides: Strides, pad: 'same' | 'valid') => (x: tf.Tensor, dw: tf.Tensor, pw: tf.Tensor) =>
    tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, strides, pad);

describe.skipIf(!addonBuilt)(`onednn depthwise kernels match the cpu backend${SKIP}`, () => {
  beforeAll(async () => {
    await initOnednnBackend();
  });

  it.each(dwCases)('depthwise $name: forward, dx, dW', async (c) => {
    await compare(ONEDNN, depthwise(c), [c.x, c.w], 3);
  });

  // TF.js has no depthwise gradient for dilation > 1, so that case checks the forward only.
  it('depthwise 3x3 dilation 2 same: forward', async () => {
    const c: DwCase = {
      name: 'd2',
      x: [2, 9, 9, 3],
      w: [3, 3, 3, 1],
      strides: 1,
      pad: 'same',
      dilation: 2,
    };
    await compare(ONEDNN, depthwise(c), [c.x, c.w], 4, { forwardOnly: true });
  });

  it.each([
    { name: 's1 same', strides: 1, pad: 'same' as const },
    { name: 's2 valid', strides: 2, pad: 'valid' as const },
  ])('separableConv2d $name: forward and every gradient (end to end)', async (c) => {
    await compare(
      ONEDNN,
      separable(c.strides, c.pad),
      [
        [2, 8, 8, 6],
        [3, 3, 6, 1],
        [1, 1, 6, 10],
      ],
      9,
    );
  });

  const fusedCases: {
    name: string;
    bias: boolean;
    activation: 'linear' | 'relu' | 'elu';
    m: number;
  }[] = [
    { name: 'bias + relu', bias: true, activation: 'relu', m: 1 },
    { name: 'bias, linear, m2', bias: true, activation: 'linear', m: 2 },
    { name: 'relu, no bias', bias: false, activation: 'relu', m: 1 },
    { name: 'elu (falls back to wasm)', bias: true, activation: 'elu', m: 1 },
  ];
  it.each(fusedCases)('fused depthwise $name: forward', async (c) => {
    await compare(
      ONEDNN,
      (x, w, b) =>
        tf.fused.depthwiseConv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: 2,
          pad: 'same',
          bias: c.bias ? b : undefined,
          activation: c.activation,
        }),
      [[2, 7, 8, 4], [3, 3, 4, c.m], [4 * c.m]],
      5,
      { forwardOnly: true },
    );
  });

  it('the three depthwise kernels run natively (one cached primitive each), without leaks', async () => {
    await tf.setBackend(ONEDNN);
    const addon = loadOnednnAddon();
    const cacheBefore = addon.cacheSize();
    const tensorsBefore = tf.memory().numTensors;
    forwardAndGrads(
      depthwise(dwCases[1]!),
      [[1, 11, 13, 7], dwCases[1]!.w.map((d, i) => (i === 2 ? 7 : d))],
      2,
    );
    // forward + backward data + backward weights
    expect(addon.cacheSize()).toBe(cacheBefore + 3);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('geometry oneDNN cannot express falls back to the wasm kernel (no native primitive)', async () => {
    const addon = loadOnednnAddon();
    // 'ceil' rounding with numeric padding: TF.js's output size (5) is not oneDNN's floor formula's (4).
    const f = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(randomValues([2, 8, 8, 3], 6), [2, 8, 8, 3]);
        const w = tf.tensor4d(randomValues([3, 3, 3, 1], 7), [3, 3, 3, 1]);
        return Array.from(tf.depthwiseConv2d(x, w, 2, 1, 'NHWC', 1, 'ceil').dataSync());
      });
    await tf.setBackend(ONEDNN);
    const before = addon.cacheSize();
    const got = f();
    expect(addon.cacheSize()).toBe(before);
    expect(got.length).toBe(2 * 5 * 5 * 3);
    // The reference is the wasm kernel itself: for this geometry XNNPACK's output differs
    // from the cpu backend's (a stock wasm-backend discrepancy, not this backend's).
    await tf.setBackend('wasm');
    expect(got).toEqual(f());
  });

  it('a wrong shape array throws a JS error instead of touching memory', () => {
    const addon = loadOnednnAddon();
    const x = new Float32Array(2 * 4 * 4 * 3);
    const w = new Float32Array(3 * 3 * 3);
    const y = new Float32Array(2 * 4 * 4 * 3);
    const shape = [2, 4, 4, 3, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1];
    expect(() => addon.depthwiseForward(x, w, null, y, shape, false)).not.toThrow();
    // 4 output channels from 3 inputs: not a depthwise multiplier.
    const bad = [...shape];
    bad[6] = 4;
    expect(() => addon.depthwiseForward(x, w, null, y, bad, false)).toThrow(
      /multiple of input channels/,
    );
    expect(() => addon.depthwiseForward(x, new Float32Array(5), null, y, shape, false)).toThrow(
      /filter/,
    );
  });
});

// The plain wasm path (libs/ml/src/backend/wasm/depthwise-backprop.ts): same cases, same reference.
describe('wasm depthwise kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });

  it.each(dwCases)('depthwise $name: forward, dx, dW', async (c) => {
    await compare('wasm', depthwise(c), [c.x, c.w], 3);
  });

  it('separableConv2d s2 same: forward and every gradient', async () => {
    await compare(
      'wasm',
      separable(2, 'same'),
      [
        [2, 8, 8, 6],
        [3, 3, 6, 1],
        [1, 1, 6, 10],
      ],
      9,
    );
  });
});

/** A small separable net (Xception's building blocks, no batch norm) compiled with Adam. */
function separableNet(): tf.Sequential {
  const L = tf.layers;
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      L.conv2d({
        inputShape: [12, 12, 3],
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      L.separableConv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        depthwiseInitializer: init(2),
        pointwiseInitializer: init(3),
      }),
      L.depthwiseConv2d({
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        depthwiseInitializer: init(4),
      }),
      L.flatten(),
      L.dense({ units: 4, activation: 'softmax', kernelInitializer: init(5) }),
    ],
  });
}

/** One Adam trainOnBatch of {@link separableNet} on `backend`: the loss and all weights after. */
async function trainStep(
  backend: string,
): Promise<{ loss: number; initial: Float32Array[]; after: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = separableNet();
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const batch = 6;
  const x = tf.tensor(randomValues([batch, 12, 12, 3], 11), [batch, 12, 12, 3]);
  const r = rng(5);
  const labels = Array.from({ length: batch }, () => Math.floor(r() * 4));
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
  const loss = (await model.trainOnBatch(x, y)) as number;
  const after = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return { loss, initial, after };
}

describe.skipIf(!addonBuilt)(`separable-conv training on onednn${SKIP}`, () => {
  beforeAll(async () => {
    await initOnednnBackend();
  });

  it('one Adam step gives the loss and weights of cpu, and leaks no tensors', async () => {
    const cpu = await trainStep('cpu');
    const onednn = await trainStep(ONEDNN);
    expect(onednn.initial).toEqual(cpu.initial); // seeded initialisers: same start
    expect(Math.abs(onednn.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    for (let i = 0; i < cpu.after.length; i++) {
      expect(relError(onednn.after[i]!, cpu.after[i]!), `weight ${i}`).toBeLessThan(1e-4);
    }
    // The step moved the depthwise filters (so their gradient was not zero).
    expect(relError(cpu.after[2]!, cpu.initial[2]!)).toBeGreaterThan(1e-6);

    await tf.setBackend(ONEDNN);
    const model = separableNet();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([3, 12, 12, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 4);
    await model.trainOnBatch(x, y); // creates optimizer slots
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    tf.dispose(model.predict(x));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
