import { describe, expect, it } from 'vitest';
import { tileImages } from './png';
import { selectPackSamples } from './samples';

describe('selectPackSamples', () => {
  // 3 classes, 12 samples; mistakes at 2 (conf .9), 7 (conf .6) and 10 (conf .95).
  const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
  const predicted = [0, 1, 0, 0, 1, 2, 0, 2, 2, 0, 0, 2];
  const confidence = [0.5, 0.6, 0.9, 0.8, 0.9, 0.7, 0.4, 0.6, 0.95, 0.3, 0.95, 0.2];

  it('takes the most confident mistakes, then one correct sample per uncovered class', () => {
    // floor(4 / 4) = 1 mistake: sample 10 (label 1), then classes 0 and 2 by confidence: 3 and 8.
    expect(selectPackSamples(labels, predicted, confidence, 4)).toEqual(
      [3, 8, 10, 2].sort((a, b) => a - b),
    );
    expect(selectPackSamples(labels, predicted, confidence, 3)).toEqual([3, 8, 10]);
  });

  it('covers every class, includes a mistake, is deterministic and bounded by the split', () => {
    const picked = selectPackSamples(labels, predicted, confidence, 6);
    expect(picked).toHaveLength(6);
    expect(new Set(picked.map((i) => labels[i]))).toEqual(new Set([0, 1, 2]));
    expect(picked.some((i) => labels[i] !== predicted[i])).toBe(true);
    expect(selectPackSamples(labels, predicted, confidence, 6)).toEqual(picked);
    expect(selectPackSamples(labels, predicted, confidence, 50)).toHaveLength(12);
    expect(selectPackSamples(labels, predicted, confidence, 0)).toEqual([]);
  });
});

describe('tileImages', () => {
  it('tiles images row-major with 1-pixel white padding', () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    const b = Uint8Array.from([5, 6, 7, 8]);
    const c = Uint8Array.from([9, 9, 9, 9]);
    const t = tileImages([a, b, c], 2, 2, 1);
    expect([t.columns, t.rows, t.width, t.height]).toEqual([2, 2, 7, 7]);
    expect(Array.from(t.pixels.subarray(7, 14))).toEqual([255, 1, 2, 255, 5, 6, 255]);
    expect(Array.from(t.pixels.subarray(28, 35))).toEqual([255, 9, 9, 255, 255, 255, 255]);
  });
});
