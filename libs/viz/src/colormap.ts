/**
 * Heatmap colouring in the browser: the pure pixel math of blending a [0, 1] heatmap over an
 * image with an alpha, and of colouring one on its own. The tables are @convscope/colormap's,
 * the same bytes libs/ml writes its PNG heatmaps with.
 */
import { colormapIndex, colormapTable, type ColormapName } from '@convscope/colormap';

/** The sequential colormaps, in the order a colormap picker offers them. */
export const HEATMAP_COLORMAPS: readonly ColormapName[] = ['jet', 'viridis', 'magma'];

/**
 * The colormap a class activation map is first shown in, on the explanations page and the
 * upload page alike (jet: the colours of the Grad-CAM paper).
 */
export const DEFAULT_HEATMAP_COLORMAP: ColormapName = 'jet';

/** Options of {@link blendHeatmap}. */
export interface BlendHeatmapOptions {
  /** The image as RGBA bytes `[height, width, 4]` (what a canvas `getImageData` gives). */
  image: ArrayLike<number>;
  /** The heatmap, one value in [0, 1] per pixel (same size as the image). */
  heatmap: ArrayLike<number>;
  /** Weight of the heatmap colour in [0, 1]: out = (1 - alpha) * image + alpha * colour. */
  alpha: number;
  colormap: ColormapName;
}

/**
 * Blends a colour-mapped heatmap over an image, as libs/ml's overlayHeatmap does on the server:
 * each RGB channel is round((1 - alpha) * image + alpha * colour); alpha of the result 255.
 * @returns RGBA bytes, ready for `new ImageData(...)`
 */
export function blendHeatmap(options: BlendHeatmapOptions): Uint8ClampedArray {
  const { image, heatmap, colormap } = options;
  const n = heatmap.length;
  if (image.length !== n * 4)
    throw new Error(`image has ${image.length} values, expected ${n * 4} (RGBA of the heatmap)`);
  const alpha = Math.min(1, Math.max(0, options.alpha));
  const lut = colormapTable(colormap);
  const out = new Uint8ClampedArray(n * 4);
  // Indices below are in range: image has 4n values (checked above), lut 768.
  for (let p = 0; p < n; p++) {
    const c = colormapIndex(heatmap[p]!) * 3;
    for (let k = 0; k < 3; k++)
      out[p * 4 + k] = Math.round((1 - alpha) * image[p * 4 + k]! + alpha * lut[c + k]!);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * Heatmap values in [0, 1] from the RGBA bytes of a decoded 8-bit grayscale PNG (as the
 * explanation pack stores maps): the red channel / 255.
 */
export function heatmapFromRgba(rgba: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgba.length / 4);
  for (let p = 0; p < out.length; p++) out[p] = rgba[p * 4]! / 255;
  return out;
}

/** Options of {@link colorizeHeatmap}. */
export interface ColorizeHeatmapOptions {
  /** The heatmap, one value in [0, 1] per pixel, row after row. */
  heatmap: ArrayLike<number>;
  colormap: ColormapName;
}

/**
 * A heatmap's colours on their own, as opaque RGBA bytes (ready for `new ImageData(...)`): the
 * colours {@link blendHeatmap} mixes in, so a canvas that blends this with `globalAlpha` shows
 * the same colours as a blended image.
 */
export function colorizeHeatmap(options: ColorizeHeatmapOptions): Uint8ClampedArray<ArrayBuffer> {
  const { heatmap } = options;
  const lut = colormapTable(options.colormap);
  const out = new Uint8ClampedArray(heatmap.length * 4);
  for (let p = 0; p < heatmap.length; p++) {
    const c = colormapIndex(heatmap[p]!) * 3;
    out[p * 4] = lut[c]!;
    out[p * 4 + 1] = lut[c + 1]!;
    out[p * 4 + 2] = lut[c + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}
