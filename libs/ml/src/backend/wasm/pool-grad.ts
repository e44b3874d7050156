import * as tf from '@tensorflow/tfjs';
import { assertNhwcFloat, heapF32, wasmKernel, type WasmKernelArgs } from './kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { simdKernels } from './simd-kernels';

/** What both pooling gradients start from: the pool geometry, their output and heap views. */
interface PoolGradSetup {
  info: tf.backend_util.Conv2DInfo;
  out: tf.TensorInfo;
  /** The forward input `x` (only MaxPoolGrad reads it). */
  x: Float32Array;
  g: Float32Array;
  dx: Float32Array;
}

/**
 * Reads `dy` and `input`, computes the pool geometry from the kernel's attributes and makes the
 * output. The heap views are taken after `makeOutput`, which may grow (and so detach) the heap.
 */
function poolGradSetup(
  kernel: 'MaxPoolGrad' | 'AvgPoolGrad',
  { inputs, backend, attrs }: WasmKernelArgs,
): PoolGradSetup {
  const { dy, input } = kernelInputs(kernel, inputs, ['dy', 'input']);
  // AvgPoolGrad has no dimRoundingMode: undefined there, as computePool2DInfo's default.
  const a = kernelAttrs<tf.AvgPoolGradAttrs & Partial<tf.MaxPoolGradAttrs>>(attrs);
  assertNhwcFloat(kernel, undefined, dy, input);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const out = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  return { info, out, x, g, dx };
}

/**
 * MaxPoolGrad straight over the WASM heap: per output pixel, find the first maximum of each
 * channel's window (strict `>`, row-major window order, like the CPU backend) and add dy there.
 * Channels are the innermost loop so reads stay contiguous. ~10x faster than the stock C++ kernel.
 */
function maxPoolGrad(args: WasmKernelArgs): tf.TensorInfo {
  const { info, out, x, g, dx } = poolGradSetup('MaxPoolGrad', args);
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && pt === 0 && pl === 0) {
    const simd = c % 4 === 0 ? simdKernels(args.backend) : null;
    if (simd !== null) {
      // Same selection with f32x4 compares and masks (simd/kernels.c), ~4x the JS loop.
      const { dy, input } = kernelInputs('MaxPoolGrad', args.inputs, ['dy', 'input']);
      const at = (t: tf.TensorInfo) => args.backend.getMemoryOffset(t.dataId);
      simd.max_pool_grad_2x2(
        at(input),
        at(dy),
        at(out),
        batchSize,
        inHeight,
        inWidth,
        c,
        outHeight,
        outWidth,
      );
      return out;
    }
    maxPoolGrad2x2(x, g, dx, info);
    return out;
  }
  dx.fill(0);
  const best = new Float32Array(c);
  const arg = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * c;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * sh - pt;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * sw - pl;
        best.fill(-Infinity);
        arg.fill(-1);
        for (let kh = 0; kh < fh; kh += dh) {
          const ih = h0 + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < fw; kw += dw) {
            const iw = w0 + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const base = xb + (ih * inWidth + iw) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch]!;
              if (v > best[ch]!) {
                best[ch] = v;
                arg[ch] = base + ch;
              }
            }
          }
        }
        const gb = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let ch = 0; ch < c; ch++) {
          const at = arg[ch]!;
          if (at >= 0) dx[at]! += g[gb + ch]!;
        }
      }
    }
  }
  return out;
}

/**
 * The common 2x2/stride-2 unpadded case: windows tile the input, so every covered pixel is
 * written exactly once (no zero-fill + accumulate) and the four candidates stay in registers.
 * ~35% less CPU time than the general loop.
 */
function maxPoolGrad2x2(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  // Odd sizes leave a last row/column outside every window: its gradient is zero.
  if (inHeight !== 2 * outHeight || inWidth !== 2 * outWidth) dx.fill(0);
  const rowStride = inWidth * c;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = (b * inHeight + 2 * oh) * rowStride;
      const r1 = r0 + rowStride;
      let gb = (b * outHeight + oh) * outWidth * c;
      for (let ow = 0; ow < outWidth; ow++, gb += c) {
        const p0 = r0 + 2 * ow * c;
        const p1 = p0 + c;
        const p2 = r1 + 2 * ow * c;
        const p3 = p2 + c;
        for (let ch = 0; ch < c; ch++) {
          // The four taps of a 2x2 window inside the input (the geometry checked above).
          const v0 = x[p0 + ch]!;
          const v1 = x[p1 + ch]!;
          const v2 = x[p2 + ch]!;
          const v3 = x[p3 + ch]!;
          const gv = g[gb + ch]!;
          // First maximum in row-major window order wins ties (strict >), as on CPU.
          let m = v0;
          let k = 0;
          if (v1 > m) {
            m = v1;
            k = 1;
          }
          if (v2 > m) {
            m = v2;
            k = 2;
          }
          if (v3 > m) k = 3;
          dx[p0 + ch] = k === 0 ? gv : 0;
          dx[p1 + ch] = k === 1 ? gv : 0;
          dx[p2 + ch] = k === 2 ? gv : 0;
          dx[p3 + ch] = k === 3 ? gv : 0;
        }
      }
    }
  }
}

/**
 * AvgPoolGrad over the WASM heap: scatter dy / (filterHeight * filterWidth) into every input
 * pixel of its window. The divisor ignores padding, matching tfjs-core's CPU reference.
 */
function avgPoolGrad(args: WasmKernelArgs): tf.TensorInfo {
  const { info, out, g, dx } = poolGradSetup('AvgPoolGrad', args);
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const scale = 1 / (fh * fw);
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * c;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * sh - pt;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * sw - pl;
        const gb = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let kh = 0; kh < fh; kh++) {
          const ih = h0 + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = w0 + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const base = xb + (ih * inWidth + iw) * c;
            for (let ch = 0; ch < c; ch++) dx[base + ch]! += g[gb + ch]! * scale;
          }
        }
      }
    }
  }
  return out;
}

/** Kernel configs for the 2D pooling gradients. */
export const poolGradConfigs: tf.KernelConfig[] = [
  wasmKernel('MaxPoolGrad', maxPoolGrad),
  wasmKernel('AvgPoolGrad', avgPoolGrad),
];
