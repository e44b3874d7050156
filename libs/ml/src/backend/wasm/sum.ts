import * as tf from '@tensorflow/tfjs';
import { heapF32, runKernel, wasmKernel, type WasmKernelArgs } from './kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { simdKernels } from './simd-kernels';

/**
 * Sum override for reductions over the leading axes of a float32 tensor (bias gradients:
 * sum over N, H, W of NHWC). The stock kernel first moves the reduced axes to the back with
 * its slow generic Transpose. Here: one pass of row accumulation over the heap, four rows per
 * step to cut accumulator traffic, in float64 like the CPU reference. (A ones-vector XNNPACK
 * product was tried and is slower: XNNPACK re-packs the fresh right operand on every call.)
 * Every other case goes to the stock kernel.
 */
function sum({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x } = kernelInputs('Sum', inputs, ['x']);
  const { axis, keepDims } = kernelAttrs<tf.SumAttrs>(attrs);
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < rank && axes.every((v, i) => v === i);
  if (x.dtype !== 'float32' || !leading) return runKernel('Sum', backend, inputs, attrs);
  const inner = x.shape.slice(axes.length).reduce((p, q) => p * q, 1);
  const outer = tf.util.sizeFromShape(x.shape) / inner;
  const outShape = keepDims
    ? x.shape.map((d, i) => (i < axes.length ? 1 : d))
    : x.shape.slice(axes.length);
  const out = backend.makeOutput(outShape, 'float32');
  const simd = inner % 4 === 0 ? simdKernels(backend) : null;
  if (simd !== null) {
    // Same float64 sums, in WASM SIMD (simd/kernels.c column_sum): about 4x the JS loop.
    const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
    simd.column_sum(at(x), at(out), outer, inner);
    return out;
  }
  const acc = new Float64Array(inner);
  const v = heapF32(backend, x);
  const i2 = 2 * inner;
  const i3 = 3 * inner;
  let r = 0;
  let o = 0;
  for (; r + 4 <= outer; r += 4, o += 4 * inner) {
    for (let c = 0; c < inner; c++) {
      const p = o + c;
      acc[c]! += v[p]! + v[p + inner]! + v[p + i2]! + v[p + i3]!;
    }
  }
  for (; r < outer; r++, o += inner) {
    for (let c = 0; c < inner; c++) acc[c]! += v[o + c]!;
  }
  heapF32(backend, out).set(acc);
  return out;
}

/** Sum override config. */
export const sumConfig: tf.KernelConfig = wasmKernel('Sum', sum);
