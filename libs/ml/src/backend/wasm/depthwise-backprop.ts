import * as tf from '@tensorflow/tfjs';
import {
  assertNhwcFloat,
  heapF32,
  release,
  runKernel,
  wasmKernel,
  type WasmKernelArgs,
} from './kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { depthwiseFilterGradSimd, simdFilterGradApplies } from './depthwise-filter-simd';
import {
  type ConvGeometry,
  convGeometry,
  flipFilter,
  forEachConvTap,
  nhwcPad,
  transposedConvPlan,
  zeroStuff,
} from './conv-geometry';

function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  a: {
    strides: [number, number] | number;
    dilations: [number, number] | number;
    pad: tf.Conv2DAttrs['pad'];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    true,
  );
}

/**
 * Channel multiplier 1, no dilation: dx is a forward depthwise conv (XNNPACK) of dy (zero-stuffed
 * for strides > 1) with the spatially flipped filter. Returns null when the implied padding is
 * negative (explicit over-padding), leaving the case to the JS loop.
 */
function depthwiseBackpropInputAsConv(
  backend: WasmKernelArgs['backend'],
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  inputShape: number[],
): tf.TensorInfo | null {
  const plan = transposedConvPlan(info);
  if (plan === null) return null;
  const { batchSize: n, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw, inChannels: c } = info;
  const { stuffedH, stuffedW, strided } = plan;
  const flipped = backend.makeOutput([kh, kw, c, 1], 'float32');
  const stuffed = strided ? backend.makeOutput([n, stuffedH, stuffedW, c], 'float32') : dy;
  // Views after the last allocation (makeOutput above): growing the heap detaches views.
  // A [KH, KW, C, 1] filter flipped as a dense one with CO = 1 (the in/out swap is a no-op).
  flipFilter(heapF32(backend, filter), heapF32(backend, flipped), { kh, kw, ci: c, co: 1 });
  if (strided) {
    const geometry = { n, outHeight, outWidth, stuffedH, stuffedW, sh, sw, co: c };
    zeroStuff(heapF32(backend, dy), heapF32(backend, stuffed), geometry);
  }
  const dx = runKernel(
    'DepthwiseConv2dNative',
    backend,
    { x: stuffed, filter: flipped },
    {
      strides: [1, 1],
      pad: nhwcPad(plan.padTop, plan.padBottom, plan.padLeft, plan.padRight),
      dilations: [1, 1],
      dataFormat: 'NHWC',
    },
  );
  release(backend, flipped);
  if (strided) release(backend, stuffed);
  return { dataId: dx.dataId, shape: [...inputShape], dtype: 'float32' };
}

/**
 * DepthwiseConv2dNativeBackpropInput: multiplier-1 undilated cases run as an XNNPACK depthwise
 * conv (see above); the rest is a scatter of dy · W over the WASM heap. Depthwise FLOPs are
 * small (no channel mixing), so a tight JS loop with the (channel, multiplier) pair innermost
 * is enough.
 */
