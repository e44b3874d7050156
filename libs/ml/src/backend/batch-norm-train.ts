import * as tf from '@tensorflow/tfjs';
import { heapF32, WASM, type WasmKernelArgs } from './wasm/kernel-utils';
import { asAttrMap, asKernelFunc, kernelAttrs, kernelInputs } from './tf-internals';

/*
 * Batch normalisation in training mode as one kernel and one gradient kernel.
 *
 * tf.layers.batchNormalization trains through tf.moments (Mean, Sub, Square, Mean) and
 * tf.batchNorm (FusedBatchNorm), and differentiates each of them separately: FusedBatchNorm's
 * gradient alone tiles the variance to the full tensor and runs a dozen full-size
 * element-wise kernels, then the moments' gradients add as many again. Profiled on an
 * Xception-style net (128x128, batch 32) on 'onednn', those kernels (Tile, Mean, Multiply, Sub,
 * RealDiv, ...) took over 70% of a training step. Fused, the forward is one pass for the
 * moments plus one for y, and the backward (moments differentiated too) two passes.
 *
 * The fused path is taken only where a backend registers BN_TRAIN_KERNEL ('onednn' natively,
 * 'wasm' with the JS loops below); elsewhere (the 'cpu' reference, 'webgl', shapes it does not
 * cover) the layer runs TF.js's own code, unchanged.
 */

/** Kernel: inputs { x, scale, offset }, attrs { varianceEpsilon }; outputs [y, mean, variance]. */
export const BN_TRAIN_KERNEL = 'ConvscopeBatchNormTrain';
/**
 * Kernel: inputs { x, dy, scale, mean, variance, dmean, dvariance }, attrs { varianceEpsilon };
 * outputs [dx, dscale, doffset].
 */
export const BN_TRAIN_GRAD_KERNEL = 'ConvscopeBatchNormTrainGrad';

/** Attributes of both batch-norm training kernels. */
export type BatchNormTrainAttrs = { varianceEpsilon: number };

/**
 * Training-mode batch norm over every axis but the last (channels): the batch mean and biased
 * variance (as tf.moments), and y = (x - mean) / sqrt(variance + eps) * scale + offset.
 * Differentiable with respect to x, scale and offset (the moments' dependence on x included).
 * Uses {@link BN_TRAIN_KERNEL} where the backend has it, else tf.moments + tf.batchNorm.
 * @returns [y, mean, variance], mean and variance of shape [channels]
 */
export function batchNormTrain(
  x: tf.Tensor,
  scale: tf.Tensor,
  offset: tf.Tensor,
  varianceEpsilon: number,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (tf.getKernel(BN_TRAIN_KERNEL, tf.getBackend()) !== undefined) {
    const attrs: BatchNormTrainAttrs = { varianceEpsilon };
    const out = tf.engine().runKernel(BN_TRAIN_KERNEL, { x, scale, offset }, asAttrMap(attrs));
    const [y, mean, variance] = out as tf.Tensor[];
    if (y === undefined || mean === undefined || variance === undefined)
      throw new Error(`${BN_TRAIN_KERNEL}: expected three outputs`);
    return [y, mean, variance];
  }
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    return [tf.batchNorm(x, mean, variance, offset, scale, varianceEpsilon), mean, variance];
  });
}

/** [rows, channels] of a channels-last tensor. */
export function rowsAndChannels(shape: readonly number[]): [number, number] {
  const c = shape[shape.length - 1] ?? 1;
  const n = shape.reduce((p, q) => p * q, 1);
  return [c === 0 ? 0 : n / c, c];
}

/** The plain-wasm forward: two passes for the moments (double sums), one for y. */
function bnTrainWasm(args: WasmKernelArgs): tf.TensorInfo[] {
  const { backend } = args;
  const { x, scale, offset } = kernelInputs(BN_TRAIN_KERNEL, args.inputs, ['x', 'scale', 'offset']);
  const { varianceEpsilon } = kernelAttrs<BatchNormTrainAttrs>(args.attrs);
  const [rows, c] = rowsAndChannels(x.shape);
  const y = backend.makeOutput([...x.shape], 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const [xs, ys, ms, vs, g, b] = [x, y, mean, variance, scale, offset].map((t) =>
    heapF32(backend, t),
  );
  const sum = new Float64Array(c);
  for (let r = 0; r < rows; r++) for (let i = 0, o = r * c; i < c; i++) sum[i]! += xs![o + i]!;
  for (let i = 0; i < c; i++) ms![i] = sum[i]! / rows;
  sum.fill(0);
  for (let r = 0; r < rows; r++)
    for (let i = 0, o = r * c; i < c; i++) {
      const d = xs![o + i]! - ms![i]!;
      sum[i]! += d * d;
    }
  const k = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    vs![i] = sum[i]! / rows;
    k[i] = g![i]! / Math.sqrt(vs![i]! + varianceEpsilon);
  }
  for (let r = 0; r < rows; r++)
    for (let i = 0, o = r * c; i < c; i++) ys![o + i] = (xs![o + i]! - ms![i]!) * k[i]! + b![i]!;
  return [y, mean, variance];
}

