import { describe, expect, it } from 'vitest';
import {
  gridTileAt,
  gridTileRect,
  limeOverlay,
  rankMethods,
  segmentEdges,
  LIME_COLORS,
} from './explain';

// 3 columns x 2 rows of 4x5 tiles (w x h), 1 px padding, 5 tiles drawn.
const grid = { columns: 3, rows: 2, padding: 1, tileWidth: 4, tileHeight: 5, count: 5 };

describe('channel grid hit-testing', () => {
  it('places tiles row-major after the padding', () => {
    expect(gridTileRect(grid, 0)).toEqual({ x: 1, y: 1, width: 4, height: 5 });
    expect(gridTileRect(grid, 4)).toEqual({ x: 6, y: 7, width: 4, height: 5 });
  });

  it('finds the tile under a point, nothing on padding or past the last tile', () => {
    expect(gridTileAt(grid, 1, 1)).toBe(0);
    expect(gridTileAt(grid, 4.9, 5.9)).toBe(0);
    expect(gridTileAt(grid, 5.5, 3)).toBeNull(); // padding column
    expect(gridTileAt(grid, 6, 3)).toBe(1);
    expect(gridTileAt(grid, 12, 8)).toBeNull(); // the 6th tile is not drawn
    expect(gridTileAt(grid, 7, 8)).toBe(4);
    expect(gridTileAt(grid, 0, 0)).toBeNull();
    expect(gridTileAt(grid, 100, 1)).toBeNull();
    expect(gridTileAt(grid, -1, 1)).toBeNull();
  });
});

describe('rankMethods', () => {
  it('scores insertion minus deletion and flags the best, keeping the order', () => {
    const r = rankMethods([
      { method: 'gradcam', insertionAuc: 0.6, deletionAuc: 0.2 },
      { method: 'eigencam', insertionAuc: 0.7, deletionAuc: 0.1 },
      { method: 'layercam', insertionAuc: NaN, deletionAuc: 0.1 },
    ]);
    expect(r.map((m) => m.method)).toEqual(['gradcam', 'eigencam', 'layercam']);
    expect(r[0]?.score).toBeCloseTo(0.4);
    expect(r.map((m) => m.best)).toEqual([false, true, false]);
  });
});

describe('LIME drawing', () => {
  // 3x2 image, segments: [0 0 1] / [2 2 1]
  const labels = [0, 0, 1, 2, 2, 1];
  it('marks boundaries where the right or lower neighbour differs', () => {
    expect(Array.from(segmentEdges(labels, 3, 2))).toEqual([1, 1, 0, 0, 1, 0]);
  });

  it('tints positive green, negative red, leaves the rest and draws edges', () => {
    const image = new Array(24).fill(100);
    const out = limeOverlay({
      image,
      labels,
      width: 3,
      height: 2,
      positive: [2],
      negative: [1],
      alpha: 0.5,
      boundaries: false,
    });
    const px = (p: number) => Array.from(out.slice(p * 4, p * 4 + 3));
    expect(px(3)).toEqual(LIME_COLORS.positive.map((c) => Math.round(50 + c / 2)));
    expect(px(5)).toEqual(LIME_COLORS.negative.map((c) => Math.round(50 + c / 2)));
    expect(px(0)).toEqual([100, 100, 100]);
    const edged = limeOverlay({ image, labels, width: 3, height: 2, positive: [], negative: [] });
    expect(Array.from(edged.slice(0, 3))).toEqual([...LIME_COLORS.boundary]);
    expect(Array.from(edged.slice(12, 15))).toEqual([100, 100, 100]);
  });
});
