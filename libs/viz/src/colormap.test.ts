import { describe, expect, it } from 'vitest';
import { blendHeatmap, colorizeHeatmap, heatmapFromRgba } from './colormap';
// The tables as the web app gets them: through this library's public surface.
import { colormapCss, colormapColor as colormapRgb, colormapIndex as lutIndex } from './index';

describe('colormap tables', () => {
  it("hold matplotlib's end and middle colours", () => {
    expect(colormapRgb('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(colormapRgb('viridis', 1)).toEqual([0xfd, 0xe7, 0x24]);
    expect(colormapRgb('magma', 0)).toEqual([0, 0, 3]);
    expect(colormapRgb('magma', 1)).toEqual([0xfb, 0xfc, 0xbf]);
    expect(colormapRgb('jet', 0)).toEqual([0, 0, 0x7f]);
    expect(colormapRgb('jet', 1)).toEqual([0x7f, 0, 0]);
    // jet is green-ish in the middle, viridis teal.
    const [r, g, b] = colormapRgb('jet', 0.5);
    expect(g).toBeGreaterThan(200);
    expect(r).toBeGreaterThan(100);
    expect(b).toBeGreaterThan(100);
    expect(colormapCss('viridis', 0)).toBe('rgb(68, 1, 84)');
  });

  it('picks entries as matplotlib does, clamping and mapping NaN to the first', () => {
    expect(lutIndex(0)).toBe(0);
    expect(lutIndex(0.5)).toBe(128);
    expect(lutIndex(255 / 256)).toBe(255);
    expect(lutIndex(1)).toBe(255);
    expect(lutIndex(7)).toBe(255);
    expect(lutIndex(-1)).toBe(0);
    expect(lutIndex(NaN)).toBe(0);
  });
});

describe('blendHeatmap', () => {
  const image = [100, 50, 0, 255, 200, 200, 200, 255];
  it('is the image at alpha 0 and the colormap at alpha 1', () => {
    expect(Array.from(blendHeatmap({ image, heatmap: [0, 1], alpha: 0, colormap: 'jet' }))).toEqual(
      image,
    );
    expect(Array.from(blendHeatmap({ image, heatmap: [0, 1], alpha: 1, colormap: 'jet' }))).toEqual(
      [0, 0, 0x7f, 255, 0x7f, 0, 0, 255],
    );
  });

  it('mixes linearly in between and depends on the colormap', () => {
    const half = blendHeatmap({ image, heatmap: [0, 1], alpha: 0.5, colormap: 'viridis' });
    expect(Array.from(half.slice(0, 4))).toEqual([
      Math.round(50 + 0x44 / 2),
      Math.round(25 + 0.5),
      Math.round(0x54 / 2),
      255,
    ]);
    const magma = blendHeatmap({ image, heatmap: [0, 1], alpha: 0.5, colormap: 'magma' });
    expect(Array.from(magma)).not.toEqual(Array.from(half));
  });

  it('refuses an image of another size', () => {
    expect(() => blendHeatmap({ image, heatmap: [0], alpha: 0.5, colormap: 'jet' })).toThrow(
      /expected 4/,
    );
  });

  it('reads a decoded grayscale PNG back to [0, 1]', () => {
    expect(
      Array.from(heatmapFromRgba([0, 0, 0, 255, 255, 255, 255, 255, 51, 51, 51, 255])),
    ).toEqual([0, 1, Math.fround(0.2)]);
  });
});

describe('colorizeHeatmap', () => {
  it('gives the colours blendHeatmap mixes in, opaque', () => {
    const heatmap = [0, 0.25, 0.5, 1, NaN, 3];
    const image = new Array<number>(heatmap.length * 4).fill(9);
    for (const colormap of ['jet', 'viridis', 'rdbu_r'] as const) {
      expect(Array.from(colorizeHeatmap({ heatmap, colormap }))).toEqual(
        Array.from(blendHeatmap({ image, heatmap, alpha: 1, colormap })),
      );
    }
    expect(Array.from(colorizeHeatmap({ heatmap: [1], colormap: 'jet' }))).toEqual([
      0x7f, 0, 0, 255,
    ]);
  });
});