/** The plain-wasm gradient: one pass for the channel sums, one for dx. */
function bnTrainGradWasm(args: WasmKernelArgs): tf.TensorInfo[] {
  const { backend } = args;
  const names = ['x', 'dy', 'scale', 'mean', 'variance', 'dmean', 'dvariance'] as const;
  const inputs = kernelInputs(BN_TRAIN_GRAD_KERNEL, args.inputs, names);
  const { varianceEpsilon } = kernelAttrs<BatchNormTrainAttrs>(args.attrs);
  const [rows, c] = rowsAndChannels(inputs.x.shape);
  const dx = backend.makeOutput([...inputs.x.shape], 'float32');
  const dscale = backend.makeOutput([c], 'float32');
  const doffset = backend.makeOutput([c], 'float32');
  const [xs, dys, g, ms, vs, dm, dv] = names.map((n) => heapF32(backend, inputs[n]));
  const [dxs, dg, db] = [dx, dscale, doffset].map((t) => heapF32(backend, t));
  const rstd = new Float64Array(c);
  for (let i = 0; i < c; i++) rstd[i] = 1 / Math.sqrt(vs![i]! + varianceEpsilon);
  const sumDy = new Float64Array(c);
  const sumDyXhat = new Float64Array(c);
  for (let r = 0; r < rows; r++)
    for (let i = 0, o = r * c; i < c; i++) {
      const d = dys![o + i]!;
      sumDy[i]! += d;
      sumDyXhat[i]! += d * (xs![o + i]! - ms![i]!) * rstd[i]!;
    }
  // dx = scale * rstd * (dy - mean(dy) - xhat * mean(dy * xhat)) + dmean / N + dvar * 2 (x - mean) / N
  const a = new Float64Array(c);
  const bx = new Float64Array(c);
  const c0 = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    dg![i] = sumDyXhat[i]!;
    db![i] = sumDy[i]!;
    a[i] = g![i]! * rstd[i]!;
    // Coefficient of (x - mean) and the constant term.
    bx[i] = -a[i]! * rstd[i]! * (sumDyXhat[i]! / rows) + (2 * dv![i]!) / rows;
    c0[i] = -a[i]! * (sumDy[i]! / rows) + dm![i]! / rows;
  }
  for (let r = 0; r < rows; r++)
    for (let i = 0, o = r * c; i < c; i++)
      dxs![o + i] = a[i]! * dys![o + i]! + bx[i]! * (xs![o + i]! - ms![i]!) + c0[i]!;
  return [dx, dscale, doffset];
}

/** A layer weight as tfjs-layers holds it (LayerVariable). */
interface LayerWeight {
  read(): tf.Tensor;
  write(value: tf.Tensor): unknown;
}

/**
 * The fields of tfjs-layers' BatchNormalization that its training code reads. They are
 * private in its typings; they exist at run time on every built layer (tfjs-layers 4.22).
 */
interface BatchNormLayerInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: LayerWeight;
  beta?: LayerWeight;
  movingMean: LayerWeight;
  movingVariance: LayerWeight;
}

type LayerCall = (
  this: BatchNormLayerInternals,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

let installed = false;

/**
 * Registers the plain-wasm batch-norm training kernels, the gradient of
 * {@link BN_TRAIN_KERNEL}, and routes tf.layers.batchNormalization's training-mode call
 * (channels-last axis, with scale and center, float32) through {@link batchNormTrain} on
 * backends that have the kernel. The moving mean / variance updates are TF.js's own, op for
 * op. Inference and every other case run the layer's original code. Idempotent.
 */
export function installBatchNormTraining(): void {
  if (installed) return;
  installed = true;
  for (const [name, fn] of [
    [BN_TRAIN_KERNEL, bnTrainWasm],
    [BN_TRAIN_GRAD_KERNEL, bnTrainGradWasm],
  ] as const) {
    if (tf.getKernel(name, WASM) === undefined)
      tf.registerKernel({ kernelName: name, backendName: WASM, kernelFunc: asKernelFunc(fn) });
  }
  tf.registerGradient({
    kernelName: BN_TRAIN_KERNEL,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [dyY, dMean, dVar] = dy as tf.Tensor[];
      const [x, scale, mean, variance] = saved;
      if (x === undefined || scale === undefined || mean === undefined || variance === undefined)
        throw new Error(`${BN_TRAIN_KERNEL} gradient: saved tensors are missing`);
      // One kernel gives all three gradients; the thunks only hand them out (tensors made
      // here belong to the backward pass's scope, so an unused one is freed with it).
      const out = tf
        .engine()
        .runKernel(
          BN_TRAIN_GRAD_KERNEL,
          { x, dy: dyY!, scale, mean, variance, dmean: dMean!, dvariance: dVar! },
          attrs,
        );
      const [dx, dscale, doffset] = out as tf.Tensor[];
      return { x: () => dx!, scale: () => dscale!, offset: () => doffset! };
    },
  });
  // tfjs-layers exports no handle on BatchNormalization's class; an instance's prototype is it.
  const proto = Object.getPrototypeOf(tf.layers.batchNormalization({})) as { call: LayerCall };
  const original = proto.call;
  proto.call = function (this: BatchNormLayerInternals, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const { gamma, beta } = this;
    const fused =
      kwargs['training'] === true &&
      input !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      input.dtype === 'float32' &&
      input.rank >= 2 &&
      (this.axis === -1 || this.axis === input.rank - 1) &&
      gamma !== undefined &&
      beta !== undefined &&
      tf.getKernel(BN_TRAIN_KERNEL, tf.getBackend()) !== undefined;
    if (!fused) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTrain(input, gamma.read(), beta.read(), this.epsilon);
      // Exactly tfjs-layers' doMovingAverage: v - (v - value) * (1 - momentum).
      const decay = 1 - this.momentum;
      for (const [v, value] of [
        [this.movingMean, mean],
        [this.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const orig = v.read();
          v.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
        });
      }
      return y;
    });
  };
}
