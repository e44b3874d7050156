import { describe, expect, it } from 'vitest';
import { compareValues, sortRows } from './sort';

describe('compareValues', () => {
  it('puts missing values last in both directions', () => {
    expect(compareValues(null, 1, 'asc')).toBe(1);
    expect(compareValues(null, 1, 'desc')).toBe(1);
    expect(compareValues(NaN, undefined)).toBe(0);
  });
  it('compares strings naturally and case-insensitively', () => {
    expect(compareValues('run-2', 'Run-10')).toBeLessThan(0);
    expect(compareValues(new Date(2), new Date(1), 'desc')).toBeLessThan(0);
  });
});

describe('sortRows', () => {
  const rows = [
    { id: 'a', acc: 0.8 },
    { id: 'b', acc: null },
    { id: 'c', acc: 0.9 },
    { id: 'd', acc: 0.8 },
  ];
  it('sorts descending with missing last and keeps ties stable', () => {
    expect(sortRows(rows, (r) => r.acc, 'desc').map((r) => r.id)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRows(rows, (r) => r.acc, 'asc').map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
  });
  it('does not mutate its input', () => {
    sortRows(rows, (r) => r.id, 'desc');
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
