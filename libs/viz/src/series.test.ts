import { describe, expect, it } from 'vitest';
import { alignSteps, nearestIndex, pairTrainValidation } from './series';

const s = (name: string, pairs: [number, number][]) => ({
  name,
  points: pairs.map(([step, value]) => ({ step, value })),
});

describe('pairTrainValidation', () => {
  it('pairs loss with val_loss and accuracy with val_accuracy, loss first', () => {
    const pairs = pairTrainValidation([
      s('val_accuracy', []),
      s('accuracy', []),
      s('val_loss', []),
      s('loss', []),
      s('lr', []),
    ]);
    expect(pairs.map((p) => [p.key, p.train?.name, p.validation?.name])).toEqual([
      ['loss', 'loss', 'val_loss'],
      ['accuracy', 'accuracy', 'val_accuracy'],
      ['lr', 'lr', undefined],
    ]);
  });

  it('keeps a validation-only metric as a one-sided pair', () => {
    const pairs = pairTrainValidation([s('val_top5', [[1, 0.5]])]);
    expect(pairs).toHaveLength(1);
    const [pair] = pairs;
    expect(pair?.key).toBe('top5');
    expect(pair?.train).toBeUndefined();
    expect(pair?.validation?.points).toEqual([{ step: 1, value: 0.5 }]);
  });

  it('treats a bare "val_" as an ordinary metric name', () => {
    expect(pairTrainValidation([s('val_', [])])[0]).toMatchObject({
      key: 'val_',
      train: { name: 'val_' },
    });
  });
});

describe('alignSteps', () => {
  it('unions steps in ascending order with null where a series has no point', () => {
    const rows = alignSteps([
      s('loss', [
        [3, 0.5],
        [1, 0.9],
        [2, 0.7],
      ]),
      s('val_loss', [
        [2, 0.8],
        [4, 0.6],
      ]),
    ]);
    expect(rows).toEqual([
      { step: 1, values: [0.9, null] },
      { step: 2, values: [0.7, 0.8] },
      { step: 3, values: [0.5, null] },
      { step: 4, values: [null, 0.6] },
    ]);
  });

  it('lets the last value win on a repeated step', () => {
    expect(
      alignSteps([
        s('a', [
          [1, 1],
          [1, 2],
        ]),
      ]),
    ).toEqual([{ step: 1, values: [2] }]);
  });
});

describe('nearestIndex', () => {
  const pts = [{ step: 0 }, { step: 10 }, { step: 20 }];
  it('finds the closest step, ties to the earlier point', () => {
    expect(nearestIndex(pts, -5)).toBe(0);
    expect(nearestIndex(pts, 4)).toBe(0);
    expect(nearestIndex(pts, 5)).toBe(0);
    expect(nearestIndex(pts, 6)).toBe(1);
    expect(nearestIndex(pts, 16)).toBe(2);
    expect(nearestIndex(pts, 99)).toBe(2);
  });
  it('returns -1 for no points', () => {
    expect(nearestIndex([], 3)).toBe(-1);
  });
});
