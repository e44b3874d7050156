import sharp from 'sharp';
import { createRng } from '../util/rng';
import type { ImageSplit } from './dataset';
import { isImageSource, type ImageSource } from './image-source';
import type { AugmentationConfig, FillMode, ShiftRange } from '@convscope/schemas';

// The config's shape and checks live in @convscope/schemas (one source for the CLI and the API).
export type { AugmentationConfig, FillMode, ShiftRange } from '@convscope/schemas';

/** One image's transform, as drawn by {@link randomTransform}. */
export interface AffineParams {
  /** Degrees; positive turns the content counter-clockwise as displayed (y axis pointing down). */
  rotation: number;
  /**
   * Shifts in pixels, Keras's convention: the output at x samples the input at x + shiftX, so
   * content moves left by shiftX pixels (and up by shiftY).
   */
  shiftX: number;
  shiftY: number;
  /** Shear angle in degrees. */
  shear: number;
  /** Zoom factors (input pixels per output pixel); > 1 zooms out. */
  zoomX: number;
  zoomY: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

/** The transform that changes nothing. */
export const IDENTITY_TRANSFORM: Readonly<AffineParams> = Object.freeze({
  rotation: 0,
  shiftX: 0,
  shiftY: 0,
  shear: 0,
  zoomX: 1,
  zoomY: 1,
  flipHorizontal: false,
  flipVertical: false,
});

/** Sampling options of {@link applyTransform}. */
export interface SamplingOptions {
  /** Default 'nearest'. */
  fillMode?: FillMode;
  /** Value outside the input for 'constant' (default 0). */
  cval?: number;
  /** Default 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
  /** Multiplier of the output values (default 1 here: values stay in input units). */
  rescale?: number;
}

/**
 * Draws one image's transform, in Keras's order (rotation, height shift, width shift, shear,
 * zoom, horizontal flip, vertical flip); a range that is not set draws nothing.
 * @param shape `[height, width, channels]`, for fractional shifts
 * @param rng uniform floats in [0, 1)
 */
export function randomTransform(
  config: AugmentationConfig,
  shape: readonly [number, number, number],
  rng: () => number,
): AffineParams {
  const [h, w] = shape;
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const p: AffineParams = { ...IDENTITY_TRANSFORM };
  if (config.rotationRange) p.rotation = uniform(-config.rotationRange, config.rotationRange);
  if (config.heightShiftRange) p.shiftY = drawShift(config.heightShiftRange, h, rng);
  if (config.widthShiftRange) p.shiftX = drawShift(config.widthShiftRange, w, rng);
  if (config.shearRange) p.shear = uniform(-config.shearRange, config.shearRange);
  if (config.zoomRange !== undefined) {
    const [lo, hi] =
      typeof config.zoomRange === 'number'
        ? [1 - config.zoomRange, 1 + config.zoomRange]
        : config.zoomRange;
    if (!(lo > 0 && hi >= lo)) throw new RangeError(`zoom range must satisfy 0 < lo <= hi, got [${lo}, ${hi}]`);
    if (lo !== 1 || hi !== 1) {
      p.zoomX = uniform(lo, hi);
      p.zoomY = uniform(lo, hi);
    }
  }
  if (config.horizontalFlip) p.flipHorizontal = rng() < 0.5;
  if (config.verticalFlip) p.flipVertical = rng() < 0.5;
  return p;
}

function drawShift(range: ShiftRange, size: number, rng: () => number): number {
  let s: number;
  let max: number;
  if (typeof range === 'number') {
    s = (2 * rng() - 1) * range;
    max = Math.abs(range);
  } else {
    if (range.length === 0) return 0;
    s = range[Math.min(range.length - 1, Math.floor(rng() * range.length))]!; // non-empty, index clamped
    s *= rng() < 0.5 ? -1 : 1;
    max = Math.max(...range.map(Math.abs));
  }
  return max < 1 ? s * size : s;
}

/**
 * Applies one transform to one image by inverse mapping: every output pixel samples the input at
 * `M · (its centred coordinates)`, `M` composed like Keras's `apply_affine_transform`
 * (rotation · shift · shear · zoom) about the centre `((w-1)/2, (h-1)/2)`, then flips.
 * Flips, multiples of 90° on square images and whole-pixel shifts map pixels onto pixels exactly.
 * @param image one image `[height, width, channels]`
 * @param out where to write (`[height, width, channels]` floats at `outOffset`; default a new array)
 * @returns `out`
 */
export function applyTransform(
  image: ArrayLike<number>,
  shape: readonly [number, number, number],
  params: AffineParams,
  options: SamplingOptions = {},
  out: Float32Array = new Float32Array(shape[0] * shape[1] * shape[2]),
  outOffset = 0,
): Float32Array {
  const rescale = options.rescale ?? 1;
  const affine =
    params.rotation !== 0 ||
    params.shiftX !== 0 ||
    params.shiftY !== 0 ||
    params.shear !== 0 ||
    params.zoomX !== 1 ||
    params.zoomY !== 1;
  if (!affine) {
    flipOnly(image, shape, params, rescale, out, outOffset);
    return out;
  }
  sampleAffine(image, shape, params, affineMatrix(params), {
    fillMode: options.fillMode ?? 'nearest',
    cval: options.cval ?? 0,
    bilinear: (options.interpolation ?? 'bilinear') === 'bilinear',
    rescale,
    out,
    outOffset,
  });
  return out;
}

/** Flips alone: an index permutation. */
function flipOnly(
  image: ArrayLike<number>,
  shape: readonly [number, number, number],
  params: AffineParams,
  rescale: number,
  out: Float32Array,
  outOffset: number,
): void {
  const [h, w, c] = shape;
  const rowStride = w * c;
  for (let y = 0; y < h; y++) {
    const sy = params.flipVertical ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const sx = params.flipHorizontal ? w - 1 - x : x;
      const src = sy * rowStride + sx * c;
      const dst = outOffset + y * rowStride + x * c;
      // src indexes a pixel of the h x w x c image: in bounds.
      for (let ch = 0; ch < c; ch++) out[dst + ch] = image[src + ch]! * rescale;
    }
  }
}

