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

  // No tf.grad exists for dilated depthwise convs, so the kernels are called directly: the
  // gradients must be adjoints of the forward (<conv(x, w), dy> = <x, dX> = <w, dW>) and match
  // the wasm kernels (libs/ml/src/backend/wasm/depthwise-backprop.ts), which honour dilations.
  it.each([1, 2])(
    'dilated (2) backprop, multiplier %i: adjoint identity, equal to wasm',
    async (mult) => {
      const xShape: [number, number, number, number] = [2, 9, 8, 3];
      const wShape: [number, number, number, number] = [3, 3, 3, mult];
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomValues(xShape, 1), xShape);
          const w = tf.tensor4d(randomValues(wShape, 2), wShape);
          const y = tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2);
          const dy = tf.tensor(randomValues(y.shape, 3), y.shape);
          const attrs = { strides: 1, dilations: 2, pad: 'same' };
          const dx = tf
            .engine()
            .runKernel<tf.Tensor>(
              'DepthwiseConv2dNativeBackpropInput',
              { dy, filter: w },
              { ...attrs, inputShape: xShape },
            );
          const dw = tf
            .engine()
            .runKernel<tf.Tensor>(
              'DepthwiseConv2dNativeBackpropFilter',
              { x, dy },
              { ...attrs, filterShape: wShape },
            );
          const dot = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)).dataSync()[0]!;
          return {
            dots: [dot(y, dy), dot(x, dx), dot(w, dw)],
            dx: Float32Array.from(dx.dataSync()),
            dw: Float32Array.from(dw.dataSync()),
          };
        });
      await tf.setBackend(ONEDNN);
      const addon = loadOnednnAddon();
      const before = addon.cacheSize();
      const got = run();
      expect(addon.cacheSize()).toBe(before + 3); // forward, backward data, backward weights
      const [lhs, viaInput, viaFilter] = got.dots as [number, number, number];
      expect(Math.abs(viaInput - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      expect(Math.abs(viaFilter - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      await tf.setBackend('wasm');
      const want = run();
      expect(relError(got.dx, want.dx)).toBeLessThan(1e-4);
      expect(relError(got.dw, want.dw)).toBeLessThan(1e-4);
    },
  );

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

  // 'ceil' rounding with numeric padding: TF.js's output (5 x 5) is larger than oneDNN's floor
  // formula gives (4 x 4); the last windows hang past the input, where the cpu backend skips
  // the taps. The native kernels get extra zero padding instead (stock XNNPACK reads past the
  // input there, so this geometry must not fall back).
  it('ceil rounding with numeric pads: forward, dx, dW natively', async () => {
    const addon = loadOnednnAddon();
    await tf.setBackend(ONEDNN);
    const before = addon.cacheSize();
    const f = (x: tf.Tensor, w: tf.Tensor) =>
      tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1, 'NHWC', 1, 'ceil');
    await compare(
      ONEDNN,
      f,
      [
        [2, 8, 8, 3],
        [3, 3, 3, 1],
      ],
      6,
    );
    expect(addon.cacheSize()).toBe(before + 3);
  });

  it('what the native path does not cover falls back to wasm (no native primitive)', async () => {
    const addon = loadOnednnAddon();
    await tf.setBackend(ONEDNN);
    const before = addon.cacheSize();
    // elu is no oneDNN post-op here; prelu needs its weights.
    await compare(
      ONEDNN,
      (x, w, b) =>
        tf.fused.depthwiseConv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          pad: 'same',
          strides: 1,
          bias: b,
          activation: 'elu',
        }),
      [[2, 6, 6, 4], [3, 3, 4, 1], [4]],
      8,
      { forwardOnly: true },
    );
    await compare(
      ONEDNN,
      (x, w, a) =>
        tf.fused.depthwiseConv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          pad: 'valid',
          strides: 1,
          activation: 'prelu',
          preluActivationWeights: a,
        }),
      [[2, 6, 6, 4], [3, 3, 4, 1], [4]],
      8,
      { forwardOnly: true },
    );
    expect(addon.cacheSize()).toBe(before);
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
