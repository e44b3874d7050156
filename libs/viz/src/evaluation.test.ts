import { describe, expect, it } from 'vitest';
import {
  DARK_TEXT,
  EMPTY_FILL,
  LIGHT_TEXT,
  confusionCells,
  contrastRatio,
  contrastText,
  heatmapCells,
  metricTileRows,
  relativeLuminance,
  reliabilityBars,
  rocSeries,
  rowNormalize,
  sequentialColor,
  topKLabel,
  topKPoints,
} from './evaluation';

describe('contrast', () => {
  it('computes WCAG luminance and contrast ratios', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    expect(relativeLuminance('#000000')).toBe(0);
    // sRGB 0x80 = 128: (128/255 + 0.055) / 1.055 = 0.52987, ^2.4 = 0.21586
    expect(relativeLuminance('#808080')).toBeCloseTo(0.21586, 4);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
  });

  it('picks white text on dark fills and dark text on light fills', () => {
    expect(contrastText('#000000')).toBe(LIGHT_TEXT);
    expect(contrastText('#08306b')).toBe(LIGHT_TEXT);
    expect(contrastText('#ffffff')).toBe(DARK_TEXT);
    expect(contrastText('#deebf7')).toBe(DARK_TEXT);
    // Both ends of the ramp used by the heatmaps.
    expect(contrastText(sequentialColor(0))).toBe(DARK_TEXT);
    expect(contrastText(sequentialColor(1))).toBe(LIGHT_TEXT);
  });
});

describe('sequentialColor', () => {
  it('maps the domain onto the ramp, clamps, and greys out missing values', () => {
    expect(sequentialColor(null)).toBe(EMPTY_FILL);
    expect(sequentialColor(Number.NaN)).toBe(EMPTY_FILL);
    expect(sequentialColor(2)).toBe(sequentialColor(1));
    expect(sequentialColor(-1)).toBe(sequentialColor(0));
    expect(sequentialColor(5, [0, 10])).toBe(sequentialColor(0.5));
    expect(sequentialColor(0)).not.toBe(sequentialColor(1));
    // Darker for larger values.
    expect(relativeLuminance(sequentialColor(0.9))).toBeLessThan(
      relativeLuminance(sequentialColor(0.2)),
    );
  });
});

describe('heatmapCells', () => {
  it('lays out rows x columns with 3-decimal text and contrast colours', () => {
    const cells = heatmapCells(
      [
        { label: 'cat', values: [0.91234, null], kind: 'class' },
        { label: 'dog', values: [0.0005, 1] },
      ],
      ['precision', 'AUC'],
    );
    expect(cells).toHaveLength(4);
    expect(cells.map((c) => [c.row, c.col, c.text])).toEqual([
      [0, 0, '0.912'],
      [0, 1, '—'],
      [1, 0, '0.001'],
      [1, 1, '1.000'],
    ]);
    expect(cells[0]).toMatchObject({
      rowLabel: 'cat',
      colLabel: 'precision',
      kind: 'class',
      value: 0.91234,
    });
    expect(cells[1]).toMatchObject({ value: null, fill: EMPTY_FILL });
    expect(cells[2]?.kind).toBe('row');
    expect(cells[3]?.textColor).toBe(LIGHT_TEXT);
    expect(cells[2]?.textColor).toBe(DARK_TEXT);
  });

  it('honours digits and domain', () => {
    const [cell] = heatmapCells([{ label: 'a', values: [5] }], ['x'], {
      domain: [0, 10],
      digits: 1,
    });
    expect(cell?.text).toBe('5.0');
    expect(cell?.fill).toBe(sequentialColor(0.5));
  });
});

describe('metricTileRows', () => {
  const perClass = [
    {
      label: 'cat',
      precision: 0.75,
      recall: 0.6,
      f1: 2 / 3,
      sensitivity: 0.6,
      specificity: 0.9,
      support: 5,
      auc: 0.8,
    },
    {
      label: 'dog',
      precision: 0.5,
      recall: 1,
      f1: 2 / 3,
      sensitivity: 1,
      specificity: 0.5,
      support: 3,
      auc: null,
    },
  ];
  it('gives one row per class then the averages, with support notes', () => {
    const { columns, rows } = metricTileRows(
      perClass,
      { precision: 0.625, recall: 0.8, f1: 2 / 3 },
      { precision: 0.65625, recall: 0.75, f1: 2 / 3 },
    );
    expect(columns).toEqual(['precision', 'recall', 'F1', 'sensitivity', 'specificity', 'AUC']);
    expect(rows.map((r) => [r.label, r.kind, r.note])).toEqual([
      ['cat', 'class', 'n=5'],
      ['dog', 'class', 'n=3'],
      ['macro avg', 'average', 'n=8'],
      ['weighted avg', 'average', 'n=8'],
    ]);
    expect(rows[0]?.values).toEqual([0.75, 0.6, 2 / 3, 0.6, 0.9, 0.8]);
    expect(rows[1]?.values[5]).toBeNull();
    expect(rows[3]?.values).toEqual([0.65625, 0.75, 2 / 3, null, null, null]);
  });

  it('drops the AUC column when no class has one, and missing averages', () => {
    const { columns, rows } = metricTileRows(perClass.map((p) => ({ ...p, auc: null })));
    expect(columns).toEqual(['precision', 'recall', 'F1', 'sensitivity', 'specificity']);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.values).toHaveLength(5);
  });
});

