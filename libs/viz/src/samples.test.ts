import { describe, expect, it } from 'vitest';
import { confidentMistakes, pixelScale, topClasses } from './samples';

describe('topClasses', () => {
  it('returns the k most probable classes, highest first', () => {
    expect(topClasses([0.1, 0.05, 0.6, 0.2, 0.05])).toEqual([
      { index: 2, probability: 0.6 },
      { index: 3, probability: 0.2 },
      { index: 0, probability: 0.1 },
    ]);
  });

  it('breaks ties by the lower class index, so the first is the argmax', () => {
    expect(topClasses([0.25, 0.25, 0.25, 0.25], 2).map((c) => c.index)).toEqual([0, 1]);
    expect(topClasses([0.1, 0.45, 0.45], 1)).toEqual([{ index: 1, probability: 0.45 }]);
  });

  it('handles fewer classes than k, k = 0 and non-finite values', () => {
    expect(topClasses([0.3, 0.7]).map((c) => c.index)).toEqual([1, 0]);
    expect(topClasses([0.3, 0.7], 0)).toEqual([]);
    expect(
      topClasses([Number.NaN, 0.2, Number.POSITIVE_INFINITY, 0.8]).map((c) => c.index),
    ).toEqual([3, 1]);
  });
});

describe('confidentMistakes', () => {
  const p = (index: number, label: number, predicted: number, confidence: number) => ({
    index,
    label,
    predicted,
    confidence,
  });

  it('keeps only mistakes, most confident first, ties by index', () => {
    const list = [
      p(0, 1, 1, 0.99),
      p(1, 0, 2, 0.6),
      p(2, 3, 0, 0.9),
      p(3, 2, 1, 0.6),
      p(4, 1, 0, 0.7),
    ];
    expect(confidentMistakes(list).map((x) => x.index)).toEqual([2, 4, 1, 3]);
    // The input is not reordered.
    expect(list.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('pixelScale', () => {
  it('picks the largest integer scale that fits the target', () => {
    expect(pixelScale(28, 28, 96)).toBe(3);
    expect(pixelScale(28, 28, 112)).toBe(4);
    expect(pixelScale(32, 16, 100)).toBe(3);
  });

  it('stays within [1, max]', () => {
    expect(pixelScale(224, 224, 96)).toBe(1);
    expect(pixelScale(2, 2, 1000)).toBe(16);
    expect(pixelScale(2, 2, 1000, 8)).toBe(8);
    expect(pixelScale(0, 0, 96)).toBe(1);
  });
});
