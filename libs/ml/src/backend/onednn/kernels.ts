import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, WASM, type WasmKernelArgs } from '../wasm/kernel-utils';
import type { AdamAttrs } from '../fused-adam';
import { asKernelFunc, kernelAttrs, kernelInputs } from '../tf-internals';
import type { OnednnAddon } from './addon';
import {
  convShape,
  nhwcFloat,
  poolShape,
  size,
  wasmFallback,
  type ConvInfo,
  type Kernel,
} from './kernel-helpers';
import {
  DEPTHWISE_KERNEL_NAMES,
  DEPTHWISE_KERNELS,
  type DepthwiseKernelName,
} from './depthwise-kernels';
import { NORM_KERNEL_NAMES, NORM_KERNELS, type NormKernelName } from './norm-kernels';
import { NOISE_KERNEL_NAMES, NOISE_KERNELS, type NoiseKernelName } from './noise-kernels';

/** Name of the TF.js backend whose heavy kernels run on oneDNN. */
export const ONEDNN = 'onednn';

/** Kernels the 'onednn' backend runs natively; everything else is the 'wasm' backend's. */
export const ONEDNN_KERNELS = [
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'MaxPool',
  'MaxPoolGrad',
  'BatchMatMul',
  '_FusedMatMul',
  'Add',
  'Relu',
  'Sum',
  'ConvscopeReluGrad',
  'ConvscopeAdamUpdate',
  'ConvscopeConv2DBackpropFilterBias',
  ...DEPTHWISE_KERNEL_NAMES,
  ...NORM_KERNEL_NAMES,
  ...NOISE_KERNEL_NAMES,
] as const;

const conv2D: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, filter } = kernelInputs('Conv2D', inputs, ['x', 'filter']);
  const a = kernelAttrs<tf.Conv2DAttrs>(args.attrs);
  if (!nhwcFloat(a.dataFormat, x, filter)) return wasmFallback('Conv2D', args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const shape = convShape(info);
  if (shape === null) return wasmFallback('Conv2D', args);
  const out = backend.makeOutput(info.outShape, 'float32');
  // Views after the last allocation: makeOutput may grow (and so detach) the heap.
  addon.conv2dForward(
    heapF32(backend, x),
    heapF32(backend, filter),
    null,
    heapF32(backend, out),
    shape,
    false,
  );
  return out;
};

/**
 * FusedConv2D (what tf.layers uses for inference): bias and relu fused into oneDNN's
 * convolution (post-op), so the output is written once. Other activations: wasm kernel.
 */
const fusedConv2D: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, filter } = kernelInputs('FusedConv2D', inputs, ['x', 'filter']);
  // Optional inputs: absent when the layer has no bias / no prelu.
  const { bias, preluActivationWeights } = inputs;
  const a = kernelAttrs<tf.FusedConv2DAttrs>(args.attrs);
  const act = a.activation;
  const biasOk =
    bias === undefined || (bias.dtype === 'float32' && size(bias.shape) === filter.shape[3]);
  if (
    (act !== 'linear' && act !== 'relu') ||
    preluActivationWeights !== undefined ||
    !biasOk ||
    !nhwcFloat(a.dataFormat, x, filter)
  ) {
    return wasmFallback('FusedConv2D', args);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const shape = convShape(info);
  if (shape === null) return wasmFallback('FusedConv2D', args);
  const out = backend.makeOutput(info.outShape, 'float32');
  const b = bias === undefined ? null : heapF32(backend, bias);
  addon.conv2dForward(
    heapF32(backend, x),
    heapF32(backend, filter),
    b,
    heapF32(backend, out),
    shape,
    act === 'relu',
  );
  return out;
};

const conv2DBackpropInput: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { dy, filter } = kernelInputs('Conv2DBackpropInput', inputs, ['dy', 'filter']);
  const a = kernelAttrs<tf.Conv2DBackpropInputAttrs>(args.attrs);
  if (!nhwcFloat(a.dataFormat, dy, filter)) return wasmFallback('Conv2DBackpropInput', args);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const shape = convShape(info);
  if (shape === null) return wasmFallback('Conv2DBackpropInput', args);
  const dx = backend.makeOutput([...a.inputShape], 'float32');
  addon.conv2dBackwardData(
    heapF32(backend, dy),
    heapF32(backend, filter),
    heapF32(backend, dx),
    shape,
  );
  return dx;
};

