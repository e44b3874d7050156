import { describe, expect, it } from 'vitest';
import { phaseMarkers } from './markers';

describe('phaseMarkers', () => {
  it('marks the head / fine-tune boundary halfway between the two epochs', () => {
    const points = [1, 2, 3, 4, 5].map((step) => ({ step, value: step <= 3 ? 0 : 1 }));
    expect(phaseMarkers(points)).toEqual([{ step: 3.5, before: 'head', after: 'fine-tune' }]);
  });

  it('accepts points in any order, skips non-finite ones, names unknown codes', () => {
    const points = [
      { step: 4, value: 2 },
      { step: 1, value: 0 },
      { step: 3, value: NaN },
      { step: 2, value: 1 },
    ];
    expect(phaseMarkers(points)).toEqual([
      { step: 1.5, before: 'head', after: 'fine-tune' },
      { step: 3, before: 'fine-tune', after: 'phase 2' },
    ]);
    expect(phaseMarkers(points, { 0: 'a', 1: 'b', 2: 'c' }).map((m) => m.after)).toEqual([
      'b',
      'c',
    ]);
  });

  it('has no marker for a single phase or no points', () => {
    expect(phaseMarkers([1, 2, 3].map((step) => ({ step, value: 0 })))).toEqual([]);
    expect(phaseMarkers([])).toEqual([]);
  });
});
