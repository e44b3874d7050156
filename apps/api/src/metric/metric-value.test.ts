import { describe, expect, it } from 'vitest';
import { resolveMaxPoints, sameMetricValue } from './metric.service';

describe('sameMetricValue', () => {
  it('treats a 16-digit round trip as the same value', () => {
    expect(sameMetricValue(0.1666666666666667, 1 / 6)).toBe(true);
    expect(sameMetricValue(0, 0)).toBe(true);
    expect(sameMetricValue(-2.5e-300, -2.5e-300)).toBe(true);
  });

  it('treats real differences as conflicts', () => {
    expect(sameMetricValue(0.5, 0.55)).toBe(false);
    expect(sameMetricValue(1, 1 + 1e-12)).toBe(false);
    expect(sameMetricValue(0, 1e-300)).toBe(false);
  });
});

describe('resolveMaxPoints', () => {
  it('defaults to 1000 and rejects values below 2', () => {
    expect(resolveMaxPoints(undefined)).toBe(1000);
    expect(resolveMaxPoints(50)).toBe(50);
    expect(() => resolveMaxPoints(1)).toThrow(/maxPoints/);
  });
});
