import { describe, expect, it } from 'vitest';
import {
  LIME_VIEW_COLORS,
  limeCoefficients,
  limeTopSegments,
  limeViewPixels,
  segmentAnchors,
} from './lime-view';

describe('limeTopSegments', () => {
  it('ranks the largest positive weights, then the most negative, skipping zeros', () => {
    const ranked = limeTopSegments({
      coefficients: [0.1, -0.4, 0, 0.3, 0.1, -0.2, NaN],
      top: 2,
      topNegative: 1,
    });
    expect(ranked).toEqual([
      { segment: 3, weight: 0.3, rank: 1, sign: 'for' },
      // 0.1 twice: the lower segment first.
      { segment: 0, weight: 0.1, rank: 2, sign: 'for' },
      { segment: 1, weight: -0.4, rank: 1, sign: 'against' },
    ]);
    expect(limeTopSegments({ coefficients: [0.5, -1] }).map((s) => s.segment)).toEqual([0]);
  });

  it('rebuilds coefficients from the positive / negative lists of an older pack', () => {
    expect(
      limeCoefficients({
        labels: [0, 1, 2, 2],
        positive: [{ segment: 2, weight: 0.5 }],
        negative: [{ segment: 0, weight: -0.25 }],
      }),
    ).toEqual([-0.25, 0, 0.5]);
    expect(limeCoefficients({ labels: [0], coefficients: [0.7] })).toEqual([0.7]);
  });
});

describe('limeViewPixels', () => {
  // 2 x 1 image, two segments: left (label 0) grey 100, right (label 1) grey 200.
  const image = [100, 100, 100, 255, 200, 200, 200, 255];
  const labels = [0, 1];
  const px = (v: { pixels: Uint8ClampedArray; width: number }, x: number, y: number) =>
    Array.from(v.pixels.slice((y * v.width + x) * 4, (y * v.width + x) * 4 + 3));

  it('draws at the display scale: the highlighted segment whole, the rest faded to grey', () => {
    const v = limeViewPixels({
      image,
      labels,
      width: 2,
      height: 1,
      scale: 4,
      highlight: [{ segment: 1, weight: 0.3, rank: 1, sign: 'for' }],
      outline: 1,
    });
    expect([v.width, v.height]).toEqual([8, 4]);
    expect(v.pixels).toHaveLength(8 * 4 * 4);
    // Segment 0 faded: 0.4 * 100 + 0.6 * 128 = 116.8 -> 117.
    expect(px(v, 1, 1)).toEqual([117, 117, 117]);
    // Inside segment 1, more than one pixel from its edge: the image itself.
    expect(px(v, 5, 1)).toEqual([200, 200, 200]);
    // Its inner outline, one screen pixel wide: the left column of the segment and the borders.
    expect(px(v, 4, 1)).toEqual([...LIME_VIEW_COLORS.for]);
    expect(px(v, 7, 1)).toEqual([...LIME_VIEW_COLORS.for]);
    expect(px(v, 5, 0)).toEqual([...LIME_VIEW_COLORS.for]);
    expect(px(v, 6, 2)).toEqual([200, 200, 200]);
    // Opaque.
    expect(v.pixels[3]).toBe(255);
  });

  it('draws boundaries one screen pixel wide and only when asked', () => {
    const base = { image, labels, width: 2, height: 1, scale: 4, highlight: [], dim: 0 };
    const off = limeViewPixels(base);
    expect(px(off, 3, 1)).toEqual([100, 100, 100]);
    const on = limeViewPixels({ ...base, boundaries: true, boundaryAlpha: 0.5 });
    // Only x = 3 (left of the label change) is a boundary: 0.5 * 100 + 0.5 * 255 = 177.5 -> 178.
    expect(px(on, 3, 1)).toEqual([178, 178, 178]);
    expect(px(on, 2, 1)).toEqual([100, 100, 100]);
    expect(px(on, 4, 1)).toEqual([200, 200, 200]);
  });

  it('tints a segment against the class and outlines it red', () => {
    const v = limeViewPixels({
      image,
      labels,
      width: 2,
      height: 1,
      scale: 8,
      highlight: [{ segment: 0, weight: -0.2, rank: 1, sign: 'against' }],
      outline: 2,
      againstTint: 0.5,
    });
    // (3, 3) is 3 pixels from every edge of segment 0: tinted 0.5 * 100 + 0.5 * colour.
    expect(px(v, 3, 3)).toEqual(LIME_VIEW_COLORS.against.map((c) => Math.round(50 + c / 2)));
    // (6, 3) is 2 pixels from the label change at x = 8: outline.
    expect(px(v, 6, 3)).toEqual([...LIME_VIEW_COLORS.against]);
  });

  it('refuses mismatched sizes and a fractional scale', () => {
    expect(() =>
      limeViewPixels({ image: [0], labels, width: 2, height: 1, scale: 1, highlight: [] }),
    ).toThrow(/image has 1 values/);
    expect(() =>
      limeViewPixels({ image, labels, width: 2, height: 1, scale: 1.5, highlight: [] }),
    ).toThrow(/scale must be an integer/);
  });
});

describe('segmentAnchors', () => {
  it('puts the anchor on the segment pixel nearest its centroid', () => {
    // 3 x 3. Segment 1 is an L: (0,0) (0,1) (0,2) (1,2), centroid (0.25, 1.25) -> pixel (0, 1).
    // Segment 0: (1,0) (2,0) (1,1) (2,1) (2,2), centroid (1.6, 0.8) -> pixel (2, 1).
    const labels = [1, 0, 0, 1, 0, 0, 1, 1, 0];
    expect(segmentAnchors(labels, 3, [1, 0, 7])).toEqual([
      { segment: 1, x: 0.5, y: 1.5 },
      { segment: 0, x: 2.5, y: 1.5 },
    ]);
  });
});
