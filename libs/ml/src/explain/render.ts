/**
 * Turning explanation maps into pictures: heatmap overlays, channel grids of a layer's
 * activations, LIME superpixel pictures, and PNG/WebP encoding (with an optional caption) through sharp. Pure pixel math on
 * typed arrays except {@link encodeImage}; no TensorFlow.js here.
 */
import sharp, { type Sharp } from 'sharp';
import { applyColormap, valueRange, type ColormapName } from '@convscope/colormap';

/** Options of {@link resizeBilinear}. */
export interface ResizeBilinearOptions {
  /** One-channel map, `[height, width]` row-major. */
  values: ArrayLike<number>;
  /** Width of `values`. */
  width: number;
  /** Height of `values`. */
  height: number;
  /** Width of the result. */
  toWidth: number;
  /** Height of the result. */
  toHeight: number;
}

/**
 * Bilinear resize of a one-channel map with half-pixel centres (what PIL, OpenCV and
 * tf.image.resizeBilinear(halfPixelCenters) do): output pixel x samples input coordinate
 * (x + 0.5) * width / toWidth - 0.5, clamped to the edges.
 * @returns `[toHeight, toWidth]` values
 */
export function resizeBilinear(options: ResizeBilinearOptions): Float32Array {
  const { values, width, height, toWidth, toHeight } = options;
  checkSize(values.length, width * height, 'values');
  const out = new Float32Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < toWidth; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const top = values[y0 * width + x0]! * (1 - wx) + values[y0 * width + x1]! * wx;
      const bottom = values[y1 * width + x0]! * (1 - wx) + values[y1 * width + x1]! * wx;
      out[y * toWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Options of {@link overlayHeatmap}. */
export interface OverlayHeatmapOptions {
  /** The image, bytes `[height, width, channels]`. */
  image: Uint8Array;
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Image channels: 1 (grayscale, drawn as grey RGB) or 3 (RGB). */
  channels: 1 | 3;
  /** The map, `[heatmapHeight, heatmapWidth]`; bilinear-resized to the image when smaller. */
  heatmap: ArrayLike<number>;
  /** Heatmap width. Default: `width`. */
  heatmapWidth?: number;
  /** Heatmap height. Default: `height`. */
  heatmapHeight?: number;
  /** Weight of the heatmap colour, in [0, 1]: out = (1 - alpha) * image + alpha * colour. Default 0.4. */
  alpha?: number;
  /** Colormap. Default 'jet' (the colours of the Grad-CAM paper and Chollet's study). */
  colormap?: ColormapName;
  /**
   * Heatmap values mapped to the two ends of the colormap. Default: the heatmap's min and max
   * (symmetric around 0 for 'rdbu_r').
   */
  range?: [number, number];
}

/**
 * Blend a colour-mapped heatmap over an image: each channel is
 * round((1 - alpha) * image + alpha * colour).
 * @returns RGB bytes `[height, width, 3]`
 */
export function overlayHeatmap(options: OverlayHeatmapOptions): Uint8Array {
  const { image, width, height, channels } = options;
  const hw = options.heatmapWidth ?? width;
  const hh = options.heatmapHeight ?? height;
  const alpha = options.alpha ?? 0.4;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`alpha must be in [0, 1], got ${alpha}`);
  checkSize(image.length, width * height * channels, 'image');
  checkSize(options.heatmap.length, hw * hh, 'heatmap');
  const colormap = options.colormap ?? 'jet';
  // Range of the map as given, so resizing (which only interpolates) cannot shift the colours.
  const range = options.range ?? valueRange(options.heatmap, colormap === 'rdbu_r');
  const map =
    hw === width && hh === height
      ? options.heatmap
      : resizeBilinear({
          values: options.heatmap,
          width: hw,
          height: hh,
          toWidth: width,
          toHeight: height,
        });
  const colours = applyColormap({ values: map, colormap, range });
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = image[p * channels + (channels === 3 ? c : 0)]!;
      out[p * 3 + c] = Math.round((1 - alpha) * v + alpha * colours[p * 3 + c]!);
    }
  }
  return out;
}