const conv2DBackpropFilter: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, dy } = kernelInputs('Conv2DBackpropFilter', inputs, ['x', 'dy']);
  const a = kernelAttrs<tf.Conv2DBackpropFilterAttrs>(args.attrs);
  if (!nhwcFloat(a.dataFormat, x, dy)) return wasmFallback('Conv2DBackpropFilter', args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const shape = convShape(info);
  if (shape === null) return wasmFallback('Conv2DBackpropFilter', args);
  const dw = backend.makeOutput([...a.filterShape], 'float32');
  // The bias gradient is a separate TF.js kernel (Sum), so it is not requested here.
  addon.conv2dBackwardWeights(
    heapF32(backend, x),
    heapF32(backend, dy),
    heapF32(backend, dw),
    null,
    shape,
  );
  return dw;
};

/** Input channels from which the bias gradient rides along oneDNN's filter gradient. */
const FUSED_BIAS_GRAD_MIN_CHANNELS = 8;

/**
 * [dFilter, dBias] in one oneDNN backward-weights pass (the fused conv layer's gradient, see
 * fused-conv-train.ts); on shapes oneDNN skips, the wasm filter gradient and Sum.
 */
const conv2DBackpropFilterBias: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, dy } = kernelInputs('ConvscopeConv2DBackpropFilterBias', inputs, ['x', 'dy']);
  const a = kernelAttrs<tf.Conv2DBackpropFilterAttrs>(args.attrs);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const shape = nhwcFloat(a.dataFormat, x, dy) ? convShape(info) : null;
  const oc = a.filterShape[3];
  if (shape === null) {
    const dw = wasmFallback('Conv2DBackpropFilter', args);
    const db = wasmFallback('Sum', {
      ...args,
      inputs: { x: dy },
      attrs: { axis: [0, 1, 2], keepDims: false },
    });
    return [dw, db];
  }
  const dw = backend.makeOutput([...a.filterShape], 'float32');
  const db = backend.makeOutput([oc], 'float32');
  const [xs, dys, dws, dbs] = [x, dy, dw, db].map((t) => heapF32(backend, t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  // oneDNN 2.6's backward-weights kernel with a bias gradient was 1.2 to 1.4 times slower than
  // without it plus a separate sum when the input has few channels (first layers: 1 or 3),
  // and as fast or faster from 32 channels (one thread, measured beside each other).
  if (a.filterShape[2] < FUSED_BIAS_GRAD_MIN_CHANNELS) {
    addon.conv2dBackwardWeights(xs, dys, dws, null, shape);
    addon.sumRows(dys, dbs, [size(dy.shape) / oc, oc]);
  } else addon.conv2dBackwardWeights(xs, dys, dws, dbs, shape);
  return [dw, db];
};

function poolInfo(x: tf.TensorInfo, a: tf.MaxPoolAttrs): ConvInfo {
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
}

const maxPool: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x } = kernelInputs('MaxPool', inputs, ['x']);
  const a = kernelAttrs<tf.MaxPoolAttrs>(args.attrs);
  if (x.dtype !== 'float32') return wasmFallback('MaxPool', args);
  const info = poolInfo(x, a);
  const shape = poolShape(info);
  if (shape === null) return wasmFallback('MaxPool', args);
  const out = backend.makeOutput(info.outShape, 'float32');
  addon.maxPoolForward(heapF32(backend, x), heapF32(backend, out), shape);
  return out;
};

