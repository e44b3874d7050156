import { describe, expect, it } from 'vitest';
// cmap(x, bytes=True) from matplotlib, written by fixtures/make_colormaps.py.
import fixtureJson from '../fixtures/colormaps.json';
import {
  applyColormap,
  colormapColor,
  colormapCss,
  colormapIndex,
  colormapTable,
  COLORMAP_NAMES,
  valueRange,
  type ColormapName,
} from './index';

const fixture: { values: number[]; maps: Record<string, number[][]> } = fixtureJson;
const fixtureName: Record<ColormapName, string> = {
  viridis: 'viridis',
  magma: 'magma',
  jet: 'jet',
  rdbu_r: 'RdBu_r',
};

describe('colormaps', () => {
  it('has the published endpoint and middle colours', () => {
    // First and last entries of matplotlib's listed data (_cm_listed.py), as bytes=True
    // truncates them: floor(v * 255).
    const bytes = (rgb: number[]) => rgb.map((v) => Math.floor(v * 255));
    expect(colormapColor('viridis', 0)).toEqual(bytes([0.267004, 0.004874, 0.329415]));
    expect(colormapColor('viridis', 1)).toEqual(bytes([0.993248, 0.906157, 0.143936]));
    expect(colormapColor('magma', 0)).toEqual(bytes([0.001462, 0.000466, 0.013866]));
    expect(colormapColor('magma', 1)).toEqual(bytes([0.987053, 0.991438, 0.749504]));
    // viridis in the middle: entry 128 = (0.127568, 0.566949, 0.550556).
    expect(colormapColor('viridis', 0.5)).toEqual(bytes([0.127568, 0.566949, 0.550556]));
    // jet: dark blue (0, 0, 0.5) to dark red (0.5, 0, 0); bytes truncate 127.5 to 127.
    expect(colormapColor('jet', 0)).toEqual([0, 0, 127]);
    expect(colormapColor('jet', 1)).toEqual([127, 0, 0]);
    // jet at entry 128 (x = 128/255 = 0.50196): green is 1 on [0.375, 0.64]; red = (x-0.35)/0.31.
    const x = 128 / 255;
    // (truncation of a value this close to 125 can go either way, so allow one step).
    const jetMid = [((x - 0.35) / 0.31) * 255, 255, ((0.65 - x) / 0.31) * 255];
    colormapColor('jet', 0.5).forEach((v, i) =>
      expect(Math.abs(v - (jetMid[i] ?? NaN))).toBeLessThan(1.001),
    );
    // RdBu_r: ColorBrewer #053061 (blue) .. #f7f7f7 (white, middle) .. #67001f (red).
    expect(colormapColor('rdbu_r', 0)).toEqual([0x05, 0x30, 0x61]);
    expect(colormapColor('rdbu_r', 1)).toEqual([0x67, 0x00, 0x1f]);
    const mid = colormapColor('rdbu_r', 0.5);
    for (const v of mid) expect(Math.abs(v - 0xf7)).toBeLessThanOrEqual(1);
  });

  it('indexes like matplotlib: floor(x * 256), 1.0 in the last entry, out of range clamped', () => {
    expect(colormapIndex(0)).toBe(0);
    expect(colormapIndex(1 / 256 - 1e-9)).toBe(0);
    expect(colormapIndex(1 / 256)).toBe(1);
    expect(colormapIndex(0.5)).toBe(128);
    expect(colormapIndex(1)).toBe(255);
    expect(colormapIndex(-3)).toBe(0);
    expect(colormapIndex(7)).toBe(255);
    expect(colormapIndex(Number.NaN)).toBe(0);
  });

  it.each(COLORMAP_NAMES)('%s matches matplotlib at every fixture value', (name) => {
    expect(colormapTable(name)).toHaveLength(256 * 3);
    const expected = fixture.maps[fixtureName[name]] ?? [];
    expect(expected).toHaveLength(fixture.values.length);
    fixture.values.forEach((x, i) => expect(colormapColor(name, x), `x=${x}`).toEqual(expected[i]));
  });

  it('applies a range, and centres diverging maps on 0', () => {
    const rgb = applyColormap({ values: [10, 20, 30], colormap: 'viridis' });
    expect(Array.from(rgb.subarray(0, 3))).toEqual(colormapColor('viridis', 0));
    expect(Array.from(rgb.subarray(3, 6))).toEqual(colormapColor('viridis', 0.5));
    expect(Array.from(rgb.subarray(6, 9))).toEqual(colormapColor('viridis', 1));
    // Largest |v| is 4: range [-4, 4], so 0 is the middle colour and 2 is at 0.75.
    const d = applyColormap({ values: [0, 2, -4], colormap: 'rdbu_r' });
    expect(Array.from(d.subarray(0, 3))).toEqual(colormapColor('rdbu_r', 0.5));
    expect(Array.from(d.subarray(3, 6))).toEqual(colormapColor('rdbu_r', 0.75));
    expect(Array.from(d.subarray(6, 9))).toEqual(colormapColor('rdbu_r', 0));
    const c = applyColormap({ values: [5, 5], colormap: 'magma' });
    expect(Array.from(c.subarray(0, 3))).toEqual(colormapColor('magma', 0));
  });

  // FNV-1a of each table as libs/ml and libs/viz held them before they became this one copy:
  // the tables moved byte for byte (matplotlib 3.6.3's, see fixtures/make_colormaps.py).
  it.each([
    ['viridis', 0xd8e85622],
    ['magma', 0x94e86339],
    ['jet', 0x2e679b4c],
    ['rdbu_r', 0x29864ce9],
  ] as const)('%s has the same bytes as before the move', (name, hash) => {
    let h = 0x811c9dc5;
    for (const b of colormapTable(name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(h).toBe(hash);
  });

  it('writes CSS colours and refuses unknown names', () => {
    expect(colormapCss('viridis', 0)).toBe('rgb(68, 1, 84)');
    expect(colormapCss('jet', 1)).toBe('rgb(127, 0, 0)');
    expect(() => colormapTable('hot' as ColormapName)).toThrow(/unknown colormap "hot"/);
    expect(() => colormapTable('toString' as ColormapName)).toThrow(/unknown colormap/);
  });

  it('finds the range of finite values, symmetric on request', () => {
    expect(valueRange([3, -1, NaN, Infinity, 2])).toEqual([-1, 3]);
    expect(valueRange([3, -1], true)).toEqual([-3, 3]);
    expect(valueRange([NaN])).toEqual([0, 0]);
  });
});
