import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng';
import { rgbToLab, segmentBoundaries, slic, type Segmentation } from './slic';

/** An image of flat rectangles: `rects` of [x0, y0, x1, y1) and a colour each, covering it all. */
function rectangles(
  width: number,
  height: number,
  rects: Array<{ box: [number, number, number, number]; rgb: number[] }>,
  channels: 1 | 3,
): { pixels: Uint8Array; region: Int32Array } {
  const pixels = new Uint8Array(width * height * channels);
  const region = new Int32Array(width * height).fill(-1);
  rects.forEach(({ box: [x0, y0, x1, y1], rgb }, r) => {
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        region[y * width + x] = r;
        for (let c = 0; c < channels; c++) pixels[(y * width + x) * channels + c] = rgb[c]!;
      }
  });
  expect(region.includes(-1)).toBe(false);
  return { pixels, region };
}

/** Every superpixel lies inside one region; returns the regions each label touches. */
function regionsPerSegment(seg: Segmentation, region: Int32Array): Array<Set<number>> {
  const out = Array.from({ length: seg.numSegments }, () => new Set<number>());
  seg.labels.forEach((l, p) => out[l]!.add(region[p]!));
  return out;
}

/** Number of 4-connected pieces of each label (should be 1). */
function piecesPerLabel(seg: Segmentation): number[] {
  const { labels, width, height } = seg;
  const seen = new Uint8Array(labels.length);
  const pieces = new Array<number>(seg.numSegments).fill(0);
  for (let s = 0; s < labels.length; s++) {
    if (seen[s]) continue;
    pieces[labels[s]!]!++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q < 0 || q >= width * height || seen[q] || labels[q] !== labels[p]) continue;
        seen[q] = 1;
        stack.push(q);
      }
    }
  }
  return pieces;
}

describe('rgbToLab', () => {
  it('gives the CIELAB (D65) values of reference colours', () => {
    const close = (v: number[], e: number[]) =>
      v.forEach((x, i) => expect(x).toBeCloseTo(e[i]!, 1));
    close(rgbToLab(1, 0, 0), [53.24, 80.09, 67.2]); // sRGB red
    close(rgbToLab(0, 1, 0), [87.73, -86.18, 83.18]);
    close(rgbToLab(0, 0, 1), [32.3, 79.19, -107.86]);
    close(rgbToLab(1, 1, 1), [100, 0, 0]);
    close(rgbToLab(0.5, 0.5, 0.5), [53.39, 0, 0]);
    close(rgbToLab(0, 0, 0), [0, 0, 0]);
  });
});

describe('slic', () => {
  const rects = [
    { box: [0, 0, 37, 22] as [number, number, number, number], rgb: [200, 30, 30] },
    { box: [37, 0, 80, 22] as [number, number, number, number], rgb: [30, 160, 40] },
    { box: [0, 22, 25, 60] as [number, number, number, number], rgb: [40, 60, 220] },
    { box: [25, 22, 80, 60] as [number, number, number, number], rgb: [230, 220, 90] },
  ];

  it('recovers the boundaries of flat colour rectangles (RGB)', () => {
    const { pixels, region } = rectangles(80, 60, rects, 3);
    const seg = slic({ pixels, width: 80, height: 60, channels: 3, numSegments: 30 });
    for (const touched of regionsPerSegment(seg, region)) expect(touched.size).toBe(1);
    expect(seg.numSegments).toBeGreaterThanOrEqual(20);
    expect(seg.numSegments).toBeLessThanOrEqual(40);
    expect(piecesPerLabel(seg).every((c) => c === 1)).toBe(true);
    // Labels are 0..n-1 in raster order.
    expect(seg.labels[0]).toBe(0);
    expect(Math.max(...seg.labels)).toBe(seg.numSegments - 1);
  });

  it('works on grayscale floats and is deterministic', () => {
    const grey = rects.map((r, i) => ({ ...r, rgb: [[0.1, 0.4, 0.7, 0.95][i]] }));
    const { pixels: bytes, region } = rectangles(
      80,
      60,
      grey.map((r) => ({ ...r, rgb: [0] })),
      1,
    );
    const pixels = new Float32Array(bytes.length);
    region.forEach((r, p) => (pixels[p] = grey[r]!.rgb[0]!));
    const a = slic({ pixels, width: 80, height: 60, channels: 1, numSegments: 12 });
    const b = slic({ pixels, width: 80, height: 60, channels: 1, numSegments: 12 });
    expect(a.labels).toEqual(b.labels);
    for (const touched of regionsPerSegment(a, region)) expect(touched.size).toBe(1);
    expect(a.numSegments).toBeGreaterThanOrEqual(8);
    expect(a.numSegments).toBeLessThanOrEqual(16);
    expect(piecesPerLabel(a).every((c) => c === 1)).toBe(true);
  });

  it('gives a grid of k compact squares on a flat image', () => {
    const pixels = new Uint8Array(48 * 48 * 3).fill(128);
    const seg = slic({ pixels, width: 48, height: 48, channels: 3, numSegments: 9 });
    expect(seg.numSegments).toBe(9); // 3 x 3 grid of 16-pixel squares
    expect(seg.labels[0]).toBe(0);
    expect(seg.labels[47]).toBe(2);
    expect(seg.labels[47 * 48 + 47]).toBe(8);
  });

  it('leaves every superpixel connected on a noisy image', () => {
    // Noise makes the raw assignment fragment; small fragments must be merged away.
    const rng = createRng(3);
    const pixels = new Uint8Array(64 * 40 * 3).map(() => Math.floor(rng() * 256));
    const seg = slic({
      pixels,
      width: 64,
      height: 40,
      channels: 3,
      numSegments: 20,
      compactness: 2,
    });
    expect(piecesPerLabel(seg).every((c) => c === 1)).toBe(true);
    const sizes = new Array<number>(seg.numSegments).fill(0);
    seg.labels.forEach((l) => sizes[l]!++);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(Math.floor((0.25 * 64 * 40) / 20));
    expect(seg.numSegments).toBeGreaterThanOrEqual(10);
    expect(seg.numSegments).toBeLessThanOrEqual(40);
  });

  it('marks boundaries where the right or lower neighbour differs', () => {
    const seg: Segmentation = {
      labels: Int32Array.from([0, 0, 1, 0, 0, 1]),
      numSegments: 2,
      width: 3,
      height: 2,
    };
    expect(Array.from(segmentBoundaries(seg))).toEqual([0, 1, 0, 0, 1, 0]);
  });
});
