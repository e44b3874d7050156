import type * as tf from '@tensorflow/tfjs';

/** The Conv2DInfo fields the NHWC gradient loops index with, under the short names they use. */
export interface ConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  /** Input channels. */
  ci: number;
  /** Output channels (ci · multiplier for depthwise). */
  co: number;
  outHeight: number;
  outWidth: number;
  /** Filter height and width. */
  fh: number;
  fw: number;
  /** Strides. */
  sh: number;
  sw: number;
  /** Dilations. */
  dh: number;
  dw: number;
  /** Forward padding before the first row and column. */
  pt: number;
  pl: number;
}

/** Flattens `info` into {@link ConvGeometry}. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batchSize: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    ci: info.inChannels,
    co: info.outChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

/**
 * How dx of a stride-s conv comes out as a stride-1 forward conv of dy: dy zero-stuffed to
 * stuffedH x stuffedW, then padded by (top, bottom, left, right).
 */
export interface TransposedConvPlan {
  stuffedH: number;
  stuffedW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  /** Whether dy needs zero-stuffing at all (a stride > 1). */
  strided: boolean;
}

/**
 * The zero-stuff and padding plan for computing dx as a forward conv, or null when the implied
 * padding is negative (explicit over-padding would need cropping).
 */
export function transposedConvPlan(info: tf.backend_util.Conv2DInfo): TransposedConvPlan | null {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const stuffedH = (outHeight - 1) * sh + 1;
  const stuffedW = (outWidth - 1) * sw + 1;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const padBottom = inHeight + kh - 1 - padTop - stuffedH;
  const padRight = inWidth + kw - 1 - padLeft - stuffedW;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) return null;
  const strided = sh > 1 || sw > 1;
  return { stuffedH, stuffedW, padTop, padBottom, padLeft, padRight, strided };
}

/** The explicit NHWC `pad` attribute for a conv padded by (top, bottom, left, right). */
export function nhwcPad(
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** f[kh', kw', co, ci] = w[KH-1-kh', KW-1-kw', ci, co]: the spatially flipped, in/out-swapped filter. */
export function flipFilter(
  w: Float32Array,
  f: Float32Array,
  k: { kh: number; kw: number; ci: number; co: number },
): void {
  const { kh, kw, ci, co } = k;
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      const src = ((kh - 1 - y) * kw + (kw - 1 - x)) * ci * co;
      const dst = (y * kw + x) * co * ci;
      for (let c = 0; c < ci; c++) {
        for (let o = 0; o < co; o++) f[dst + o * ci + c] = w[src + c * co + o]!;
      }
    }
  }
}

/** dy spread onto a zero grid with (stride - 1) zeros between its pixels. */
export function zeroStuff(
  d: Float32Array,
  s: Float32Array,
  g: {
    n: number;
    outHeight: number;
    outWidth: number;
    stuffedH: number;
    stuffedW: number;
    sh: number;
    sw: number;
    co: number;
  },
): void {
  const { n, outHeight, outWidth, stuffedH, stuffedW, sh, sw, co } = g;
  s.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const src = ((b * outHeight + y) * outWidth + x) * co;
        const dst = ((b * stuffedH + y * sh) * stuffedW + x * sw) * co;
        s.set(d.subarray(src, src + co), dst);
      }
    }
  }
}

/**
 * Calls `tap(xo, gb, wo)` for every (batch, output pixel, filter tap) whose input pixel lies in
 * the image, in (b, oh, ow, kh, kw) order: xo, gb and wo are the offsets of that input pixel's
 * channels in x, of the output pixel's channels in dy, and of the tap's channels in the filter.
 * One closure per kernel call, nothing allocated per tap.
 */
export function forEachConvTap(
  g: ConvGeometry,
  tap: (xo: number, gb: number, wo: number) => void,
): void {
  const { batchSize, inHeight, inWidth, ci, co, outHeight, outWidth, fh, fw } = g;
  const { sh, sw, dh, dw, pt, pl } = g;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * ci;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const gb = ((b * outHeight + oh) * outWidth + ow) * co;
        for (let kh = 0; kh < fh; kh++) {
          const ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < fw; kw++) {
            const iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= inWidth) continue;
            tap(xb + (ih * inWidth + iw) * ci, gb, (kh * fw + kw) * co);
          }
        }
      }
    }
  }
}
