import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedAdam } from '../fused-adam';
import { BackendUnavailableError, selectBackend } from '../select-backend';
import { fmnistCnnFromPreset, forwardAndGrads, randomValues, relError, rng } from '../test-helpers';
import { loadOnednnAddon, onednnAddonBuilt } from './addon';
import { ONEDNN } from './kernels';
import { initOnednnBackend } from './setup';

const addonBuilt = onednnAddonBuilt();
const SKIP = addonBuilt
  ? ''
  : ' (SKIPPED: addon not built; run `npm run build:native -w @convscope/ml`, needs libdnnl-dev)';

/** f's forward output and (unless forwardOnly) input gradients on 'onednn' and on the stock 'cpu' backend. */
async function compare(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  shapes: number[][],
  seed: number,
  forwardOnly = false,
): Promise<void> {
  await tf.setBackend(ONEDNN);
  const got = forwardAndGrads(f, shapes, seed, forwardOnly);
  await tf.setBackend('cpu');
  const want = forwardAndGrads(f, shapes, seed, forwardOnly);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length, `output ${i} size`).toBe(want[i]!.length);
    expect(relError(g, want[i]!), i === 0 ? 'forward' : `grad ${i - 1}`).toBeLessThan(1e-4);
  });
}

describe.skipIf(addonBuilt)('onednn backend without the addon', () => {
  it('initOnednnBackend says how to build the addon', async () => {
    await expect(initOnednnBackend()).rejects.toThrow(
      /npm run build:native -w @convscope\/ml.*apt-get install libdnnl-dev/,
    );
  });

  it('selectBackend({ requested: "onednn" }) fails with the build hint', async () => {
    await expect(selectBackend({ requested: 'onednn' })).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend({ requested: 'onednn' })).rejects.toThrow(/build:native/);
  });
});