/** Options of {@link channelGrid}. */
export interface ChannelGridOptions {
  /** A layer's activations for one image, `[h, w, channels]` (channels last, as TF.js gives). */
  activations: ArrayLike<number>;
  /** `[h, w, channels]` of `activations`. */
  shape: [number, number, number];
  /** Channels to draw, in order. Default: all. */
  channels?: number[];
  /** Tiles per row. Default: ceil(sqrt(number of tiles)), a near-square grid. */
  columns?: number;
  /** Pixels between tiles and around the grid. Default 1. */
  padding?: number;
  /** Byte value of the padding (every channel). Default 255 (white). */
  background?: number;
  /** Colour the tiles with a colormap (RGB result); default: grayscale (one channel). */
  colormap?: ColormapName;
  /** Layer name for the caption. */
  layerName?: string;
}

/** A tiled picture of a layer's channels. */
export interface ChannelGrid {
  /** Bytes `[height, width, channels]`. */
  pixels: Uint8Array;
  /** Grid width in pixels: columns * (w + padding) + padding. */
  width: number;
  /** Grid height in pixels: rows * (h + padding) + padding. */
  height: number;
  /** 1 (grayscale) or 3 (with a colormap). */
  channels: 1 | 3;
  /** Tiles per row. */
  columns: number;
  /** Rows of tiles. */
  rows: number;
  /** Top-left `[x, y]` of tile i (the i-th drawn channel). */
  positions: Array<[number, number]>;
  /** The drawn channel of each tile. */
  tileChannels: number[];
  /** E.g. "conv2d_1: 26 × 26 × 32 (32 channels shown)". */
  caption: string;
}

/**
 * Tile a layer's activations into a near-square grid, one tile per channel, each channel
 * min-max normalised to [0, 255] on its own (a constant channel is drawn black), so weak and
 * strong channels are both visible.
 */
export function channelGrid(options: ChannelGridOptions): ChannelGrid {
  const { activations, shape } = options;
  const [h, w, c] = shape;
  checkSize(activations.length, h * w * c, 'activations');
  const tileChannels = options.channels ?? Array.from({ length: c }, (_, i) => i);
  for (const k of tileChannels) {
    if (!Number.isInteger(k) || k < 0 || k >= c)
      throw new Error(`channel ${k} is not in [0, ${c})`);
  }
  const n = tileChannels.length;
  const columns = options.columns ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / columns));
  const pad = options.padding ?? 1;
  const width = columns * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const outChannels: 1 | 3 = options.colormap ? 3 : 1;
  const pixels = new Uint8Array(width * height * outChannels).fill(options.background ?? 255);
  const positions: Array<[number, number]> = [];
  const tile = new Float32Array(h * w);
  tileChannels.forEach((k, i) => {
    const x0 = pad + (i % columns) * (w + pad);
    const y0 = pad + Math.floor(i / columns) * (h + pad);
    positions.push([x0, y0]);
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = activations[p * c + k]!;
      tile[p] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo;
    const bytes = new Uint8Array(h * w);
    for (let p = 0; p < h * w; p++)
      bytes[p] = span > 0 ? Math.round((255 * (tile[p]! - lo)) / span) : 0;
    const colours = options.colormap
      ? applyColormap({ values: bytes, colormap: options.colormap, range: [0, 255] })
      : bytes;
    for (let y = 0; y < h; y++) {
      const row = ((y0 + y) * width + x0) * outChannels;
      pixels.set(colours.subarray(y * w * outChannels, (y + 1) * w * outChannels), row);
    }
  });
  const name = options.layerName ? `${options.layerName}: ` : '';
  const caption = `${name}${h} × ${w} × ${c} (${n} channel${n === 1 ? '' : 's'} shown)`;
  return {
    pixels,
    width,
    height,
    channels: outChannels,
    columns,
    rows,
    positions,
    tileChannels,
    caption,
  };
}

