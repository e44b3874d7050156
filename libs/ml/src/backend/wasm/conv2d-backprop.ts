import * as tf from '@tensorflow/tfjs';
import {
  assertNhwcFloat,
  heapF32,
  release,
  runKernel,
  view,
  wasmKernel,
  type WasmKernelArgs,
} from './kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { convGeometry, flipFilter, nhwcPad, transposedConvPlan, zeroStuff } from './conv-geometry';
import { simdKernels } from './simd-kernels';

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * Writes the transposed im2col matrix of `x` (NHWC) into `dst`, shape [KH*KW*CI, N*OH*OW]:
 * row (kh, kw, ci) holds that tap of every output pixel (zero outside the image). The row order
 * matches the [KH, KW, CI, CO] filter layout, so dW = dst · dy needs no transposes at all.
 */
function im2colT(x: Float32Array, dst: Float32Array, info: ConvInfo): void {
  const g = convGeometry(info);
  const { batchSize, inHeight, inWidth, ci, outHeight, outWidth, fh, fw } = g;
  const { sh, sw, dh, dw, pt, pl } = g;
  const rows = batchSize * outHeight * outWidth;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const kBase = (kh * fw + kw) * ci * rows;
      let r = 0;
      for (let b = 0; b < batchSize; b++) {
        const xb = b * inHeight * inWidth * ci;
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= inHeight) {
            for (let c = 0; c < ci; c++)
              dst.fill(0, kBase + c * rows + r, kBase + c * rows + r + outWidth);
            r += outWidth;
            continue;
          }
          const xRow = xb + ih * inWidth * ci;
          for (let ow = 0; ow < outWidth; ow++, r++) {
            const iw = ow * sw + kw * dw - pl;
            let o = kBase + r;
            if (iw < 0 || iw >= inWidth) {
              for (let c = 0; c < ci; c++, o += rows) dst[o] = 0;
            } else {
              const src = xRow + iw * ci;
              for (let c = 0; c < ci; c++, o += rows) dst[o] = x[src + c]!;
            }
          }
        }
      }
    }
  }
}

/** Row-major im2col: dst[r, (kh, kw, ci)] for r = (b, oh, ow), zero outside the image. */
function im2col(x: Float32Array, dst: Float32Array, info: ConvInfo): void {
  const g = convGeometry(info);
  const { batchSize, inHeight, inWidth, ci, outHeight, outWidth, fh, fw } = g;
  const { sh, sw, dh, dw, pt, pl } = g;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * ci;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < fh; kh++) {
          const ih = oh * sh + kh * dh - pt;
          const rowOk = ih >= 0 && ih < inHeight;
          for (let kw = 0; kw < fw; kw++, o += ci) {
            const iw = ow * sw + kw * dw - pl;
            if (rowOk && iw >= 0 && iw < inWidth) {
              const src = xb + (ih * inWidth + iw) * ci;
              for (let c = 0; c < ci; c++) dst[o + c] = x[src + c]!;
            } else {
              for (let c = 0; c < ci; c++) dst[o + c] = 0;
            }
          }
        }
      }
    }
  }
}

/**
 * Conv2DBackpropFilter as one call into the SIMD module (simd/kernels.c): no im2col, the
 * gradient's row x column tiles accumulate in registers over cache-sized blocks of pixels read
 * in place from the heap. A padded conv first copies x into a zero-bordered scratch tensor so
 * every tap is in range. Returns null (allocating nothing) where the module is unavailable or
 * CO is not a multiple of 4.
 */
function conv2DBackpropFilterSimd(
  backend: WasmKernelArgs['backend'],
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: ConvInfo,
): tf.TensorInfo | null {
  const simd = simdKernels(backend);
  const g = convGeometry(info);
  if (simd === null || g.co % 4 !== 0) return null;
  const { top: pt, bottom: pb, left: pl, right: pr } = info.padInfo;
  const padded = pt + pb + pl + pr > 0;
  const hp = g.inHeight + pt + pb;
  const wp = g.inWidth + pl + pr;
  const out = backend.makeOutput([g.fh, g.fw, g.ci, g.co], 'float32');
  const xpad = padded ? backend.makeOutput([g.batchSize, hp, wp, g.ci], 'float32') : x;
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  if (padded) {
    simd.pad_nhwc(at(x), at(xpad), g.batchSize, g.inHeight, g.inWidth, g.ci, pt, pb, pl, pr);
  }
  simd.conv_filter_grad(
    at(xpad),
    at(dy),
    at(out),
    g.batchSize,
    hp,
    wp,
    g.ci,
    g.outHeight,
    g.outWidth,
    g.co,
    g.fh,
    g.fw,
    g.sh,
    g.sw,
    g.dh,
    g.dw,
  );
  if (padded) release(backend, xpad);
  return out;
}