describe.skipIf(!addonBuilt)(`onednn kernels match the cpu backend${SKIP}`, () => {
  beforeAll(async () => {
    await initOnednnBackend();
  });

  // TF.js has no conv gradient for dilation > 1, so that case checks the forward only.
  const convCases: {
    name: string;
    x: number[];
    w: number[];
    strides: number | [number, number];
    pad: 'same' | 'valid';
    dilation?: number;
  }[] = [
    { name: '3x3 s1 same', x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
    {
      name: '3x3 s2 valid (leftover column)',
      x: [3, 8, 8, 2],
      w: [3, 3, 2, 5],
      strides: 2,
      pad: 'valid',
    },
    {
      name: '3x3 s2 same (asymmetric pad)',
      x: [2, 8, 9, 3],
      w: [3, 3, 3, 4],
      strides: 2,
      pad: 'same',
    },
    { name: '2x4 s[2,1] same', x: [2, 6, 7, 2], w: [2, 4, 2, 3], strides: [2, 1], pad: 'same' },
    { name: '1x1 valid', x: [2, 5, 5, 6], w: [1, 1, 6, 4], strides: 1, pad: 'valid' },
    {
      name: '3x3 dilation 2 same',
      x: [2, 9, 9, 2],
      w: [3, 3, 2, 3],
      strides: 1,
      pad: 'same',
      dilation: 2,
    },
    // Channel counts off oneDNN's 8-channel blocks: the backward weights reorders x and dy
    // into the blocked layout (padded) and the filter gradient back.
    {
      name: '3x3 s2 same, 12 -> 10 channels',
      x: [2, 9, 10, 12],
      w: [3, 3, 12, 10],
      strides: 2,
      pad: 'same',
    },
    // 1x1 kernels keep NHWC in the backward weights (pointwise / residual projections).
    {
      name: '1x1 s2 same, 12 -> 10 channels',
      x: [2, 9, 10, 12],
      w: [1, 1, 12, 10],
      strides: 2,
      pad: 'same',
    },
    {
      name: 'fmnist conv1 shape (CI=1)',
      x: [4, 28, 28, 1],
      w: [3, 3, 1, 32],
      strides: 1,
      pad: 'same',
    },
  ];
  it.each(convCases)('conv2d $name: forward, dx, dW', async (c) => {
    await compare(
      (x, w) =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilation ?? 1),
      [c.x, c.w],
      3,
      (c.dilation ?? 1) > 1,
    );
  });

  it('the NHWC backward weights (CONVSCOPE_ONEDNN_BWDW_PLAIN=1) gives the same dx and dW', async () => {
    process.env.CONVSCOPE_ONEDNN_BWDW_PLAIN = '1';
    try {
      await compare(
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
        [
          [2, 8, 7, 12],
          [3, 3, 12, 10],
        ],
        4,
      );
    } finally {
      delete process.env.CONVSCOPE_ONEDNN_BWDW_PLAIN;
    }
  });

  const fusedCases: { name: string; bias: boolean; activation: 'linear' | 'relu' | 'elu' }[] = [
    { name: 'bias + relu', bias: true, activation: 'relu' },
    { name: 'bias, linear', bias: true, activation: 'linear' },
    { name: 'relu, no bias', bias: false, activation: 'relu' },
    { name: 'elu (falls back to wasm)', bias: true, activation: 'elu' },
  ];
  it.each(fusedCases)('fused conv2d $name: forward', async (c) => {
    await compare(
      (x, w, b) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          strides: 2,
          pad: 'same',
          bias: c.bias ? b : undefined,
          activation: c.activation,
        }),
      [[2, 7, 8, 3], [3, 3, 3, 5], [5]],
      5,
      true,
    );
  });

  const fusedMmCases: {
    name: string;
    bias: boolean;
    activation: 'linear' | 'relu' | 'sigmoid';
    tb: boolean;
  }[] = [
    { name: 'bias + relu', bias: true, activation: 'relu', tb: false },
    { name: 'bias, linear, transposed b', bias: true, activation: 'linear', tb: true },
    { name: 'relu, no bias', bias: false, activation: 'relu', tb: false },
    { name: 'sigmoid (falls back to wasm)', bias: true, activation: 'sigmoid', tb: false },
  ];
  it.each(fusedMmCases)('fused matMul $name: forward', async (c) => {
    await compare(
      (a, b, bias) =>
        tf.fused.matMul({
          a,
          b,
          transposeB: c.tb,
          bias: c.bias ? bias : undefined,
          activation: c.activation,
        }),
      [[6, 9], c.tb ? [4, 9] : [9, 4], [4]],
      13,
      true,
    );
  });

  it.each([
    {
      name: 'conv bias add [2,5,6,4] + [1,1,1,4]',
      f: (x: tf.Tensor, b: tf.Tensor) => tf.add(x, tf.reshape(b, [1, 1, 1, 4])),
      shapes: [[2, 5, 6, 4], [4]],
    },
    {
      name: 'dense bias add [7,3] + [3]',
      f: (x: tf.Tensor, b: tf.Tensor) => tf.add(x, b),
      shapes: [[7, 3], [3]],
    },
    {
      name: 'same-shape add (wasm)',
      f: (x: tf.Tensor, b: tf.Tensor) => tf.add(x, b),
      shapes: [
        [3, 4],
        [3, 4],
      ],
    },
    { name: 'relu', f: (x: tf.Tensor) => tf.relu(x), shapes: [[2, 9, 9, 5]] },
    {
      name: 'sum over leading axes',
      f: (x: tf.Tensor) => tf.sum(x, [0, 1, 2]),
      shapes: [[3, 40, 50, 6]],
    },
    {
      name: 'sum over leading axes, keepDims',
      f: (x: tf.Tensor) => tf.sum(x, [0, 1], true),
      shapes: [[3, 4, 6]],
    },
    {
      name: 'sum over the last axis (wasm)',
      f: (x: tf.Tensor) => tf.sum(x, -1),
      shapes: [[3, 4, 6]],
    },
  ])('elementwise: $name, forward and grads', async (c) => {
    await compare(c.f, c.shapes, 17);
  });

  const poolCases: {
    name: string;
    x: number[];
    size: number;
    strides: number;
    pad: 'same' | 'valid';
  }[] = [
    { name: '2x2 s2 valid', x: [2, 6, 6, 3], size: 2, strides: 2, pad: 'valid' },
    { name: '2x2 s2 valid odd size', x: [3, 7, 5, 2], size: 2, strides: 2, pad: 'valid' },
    { name: '3x3 s2 same', x: [2, 7, 7, 3], size: 3, strides: 2, pad: 'same' },
    {
      name: '3x3 s1 same (overlapping windows)',
      x: [2, 5, 6, 4],
      size: 3,
      strides: 1,
      pad: 'same',
    },
  ];
  it.each(poolCases)('maxPool $name: forward and dx', async (c) => {
    await compare((x) => tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad), [c.x], 7);
  });

  // TF.js's BatchMatMul gradient does not reduce broadcast batch dims, so that case checks the forward only.
  const mmCases: {
    name: string;
    a: number[];
    b: number[];
    ta: boolean;
    tb: boolean;
    forwardOnly?: boolean;
  }[] = [
    { name: 'NN 2-D', a: [5, 7], b: [7, 3], ta: false, tb: false },
    { name: 'TN 2-D', a: [7, 5], b: [7, 3], ta: true, tb: false },
    { name: 'NT 2-D', a: [5, 7], b: [3, 7], ta: false, tb: true },
    { name: 'TT 2-D', a: [7, 5], b: [3, 7], ta: true, tb: true },
    { name: 'NN batched', a: [3, 4, 6], b: [3, 6, 2], ta: false, tb: false },
    {
      name: 'NT batched, broadcast b',
      a: [3, 4, 6],
      b: [1, 2, 6],
      ta: false,
      tb: true,
      forwardOnly: true,
    },
  ];
  it.each(mmCases)('matMul $name: forward, da, db', async (c) => {
    await compare((a, b) => tf.matMul(a, b, c.ta, c.tb), [c.a, c.b], 11, c.forwardOnly);
  });

  // predict() slices its one batch out of the input: the whole-tensor Slice shares the buffer.
  it.each([
    { name: 'whole', begin: [0, 0, 0, 0], size: [-1, -1, -1, -1] },
    { name: 'leading rows', begin: [1, 0, 0, 0], size: [2, -1, -1, -1] },
    { name: 'strided window', begin: [0, 1, 1, 0], size: [3, 2, 2, 2] },
  ])('slice $name: forward and dx', async (c) => {
    await compare((x) => tf.slice(tf.mul(x, 2), c.begin, c.size), [[4, 3, 3, 2]], 13);
  });

  it('a one-batch predict (batchSize = the images) gives what cpu gives, leaking nothing', async () => {
    const run = async (backend: string, init: Float32Array[] | null) => {
      await tf.setBackend(backend);
      const model = fmnistCnnFromPreset({ dropoutRate: 0 });
      if (init) {
        const ws = model.getWeights().map((w, i) => tf.tensor(init[i]!, w.shape));
        model.setWeights(ws);
        tf.dispose(ws);
      }
      const x = tf.tensor4d(randomValues([48, 28, 28, 1], 4), [48, 28, 28, 1]);
      const before = tf.memory().numTensors;
      const p = model.predict(x, { batchSize: 48 }) as tf.Tensor;
      const out = Float32Array.from(p.dataSync());
      p.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      x.dispose();
      model.dispose();
      return { out, weights };
    };
    const got = await run(ONEDNN, null);
    const want = await run('cpu', got.weights);
    expect(got.out.length).toBe(48 * 10);
    expect(relError(got.out, want.out)).toBeLessThan(1e-4);
  });

  it('relu gradient runs natively and matches dy * step(x), signed zeros and NaN included', async () => {
    await tf.setBackend(ONEDNN);
    expect(tf.getKernel('ConvscopeReluGrad', ONEDNN)).toBeDefined();
    const xs = [-2, -0, 0, 1e-30, 3, NaN, -1e-30, 5];
    const dys = [1, 2, -3, 4, -5, 6, -7, Infinity];
    const grad = () => {
      const g = tf.grad((x: tf.Tensor) => tf.mul(tf.relu(x), tf.tensor1d(dys)));
      return tf.tidy(() => Array.from(g(tf.tensor1d(xs)).dataSync()));
    };
    await tf.setBackend(ONEDNN);
    const got = grad();
    await tf.setBackend('cpu');
    const want = grad();
    expect(got.map(String)).toEqual(want.map(String));
    expect(Object.is(got[0], -0)).toBe(Object.is(want[0], -0));
    // By hand: dy where x > 0, else 0 (NaN stays NaN).
    expect(got.slice(3, 6)).toEqual([4, -5, NaN]);
    await compare((x) => tf.relu(tf.mul(x, 3)), [[4, 5, 6, 7]], 5);
  });

  it('Adam runs natively with bitwise the weights of tf.train.adam', async () => {
    await tf.setBackend(ONEDNN);
    const run = (make: () => tf.Optimizer) => {
      const vars = [
        tf.variable(tf.tensor(randomValues([10, 30], 3), [10, 30])),
        tf.variable(tf.tensor1d(randomValues([7], 4))),
      ];
      const opt = make();
      for (let t = 0; t < 6; t++) {
        const grads = vars.map((v, i) =>
          tf.tidy(() => tf.mul(tf.cos(tf.mul(v, t + i + 1)), t === 3 ? 1e-7 : t + 1)),
        );
        opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
        tf.dispose(grads);
      }
      const out = vars.map((v) => Array.from(v.dataSync()));
      tf.dispose(vars);
      opt.dispose();
      return out;
    };
    const stock = run(() => tf.train.adam(0.02));
    const fused = run(() => fusedAdam({ learningRate: 0.02 }));
    expect(tf.getKernel('ConvscopeAdamUpdate', ONEDNN)?.kernelFunc).not.toBe(
      tf.getKernel('ConvscopeAdamUpdate', 'wasm')?.kernelFunc,
    );
    expect(fused).toEqual(stock);
  });

  it('every native kernel is used (each op and shape gets a cached primitive)', async () => {
    await tf.setBackend(ONEDNN);
    const addon = loadOnednnAddon();
    const before = addon.cacheSize();
    forwardAndGrads(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
      [
        [1, 13, 11, 2],
        [3, 3, 2, 2],
      ],
      1,
    );
    // forward + backward data + backward weights
    expect(addon.cacheSize()).toBe(before + 3);
  });

  it('selectBackend picks onednn first when no tfjs-node is installed', async () => {
    const sel = await selectBackend();
    expect(sel.backend).toBe(ONEDNN);
    expect(tf.getBackend()).toBe(ONEDNN);
    expect(sel.reason).toMatch(/oneDNN/);
  });

  it('selectBackend can still switch to plain wasm (and back) after onednn', async () => {
    await initOnednnBackend();
    expect((await selectBackend({ requested: 'wasm' })).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect((await selectBackend({ requested: 'onednn' })).backend).toBe(ONEDNN);
    expect(tf.getBackend()).toBe(ONEDNN);
  });
});

