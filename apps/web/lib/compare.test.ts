import { bestFromSummary } from '@convscope/viz';
import { describe, expect, it } from 'vitest';
import {
  compareHref,
  deltaTone,
  formatDelta,
  metricChoices,
  metricValue,
  parseCompareIds,
  type ComparedRun,
} from './compare';

const run = (summary: ComparedRun['summary']): ComparedRun => ({
  id: 'r',
  name: 'r',
  status: 'COMPLETED',
  project: { name: 'p' },
  hyperparameters: {},
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