const maxPoolGrad: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { dy, input } = kernelInputs('MaxPoolGrad', inputs, ['dy', 'input']);
  const a = kernelAttrs<tf.MaxPoolGradAttrs>(args.attrs);
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') return wasmFallback('MaxPoolGrad', args);
  const info = poolInfo(input, a);
  const shape = poolShape(info);
  if (shape === null) return wasmFallback('MaxPoolGrad', args);
  const dx = backend.makeOutput([...input.shape], 'float32');
  const [x, g, d] = [input, dy, dx].map((t) => heapF32(backend, t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  // 2x2 windows at stride 2, unpadded (the presets' pooling): one write per dx element.
  const p = info.padInfo;
  const tiled2x2 =
    [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth].every(
      (v) => v === 2,
    ) && p.top + p.left + p.bottom + p.right === 0;
  if (tiled2x2)
    addon.maxPoolBackward2x2(x, g, d, [
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
    ]);
  else addon.maxPoolBackward(x, g, d, shape);
  return dx;
};

/**
 * op(a) · op(b) [+ bias] [relu] natively, or null when the shapes / dtypes / epilogue are not
 * covered (the caller falls back to wasm).
 */
function nativeMatMul(
  addon: OnednnAddon,
  backend: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: tf.TensorInfo | null,
  relu: boolean,
): tf.TensorInfo | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2) return null;
  const leadA = a.shape.slice(0, -2);
  const leadB = b.shape.slice(0, -2);
  const batchA = size(leadA);
  const batchB = size(leadB);
  // Same batch dims, or one side a single matrix broadcast over the other's batch.
  const sameLead = leadA.length === leadB.length && leadA.every((d, i) => d === leadB[i]);
  if (!sameLead && batchA !== 1 && batchB !== 1) return null;
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  if (a0 === undefined || a1 === undefined || b0 === undefined || b1 === undefined) return null;
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const n = transposeB ? b0 : b1;
  // Only a per-column bias ([n] or [1, n]) maps onto oneDNN's broadcast bias.
  if (
    bias !== null &&
    (bias.dtype !== 'float32' || size(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)
  )
    return null;
  const lead = batchA >= batchB && leadA.length >= leadB.length ? leadA : leadB;
  const c = backend.makeOutput([...lead, m, n], 'float32');
  const biasView = bias === null ? null : heapF32(backend, bias);
  addon.matMul(
    heapF32(backend, a),
    heapF32(backend, b),
    heapF32(backend, c),
    [batchA, batchB, m, n, k],
    transposeA,
    transposeB,
    biasView,
    relu,
  );
  return c;
}

const batchMatMul: Kernel = (addon, args) => {
  const { a, b } = kernelInputs('BatchMatMul', args.inputs, ['a', 'b']);
  const { transposeA, transposeB } = kernelAttrs<tf.BatchMatMulAttrs>(args.attrs);
  return (
    nativeMatMul(addon, args.backend, a, b, transposeA, transposeB, null, false) ??
    wasmFallback('BatchMatMul', args)
  );
};

/** _FusedMatMul (tf.layers' dense layers at inference): bias and relu fused into the GEMM. */
const fusedMatMul: Kernel = (addon, args) => {
  const { a, b } = kernelInputs('_FusedMatMul', args.inputs, ['a', 'b']);
  const { bias, preluActivationWeights } = args.inputs;
  const { transposeA, transposeB, activation } = kernelAttrs<tf._FusedMatMulAttrs>(args.attrs);
  if ((activation !== 'linear' && activation !== 'relu') || preluActivationWeights !== undefined)
    return wasmFallback('_FusedMatMul', args);
  return (
    nativeMatMul(
      addon,
      args.backend,
      a,
      b,
      transposeA,
      transposeB,
      bias ?? null,
      activation === 'relu',
    ) ?? wasmFallback('_FusedMatMul', args)
  );
};

/** Below this many elements a same-shape Add stays on wasm (the native call would not pay). */
const ADD_NATIVE_MIN = 4096;

/**
 * Add, natively for same-shape float32 tensors of at least {@link ADD_NATIVE_MIN} elements and
 * for the bias pattern tf.layers emits after Conv2D / Dense in training:
 * x [..., C] + bias [1, ..., 1, C] (or [C]). Every other Add (optimizer updates, broadcasts
 * of other shapes, ints) is the wasm kernel.
 */
const add: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { a, b } = kernelInputs('Add', inputs, ['a', 'b']);
  const cols = a.shape[a.shape.length - 1];
  const isBias =
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    a.shape.length >= 2 &&
    b.shape.length >= 1 &&
    b.shape.length <= a.shape.length &&
    b.shape[b.shape.length - 1] === cols &&
    size(b.shape) === cols;
  // Same shapes (residual connections, the tape's gradient sums): one threaded pass.
  const same =
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i]) &&
    size(a.shape) >= ADD_NATIVE_MIN;
  if (same) {
    const out = backend.makeOutput([...a.shape], 'float32');
    addon.addSame(heapF32(backend, a), heapF32(backend, b), heapF32(backend, out));
    return out;
  }
  if (!isBias) return wasmFallback('Add', args);
  const rows = size(a.shape) / cols;
  const out = backend.makeOutput([...a.shape], 'float32');
  addon.biasAdd(
    heapF32(backend, a),
    heapF32(backend, b),
    heapF32(backend, out),
    [rows, cols],
    false,
  );
  return out;
};

const relu: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x } = kernelInputs('Relu', inputs, ['x']);
  if (x.dtype !== 'float32') return wasmFallback('Relu', args);
  const out = backend.makeOutput([...x.shape], 'float32');
  addon.relu(heapF32(backend, x), heapF32(backend, out));
  return out;
};