/** fmnist-cnn from its preset, dropout rate 0 so a training step is deterministic. */
const fmnistCnn = (): tf.Sequential => fmnistCnnFromPreset({ dropoutRate: 0 });

/** One Adam trainOnBatch on `backend` from the given weights; the loss and all weights after. */
async function trainStep(
  backend: string,
  weights: Float32Array[] | null,
  batch: number,
): Promise<{ loss: number; initial: Float32Array[]; after: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = fmnistCnn();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  if (weights !== null) {
    const ws = model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape));
    model.setWeights(ws);
    tf.dispose(ws);
  }
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const x = tf.tensor(randomValues([batch, 28, 28, 1], 11), [batch, 28, 28, 1]);
  const r = rng(5);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, () => Math.floor(r() * 10)),
      'int32',
    ),
    10,
  );
  const loss = (await model.trainOnBatch(x, y)) as number;
  const after = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return { loss, initial, after };
}

describe.skipIf(!addonBuilt)(`fmnist-cnn training on onednn${SKIP}`, () => {
  beforeAll(async () => {
    await initOnednnBackend();
  });

  it('one training step gives the same loss and weights as cpu', async () => {
    const cpu = await trainStep('cpu', null, 8);
    const onednn = await trainStep(ONEDNN, cpu.initial, 8);
    expect(Math.abs(onednn.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    expect(onednn.after.length).toBe(cpu.after.length);
    for (let i = 0; i < cpu.after.length; i++) {
      expect(relError(onednn.after[i]!, cpu.after[i]!), `weight ${i}`).toBeLessThan(1e-4);
    }
    expect(cpu.after.some((w, i) => relError(w, cpu.initial[i]!) > 1e-6)).toBe(true);
  });

  it('training and prediction leak no tensors', async () => {
    await tf.setBackend(ONEDNN);
    const model = fmnistCnn();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([4, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
    await model.trainOnBatch(x, y); // creates optimizer slots
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    await model.trainOnBatch(x, y);
    tf.dispose(model.predict(x));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
