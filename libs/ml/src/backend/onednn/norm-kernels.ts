// Batch normalisation, global pooling and fused element-wise kernels on oneDNN.
import * as tf from '@tensorflow/tfjs';
import {
  BN_TRAIN_GRAD_KERNEL,
  BN_TRAIN_KERNEL,
  rowsAndChannels,
  type BatchNormTrainAttrs,
} from '../batch-norm-train';
import { FUSED_RMSPROP_KERNEL, rmspropParams, type RmspropAttrs } from '../fused-rmsprop';
import { callKernel, kernelAttrs, kernelInputs } from '../tf-internals';
import { heapF32, WASM, type WasmKernelArgs } from '../wasm/kernel-utils';
import { size, wasmFallback, type Kernel } from './kernel-helpers';

/**
 * The [n, h, w, c] shape of the native batch-norm kernels: NHWC as is, any other
 * channels-last rank as [rows, 1, 1, c]. Null when empty.
 */
function bnShape(shape: readonly number[]): number[] | null {
  const [rows, c] = rowsAndChannels(shape);
  if (rows === 0 || c === 0) return null;
  return shape.length === 4 ? [...shape] : [rows, 1, 1, c];
}

/** A per-channel operand: float32 with c elements laid out along its last axis ([c] or [1, .., c]). */
function perChannel(t: tf.TensorInfo | undefined, c: number): boolean {
  return (
    t === undefined ||
    (t.dtype === 'float32' && size(t.shape) === c && t.shape[t.shape.length - 1] === c)
  );
}

