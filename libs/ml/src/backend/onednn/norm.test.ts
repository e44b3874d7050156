import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, BN_TRAIN_KERNEL, installBatchNormTraining } from '../batch-norm-train';
import { forwardAndGrads, randomValues, relError } from '../test-helpers';
import { loadOnednnAddon, onednnAddonBuilt } from './addon';
import { ONEDNN } from './kernels';
import { initOnednnBackend } from './setup';

const addonBuilt = onednnAddonBuilt();
const SKIP = addonBuilt
  ? ''
  : ' (SKIPPED: addon not built; run `npm run build:native -w @convscope/ml`, needs libdnnl-dev)';

/**
 * The fused path on both heap backends: 'onednn' natively (the addon's loops, and oneDNN's
 * batch-norm primitives), plain 'wasm' with the JS kernels.
 */
const BACKENDS = [
  { backend: ONEDNN, bnOnednn: false, name: 'onednn (loops)' },
  { backend: ONEDNN, bnOnednn: true, name: 'onednn (oneDNN bnorm primitives)' },
  { backend: 'wasm', bnOnednn: false, name: 'wasm' },
] as const;

function expectClose(got: Float32Array[], want: Float32Array[], what: string): void {
  expect(got.length, `${what}: outputs`).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length, `${what}: output ${i} size`).toBe(want[i]!.length);
    expect(relError(g, want[i]!), `${what}: output ${i}`).toBeLessThan(1e-4);
  });
}

/** f on `backend` and on the stock 'cpu' backend (the reference): forward and input gradients. */
async function compare(
  backend: string,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  shapes: number[][],
  seed: number,
  forwardOnly = false,
): Promise<void> {
  await tf.setBackend(backend);
  const got = forwardAndGrads(f, shapes, seed, forwardOnly);
  await tf.setBackend('cpu');
  const want = forwardAndGrads(f, shapes, seed, forwardOnly);
  expectClose(got, want, backend);
}

/** Batch-norm layer outputs, gradients (x, gamma, beta) and moving statistics after one call. */
function layerStep(xShape: number[], seed: number, momentum: number): Float32Array[] {
  const c = xShape[xShape.length - 1]!;
  const layer = tf.layers.batchNormalization({ momentum, epsilon: 1e-3 });
  layer.build(xShape);
  const w = [0, 1, 2, 3].map((i) => tf.tensor(randomValues([c], seed + 10 + i)));
  // Variances must be positive.
  w[3] = tf.tidy(() => tf.add(tf.abs(w[3]!), 0.5));
  layer.setWeights(w);
  tf.dispose(w);
  const x = tf.variable(tf.tensor(randomValues(xShape, seed), xShape));
  const dy = tf.tensor(randomValues(xShape, seed + 1), xShape);
  const vars = [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
  const out: Float32Array[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    out.push(Float32Array.from(y.dataSync()));
    return tf.sum(tf.mul(y, dy));
  }, vars);
  for (const v of vars) out.push(Float32Array.from(grads[v.name]!.dataSync()));
  for (const wt of layer.getWeights().slice(2)) out.push(Float32Array.from(wt.dataSync()));
  tf.dispose([value, x, dy, ...Object.values(grads), ...layer.weights.map((v) => v.read())]);
  return out;
}

/** A small BN / residual / global-average-pooling convnet (the Xception pattern in miniature). */
function bnResidualNet(): tf.LayersModel {
  const inp = tf.input({ shape: [12, 12, 3] });
  const conv = (filters: number, strides = 1) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: 'glorotUniform',
    });
  let x = conv(8, 2).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  let y = conv(8).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 4, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

/** Loss of two SGD steps and every weight after them, from fixed initial weights and data. */
async function trainTwoSteps(initial: Float32Array[]): Promise<Float32Array[]> {
  const model = bnResidualNet();
  const init = model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape));
  model.setWeights(init);
  tf.dispose(init);
  const xs = tf.tensor(randomValues([6, 12, 12, 3], 71), [6, 12, 12, 3]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 2], 'int32'), 4));
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) losses.push((await model.trainOnBatch(xs, ys)) as number);
  const out = [
    Float32Array.from(losses),
    ...model.getWeights().map((w) => Float32Array.from(w.dataSync())),
  ];
  tf.dispose([xs, ys]);
  model.optimizer.dispose(); // not owned by the model (passed to compile): its step counter
  model.dispose();
  return out;
}