/** One of the superpixels a LIME picture highlights. */
export interface LimeTopSegment {
  /** 1 = the largest positive weight. */
  rank: number;
  segment: number;
  weight: number;
}

/** Options of {@link limeImage}. */
export interface LimeImageOptions {
  /** The image, bytes `[height, width, channels]`. */
  image: Uint8Array;
  width: number;
  height: number;
  /** 1 (grayscale, drawn as grey RGB) or 3 (RGB). */
  channels: 1 | 3;
  /** Superpixel per pixel, `[height, width]`. */
  labels: ArrayLike<number>;
  /** LIME weight per superpixel. */
  coefficients: ArrayLike<number>;
  /** Superpixels highlighted: the largest positive weights (default 5). */
  top?: number;
  /** Integer nearest-neighbour upscaling; lines are drawn at this resolution (default 1). */
  scale?: number;
  /** Draw every superpixel boundary, one output pixel wide, blended 50 % white (default false). */
  boundaries?: boolean;
  /** How much the other superpixels fade toward grey 128, in [0, 1] (default 0.6). */
  dim?: number;
  /** Outline width of a highlighted superpixel in output pixels (default 1, 2 from scale 6). */
  outline?: number;
}

/** A drawn LIME picture. */
export interface LimeImage {
  /** RGB bytes `[height, width, 3]` at the output scale. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The highlighted superpixels, strongest first. */
  top: LimeTopSegment[];
}

/** Outline colour of a highlighted superpixel (the dashboard's LIME view uses the same). */
export const LIME_OUTLINE: readonly [number, number, number] = [0, 200, 90];

/**
 * A LIME explanation as a picture: the `top` superpixels with the largest positive weights at
 * full strength with an inner outline, the rest faded toward grey, and optionally every
 * superpixel boundary as a line one output pixel wide (on the pixel left of / above a label
 * change), so the segmentation never hides the image (skimage's mark_boundaries draws whole
 * image pixels, which at 28 px dominate the picture).
 */
export function limeImage(options: LimeImageOptions): LimeImage {
  const { image, width, height, channels, labels } = options;
  checkSize(image.length, width * height * channels, 'image');
  checkSize(labels.length, width * height, 'labels');
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`scale must be an integer >= 1, got ${scale}`);
  const dim = options.dim ?? 0.6;
  const outline = options.outline ?? (scale >= 6 ? 2 : 1);
  const top = limeTop(options.coefficients, options.top ?? 5);
  const highlighted = new Set(top.map((t) => t.segment));
  const W = width * scale;
  const H = height * scale;
  const at = (X: number, Y: number) =>
    X < 0 || Y < 0 || X >= W || Y >= H
      ? -1
      : labels[Math.floor(Y / scale) * width + Math.floor(X / scale)]!;
  const pixels = new Uint8Array(W * H * 3);
  for (let Y = 0; Y < H; Y++)
    for (let X = 0; X < W; X++) {
      const label = at(X, Y);
      const src = Math.floor(Y / scale) * width + Math.floor(X / scale);
      const on = highlighted.has(label);
      const edge = on && nearOther(at, X, Y, label, outline);
      const boundary =
        options.boundaries === true &&
        ((X + 1 < W && at(X + 1, Y) !== label) || (Y + 1 < H && at(X, Y + 1) !== label));
      for (let c = 0; c < 3; c++) {
        const v = image[src * channels + (channels === 3 ? c : 0)]!;
        let out = edge ? LIME_OUTLINE[c]! : on ? v : (1 - dim) * v + dim * 128;
        if (boundary && !edge) out = 0.5 * out + 0.5 * 255;
        pixels[(Y * W + X) * 3 + c] = Math.round(out);
      }
    }
  return { pixels, width: W, height: H, top };
}

