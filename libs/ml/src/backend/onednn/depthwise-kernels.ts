// Depthwise convolutions (and their gradients) on oneDNN: grouped convolutions with one group
// per input channel (see libs/ml/native/src/depthwise.cc). What the native path does not cover
// (NCHW, non-float32, windows entirely in the padding, prelu and activations other than relu)
// runs the 'wasm' kernel instead.
import * as tf from '@tensorflow/tfjs';
import { heapF32 } from '../wasm/kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import {
  convShape,
  nhwcFloat,
  size,
  wasmFallback,
  type ConvInfo,
  type Kernel,
} from './kernel-helpers';

type Tuple = [number, number];
type Pad = tf.DepthwiseConv2dNativeAttrs['pad'];

/** TF.js's depthwise geometry (outChannels = c * m); `dilations` default to 1. */
function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  a: {
    strides: Tuple | number;
    dilations?: Tuple | number;
    pad: Pad;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    true,
    'channelsLast',
  );
}

/**
 * The native kernels' shape array. Where TF.js's output is larger than oneDNN's floor formula
 * gives (numeric pads with 'ceil' / 'round' rounding), the last windows hang past the padded
 * input; TF.js's cpu kernels skip those taps, which is what extra bottom / right zero padding
 * computes, so the pads are extended instead of falling back (XNNPACK reads past the input
 * there). Null, for the wasm fallback, when a window would lie entirely in the padding.
 */
function depthwiseShape(info: ConvInfo): number[] | null {
  const exact = convShape(info);
  if (exact !== null) return exact;
  const p = info.padInfo;
  const effH = (info.filterHeight - 1) * info.dilationHeight + 1;
  const effW = (info.filterWidth - 1) * info.dilationWidth + 1;
  const bottom = (info.outHeight - 1) * info.strideHeight + effH - info.inHeight - p.top;
  const right = (info.outWidth - 1) * info.strideWidth + effW - info.inWidth - p.left;
  if (bottom < p.bottom || right < p.right || bottom >= effH || right >= effW) return null;
  return convShape({ ...info, padInfo: { ...p, bottom, right } });
}

const depthwiseConv2d: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, filter } = kernelInputs('DepthwiseConv2dNative', inputs, ['x', 'filter']);
  const a = kernelAttrs<tf.DepthwiseConv2dNativeAttrs>(args.attrs);
  if (!nhwcFloat(a.dataFormat, x, filter)) return wasmFallback('DepthwiseConv2dNative', args);
  const info = depthwiseInfo(x.shape, filter.shape, a);
  const shape = depthwiseShape(info);
  if (shape === null) return wasmFallback('DepthwiseConv2dNative', args);
  const out = backend.makeOutput(info.outShape, 'float32');
  // Views after the last allocation: makeOutput may grow (and so detach) the heap.
  addon.depthwiseForward(
    heapF32(backend, x),
    heapF32(backend, filter),
    null,
    heapF32(backend, out),
    shape,
    false,
  );
  return out;
};

/** FusedDepthwiseConv2D (tf.layers' depthwise layers at inference): bias and relu as post-ops. */
const fusedDepthwiseConv2d: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x, filter } = kernelInputs('FusedDepthwiseConv2D', inputs, ['x', 'filter']);
  // Optional inputs: absent when the layer has no bias / no prelu.
  const { bias, preluActivationWeights } = inputs;
  const a = kernelAttrs<tf.FusedDepthwiseConv2DAttrs>(args.attrs);
  const act = a.activation;
  const channels = filter.shape[2]! * filter.shape[3]!;
  const biasOk = bias === undefined || (bias.dtype === 'float32' && size(bias.shape) === channels);
  if (
    (act !== 'linear' && act !== 'relu') ||
    preluActivationWeights !== undefined ||
    !biasOk ||
    !nhwcFloat(a.dataFormat, x, filter)
  ) {
    return wasmFallback('FusedDepthwiseConv2D', args);
  }
  const info = depthwiseInfo(x.shape, filter.shape, a);
  const shape = depthwiseShape(info);
  if (shape === null) return wasmFallback('FusedDepthwiseConv2D', args);
  const out = backend.makeOutput(info.outShape, 'float32');
  const b = bias === undefined ? null : heapF32(backend, bias);
  addon.depthwiseForward(
    heapF32(backend, x),
    heapF32(backend, filter),
    b,
    heapF32(backend, out),
    shape,
    act === 'relu',
  );
  return out;
};

const depthwiseBackpropInput: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const name = 'DepthwiseConv2dNativeBackpropInput';
  const { dy, filter } = kernelInputs(name, inputs, ['dy', 'filter']);
  const a = kernelAttrs<tf.DepthwiseConv2dNativeBackpropInputAttrs>(args.attrs);
  if (!nhwcFloat(undefined, dy, filter)) return wasmFallback(name, args);
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const shape = depthwiseShape(info);
  if (shape === null) return wasmFallback(name, args);
  const dx = backend.makeOutput([...a.inputShape], 'float32');
  addon.depthwiseBackwardData(
    heapF32(backend, dy),
    heapF32(backend, filter),
    heapF32(backend, dx),
    shape,
  );
  return dx;
};

const depthwiseBackpropFilter: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const name = 'DepthwiseConv2dNativeBackpropFilter';
  const { x, dy } = kernelInputs(name, inputs, ['x', 'dy']);
  const a = kernelAttrs<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(args.attrs);
  if (!nhwcFloat(undefined, x, dy)) return wasmFallback(name, args);
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const shape = depthwiseShape(info);
  if (shape === null) return wasmFallback(name, args);
  const dw = backend.makeOutput([...a.filterShape], 'float32');
  // The bias gradient is a separate TF.js kernel (Sum), so it is not requested here.
  addon.depthwiseBackwardWeights(
    heapF32(backend, x),
    heapF32(backend, dy),
    heapF32(backend, dw),
    null,
    shape,
  );
  return dw;
};

/** TF.js kernels this file runs natively (part of ONEDNN_KERNELS in kernels.ts). */
export const DEPTHWISE_KERNEL_NAMES = [
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2D',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
] as const;

/** One of {@link DEPTHWISE_KERNEL_NAMES}. */
export type DepthwiseKernelName = (typeof DEPTHWISE_KERNEL_NAMES)[number];

/** Kernels of this file by TF.js kernel name; merged into the 'onednn' backend by kernels.ts. */
export const DEPTHWISE_KERNELS: Record<DepthwiseKernelName, Kernel> = {
  DepthwiseConv2dNative: depthwiseConv2d,
  FusedDepthwiseConv2D: fusedDepthwiseConv2d,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
};
