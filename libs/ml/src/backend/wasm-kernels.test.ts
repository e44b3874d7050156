import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardAndGrads, randomValues, relError } from './test-helpers';
import { simdFilterGradAvailable } from './wasm/depthwise-filter-simd';
import { initWasmBackend } from './wasm-setup';

const TOL = 1e-4;

interface OpCase {
  name: string;
  shapes: number[][];
  f: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Compare the output only (no tfjs-core gradient exists for this op/config). */
  forwardOnly?: boolean;
}

type Pad =
  'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const conv = (s: [number, number] | number, p: Pad) => (x: tf.Tensor, w: tf.Tensor) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, p);
const dw =
  (s: [number, number] | number, p: 'same' | 'valid', d: number = 1) =>
  (x: tf.Tensor, w: tf.Tensor) =>
    tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, p, 'NHWC', d);
// Relu before pooling creates exact ties (zeros), exercising first-max tie-breaking.
const maxPool =
  (k: [number, number] | number, s: [number, number] | number, p: 'same' | 'valid') =>
  (x: tf.Tensor) =>
    tf.maxPool(tf.relu(x) as tf.Tensor4D, k, s, p);
const avgPool =
  (k: [number, number] | number, s: [number, number] | number, p: 'same' | 'valid') =>
  (x: tf.Tensor) =>
    tf.avgPool(x as tf.Tensor4D, k, s, p);