/** Sum over every axis but the last (bias gradients); other reductions stay on wasm. */
const sum: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x } = kernelInputs('Sum', inputs, ['x']);
  const { axis, keepDims } = kernelAttrs<tf.SumAttrs>(args.attrs);
  const rank = x.shape.length;
  const axes = [
    ...new Set((Array.isArray(axis) ? axis : [axis]).map((ax) => (ax < 0 ? ax + rank : ax))),
  ].sort((p, q) => p - q);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((ax, i) => ax === i);
  if (x.dtype !== 'float32' || !leading) return wasmFallback('Sum', args);
  const cols = x.shape[rank - 1]!;
  const rows = size(x.shape) / cols;
  const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
  const out = backend.makeOutput(outShape, 'float32');
  addon.sumRows(heapF32(backend, x), heapF32(backend, out), [rows, cols]);
  return out;
};

/** The Relu gradient in one pass (see relu-grad.ts), instead of Step, Cast and Multiply. */
const reluGrad: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { dy, x } = kernelInputs('ConvscopeReluGrad', inputs, ['dy', 'x']);
  const out = backend.makeOutput([...x.shape], 'float32');
  addon.reluGrad(heapF32(backend, dy), heapF32(backend, x), heapF32(backend, out));
  return out;
};

/** One native pass per variable for Adam (see fused-adam.ts for the JS twin and the numerics). */
const adamUpdate: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, m, v, g } = kernelInputs('ConvscopeAdamUpdate', inputs, ['x', 'm', 'v', 'g']);
  const a = kernelAttrs<AdamAttrs>(args.attrs);
  const outs = [0, 1, 2].map(() => backend.makeOutput([...x.shape], 'float32'));
  const [outX, outM, outV] = outs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const params = new Float32Array([
    a.learningRate,
    a.beta1,
    a.beta2,
    a.epsilon,
    a.oneMinusAccBeta1,
    a.oneMinusAccBeta2,
    1 - a.beta1,
    1 - a.beta2,
  ]);
  const heap = (t: tf.TensorInfo) => heapF32(backend, t);
  addon.adamUpdate(heap(x), heap(m), heap(v), heap(g), heap(outX), heap(outM), heap(outV), params);
  return outs;
};

const KERNELS: Record<
  Exclude<(typeof ONEDNN_KERNELS)[number], DepthwiseKernelName | NormKernelName | NoiseKernelName>,
  Kernel
> = {
  Conv2D: conv2D,
  FusedConv2D: fusedConv2D,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Add: add,
  Relu: relu,
  Sum: sum,
  ConvscopeReluGrad: reluGrad,
  ConvscopeAdamUpdate: adamUpdate,
  ConvscopeConv2DBackpropFilterBias: conv2DBackpropFilterBias,
};

/**
 * Registers every kernel of the 'wasm' backend (stock and this project's training kernels) for
 * 'onednn' as well, then replaces {@link ONEDNN_KERNELS} with the native ones. Call after the
 * wasm training kernels are registered. Idempotent per process.
 */
export function registerOnednnKernels(addon: OnednnAddon): void {
  if (tf.getKernel('Conv2D', ONEDNN) !== undefined) return;
  for (const cfg of tf.getKernelsForBackend(WASM)) {
    tf.registerKernel({ ...cfg, backendName: ONEDNN });
  }
  const all: Record<string, Kernel> = {
    ...KERNELS,
    ...DEPTHWISE_KERNELS,
    ...NORM_KERNELS,
    ...NOISE_KERNELS,
  };
  for (const [name, fn] of Object.entries(all)) {
    const wasmCfg = tf.getKernel(name, WASM);
    if (tf.getKernel(name, ONEDNN) !== undefined) tf.unregisterKernel(name, ONEDNN);
    tf.registerKernel({
      kernelName: name,
      backendName: ONEDNN,
      kernelFunc: asKernelFunc((args: WasmKernelArgs) => fn(addon, args)),
      // Keep the wasm kernel's setup (its cwrap binding) so falling back to it works.
      setupFunc: wasmCfg?.setupFunc,
    });
  }
}

/** The wasm backend instance (the 'onednn' backend is the same object under another name). */
export function wasmBackendInstance(): BackendWasm {
  const b = tf.findBackend(WASM);
  if (b === null) throw new Error('onednn: the wasm backend is not initialised');
  return b as BackendWasm;
}
