import { describe, expect, it } from 'vitest';
import { confusionLayout, confusionLegend } from './confusion-matrix-data';

describe('confusionLayout', () => {
  it('keeps short labels upright and caps the cell at 64 px', () => {
    // "cat" is 3 × 11 × 0.6 = 19.8 px wide: left 53.8; (600 - 53.8 - 16) / 3 > 64.
    const l = confusionLayout({ classNames: ['cat', 'dog', 'emu'], classes: 3, width: 600 });
    expect(l.left).toBeCloseTo(53.8, 10);
    expect(l.slanted).toBe(false);
    expect(l.cell).toBe(64);
    expect(l.gridSize).toBe(192);
    expect(l.top).toBe(40);
    expect(l.height).toBe(40 + 192 + 50);
  });

  it('slants labels that do not fit a cell, and never makes cells under 18 px', () => {
    const name = 'a rather long class name'; // 24 × 6.6 = 158.4 px
    const l = confusionLayout({ classNames: [name, name, name], classes: 3, width: 400 });
    // (400 - 192.4 - 16) / 3 = 63.87 px per cell, narrower than the label: slanted. The last
    // label then needs 158.4 × 0.77 - 63.87 / 2 + 4 = 94.03 px right of the grid, leaving
    // (400 - 192.4 - 94.03) / 3 = 37.86 px per cell.
    expect(l.cell).toBeCloseTo((400 - 192.4 - (158.4 * 0.77 - (400 - 192.4 - 16) / 6 + 4)) / 3, 10);
    expect(l.cell).toBeCloseTo(37.86, 2);
    expect(l.slanted).toBe(true);
    expect(l.top).toBeCloseTo(158.4 * 0.68 + 14 + 22, 10);
    expect(confusionLayout({ classNames: [name], classes: 10, width: 200 }).cell).toBe(18);
  });
});

describe('confusionLegend', () => {
  it('runs from 0 to the largest count (at least 1) for counts, 0..100% for shares', () => {
    expect(
      confusionLegend(
        [
          [3, 9],
          [0, 2],
        ],
        'counts',
      ),
    ).toEqual({
      domain: [0, 9],
      ticks: [
        { t: 0, label: '0' },
        { t: 1, label: '9' },
      ],
      title: 'samples',
    });
    expect(confusionLegend([[0]], 'counts').domain).toEqual([0, 1]);
    const shares = confusionLegend([[3, 9]], 'normalized');
    expect(shares.domain).toEqual([0, 1]);
    expect(shares.ticks.map((t) => t.label)).toEqual(['0%', '50%', '100%']);
    expect(shares.title).toBe('share of true class');
  });
});