/** The `k` superpixels with the largest positive weights, ties in segment order. */
function limeTop(coefficients: ArrayLike<number>, k: number): LimeTopSegment[] {
  return Array.from(coefficients, (weight, segment) => ({ segment, weight }))
    .filter((s) => Number.isFinite(s.weight) && s.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.segment - b.segment)
    .slice(0, k)
    .map((s, i) => ({ rank: i + 1, ...s }));
}

/** True when a pixel within `d` steps (Manhattan) has another label or is outside. */
function nearOther(
  at: (X: number, Y: number) => number,
  X: number,
  Y: number,
  label: number,
  d: number,
): boolean {
  for (let dy = -d; dy <= d; dy++)
    for (let dx = -d; dx <= d; dx++) {
      if (Math.abs(dx) + Math.abs(dy) > d || (dx === 0 && dy === 0)) continue;
      if (at(X + dx, Y + dy) !== label) return true;
    }
  return false;
}

/** Options of {@link encodeImage}. */
export interface EncodeImageOptions {
  /** Bytes `[height, width, channels]`. */
  pixels: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 (grayscale), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
  /** 'png' (lossless, the default) or 'webp' (lossless too unless `quality` is set). */
  format?: 'png' | 'webp';
  /** WebP quality 1-100, lossy; default lossless. */
  quality?: number;
  /** Integer nearest-neighbour upscaling, so 28-pixel images stay crisp. Default 1. */
  scale?: number;
  /**
   * Text drawn in a strip under the image (SVG text rendered by sharp with the system's fonts,
   * nothing downloaded). The result is then RGB (or RGBA).
   */
  caption?: string;
  /** Caption font size in pixels. Default 12. */
  fontSize?: number;
}

/** Encode raw pixels as PNG or WebP, optionally upscaled and captioned. */
export async function encodeImage(options: EncodeImageOptions): Promise<Buffer> {
  const { pixels, width, height, channels } = options;
  checkSize(pixels.length, width * height * channels, 'pixels');
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`scale must be an integer >= 1, got ${scale}`);
  let image = sharp(pixels, { raw: { width, height, channels } });
  const w = width * scale;
  const h = height * scale;
  if (scale > 1) {
    image = await materialise(image.resize(w, h, { kernel: 'nearest' }));
  }
  if (options.caption !== undefined) {
    const fontSize = options.fontSize ?? 12;
    const strip = Math.ceil(fontSize * 1.6);
    // Rough advance of a sans-serif glyph; widens the canvas so long captions are not cut.
    const textWidth = Math.ceil(options.caption.length * fontSize * 0.62) + 8;
    const canvasWidth = Math.max(w, textWidth);
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidth}" height="${strip}">` +
      `<text x="4" y="${Math.round(strip * 0.72)}" font-family="DejaVu Sans, Liberation Sans, sans-serif" ` +
      `font-size="${fontSize}" fill="#000">${escapeXml(options.caption)}</text></svg>`;
    const bg = { r: 255, g: 255, b: 255, alpha: 1 };
    const base = image.extend({ bottom: strip, right: canvasWidth - w, background: bg });
    image = (await materialise(base)).composite([{ input: Buffer.from(svg), left: 0, top: h }]);
  } else if (channels === 1) {
    // Grayscale stays a one-channel file (sharp would otherwise write sRGB).
    image = image.toColourspace('b-w');
  }
  if ((options.format ?? 'png') === 'webp') {
    return options.quality === undefined
      ? image.webp({ lossless: true }).toBuffer()
      : image.webp({ quality: options.quality }).toBuffer();
  }
  return image.png().toBuffer();
}

/**
 * Run a pipeline to raw pixels and start a new one from them: sharp applies resize after
 * composite within one pipeline, and writes grayscale as sRGB, so the channel count is read back.
 */
async function materialise(image: Sharp): Promise<Sharp> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  return sharp(data, { raw: { width: info.width, height: info.height, channels } });
}

/** Escape text for an SVG text node. */
function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function checkSize(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what} has ${actual} values, expected ${expected} from its shape`);
  }
}