/** The 2x3 matrix `M` of {@link applyTransform}, before centring. */
interface AffineMatrix {
  m00: number;
  m01: number;
  m10: number;
  m11: number;
  b0: number;
  b1: number;
}

/** M = R · T · Sh · Z on (x, y, 1), as in Keras. */
function affineMatrix(params: AffineParams): AffineMatrix {
  const th = (params.rotation * Math.PI) / 180;
  const sh = (params.shear * Math.PI) / 180;
  const [cr, sr] = [snap(Math.cos(th)), snap(Math.sin(th))];
  const [csh, ssh] = [snap(Math.cos(sh)), snap(Math.sin(sh))];
  const { shiftX: tx, shiftY: ty, zoomX: zx, zoomY: zy } = params;
  // R·T: [[cr, -sr, cr*tx - sr*ty], [sr, cr, sr*tx + cr*ty]]
  // (R·T)·Sh with Sh = [[1, -ssh], [0, csh]], then ·Z scales the columns by zx, zy.
  return {
    m00: cr * zx,
    m01: (-cr * ssh - sr * csh) * zy,
    m10: sr * zx,
    m11: (-sr * ssh + cr * csh) * zy,
    b0: cr * tx - sr * ty,
    b1: sr * tx + cr * ty,
  };
}

/** Resolved sampling settings and destination of {@link sampleAffine}. */
interface SampleTarget {
  fillMode: FillMode;
  cval: number;
  bilinear: boolean;
  rescale: number;
  out: Float32Array;
  outOffset: number;
}