const batchNormTrain: Kernel = (addon, args) => {
  const { backend } = args;
  const { x, scale, offset } = kernelInputs(BN_TRAIN_KERNEL, args.inputs, ['x', 'scale', 'offset']);
  const { varianceEpsilon } = kernelAttrs<BatchNormTrainAttrs>(args.attrs);
  const [, c] = rowsAndChannels(x.shape);
  const shape = bnShape(x.shape);
  if (shape === null || x.dtype !== 'float32' || !perChannel(scale, c) || !perChannel(offset, c))
    return wasmFallbackMulti(BN_TRAIN_KERNEL, args);
  const y = backend.makeOutput([...x.shape], 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const h = (t: tf.TensorInfo) => heapF32(backend, t);
  addon.batchNormTrainForward(
    h(x),
    h(scale),
    h(offset),
    h(y),
    h(mean),
    h(variance),
    shape,
    varianceEpsilon,
  );
  return [y, mean, variance];
};

const batchNormTrainGrad: Kernel = (addon, args) => {
  const { backend } = args;
  const names = ['x', 'dy', 'scale', 'mean', 'variance', 'dmean', 'dvariance'] as const;
  const i = kernelInputs(BN_TRAIN_GRAD_KERNEL, args.inputs, names);
  const { varianceEpsilon } = kernelAttrs<BatchNormTrainAttrs>(args.attrs);
  const [, c] = rowsAndChannels(i.x.shape);
  const shape = bnShape(i.x.shape);
  const perC = [i.scale, i.mean, i.variance, i.dmean, i.dvariance].every((t) => perChannel(t, c));
  if (shape === null || i.x.dtype !== 'float32' || i.dy.dtype !== 'float32' || !perC)
    return wasmFallbackMulti(BN_TRAIN_GRAD_KERNEL, args);
  const dx = backend.makeOutput([...i.x.shape], 'float32');
  const dscale = backend.makeOutput([c], 'float32');
  const doffset = backend.makeOutput([c], 'float32');
  const h = (t: tf.TensorInfo) => heapF32(backend, t);
  addon.batchNormTrainBackward(
    h(i.x),
    h(i.dy),
    h(i.scale),
    h(i.mean),
    h(i.variance),
    h(i.dmean),
    h(i.dvariance),
    h(dx),
    h(dscale),
    h(doffset),
    shape,
    varianceEpsilon,
  );
  return [dx, dscale, doffset];
};

/**
 * FusedBatchNorm with given statistics (tf.batchNorm: inference with the moving averages, and
 * the stock training path's normalisation) on oneDNN, when every statistic is per channel.
 */
const fusedBatchNorm: Kernel = (addon, args) => {
  const { backend, inputs } = args;
  const { x, mean, variance } = kernelInputs('FusedBatchNorm', inputs, ['x', 'mean', 'variance']);
  const { scale, offset } = inputs;
  const { varianceEpsilon } = kernelAttrs<tf.FusedBatchNormAttrs>(args.attrs);
  const [, c] = rowsAndChannels(x.shape);
  const shape = bnShape(x.shape);
  const stats = [mean, variance, scale, offset].every((t) => perChannel(t, c));
  if (shape === null || x.dtype !== 'float32' || x.shape.length < 1 || !stats)
    return wasmFallback('FusedBatchNorm', args);
  const y = backend.makeOutput([...x.shape], 'float32');
  const h = (t: tf.TensorInfo | undefined) => (t === undefined ? null : heapF32(backend, t));
  addon.batchNormInference(
    heapF32(backend, x),
    heapF32(backend, mean),
    heapF32(backend, variance),
    h(scale),
    h(offset),
    heapF32(backend, y),
    shape,
    varianceEpsilon,
  );
  return y;
};

/**
 * Mean over one contiguous block of axes (global average pooling over [1, 2], batch moments
 * over [0, 1, 2], the last axis, ...) natively; other axis sets and dtypes on wasm.
 */
const mean: Kernel = (addon, args) => {
  const { backend } = args;
  const { x } = kernelInputs('Mean', args.inputs, ['x']);
  const { axis, keepDims } = kernelAttrs<tf.MeanAttrs>(args.attrs);
  const rank = x.shape.length;
  // parseAxisParam: a null axis (tf.mean(x), tf.moments(x)) means every axis.
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  const first = axes[0];
  const last = axes[axes.length - 1];
  const contiguous =
    first !== undefined && last !== undefined && last - first === axes.length - 1 && last < rank;
  if (x.dtype !== 'float32' || !contiguous) return wasmFallback('Mean', args);
  const outer = size(x.shape.slice(0, first));
  const reduce = size(x.shape.slice(first, last + 1));
  const inner = size(x.shape.slice(last + 1));
  if (reduce === 0) return wasmFallback('Mean', args);
  const outShape = keepDims
    ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
    : x.shape.filter((_, i) => i < first || i > last);
  const out = backend.makeOutput(outShape, 'float32');
  addon.meanReduce(heapF32(backend, x), heapF32(backend, out), [outer, reduce, inner]);
  return out;
};

/** One RMSprop step per variable natively (see fused-rmsprop.ts for the JS twin and the numerics). */
const rmspropUpdate: Kernel = (addon, args) => {
  const { backend } = args;
  const { x, ms, mom, g } = kernelInputs(FUSED_RMSPROP_KERNEL, args.inputs, [
    'x',
    'ms',
    'mom',
    'g',
  ]);
  const outs = [0, 1, 2].map(() => backend.makeOutput([...x.shape], 'float32'));
  const [nx, nms, nmom] = outs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const h = (t: tf.TensorInfo) => heapF32(backend, t);
  const params = rmspropParams(kernelAttrs<RmspropAttrs>(args.attrs));
  addon.rmspropUpdate(h(x), h(ms), h(mom), h(g), h(nx), h(nms), h(nmom), params);
  return outs;
};

/** The wasm kernel of a multi-output op (kernel-helpers' wasmFallback takes single outputs). */
function wasmFallbackMulti(name: string, args: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const cfg = tf.getKernel(name, WASM);
  if (cfg === undefined) throw new Error(`onednn: no wasm kernel ${name} to fall back to`);
  return callKernel(cfg, args);
}

/** TF.js kernels this file runs natively (part of ONEDNN_KERNELS in kernels.ts). */
export const NORM_KERNEL_NAMES = [
  BN_TRAIN_KERNEL,
  BN_TRAIN_GRAD_KERNEL,
  'FusedBatchNorm',
  'Mean',
  FUSED_RMSPROP_KERNEL,
] as const;

/** One of {@link NORM_KERNEL_NAMES}. */
export type NormKernelName = (typeof NORM_KERNEL_NAMES)[number];

/** Kernels of this file by TF.js kernel name; merged into the 'onednn' backend by kernels.ts. */
export const NORM_KERNELS: Record<NormKernelName, Kernel> = {
  [BN_TRAIN_KERNEL]: batchNormTrain,
  [BN_TRAIN_GRAD_KERNEL]: batchNormTrainGrad,
  FusedBatchNorm: fusedBatchNorm,
  Mean: mean,
  [FUSED_RMSPROP_KERNEL]: rmspropUpdate,
};
