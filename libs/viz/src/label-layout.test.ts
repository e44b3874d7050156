import { describe, expect, it } from 'vitest';
import { layoutLabels, legendRows } from './label-layout';

describe('layoutLabels', () => {
  it('puts a label above its point, the next below when above would collide', () => {
    const placed = layoutLabels(
      [
        { px: 50, py: 30, width: 20, height: 12 },
        { px: 55, py: 32, width: 20, height: 12 },
      ],
      { width: 100, height: 50 },
    );
    // Above: top 30 - 6 - 12 = 12, centred at 50. The second's above spot (45..65 × 14..26)
    // overlaps it, so it goes below: top 32 + 6 = 38 (38..50 fits the 50 px plot).
    expect(placed).toEqual([
      { x: 40, y: 12, width: 20, height: 12, hidden: false },
      { x: 45, y: 38, width: 20, height: 12, hidden: false },
    ]);
  });

  it('keeps labels inside the plot (off the axes) and hides one with no room', () => {
    const [corner] = layoutLabels([{ px: 2, py: 5, width: 20, height: 12 }], {
      width: 100,
      height: 50,
    });
    // No room above (top -13): below at 11, pushed right to x 0 instead of -8.
    expect(corner).toEqual({ x: 0, y: 11, width: 20, height: 12, hidden: false });
    const [none] = layoutLabels([{ px: 50, py: 5, width: 20, height: 12 }], {
      width: 100,
      height: 10,
    });
    expect(none?.hidden).toBe(true);
  });

  it('keeps clear of other points', () => {
    // Above the first point sits the second point (50, 16): the label goes below instead.
    const [first] = layoutLabels(
      [
        { px: 50, py: 30, width: 20, height: 12 },
        { px: 50, py: 16, width: 0, height: 0 },
      ],
      { width: 100, height: 60 },
    );
    expect(first?.y).toBe(36);
  });
});

describe('legendRows', () => {
  it('wraps items into rows of the available width', () => {
    expect(legendRows([50, 60, 40], { maxWidth: 120, gap: 10 })).toEqual({
      slots: [
        { row: 0, x: 0 },
        { row: 0, x: 60 },
        { row: 1, x: 0 },
      ],
      rows: 2,
    });
    // An item wider than the row still gets a row of its own.
    expect(legendRows([200, 10], { maxWidth: 100 }).slots).toEqual([
      { row: 0, x: 0 },
      { row: 1, x: 0 },
    ]);
    expect(legendRows([], { maxWidth: 100 }).rows).toBe(0);
  });
});