/** Inverse mapping: every output pixel samples the input at `M · (its centred coordinates)`. */
function sampleAffine(
  image: ArrayLike<number>,
  shape: readonly [number, number, number],
  params: AffineParams,
  matrix: AffineMatrix,
  target: SampleTarget,
): void {
  const [h, w, c] = shape;
  const { m00, m01, m10, m11, b0, b1 } = matrix;
  const { cval, bilinear, rescale, out, outOffset } = target;
  const rowStride = w * c;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const mapX = makeIndexMap(target.fillMode, w);
  const mapY = makeIndexMap(target.fillMode, h);
  for (let y = 0; y < h; y++) {
    const ya = (params.flipVertical ? h - 1 - y : y) - cy;
    for (let x = 0; x < w; x++) {
      const xa = (params.flipHorizontal ? w - 1 - x : x) - cx;
      const sx = snapCoord(m00 * xa + m01 * ya + b0 + cx);
      const sy = snapCoord(m10 * xa + m11 * ya + b1 + cy);
      const dst = outOffset + y * rowStride + x * c;
      if (!bilinear) {
        const ix = mapX(Math.round(sx));
        const iy = mapY(Math.round(sy));
        for (let ch = 0; ch < c; ch++) {
          out[dst + ch] = (ix < 0 || iy < 0 ? cval : image[iy * rowStride + ix * c + ch]!) * rescale;
        }
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // Offsets of the four taps (-1: outside, use cval); zero weights are skipped, so a
      // whole-pixel position reads exactly one input pixel.
      const ix0 = mapX(x0);
      const iy0 = mapY(y0);
      const ix1 = fx > 0 ? mapX(x0 + 1) : ix0;
      const iy1 = fy > 0 ? mapY(y0 + 1) : iy0;
      const o00 = ix0 < 0 || iy0 < 0 ? -1 : iy0 * rowStride + ix0 * c;
      const o01 = ix1 < 0 || iy0 < 0 ? -1 : iy0 * rowStride + ix1 * c;
      const o10 = ix0 < 0 || iy1 < 0 ? -1 : iy1 * rowStride + ix0 * c;
      const o11 = ix1 < 0 || iy1 < 0 ? -1 : iy1 * rowStride + ix1 * c;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      for (let ch = 0; ch < c; ch++) {
        // mapX/mapY give in-image coordinates (or -1): every tap offset is in bounds.
        let v = w00 * (o00 < 0 ? cval : image[o00 + ch]!);
        if (w01 > 0) v += w01 * (o01 < 0 ? cval : image[o01 + ch]!);
        if (w10 > 0) v += w10 * (o10 < 0 ? cval : image[o10 + ch]!);
        if (w11 > 0) v += w11 * (o11 < 0 ? cval : image[o11 + ch]!);
        out[dst + ch] = v * rescale;
      }
    }
  }
}

// cos(90°) is 6e-17 in floating point; snapping keeps right-angle rotations exact.
function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-12 ? r : v;
}

function snapCoord(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-6 ? r : v;
}

/** Maps an integer coordinate to an index in [0, n), or -1 for "use cval". */
function makeIndexMap(mode: FillMode, n: number): (k: number) => number {
  switch (mode) {
    case 'nearest':
      return (k) => (k < 0 ? 0 : k >= n ? n - 1 : k);
    case 'constant':
      return (k) => (k < 0 || k >= n ? -1 : k);
    case 'reflect':
      return (k) => {
        const m = ((k % (2 * n)) + 2 * n) % (2 * n);
        return m < n ? m : 2 * n - 1 - m;
      };
    case 'wrap':
      return (k) => ((k % n) + n) % n;
    default:
      throw new RangeError(`unknown fill mode "${String(mode)}"`);
  }
}

/** A seeded augmenter: each call draws new transforms from one random stream. */
export interface Augmenter {
  /**
   * Augments a batch of byte images `[count, h, w, c]` into floats (rescaled), the same layout.
   * @param out where to write (default a new array of `count * h * w * c`)
   */
  augment(images: Uint8Array, count: number, out?: Float32Array): Float32Array;
  /** The transform drawn for each image of the last call. */
  readonly lastTransforms: readonly AffineParams[];
}

/** Options of {@link createAugmenter}. */
export interface AugmenterOptions {
  config: AugmentationConfig;
  /** `[height, width, channels]` of the images. */
  shape: readonly [number, number, number];
  /** Seed used when `config.seed` is not set (default 42). */
  seed?: number;
}

/**
 * Creates a seeded augmenter: the same seed and the same sequence of calls give the same output.
 */