const cases: OpCase[] = [
  {
    name: 'conv2d 3x3 same s1',
    shapes: [
      [2, 7, 7, 3],
      [3, 3, 3, 4],
    ],
    f: conv(1, 'same'),
  },
  {
    name: 'conv2d 3x3 valid s1',
    shapes: [
      [2, 7, 6, 3],
      [3, 3, 3, 4],
    ],
    f: conv(1, 'valid'),
  },
  {
    name: 'conv2d 3x3 same s2',
    shapes: [
      [2, 7, 7, 3],
      [3, 3, 3, 5],
    ],
    f: conv(2, 'same'),
  },
  {
    name: 'conv2d 3x3 valid s2 even',
    shapes: [
      [3, 8, 8, 2],
      [3, 3, 2, 4],
    ],
    f: conv(2, 'valid'),
  },
  {
    name: 'conv2d 2x3 same s[2,1]',
    shapes: [
      [2, 9, 8, 2],
      [2, 3, 2, 3],
    ],
    f: conv([2, 1], 'same'),
  },
  {
    name: 'conv2d 5x5 valid 1ch',
    shapes: [
      [2, 9, 9, 1],
      [5, 5, 1, 4],
    ],
    f: conv(1, 'valid'),
  },
  // KH*KW*CI < CO takes the dy^T · im2col filter-gradient path.
  {
    name: 'conv2d 3x3 1ch->12 same (few taps)',
    shapes: [
      [2, 7, 7, 1],
      [3, 3, 1, 12],
    ],
    f: conv(1, 'same'),
  },
  {
    name: 'conv2d 3x3 1ch->12 valid s2 (few taps)',
    shapes: [
      [2, 8, 9, 1],
      [3, 3, 1, 12],
    ],
    f: conv(2, 'valid'),
  },
  {
    name: 'conv2d 1x1 pointwise',
    shapes: [
      [2, 5, 5, 6],
      [1, 1, 6, 4],
    ],
    f: conv(1, 'valid'),
  },
  {
    name: 'conv2d 1x1 s2',
    shapes: [
      [2, 5, 5, 6],
      [1, 1, 6, 4],
    ],
    f: conv(2, 'same'),
  },
  {
    name: 'conv2d explicit pad',
    shapes: [
      [2, 6, 7, 2],
      [3, 3, 2, 3],
    ],
    f: conv(1, [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ]),
  },
  // CO % 4 == 0 takes the SIMD filter-gradient kernel (wasm/simd/kernels.c): 6-row x 8-column,
  // 4 x 12 and single-row / 4-column tiles, padded (copied to a zero border) or not.
  // (tfjs-core has no dilated conv2d gradient to compare against.)
  {
    name: 'conv2d 3x3 same s1 3->8 (SIMD 6x8 tiles + row remainder)',
    shapes: [
      [2, 7, 5, 3],
      [3, 3, 3, 8],
    ],
    f: conv(1, 'same'),
  },
  {
    name: 'conv2d 3x3 valid s2 5->20 odd (SIMD 12+8 columns)',
    shapes: [
      [3, 9, 11, 5],
      [3, 3, 5, 20],
    ],
    f: conv(2, 'valid'),
  },
  {
    name: 'conv2d 3x3 same s2 1->16 (SIMD, first-layer shape)',
    shapes: [
      [2, 11, 10, 1],
      [3, 3, 1, 16],
    ],
    f: conv(2, 'same'),
  },
  {
    name: 'conv2d 2x3 explicit pad s[1,2] 4->28 (SIMD 12+8+8)',
    shapes: [
      [2, 6, 9, 4],
      [2, 3, 4, 28],
    ],
    f: conv(
      [1, 2],
      [
        [0, 0],
        [2, 1],
        [0, 1],
        [0, 0],
      ],
    ),
  },
  {
    name: 'conv2d 3x3 valid s1 8->8 (SIMD 4-channel x 8-column tiles)',
    shapes: [
      [2, 6, 7, 8],
      [3, 3, 8, 8],
    ],
    f: conv(1, 'valid'),
  },
  {
    name: 'conv2d 3x3 same s1 32->64, pixel blocks of 12 + 8 rows (SIMD)',
    shapes: [
      [1, 20, 20, 32],
      [3, 3, 32, 64],
    ],
    f: conv(1, 'same'),
  },
  {
    name: 'depthwise 3x3 same s1 m1',
    shapes: [
      [2, 7, 7, 3],
      [3, 3, 3, 1],
    ],
    f: dw(1, 'same'),
  },
  {
    name: 'depthwise 3x3 valid s2 m1',
    shapes: [
      [2, 9, 8, 3],
      [3, 3, 3, 1],
    ],
    f: dw(2, 'valid'),
  },
  {
    name: 'depthwise 2x2 same s2 m1 odd',
    shapes: [
      [2, 7, 5, 4],
      [2, 2, 4, 1],
    ],
    f: dw(2, 'same'),
  },
  {
    name: 'depthwise 3x3 same s2 m2',
    shapes: [
      [2, 7, 8, 3],
      [3, 3, 3, 2],
    ],
    f: dw(2, 'same'),
  },
  {
    name: 'depthwise 3x3 valid s1 m3',
    shapes: [
      [3, 6, 6, 2],
      [3, 3, 2, 3],
    ],
    f: dw(1, 'valid'),
  },
  // Multiplier 1 with C % 4 == 0 takes the WASM SIMD filter-gradient kernel
  // (wasm/depthwise-filter-simd.ts): 16-channel passes, then 4-channel ones.
  {
    name: 'depthwise 3x3 same s1 m1 c20 (SIMD 16+4 channels)',
    shapes: [
      [2, 7, 7, 20],
      [3, 3, 20, 1],
    ],
    f: dw(1, 'same'),
  },
  {
    name: 'depthwise 3x3 valid s2 m1 c8 (SIMD)',
    shapes: [
      [2, 9, 8, 8],
      [3, 3, 8, 1],
    ],
    f: dw(2, 'valid'),
  },
  {
    name: 'depthwise 3x3 same s2 m1 c16 odd (SIMD)',
    shapes: [
      [2, 7, 9, 16],
      [3, 3, 16, 1],
    ],
    f: dw(2, 'same'),
  },
  {
    name: 'depthwise 5x5 valid s1 m1 c4, filter as tall as the image (SIMD)',
    shapes: [
      [1, 5, 6, 4],
      [5, 5, 4, 1],
    ],
    f: dw(1, 'valid'),
  },
  {
    name: 'depthwise 3x3 same s1 m1 c32 batch 4 (SIMD, longer sums)',
    shapes: [
      [4, 16, 16, 32],
      [3, 3, 32, 1],
    ],
    f: dw(1, 'same'),
  },
  {
    name: 'depthwise 3x3 same s2 m2 c8 (JS path)',
    shapes: [
      [2, 7, 8, 8],
      [3, 3, 8, 2],
    ],
    f: dw(2, 'same'),
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter explicit pad c8 direct (SIMD)',
    shapes: [
      [2, 6, 7, 8],
      [2, 6, 7, 8],
    ],
    f: (x, dy) =>
      tf.engine().runKernel<tf.Tensor>(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          strides: 1,
          dilations: 1,
          pad: [
            [0, 0],
            [2, 0],
            [0, 1],
            [0, 0],
          ],
          filterShape: [3, 2, 8, 1],
        },
      ),
    forwardOnly: true,
  },
  // Direct kernel calls (stride 2, multiplier 2); dilation is checked separately below because
  // the CPU reference ignores dilations in these kernels.
  {
    name: 'DepthwiseConv2dNativeBackpropInput s2 direct',
    shapes: [
      [2, 5, 5, 4],
      [3, 3, 2, 2],
    ],
    f: (dy, w) =>
      tf.engine().runKernel<tf.Tensor>(
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter: w },
        {
          strides: 2,
          dilations: 1,
          pad: 'same',
          inputShape: [2, 9, 9, 2],
        },
      ),
    forwardOnly: true,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter s2 direct',
    shapes: [
      [2, 9, 9, 2],
      [2, 5, 5, 4],
    ],
    f: (x, dy) =>
      tf.engine().runKernel<tf.Tensor>(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          strides: 2,
          dilations: 1,
          pad: 'same',
          filterShape: [3, 3, 2, 2],
        },
      ),
    forwardOnly: true,
  },
  {
    name: 'separableConv2d same s1',
    shapes: [
      [2, 6, 6, 3],
      [3, 3, 3, 2],
      [1, 1, 6, 4],
    ],
    f: (x, d, p) =>
      tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same'),
  },
  { name: 'maxPool 2 s2 valid', shapes: [[2, 8, 8, 3]], f: maxPool(2, 2, 'valid') },
  { name: 'maxPool 2 s2 valid odd', shapes: [[2, 7, 7, 3]], f: maxPool(2, 2, 'valid') },
  // C % 4 == 0: the SIMD 2x2 kernel (relu zeros make ties: the first maximum must win).
  { name: 'maxPool 2 s2 valid c8 (SIMD)', shapes: [[2, 8, 6, 8]], f: maxPool(2, 2, 'valid') },
  { name: 'maxPool 2 s2 valid odd c4 (SIMD)', shapes: [[3, 7, 9, 4]], f: maxPool(2, 2, 'valid') },
  { name: 'maxPool 3 s2 same', shapes: [[2, 7, 9, 4]], f: maxPool(3, 2, 'same') },
  { name: 'maxPool 2 s1 same', shapes: [[3, 5, 5, 2]], f: maxPool(2, 1, 'same') },
  { name: 'avgPool 2 s2 valid', shapes: [[2, 8, 8, 3]], f: avgPool(2, 2, 'valid') },
  { name: 'avgPool 3 s2 same', shapes: [[2, 7, 9, 4]], f: avgPool(3, 2, 'same') },
  { name: 'avgPool 3 s1 valid', shapes: [[2, 6, 5, 2]], f: avgPool(3, 1, 'valid') },
  { name: 'sum leading axes (bias grad)', shapes: [[3, 5, 4, 6]], f: (x) => tf.sum(x, [0, 1, 2]) },
  // Inner size % 4 == 0: the SIMD column sum (16-column blocks, then 12, 8 or 4).
  {
    name: 'sum leading axes 28 cols (SIMD 16+12)',
    shapes: [[3, 5, 7, 28]],
    f: (x) => tf.sum(x, [0, 1, 2]),
  },
  { name: 'sum leading axes 40 cols (SIMD 16+16+8)', shapes: [[37, 40]], f: (x) => tf.sum(x, 0) },
  {
    name: 'sum leading axes 2x2 cols (SIMD 4)',
    shapes: [[9, 5, 2, 2]],
    f: (x) => tf.sum(x, [0, 1]),
  },
  { name: 'sum leading axes keepDims', shapes: [[3, 5, 7]], f: (x) => tf.sum(x, [1, 0], true) },
  { name: 'sum trailing axis (stock path)', shapes: [[3, 5, 7]], f: (x) => tf.sum(x, -1) },
  { name: 'sum all axes (stock path)', shapes: [[3, 5, 7]], f: (x) => tf.sum(x) },
  {
    name: 'matMul NN',
    shapes: [
      [5, 7],
      [7, 3],
    ],
    f: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'matMul TN',
    shapes: [
      [7, 5],
      [7, 3],
    ],
    f: (a, b) => tf.matMul(a, b, true, false),
  },
  {
    name: 'matMul NT',
    shapes: [
      [5, 7],
      [3, 7],
    ],
    f: (a, b) => tf.matMul(a, b, false, true),
  },
  {
    name: 'matMul TT',
    shapes: [
      [7, 5],
      [3, 7],
    ],
    f: (a, b) => tf.matMul(a, b, true, true),
  },
  {
    name: 'matMul batched TN',
    shapes: [
      [2, 7, 5],
      [2, 7, 3],
    ],
    f: (a, b) => tf.matMul(a, b, true, false),
  },
  {
    name: 'matMul batched NT',
    shapes: [
      [2, 5, 7],
      [2, 3, 7],
    ],
    f: (a, b) => tf.matMul(a, b, false, true),
  },
  // N % 4 == 0: the SIMD GEMM (4-row x 12/8/4-column tiles, 256-row blocks of B), also in
  // the gradients' NT / TN products.
  {
    name: 'matMul NN 7x300 · 300x28 (SIMD, two K blocks, row remainder)',
    shapes: [
      [7, 300],
      [300, 28],
    ],
    f: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'matMul TN (SIMD)',
    shapes: [
      [9, 6],
      [9, 8],
    ],
    f: (a, b) => tf.matMul(a, b, true, false),
  },
  {
    name: 'matMul TT (SIMD)',
    shapes: [
      [7, 5],
      [20, 7],
    ],
    f: (a, b) => tf.matMul(a, b, true, true),
  },
  {
    name: 'matMul batched NN (SIMD)',
    shapes: [
      [3, 5, 6],
      [3, 6, 12],
    ],
    f: (a, b) => tf.matMul(a, b),
  },
  // Slice: the whole tensor (shared buffer), a contiguous range of leading rows (heap copy) and
  // a strided window (the stock kernel); the gradient (Pad) goes through each.
  { name: 'slice whole', shapes: [[4, 3, 2, 5]], f: (x) => tf.slice(x, 0, 4) },
  { name: 'slice rows 1..3', shapes: [[4, 3, 2, 5]], f: (x) => tf.slice(x, 1, 2) },
  { name: 'slice rank 1', shapes: [[9]], f: (x) => tf.slice(x, [2], [5]) },
  {
    name: 'slice strided window',
    shapes: [[4, 3, 2, 5]],
    f: (x) => tf.slice(x, [1, 1, 0, 2], [2, 2, 2, 3]),
  },
  // tfjs-core cannot differentiate a broadcast batch matmul; check the forward pass only.
  {
    name: 'matMul broadcast TT',
    shapes: [
      [2, 7, 5],
      [1, 3, 7],
    ],
    f: (a, b) => tf.matMul(a, b, true, true),
    forwardOnly: true,
  },
];