/**
 * Conv2DBackpropFilter: dW[K, CO] = im2colT(x)[K, rows] · dy[rows, CO] as one untransposed
 * BatchMatMul (the only XNNPACK-fast form on WASM; transpose flags or the stock Transpose
 * kernel cost several times more, measured). For a 1x1/stride-1/unpadded conv im2col(x) is x
 * itself, so only x needs transposing.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = kernelInputs('Conv2DBackpropFilter', inputs, ['x', 'dy']);
  const a = kernelAttrs<tf.Conv2DBackpropFilterAttrs>(attrs);
  assertNhwcFloat('Conv2DBackpropFilter', a.dataFormat, x, dy);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const viaSimd = conv2DBackpropFilterSimd(backend, x, dy, info);
  if (viaSimd !== null) return viaSimd;
  const [kh, kw, ci, co] = a.filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = kh * kw * ci;
  if (k < co) {
    // Few taps (first layer, CI=1): XNNPACK re-packs the right operand on every call, so make
    // the small patch matrix the right operand: dW^T[CO, K] = dy^T[CO, rows] · im2col(x).
    // The stock Transpose kernel beats a blocked JS transpose here (measured ~1.4-3x).
    const dyT = runKernel('Transpose', backend, { x: view(dy, [rows, co]) }, { perm: [1, 0] });
    const patches = backend.makeOutput([1, rows, k], 'float32');
    im2col(heapF32(backend, x), heapF32(backend, patches), info);
    const prod = runKernel(
      'BatchMatMul',
      backend,
      { a: view(dyT, [1, co, rows]), b: patches },
      {
        transposeA: false,
        transposeB: false,
      },
    );
    release(backend, dyT);
    release(backend, patches);
    const out = runKernel('Transpose', backend, { x: view(prod, [co, k]) }, { perm: [1, 0] });
    release(backend, prod);
    return view(out, [...a.filterShape]);
  }
  const patchesT = backend.makeOutput([1, k, rows], 'float32');
  im2colT(heapF32(backend, x), heapF32(backend, patchesT), info);
  const dw = runKernel(
    'BatchMatMul',
    backend,
    { a: patchesT, b: view(dy, [1, rows, co]) },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  release(backend, patchesT);
  return view(dw, [...a.filterShape]);
}

/**
 * Conv2DBackpropInput as a plain forward conv (XNNPACK) of dy with the spatially flipped,
 * in/out-swapped filter. Strides > 1 first zero-stuff dy, which turns the strided transpose
 * conv into a stride-1 conv. Falls back to the stock kernel for layouts this does not cover.
 */
function conv2DBackpropInput({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = kernelInputs('Conv2DBackpropInput', inputs, ['dy', 'filter']);
  const a = kernelAttrs<tf.Conv2DBackpropInputAttrs>(attrs);
  // The stock kernel handles NCHW (slowly); everything here is NHWC.
  if (a.dataFormat === 'NCHW') return runKernel('Conv2DBackpropInput', backend, inputs, attrs);
  assertNhwcFloat('Conv2DBackpropInput', a.dataFormat, dy, filter);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const plan = transposedConvPlan(info);
  // Explicit over-padding: the transposed conv would need cropping; leave it to the stock kernel.
  if (plan === null) return runKernel('Conv2DBackpropInput', backend, inputs, attrs);
  const { batchSize: n, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw, inChannels: ci, outChannels: co } = info;
  const { stuffedH, stuffedW, strided } = plan;
  const flipped = backend.makeOutput([kh, kw, co, ci], 'float32');
  const stuffed = strided ? backend.makeOutput([n, stuffedH, stuffedW, co], 'float32') : dy;
  // Views after the last allocation (makeOutput above): growing the heap detaches views.
  flipFilter(heapF32(backend, filter), heapF32(backend, flipped), { kh, kw, ci, co });
  if (strided) {
    const geometry = { n, outHeight, outWidth, stuffedH, stuffedW, sh, sw, co };
    zeroStuff(heapF32(backend, dy), heapF32(backend, stuffed), geometry);
  }
  const dx = runKernel(
    'Conv2D',
    backend,
    { x: stuffed, filter: flipped },
    {
      strides: [1, 1],
      pad: nhwcPad(plan.padTop, plan.padBottom, plan.padLeft, plan.padRight),
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  release(backend, flipped);
  if (strided) release(backend, stuffed);
  return dx;
}

/** Kernel configs for the dense-conv gradients. */
export const conv2dBackpropConfigs: tf.KernelConfig[] = [
  wasmKernel('Conv2DBackpropFilter', conv2DBackpropFilter),
  wasmKernel('Conv2DBackpropInput', conv2DBackpropInput),
];