describe('rowNormalize', () => {
  it('divides each row by its sum; an empty row stays zero', () => {
    expect(
      rowNormalize([
        [3, 1],
        [0, 0],
        [2, 2],
      ]),
    ).toEqual([
      [0.75, 0.25],
      [0, 0],
      [0.5, 0.5],
    ]);
  });
});

describe('confusionCells', () => {
  const matrix = [
    [3, 1],
    [2, 4],
  ];
  it('writes counts, marks the diagonal and builds the hover text', () => {
    const cells = confusionCells(matrix, ['cat', 'dog']);
    expect(cells.map((c) => c.text)).toEqual(['3', '1', '2', '4']);
    expect(cells.map((c) => c.diagonal)).toEqual([true, false, false, true]);
    expect(cells[1]?.title).toBe('true cat → predicted dog: 1 (25.0%)');
    expect(cells[2]?.title).toBe('true dog → predicted cat: 2 (33.3%)');
    // The largest count gets the darkest fill.
    expect(cells[3]?.fill).toBe(sequentialColor(1));
    expect(cells[0]?.fill).toBe(sequentialColor(0.75));
  });

  it('shows row percentages in the normalised view', () => {
    const cells = confusionCells(matrix, ['cat', 'dog'], 'normalized');
    expect(cells.map((c) => c.text)).toEqual(['75.0%', '25.0%', '33.3%', '66.7%']);
    expect(cells[3]?.fraction).toBeCloseTo(4 / 6, 12);
    expect(cells[3]?.fill).toBe(sequentialColor(4 / 6));
  });

  it('leaves zero cells white with faint text', () => {
    const cells = confusionCells(
      [
        [2, 0],
        [0, 2],
      ],
      ['a', 'b'],
    );
    expect(cells[1]?.fill).toBe('#ffffff');
    expect(cells[1]?.title).toBe('true a → predicted b: 0 (0.0%)');
    const normalized = confusionCells(
      [
        [2, 0],
        [0, 2],
      ],
      ['a', 'b'],
      'normalized',
    );
    expect(normalized.map((c) => c.text)).toEqual(['100.0%', '0%', '0%', '100.0%']);
  });
});

describe('rocSeries', () => {
  it('sorts by AUC (best first, missing last), formats the legend and drops non-finite points', () => {
    const out = rocSeries([
      { label: 'a', auc: 0.75, fpr: [0, 0.5, 1], tpr: [0, 1, 1] },
      { label: 'b', auc: 0.9, fpr: [0, 1], tpr: [0, 1] },
      { label: 'c', auc: null, fpr: [Number.NaN, Number.NaN], tpr: [0, 1] },
      { label: 'd', auc: 0.75, fpr: [0, 1], tpr: [0, 1] },
    ]);
    expect(out.map((s) => s.label)).toEqual(['b', 'a', 'd', 'c']);
    expect(out.map((s) => s.legend)).toEqual([
      'b (AUC 0.900)',
      'a (AUC 0.750)',
      'd (AUC 0.750)',
      'c (AUC —)',
    ]);
    expect(out[1]?.points).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 1 },
      { x: 1, y: 1 },
    ]);
    expect(out[3]?.points).toEqual([]);
  });
});

describe('reliabilityBars', () => {
  it('computes shares and gaps and leaves empty bins without a bar', () => {
    const bars = reliabilityBars([
      { binLower: 0.5, binUpper: 1, confidence: 0.8, accuracy: 0.75, count: 4 },
      { binLower: 0, binUpper: 0.25, confidence: null, accuracy: null, count: 0 },
      { binLower: 0.25, binUpper: 0.5, confidence: 0.4, accuracy: 0.5, count: 1 },
    ]);
    expect(bars.map((b) => b.x0)).toEqual([0, 0.25, 0.5]);
    expect(bars[0]).toMatchObject({
      accuracy: null,
      confidence: null,
      gap: null,
      share: 0,
      title: 'confidence 0.00–0.25: no samples',
    });
    expect(bars[1]?.share).toBeCloseTo(0.2, 12);
    expect(bars[1]?.gap).toBeCloseTo(0.1, 12);
    expect(bars[2]?.share).toBeCloseTo(0.8, 12);
    expect(bars[2]?.gap).toBeCloseTo(-0.05, 12);
    expect(bars[2]?.title).toBe(
      'confidence 0.50–1.00: accuracy 75.0%, mean confidence 80.0%, 4 samples',
    );
  });
});

describe('top-k', () => {
  it('sorts points by k and labels them', () => {
    expect(
      topKPoints([
        { k: 2, accuracy: 0.9 },
        { k: 1, accuracy: 0.8 },
      ]),
    ).toEqual([
      { step: 1, value: 0.8 },
      { step: 2, value: 0.9 },
    ]);
    expect(topKLabel(3, 0.94)).toBe('top-3 94.0%');
  });
});