beforeAll(async () => {
  await initWasmBackend();
});

describe('wasm training kernels vs cpu', () => {
  it.each(cases)('$name: forward and gradients match', async ({ shapes, f, forwardOnly }) => {
    await tf.setBackend('cpu');
    const ref = forwardAndGrads(f, shapes, 7, forwardOnly);
    await tf.setBackend('wasm');
    const got = forwardAndGrads(f, shapes, 7, forwardOnly);
    expect(got.length).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) {
      expect(relError(got[i]!, ref[i]!), `output ${i}`).toBeLessThan(TOL);
    }
  });
});

describe('wasm training kernels do not leak', () => {
  it.each(cases)(
    '$name: tensors and heap buffers are released',
    async ({ shapes, f, forwardOnly }) => {
      await tf.setBackend('wasm');
      const backend = tf.backend() as BackendWasm;
      forwardAndGrads(f, shapes, 3, forwardOnly); // warm-up: first calls may cache operators
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      forwardAndGrads(f, shapes, 3, forwardOnly);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(buffers);
    },
  );
});

describe('depthwise filter gradient SIMD kernel', () => {
  it('is available on this wasm backend, so the SIMD cases above exercise it', async () => {
    await tf.setBackend('wasm');
    expect(simdFilterGradAvailable(tf.backend() as BackendWasm)).toBe(true);
  });
});