describe.skipIf(!addonBuilt)(
  `batch norm, mean and their gradients match the cpu backend${SKIP}`,
  () => {
    beforeAll(async () => {
      await initOnednnBackend();
      installBatchNormTraining();
    });

    const bnShapes = [
      { name: 'NHWC', x: [4, 5, 6, 8] },
      { name: 'rank 2 (after dense / pooling)', x: [7, 5] },
      { name: 'rank 3', x: [3, 4, 6] },
    ];

    describe.each(BACKENDS)('on $name', ({ backend, bnOnednn }) => {
      beforeAll(() => {
        loadOnednnAddon().setBatchNormOnednn(bnOnednn);
        return () => loadOnednnAddon().setBatchNormOnednn(false);
      });

      it.each(bnShapes)('batchNormTrain $name: y, dx, dscale, doffset', async (c) => {
        const ch = c.x[c.x.length - 1]!;
        await compare(backend, (x, g, b) => batchNormTrain(x, g, b, 1e-3)[0], [c.x, [ch], [ch]], 7);
      });

      it('batchNormTrain: mean and variance outputs, and gradients reaching them', async () => {
        // The kernel must be the fused one here, not the fallback composition.
        expect(tf.getKernel(BN_TRAIN_KERNEL, backend)).toBeDefined();
        await compare(
          backend,
          (x, g, b) => {
            const [y, m, v] = batchNormTrain(x, g, b, 1e-3);
            return tf.concat([tf.reshape(y, [-1]), m, v]);
          },
          [[3, 4, 5, 6], [6], [6]],
          11,
        );
      });

      it('tf.layers.batchNormalization in training: y, grads of x / gamma / beta, moving stats', async () => {
        await tf.setBackend(backend);
        const got = layerStep([5, 4, 3, 6], 21, 0.9);
        await tf.setBackend('cpu');
        const want = layerStep([5, 4, 3, 6], 21, 0.9);
        expectClose(got, want, `layer on ${backend}`);
      });

      it('a BN / residual / GAP net: two training steps give the cpu backend losses and weights', async () => {
        await tf.setBackend('cpu');
        const init = tf.tidy(() =>
          bnResidualNet()
            .getWeights()
            .map((w) => Float32Array.from(w.dataSync())),
        );
        const want = await trainTwoSteps(init);
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const got = await trainTwoSteps(init);
        expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
        expectClose(got, want, `net on ${backend}`);
      });
    });

    const inferenceCases = [
      { name: 'NHWC with scale and offset', x: [3, 5, 4, 6], scale: true, offset: true },
      { name: 'rank 2, no scale', x: [9, 7], scale: false, offset: true },
      { name: 'rank 4, no offset', x: [2, 3, 3, 5], scale: true, offset: false },
    ];
    it.each(inferenceCases)(
      'FusedBatchNorm $name: forward (and gradients with both)',
      async (c) => {
        const ch = c.x[c.x.length - 1]!;
        // Inputs: x, mean, variance, then scale and / or offset when the case has them.
        const f = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, ...rest: tf.Tensor[]): tf.Tensor => {
          const scale = c.scale ? rest[0] : undefined;
          const offset = c.offset ? rest[c.scale ? 1 : 0] : undefined;
          return tf.batchNorm(x, m, tf.add(tf.abs(v), 0.1), offset, scale, 1e-3);
        };
        const extra = [c.scale, c.offset].filter(Boolean).map(() => [ch]);
        // TF.js's own FusedBatchNorm gradient needs both scale and offset (it saves / reads them
        // unconditionally), so cases without one check the forward only.
        const forwardOnly = !(c.scale && c.offset);
        await compare(ONEDNN, f, [c.x, [ch], [ch], ...extra], 31, forwardOnly);
      },
    );

    const meanCases: {
      name: string;
      x: number[];
      axis: number | number[] | undefined;
      keepDims: boolean;
    }[] = [
      // tf.mean(x) and tf.moments(x) pass a null axis: every axis (training snapshots use it).
      { name: 'every axis (no axis given)', x: [3, 6, 6, 4], axis: undefined, keepDims: false },
      { name: 'global average pooling [1, 2]', x: [4, 5, 6, 7], axis: [1, 2], keepDims: false },
      { name: 'moments [0, 1, 2], keepDims', x: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: true },
      { name: 'last axis', x: [3, 4, 9], axis: -1, keepDims: false },
      { name: 'first axis', x: [6, 5], axis: 0, keepDims: true },
      { name: 'large (threaded) [1, 2]', x: [8, 32, 32, 16], axis: [1, 2], keepDims: false },
      { name: 'large (threaded) [0, 1, 2]', x: [2, 32, 32, 32], axis: [0, 1, 2], keepDims: false },
      { name: 'non-contiguous [0, 2] (wasm)', x: [3, 4, 5], axis: [0, 2], keepDims: false },
    ];
    it.each(meanCases)('mean $name: forward and gradient', async (c) => {
      await compare(ONEDNN, (x) => tf.mean(x, c.axis, c.keepDims), [c.x], 41);
    });

    // Inputs through a relu, so windows hold ties (zeros): dy goes to the first maximum.
    const poolCases: { name: string; x: number[]; pad: 'valid' | 'same' }[] = [
      { name: 'even, valid', x: [2, 6, 8, 5], pad: 'valid' },
      {
        name: 'odd height and width, valid (leftover row / column)',
        x: [3, 7, 5, 4],
        pad: 'valid',
      },
      { name: 'even, same', x: [2, 4, 6, 3], pad: 'same' },
      { name: 'large (threaded)', x: [4, 32, 32, 16], pad: 'valid' },
    ];
    it.each(poolCases)('maxPool 2x2 stride 2 $name: forward and gradient', async (c) => {
      await compare(ONEDNN, (x) => tf.maxPool(tf.relu(x) as tf.Tensor4D, 2, 2, c.pad), [c.x], 61);
    });

    it.each([
      { name: 'large (native, threaded)', shape: [4, 16, 16, 32] },
      { name: 'small (wasm)', shape: [3, 5] },
    ])('same-shape add $name: forward and gradients', async (c) => {
      await compare(ONEDNN, (a, b) => tf.add(a, b), [c.shape, c.shape], 81);
    });

    it('an unfused layer (axis 1) keeps TF.js code and still matches cpu', async () => {
      const f = (x: tf.Tensor): tf.Tensor => {
        const layer = tf.layers.batchNormalization({ axis: 1 });
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        layer.dispose();
        return y;
      };
      await compare(ONEDNN, f, [[4, 3, 5]], 51, true);
    });
  },
);
