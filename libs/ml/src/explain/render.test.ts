import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { colormapColor } from '@convscope/colormap';
import {
  LIME_OUTLINE,
  channelGrid,
  encodeImage,
  limeImage,
  overlayHeatmap,
  resizeBilinear,
} from './render';

describe('resizeBilinear', () => {
  it('uses half-pixel centres and clamps at the edges', () => {
    // 2 -> 4 wide: output x samples (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25.
    const r = resizeBilinear({ values: [0, 8], width: 2, height: 1, toWidth: 4, toHeight: 1 });
    expect(Array.from(r)).toEqual([0, 2, 6, 8]);
    const up = resizeBilinear({
      values: [0, 4, 8, 12],
      width: 2,
      height: 2,
      toWidth: 4,
      toHeight: 4,
    });
    // Row 1 samples y = 0.25: between row 0 (0, 4) and row 1 (8, 12), weight 0.25.
    expect(Array.from(up.subarray(4, 8))).toEqual([2, 3, 5, 6]);
  });
});

describe('overlayHeatmap', () => {
  it('blends (1 - alpha) * image + alpha * colour per channel', () => {
    const image = new Uint8Array([100, 50, 0, 200, 250, 10]); // 2 x 1 RGB
    const out = overlayHeatmap({
      image,
      width: 2,
      height: 1,
      channels: 3,
      heatmap: [0, 1],
      alpha: 0.25,
      colormap: 'jet',
    });
    const c0 = colormapColor('jet', 0); // [0, 0, 127]
    const c1 = colormapColor('jet', 1); // [127, 0, 0]
    expect(Array.from(out)).toEqual([
      Math.round(0.75 * 100 + 0.25 * c0[0]),
      Math.round(0.75 * 50 + 0.25 * c0[1]),
      Math.round(0.75 * 0 + 0.25 * c0[2]),
      Math.round(0.75 * 200 + 0.25 * c1[0]),
      Math.round(0.75 * 250 + 0.25 * c1[1]),
      Math.round(0.75 * 10 + 0.25 * c1[2]),
    ]);
    expect(Array.from(out)).toEqual([75, 38, 32, 182, 188, 8]);
  });

  it('resizes a small heatmap to a grayscale image and keeps the given range', () => {
    const out = overlayHeatmap({
      image: new Uint8Array([10, 20, 30, 40]), // 4 x 1 grey
      width: 4,
      height: 1,
      channels: 1,
      heatmap: [0, 1],
      heatmapWidth: 2,
      heatmapHeight: 1,
      alpha: 0.5,
      colormap: 'viridis',
      range: [0, 1],
    });
    // Resized map: 0, 0.25, 0.75, 1 (see above); pixel 1 is grey 20 blended with viridis(0.25).
    const v = colormapColor('viridis', 0.25);
    expect(Array.from(out.subarray(3, 6))).toEqual(v.map((c) => Math.round(0.5 * 20 + 0.5 * c)));
    expect(out).toHaveLength(12);
  });
});

describe('channelGrid', () => {
  // Activations [h=2, w=3, c=5]: channel k at (y, x) = k * 100 + y * 3 + x.
  const [h, w, c] = [2, 3, 5];
  const acts = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) acts[(y * w + x) * c + k] = k * 100 + y * 3 + x;
  it('tiles channels in a near-square grid with padding, each min-max normalised', () => {
    const g = channelGrid({ activations: acts, shape: [h, w, c], padding: 2, layerName: 'conv1' });
    expect([g.columns, g.rows]).toEqual([3, 2]); // ceil(sqrt(5)) = 3
    expect(g.width).toBe(3 * (w + 2) + 2);
    expect(g.height).toBe(2 * (h + 2) + 2);
    expect(g.channels).toBe(1);
    // Channel 4 is tile 4: column 1, row 1.
    expect(g.positions[4]).toEqual([2 + 1 * (w + 2), 2 + 1 * (h + 2)]);
    const [x0, y0] = g.positions[4]!;
    // Its values 400..405 normalise to round(255 * (v - 400) / 5).
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        expect(g.pixels[(y0 + y) * g.width + x0 + x]).toBe(Math.round((255 * (y * 3 + x)) / 5));
    // Padding and the empty sixth cell keep the background.
    expect(g.pixels[0]).toBe(255);
    expect(g.pixels[(g.positions[4]![1] + 1) * g.width + 2 + 2 * (w + 2)]!).toBe(255);
    expect(g.caption).toBe('conv1: 2 × 3 × 5 (5 channels shown)');
  });

  it('draws a chosen channel subset with a colormap and a constant channel black', () => {
    const flat = new Float32Array(4 * 2).fill(3); // [2, 2, 2], channel 0 constant
    flat[1] = 1; // channel 1 at (0, 0) is the max
    const g = channelGrid({
      activations: flat,
      shape: [2, 2, 2],
      channels: [1, 0],
      colormap: 'magma',
      padding: 0,
    });
    expect(g.tileChannels).toEqual([1, 0]);
    expect(g.channels).toBe(3);
    expect([g.width, g.height]).toEqual([4, 2]);
    // Tile 0 is channel 1: (0,0) = 1 is its minimum -> magma(0); tile 1 (channel 0) is constant -> magma(0).
    expect(Array.from(g.pixels.subarray(0, 3))).toEqual(colormapColor('magma', 0));
    expect(Array.from(g.pixels.subarray(3, 6))).toEqual(colormapColor('magma', 1));
    expect(Array.from(g.pixels.subarray(6, 9))).toEqual(colormapColor('magma', 0));
  });
});