describe('dilated depthwise backprop (adjoint identity, wasm only)', () => {
  // <conv(x, w), dy> must equal <x, dX(dy, w)> and <w, dW(x, dy)> for the true gradients.
  // Channels 8 with multiplier 1 takes the SIMD filter-gradient kernel, the others the JS loop.
  it.each([
    [1, 3],
    [2, 3],
    [1, 8],
  ])(
    'multiplier %i, %i channels: backprop input/filter are adjoints of the dilated forward conv',
    async (mult, channels) => {
      await tf.setBackend('wasm');
      const xShape: [number, number, number, number] = [2, 9, 8, channels];
      const wShape: [number, number, number, number] = [3, 3, channels, mult];
      const [lhs, viaInput, viaFilter] = tf.tidy(() => {
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
        const read = (t: tf.Tensor) => t.dataSync()[0]!;
        return [
          read(tf.sum(tf.mul(y, dy))),
          read(tf.sum(tf.mul(x, dx))),
          read(tf.sum(tf.mul(w, dw))),
        ] as const;
      });
      expect(Math.abs(viaInput - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      expect(Math.abs(viaFilter - lhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
    },
  );
});

describe('Slice of a whole tensor shares its buffer', () => {
  it('no copy: the output keeps the buffer alive after the input is disposed', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const values = randomValues([3, 4], 5);
    const x = tf.tensor2d(values, [3, 4]);
    const buffers = backend.numDataIds();
    const y = tf.slice(x, [0, 0], [-1, -1]);
    expect(backend.numDataIds()).toBe(buffers); // shared, not a new heap buffer
    x.dispose();
    expect(y.shape).toEqual([3, 4]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
  });

  it('strings take the stock kernel', async () => {
    await tf.setBackend('wasm');
    const s = tf.tensor1d(['a', 'b', 'c'], 'string');
    const t = tf.slice(s, 1, 2);
    expect(await t.array()).toEqual(['b', 'c']);
    tf.dispose([s, t]);
  });
});
