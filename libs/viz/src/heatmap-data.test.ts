import { describe, expect, it } from 'vitest';
import { heatmapLayout, kindBoundaries } from './heatmap-data';

describe('heatmapLayout', () => {
  it('leaves room for the longest label and note, and shares the rest among the columns', () => {
    const rows = [
      { label: 'a fairly long label', values: [], note: 'n=1000' }, // 19 × 7.2 = 136.8; 6 × 6.6 = 39.6
      { label: 'b', values: [] },
    ];
    const l = heatmapLayout({ rows, columns: 3, width: 400, rowHeight: 30 });
    expect(l.labelW).toBeCloseTo(150.8, 10);
    expect(l.noteW).toBeCloseTo(55.6, 10);
    // (400 - 150.8 - 55.6 - 8) / 3
    expect(l.cellW).toBeCloseTo(185.6 / 3, 10);
    expect(l.gridH).toBe(60);
    expect(l.height).toBe(26 + 60 + 52);
  });

  it('keeps labels at least 60 px, columns at most 140 px and the grid at least 40 px', () => {
    const rows = [{ label: 'x', values: [] }];
    expect(heatmapLayout({ rows, columns: 1, width: 1000, rowHeight: 20 }).cellW).toBe(140);
    const narrow = heatmapLayout({ rows, columns: 2, width: 50, rowHeight: 20 });
    expect(narrow.labelW).toBe(74);
    expect(narrow.noteW).toBe(16);
    expect(narrow.cellW).toBe(20);
  });
});

describe('kindBoundaries', () => {
  it('lists the rows whose kind differs from the row above (no kind counts as one kind)', () => {
    const row = (kind?: string) => ({ label: '', values: [], kind });
    expect(kindBoundaries([row('class'), row('class'), row('average'), row('average')])).toEqual([
      2,
    ]);
    expect(kindBoundaries([row(), row('row'), row('x'), row()])).toEqual([2, 3]);
    expect(kindBoundaries([])).toEqual([]);
  });
});