describe('limeImage', () => {
  // 2 x 2 grey image, segments: [0 1] / [2 2]; weights: 1 for, 0 and 2 against or nothing.
  const image = new Uint8Array([100, 200, 50, 250]);
  const labels = [0, 1, 2, 2];
  const base = { image, width: 2, height: 2, channels: 1 as const, labels };
  const at = (r: { pixels: Uint8Array; width: number }, x: number, y: number) =>
    Array.from(r.pixels.subarray((y * r.width + x) * 3, (y * r.width + x) * 3 + 3));

  it('keeps the top positive superpixels whole, outlined, and fades the rest toward grey', () => {
    const r = limeImage({ ...base, coefficients: [-0.2, 0.5, 0.1], top: 1, scale: 4 });
    expect([r.width, r.height]).toEqual([8, 8]);
    expect(r.top).toEqual([{ rank: 1, segment: 1, weight: 0.5 }]);
    // Segment 1 (x 4..7, y 0..3): inside, 1 px from every edge -> the image (200).
    expect(at(r, 5, 1)).toEqual([200, 200, 200]);
    // Its 1 px outline (scale < 6): x = 4 borders segment 0; y = 3 borders segment 2.
    expect(at(r, 4, 1)).toEqual([...LIME_OUTLINE]);
    expect(at(r, 5, 3)).toEqual([...LIME_OUTLINE]);
    // Segment 0 faded: 0.4 * 100 + 0.6 * 128 = 116.8; segment 2: 0.4 * 50 + 76.8 = 96.8.
    expect(at(r, 1, 1)).toEqual([117, 117, 117]);
    expect(at(r, 1, 5)).toEqual([97, 97, 97]);
  });

  it('draws boundaries one output pixel wide, only when asked', () => {
    const coefficients = [0, 0, 0];
    const off = limeImage({ ...base, coefficients, scale: 4, dim: 0 });
    expect(off.top).toEqual([]);
    expect(at(off, 3, 1)).toEqual([100, 100, 100]);
    const on = limeImage({ ...base, coefficients, scale: 4, dim: 0, boundaries: true });
    // x = 3 is left of the 0|1 change: 0.5 * 100 + 0.5 * 255 = 177.5 -> 178; x = 2 untouched.
    expect(at(on, 3, 1)).toEqual([178, 178, 178]);
    expect(at(on, 2, 1)).toEqual([100, 100, 100]);
    // y = 3 is above the row change: pixel (1, 3) of segment 0 (100) blended; y = 2 untouched.
    expect(at(on, 1, 3)).toEqual([178, 178, 178]);
    expect(at(on, 1, 2)).toEqual([100, 100, 100]);
    // Inside segment 2 (one label across the bottom row): no line between its two pixels.
    expect(at(on, 3, 5)).toEqual([Math.round(50), Math.round(50), Math.round(50)]);
  });

  it('ranks ties in segment order and refuses a fractional scale', () => {
    const r = limeImage({ ...base, coefficients: [0.3, 0.3, 0.4] });
    expect(r.top.map((t) => t.segment)).toEqual([2, 0, 1]);
    expect(() => limeImage({ ...base, coefficients: [0, 0, 0], scale: 1.5 })).toThrow(
      /scale must be an integer/,
    );
  });
});

describe('encodeImage', () => {
  const rgb = new Uint8Array(5 * 3 * 3).map((_, i) => (i * 37) % 256);
  it('round-trips PNG and lossless WebP to the exact bytes', async () => {
    for (const format of ['png', 'webp'] as const) {
      const buf = await encodeImage({ pixels: rgb, width: 5, height: 3, channels: 3, format });
      const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels, info.format]).toEqual([5, 3, 3, 'raw']);
      expect(new Uint8Array(data)).toEqual(rgb);
    }
    const grey = new Uint8Array([0, 1, 2, 250, 255, 128]);
    const png = await encodeImage({ pixels: grey, width: 3, height: 2, channels: 1 });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.channels]).toEqual(['png', 1]);
    const back = await sharp(png).toColourspace('b-w').raw().toBuffer();
    expect(new Uint8Array(back)).toEqual(grey);
    const big = await encodeImage({ pixels: grey, width: 3, height: 2, channels: 1, scale: 2 });
    const bigBack = await sharp(big)
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([bigBack.info.width, bigBack.info.height, bigBack.info.channels]).toEqual([6, 4, 1]);
    expect(bigBack.data[3 * 6 + 5]).toBe(grey[5]); // (5, 3) comes from source (2, 1)
  });

  it('upscales with nearest neighbour and adds a caption strip under the image', async () => {
    const png = await encodeImage({
      pixels: rgb,
      width: 5,
      height: 3,
      channels: 3,
      scale: 4,
      caption: 'conv1 <26 × 26 × 32>',
    });
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.height).toBe(12 + Math.ceil(12 * 1.6));
    expect(info.width).toBeGreaterThanOrEqual(20);
    // Pixel (7, 5) of the upscaled image is source pixel (1, 1).
    const at = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    expect(at(7, 5)).toEqual(Array.from(rgb.subarray((1 * 5 + 1) * 3, (1 * 5 + 1) * 3 + 3)));
    // The caption strip is white with some dark text pixels (system fonts through librsvg).
    let dark = 0;
    let white = 0;
    for (let y = 12; y < info.height; y++)
      for (let x = 0; x < info.width; x++) {
        const p = at(x, y);
        if (p[0]! < 128) dark++;
        if (p[0] === 255 && p[1] === 255 && p[2] === 255) white++;
      }
    expect(white).toBeGreaterThan(dark);
    expect(dark).toBeGreaterThan(0);
  });
});
