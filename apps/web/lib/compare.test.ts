import { bestFromSummary } from '@convscope/viz';
import { describe, expect, it } from 'vitest';
import {
  batchSeriesOnCommonX,
  batchSizeOf,
  compareHref,
  deltaTone,
  differsFromBaseline,
  formatDelta,
  metricChoices,
  metricValue,
  parseCompareIds,
  perClassAgainst,
  resolveBaseline,
  type ComparedRun,
  type Comparison,
} from './compare';

const run = (summary: ComparedRun['summary']): ComparedRun => ({
  id: 'r',
  name: 'r',
  status: 'COMPLETED',
  project: { name: 'p' },
  hyperparameters: {},
  reproducibility: null,
  summary,
});

describe('compare helpers', () => {
  it('parses ?runs= into distinct trimmed ids and builds the URL back', () => {
    expect(parseCompareIds(' a, b,,a ,c')).toEqual(['a', 'b', 'c']);
    expect(parseCompareIds(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(parseCompareIds(undefined)).toEqual([]);
    expect(compareHref(['a', 'b c'])).toBe('/compare?runs=a,b%20c');
    expect(compareHref([])).toBe('/compare');
  });
  it('tones and formats per-class deltas (higher is better)', () => {
    expect(deltaTone(0.1)).toBe('better');
    expect(deltaTone(-0.02)).toBe('worse');
    expect(deltaTone(0.0001)).toBe('same');
    expect(deltaTone(null)).toBeNull();
    expect(formatDelta(0.1)).toBe('+0.100');
    expect(formatDelta(-0.0437)).toBe('−0.044');
    expect(formatDelta(0.0001)).toBe('±0.000');
  });
  it('offers best/final choices of every metric and reads their values', () => {
    const r = run([
      { name: 'val_loss', last: 0.4, lastStep: 8, min: 0.35, max: 1.2, count: 8 },
      { name: 'val_accuracy', last: 0.86, lastStep: 8, min: 0.6, max: 0.87, count: 8 },
    ]);
    expect(metricChoices([r])).toEqual([
      'best.val_accuracy',
      'best.val_loss',
      'final.val_accuracy',
      'final.val_loss',
    ]);
    expect(metricValue(r, 'best.val_accuracy', bestFromSummary)).toBe(0.87);
    expect(metricValue(r, 'best.val_loss', bestFromSummary)).toBe(0.35);
    expect(metricValue(r, 'final.val_loss', bestFromSummary)).toBe(0.4);
    expect(metricValue(r, 'final.loss', bestFromSummary)).toBeNull();
  });
});

describe('the baseline', () => {
  const runs = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('is the requested run when it is compared, else the first', () => {
    expect(resolveBaseline(runs, 'b')).toBe('b');
    expect(resolveBaseline(runs, 'zz')).toBe('a');
    expect(resolveBaseline(runs, null)).toBe('a');
    expect(resolveBaseline([], 'a')).toBeNull();
  });

  it('travels in the URL only when it is not the first run', () => {
    expect(compareHref(['a', 'b'], { baseline: 'b' })).toBe('/compare?runs=a,b&baseline=b');
    expect(compareHref(['a', 'b'], { baseline: 'a' })).toBe('/compare?runs=a,b');
    // A removed baseline is dropped: the comparison falls back to its first run.
    expect(compareHref(['a', 'c'], { baseline: 'b' })).toBe('/compare?runs=a,c');
    expect(compareHref(['a', 'b c'], { baseline: 'b c' })).toBe(
      '/compare?runs=a,b%20c&baseline=b%20c',
    );
  });

  const perClass: Comparison['perClass'] = [
    {
      label: 'Coat',
      metrics: [
        { runId: 'a', precision: 0.9, recall: 0.8, f1: 0.85 },
        { runId: 'b', precision: 0.7, recall: 0.7, f1: null },
        { runId: 'c', precision: 0.95, recall: 0.65, f1: 0.75 },
      ],
      // As the API sends them: against the first run.
      deltas: [],
    },
  ];

  it('recomputes per-class deltas against the chosen run (float noise rounded away)', () => {
    const [coat] = perClassAgainst(perClass, 'b');
    expect(coat?.deltas).toEqual([
      { runId: 'a', precision: 0.2, recall: 0.1, f1: null },
      { runId: 'b', precision: 0, recall: 0, f1: null },
      { runId: 'c', precision: 0.25, recall: -0.05, f1: null },
    ]);
    const [againstA] = perClassAgainst(perClass, 'a');
    expect(againstA?.deltas[2]).toEqual({ runId: 'c', precision: 0.05, recall: -0.15, f1: -0.1 });
    expect(againstA?.metrics).toBe(perClass[0]?.metrics);
    // An unknown baseline has nothing to measure against.
    expect(perClassAgainst(perClass, 'zz')[0]?.deltas.every((d) => d.precision === null)).toBe(
      true,
    );
  });

  it("marks hyperparameter values that differ from the baseline's", () => {
    expect(differsFromBaseline([0.001, 0.01, 0.001], 0)).toEqual([false, true, false]);
    expect(differsFromBaseline([0.001, 0.01, 0.001], 1)).toEqual([true, false, true]);
    // Missing equals missing; objects compare by content, not key order.
    expect(differsFromBaseline([null, undefined, 3], 0)).toEqual([false, false, true]);
    expect(differsFromBaseline([{ a: 1, b: [2] }, { b: [2], a: 1 }, { a: 1 }], 0)).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe('batch-level curves on a common x', () => {
  it('reads the batch size from batchSize, batch_size or a nested/dotted key', () => {
    expect(batchSizeOf({ batchSize: 64 })).toBe(64);
    expect(batchSizeOf({ batch_size: 32 })).toBe(32);
    expect(batchSizeOf({ 'training.batchSize': 16 })).toBe(16);
    expect(batchSizeOf({ training: { batch_size: 8 } })).toBe(8);
    expect(batchSizeOf({ batchSize: 0 })).toBeNull();
    expect(batchSizeOf({ batchSize: '64' })).toBeNull();
    expect(batchSizeOf(null)).toBeNull();
  });

  // Every point carries its time (MetricPointFields); shaping keeps it.
  const T = '2026-01-01T00:00:00.000Z';
  const series = [
    {
      runId: 'a',
      downsampled: false,
      points: [
        { step: 20, value: 1, time: T },
        { step: 40, value: 0.8, time: T },
      ],
    },
    { runId: 'b', downsampled: false, points: [{ step: 20, value: 0.9, time: T }] },
    { runId: 'c', downsampled: false, points: [] },
  ];

  it('puts x at samples seen = step × batch size of each run', () => {
    const runs = [
      { id: 'a', hyperparameters: { batchSize: 64 } },
      { id: 'b', hyperparameters: { batch_size: 128 } },
      // A run without points needs no batch size.
      { id: 'c', hyperparameters: {} },
    ];
    const { series: out, axis } = batchSeriesOnCommonX(series, runs);
    expect(axis).toEqual({ unit: 'samples', label: 'samples seen (step × batch size)' });
    expect(out.map((s) => s.points)).toEqual([
      [
        { step: 1280, value: 1, time: T },
        { step: 2560, value: 0.8, time: T },
      ],
      [{ step: 2560, value: 0.9, time: T }],
      [],
    ]);
  });

  it('keeps the raw step, and says so, when a plotted run has no batch size', () => {
    const runs = [
      { id: 'a', hyperparameters: { batchSize: 64 } },
      { id: 'b', hyperparameters: {} },
    ];
    const { series: out, axis } = batchSeriesOnCommonX(series, runs);
    expect(out).toBe(series);
    expect(axis).toEqual({
      unit: 'step',
      label: 'batch (batch sizes unknown: not comparable across runs)',
    });
  });
});