export function createAugmenter(options: AugmenterOptions): Augmenter {
  const { config, shape } = options;
  const rng = createRng(config.seed ?? options.seed ?? 42);
  const pixels = shape[0] * shape[1] * shape[2];
  const sampling: SamplingOptions = {
    fillMode: config.fillMode,
    cval: config.cval,
    interpolation: config.interpolation,
    rescale: config.rescale ?? 1 / 255,
  };
  let last: AffineParams[] = [];
  return {
    get lastTransforms() {
      return last;
    },
    augment(images, count, out = new Float32Array(count * pixels)) {
      last = [];
      for (let i = 0; i < count; i++) {
        const t = randomTransform(config, shape, rng);
        last.push(t);
        applyTransform(images.subarray(i * pixels, (i + 1) * pixels), shape, t, sampling, out, i * pixels);
      }
      return out;
    },
  };
}

/** Options of {@link renderAugmentationGrid}. */
export interface AugmentationGridOptions {
  /** Images to augment: a source or an in-memory split, bytes `[count, h, w, c]`. */
  images: ImageSource | ImageSplit;
  /** `[height, width, channels]` of the images; channels 1 or 3. */
  shape: [number, number, number];
  config: AugmentationConfig;
  /** Number of augmented samples drawn (default 16). */
  samples?: number;
  /** Which images are augmented, used in turn (default the first `samples` images). */
  indices?: number[];
  /** Grid columns (default ceil(sqrt(samples))). */
  columns?: number;
  /** Integer upscale of every cell, nearest-neighbour, for small images (default 1). */
  scale?: number;
  /** Pixels between cells (default 2). */
  gap?: number;
  /** Seed of the draws (default: `config.seed`, else 42). */
  seed?: number;
}

/**
 * Renders a grid of augmented samples into one PNG (row-major cells, light grey gaps), so a run
 * can store what its augmentation does as an artifact.
 */
export async function renderAugmentationGrid(options: AugmentationGridOptions): Promise<Buffer> {
  const { shape, images } = options;
  const [h, w, c] = shape;
  const pixels = h * w * c;
  const count = isImageSource(images) ? images.count : images.count;
  if (count === 0) throw new Error('no images to render');
  const samples = options.samples ?? 16;
  const indices =
    options.indices ?? Array.from({ length: Math.min(samples, count) }, (_, i) => i);
  if (indices.length === 0) throw new RangeError('no images to draw the augmentation grid from');
  const chosen = Array.from({ length: samples }, (_, i) => indices[i % indices.length]!);
  let bytes: Uint8Array;
  if (isImageSource(images)) {
    const batch = await images.readBatch(chosen);
    if (batch.count !== samples) throw new Error(`${samples - batch.count} images could not be read`);
    bytes = batch.images;
  } else {
    bytes = new Uint8Array(samples * pixels);
    chosen.forEach((src, i) => bytes.set(images.images.subarray(src * pixels, (src + 1) * pixels), i * pixels));
  }
  const augmenter = createAugmenter({
    config: { ...options.config, rescale: 1 },
    shape,
    seed: options.seed ?? options.config.seed,
  });
  const floats = augmenter.augment(bytes, samples);

  const scale = Math.max(1, Math.floor(options.scale ?? 1));
  const gap = options.gap ?? 2;
  const columns = Math.max(1, options.columns ?? Math.ceil(Math.sqrt(samples)));
  const rows = Math.ceil(samples / columns);
  const cellW = w * scale;
  const cellH = h * scale;
  const gridW = columns * cellW + (columns + 1) * gap;
  const gridH = rows * cellH + (rows + 1) * gap;
  const grid = new Uint8Array(gridW * gridH * c).fill(224);
  for (let s = 0; s < samples; s++) {
    const ox = gap + (s % columns) * (cellW + gap);
    const oy = gap + Math.floor(s / columns) * (cellH + gap);
    for (let y = 0; y < cellH; y++) {
      const sy = Math.floor(y / scale);
      for (let x = 0; x < cellW; x++) {
        const src = s * pixels + (sy * w + Math.floor(x / scale)) * c;
        const dst = ((oy + y) * gridW + ox + x) * c;
        for (let ch = 0; ch < c; ch++) {
          grid[dst + ch] = Math.min(255, Math.max(0, Math.round(floats[src + ch]!)));
        }
      }
    }
  }
  return sharp(grid, { raw: { width: gridW, height: gridH, channels: c as 1 | 3 } })
    .png()
    .toBuffer();
}