function depthwiseBackpropInput({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = kernelInputs('DepthwiseConv2dNativeBackpropInput', inputs, [
    'dy',
    'filter',
  ]);
  const a = kernelAttrs<tf.DepthwiseConv2dNativeBackpropInputAttrs>(attrs);
  assertNhwcFloat('DepthwiseConv2dNativeBackpropInput', undefined, dy, filter);
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const geometry = convGeometry(info);
  const m = geometry.co / geometry.ci;
  if (m === 1 && geometry.dh === 1 && geometry.dw === 1) {
    const viaConv = depthwiseBackpropInputAsConv(backend, dy, filter, info, a.inputShape);
    if (viaConv !== null) return viaConv;
  }
  const { ci } = geometry;
  const out = backend.makeOutput([...a.inputShape], 'float32');
  const g = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  const dx = heapF32(backend, out);
  dx.fill(0);
  forEachConvTap(geometry, (xo, gb, wo) => {
    if (m === 1) {
      for (let c = 0; c < ci; c++) dx[xo + c]! += g[gb + c]! * w[wo + c]!;
    } else {
      for (let c = 0; c < ci; c++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += g[gb + c * m + j]! * w[wo + c * m + j]!;
        dx[xo + c]! += s;
      }
    }
  });
  return out;
}

/**
 * Filter gradient as one XNNPACK depthwise conv with the batch folded into channels:
 * input I[1, H, W, (n, c)] = x, filter F[OH, OW, (n, c), 1] = dy, dilation = stride, padding =
 * the forward padding; output [1, ≥KH, ≥KW, (n, c)] summed over n gives dW. Multiplier 1 only.
 * Measured 0-35% less CPU than the JS loop, but 7-30x more than the SIMD correlation (below)
 * (XNNPACK has no fast path for huge (OH x OW) filters): only its fallback now, for C % 4 != 0
 * or a runtime without WebAssembly SIMD.
 */
function depthwiseBackpropFilterAsConv(
  backend: WasmKernelArgs['backend'],
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
): tf.TensorInfo | null {
  const {
    batchSize: n,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const { strideHeight: sh, strideWidth: sw, inChannels: c } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  // Pad the far side so that exactly KH x KW outputs come out (never less).
  const pb = Math.max(0, kh + (outHeight - 1) * sh - inHeight - pt);
  const pr = Math.max(0, kw + (outWidth - 1) * sw - inWidth - pl);
  const convH = inHeight + pt + pb - (outHeight - 1) * sh;
  const convW = inWidth + pl + pr - (outWidth - 1) * sw;
  if (convH < kh || convW < kw) return null;
  const nc = n * c;
  const inp = backend.makeOutput([1, inHeight, inWidth, nc], 'float32');
  const flt = backend.makeOutput([outHeight, outWidth, nc, 1], 'float32');
  {
    const xs = heapF32(backend, x);
    const ds = heapF32(backend, dy);
    const iv = heapF32(backend, inp);
    const fv = heapF32(backend, flt);
    // [N, H, W, C] -> [H, W, N, C]: contiguous C-runs.
    for (let b = 0; b < n; b++) {
      for (let p = 0; p < inHeight * inWidth; p++) {
        const src = (b * inHeight * inWidth + p) * c;
        iv.set(xs.subarray(src, src + c), (p * n + b) * c);
      }
      for (let p = 0; p < outHeight * outWidth; p++) {
        const src = (b * outHeight * outWidth + p) * c;
        fv.set(ds.subarray(src, src + c), (p * n + b) * c);
      }
    }
  }
  const conv = runKernel(
    'DepthwiseConv2dNative',
    backend,
    { x: inp, filter: flt },
    {
      strides: [1, 1],
      dilations: [sh, sw],
      pad: nhwcPad(pt, pb, pl, pr),
      dataFormat: 'NHWC',
    },
  );
  release(backend, inp);
  release(backend, flt);
  const acc = new Float64Array(kh * kw * c);
  const out = backend.makeOutput([...filterShape], 'float32');
  const cv = heapF32(backend, conv);
  for (let y = 0; y < kh; y++) {
    for (let xx = 0; xx < kw; xx++) {
      const src = (y * convW + xx) * nc;
      const dst = (y * kw + xx) * c;
      for (let b = 0; b < n; b++) {
        const o = src + b * c;
        for (let ch = 0; ch < c; ch++) acc[dst + ch]! += cv[o + ch]!;
      }
    }
  }
  release(backend, conv);
  heapF32(backend, out).set(acc);
  return out;
}

/**
 * Filter gradient by the WebAssembly SIMD correlation kernel (depthwise-filter-simd.ts), with a
 * float64 scratch accumulator on the heap; null (nothing allocated) where WASM SIMD or the
 * backend's memory is unavailable.
 */
function depthwiseBackpropFilterSimd(
  backend: WasmKernelArgs['backend'],
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  geometry: ConvGeometry,
  filterShape: number[],
): tf.TensorInfo | null {
  const taps = geometry.fh * geometry.fw * geometry.ci;
  // taps doubles as 2·taps floats: makeOutput only knows 32-bit dtypes.
  const scratch = backend.makeOutput([2 * taps], 'float32');
  const out = backend.makeOutput([...filterShape], 'float32');
  const accPtr = backend.getMemoryOffset(scratch.dataId);
  if (accPtr % 8 !== 0) throw new Error('wasm heap allocation is not 8-byte aligned');
  // Views after the last allocation (growing the heap detaches views).
  const scratchF32 = heapF32(backend, scratch);
  scratchF32.fill(0);
  const ptrs = {
    xPtr: backend.getMemoryOffset(x.dataId),
    gPtr: backend.getMemoryOffset(dy.dataId),
    accPtr,
  };
  if (!depthwiseFilterGradSimd(backend, geometry, ptrs)) {
    release(backend, scratch);
    release(backend, out);
    return null;
  }
  const acc = new Float64Array(scratchF32.buffer, accPtr, taps);
  heapF32(backend, out).set(acc);
  release(backend, scratch);
  return out;
}

/**
 * DepthwiseConv2dNativeBackpropFilter: multiplier 1 with whole f32x4 channel vectors via the
 * WASM SIMD correlation (above); other multiplier-1 undilated cases via XNNPACK;
 * otherwise dW[kh,kw,c,j] = Σ x·dy in a JS loop, accumulated in float64 scratch (the filter
 * is tiny) and written to the heap once.
 */
function depthwiseBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = kernelInputs('DepthwiseConv2dNativeBackpropFilter', inputs, ['x', 'dy']);
  const a = kernelAttrs<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(attrs);
  assertNhwcFloat('DepthwiseConv2dNativeBackpropFilter', undefined, x, dy);
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const geometry = convGeometry(info);
  const m = geometry.co / geometry.ci;
  if (simdFilterGradApplies(geometry)) {
    const viaSimd = depthwiseBackpropFilterSimd(backend, x, dy, geometry, a.filterShape);
    if (viaSimd !== null) return viaSimd;
  }
  if (m === 1 && geometry.dh === 1 && geometry.dw === 1) {
    const viaConv = depthwiseBackpropFilterAsConv(backend, x, dy, info, a.filterShape);
    if (viaConv !== null) return viaConv;
  }
  const { ci, co, fh, fw } = geometry;
  const acc = new Float64Array(fh * fw * co);
  const out = backend.makeOutput([...a.filterShape], 'float32');
  const xv = heapF32(backend, x);
  const g = heapF32(backend, dy);
  forEachConvTap(geometry, (xo, gb, wo) => {
    if (m === 1) {
      for (let c = 0; c < ci; c++) acc[wo + c]! += xv[xo + c]! * g[gb + c]!;
    } else {
      for (let c = 0; c < ci; c++) {
        const xval = xv[xo + c]!;
        for (let j = 0; j < m; j++) acc[wo + c * m + j]! += xval * g[gb + c * m + j]!;
      }
    }
  });
  heapF32(backend, out).set(acc);
  return out;
}

/** Kernel configs for the depthwise-conv gradients. */
export const depthwiseBackpropConfigs: tf.KernelConfig[] = [
  wasmKernel('DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput),
  wasmKernel('DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter),
];
