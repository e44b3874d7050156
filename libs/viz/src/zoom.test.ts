import { describe, expect, it } from 'vitest';
import {
  brushDomain,
  interpolateAt,
  isZoomed,
  monotoneYDomain,
  pointsInDomain,
  visibleDomain,
} from './zoom';

describe('zoom helpers', () => {
  it('turns a drag (either direction) into the data range under it', () => {
    const scale = { domain: [0, 10] as [number, number], range: [0, 400] as [number, number] };
    expect(brushDomain(300, 100, scale)).toEqual([2.5, 7.5]);
    expect(brushDomain(100, 300, { ...scale, domain: [10, 20] })).toEqual([12.5, 17.5]);
    // Clamped to the plot.
    expect(brushDomain(-50, 40, scale)).toEqual([0, 1]);
    // A click is not a zoom.
    expect(brushDomain(100, 104, scale)).toBeNull();
    expect(brushDomain(100, 104, { ...scale, minPixels: 2 })).toEqual([2.5, 2.6]);
  });

  it('cuts the zoom to the data and falls back to everything when they do not overlap', () => {
    expect(visibleDomain([0, 10], null)).toEqual([0, 10]);
    expect(visibleDomain([0, 10], [2, 20])).toEqual([2, 10]);
    expect(visibleDomain([0, 10], [8, 3])).toEqual([3, 8]);
    expect(visibleDomain([0, 10], [20, 30])).toEqual([0, 10]);
    expect(isZoomed([0, 10], [0, 10])).toBe(false);
    expect(isZoomed([0, 10], [0, 9])).toBe(true);
    const points = [0, 1, 2, 3].map((step) => ({ step, value: step * 2 }));
    expect(pointsInDomain(points, [1, 2]).map((p) => p.value)).toEqual([2, 4]);
  });

  it('interpolates a ROC curve, taking the low or high end of a vertical step', () => {
    const roc = [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 },
      { x: 0.2, y: 0.9 },
      { x: 1, y: 1 },
    ];
    expect(interpolateAt(roc, 0, 'min')).toBe(0);
    expect(interpolateAt(roc, 0)).toBe(0.5);
    // 0.5 + (0.1 / 0.2) * 0.4 = 0.7; 0.9 + (0.4 / 0.8) * 0.1 = 0.95.
    expect(interpolateAt(roc, 0.1)).toBeCloseTo(0.7, 12);
    expect(interpolateAt(roc, 0.6)).toBeCloseTo(0.95, 12);
    expect(interpolateAt([], 0.5)).toBeNull();
    // Lowest start 0.1 (the diagonal), highest end 0.95; padded 4% of 0.85.
    const [lo, hi] = monotoneYDomain(
      [
        roc,
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
      ],
      [0.1, 0.6],
    );
    expect(lo).toBeCloseTo(0.1 - 0.034, 12);
    expect(hi).toBeCloseTo(0.95 + 0.034, 12);
    expect(monotoneYDomain([], [0, 0.5])).toEqual([0, 1]);
  });
});
