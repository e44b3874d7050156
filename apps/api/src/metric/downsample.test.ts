import { describe, expect, it } from 'vitest';
import { bucketStart, downsampleMinMax, minMaxBucketCount, minMaxSeriesSql } from './downsample';

const series = (values: number[]) => values.map((value, step) => ({ step, value }));

describe('downsampleMinMax', () => {
  it('returns short series unchanged (as a copy)', () => {
    const s = series([3, 1, 2]);
    const out = downsampleMinMax(s, 10);
    expect(out).toEqual(s);
    expect(out).not.toBe(s);
  });

  it('keeps first, last and the global extremes, within the budget, in step order', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 500) + (i % 7) * 0.01);
    values[12_345] = 42; // spike
    values[77_777] = -42; // dip
    const s = series(values);
    const out = downsampleMinMax(s, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.length).toBeGreaterThan(900);
    expect(out[0]).toBe(s[0]);
    expect(out[out.length - 1]).toBe(s[s.length - 1]);
    expect(out.map((p) => p.step)).toContain(12_345);
    expect(out.map((p) => p.step)).toContain(77_777);
    for (let i = 1; i < out.length; i++)
      expect(out[i]?.step).toBeGreaterThan(out[i - 1]?.step ?? Infinity);
  });

  it('keeps the min and max of every bucket', () => {
    const values = Array.from({ length: 1002 }, (_, i) => (i * 7919) % 1000);
    const s = series(values);
    const out = downsampleMinMax(s, 12); // 5 buckets of 200 interior points
    const kept = new Set(out.map((p) => p.step));
    for (let b = 0; b < 5; b++) {
      const bucket = s.slice(1 + b * 200, 1 + (b + 1) * 200);
      const min = bucket.reduce((a, p) => (p.value < a.value ? p : a));
      const max = bucket.reduce((a, p) => (p.value > a.value ? p : a));
      expect(kept.has(min.step)).toBe(true);
      expect(kept.has(max.step)).toBe(true);
    }
  });

  it('is deterministic', () => {
    const s = series(Array.from({ length: 5000 }, (_, i) => Math.cos(i) * i));
    expect(downsampleMinMax(s, 100)).toEqual(downsampleMinMax(s, 100));
  });

  it('handles tiny budgets and rejects invalid ones', () => {
    const s = series([5, 1, 9, 2, 7]);
    expect(downsampleMinMax(s, 2)).toEqual([s[0], s[4]]);
    expect(downsampleMinMax(s, 3)).toEqual([s[0], s[4]]);
    expect(downsampleMinMax(s, 4)).toEqual([s[0], s[1], s[2], s[4]]);
    expect(() => downsampleMinMax(s, 1)).toThrow(RangeError);
    expect(() => downsampleMinMax(s, 2.5)).toThrow(RangeError);
  });

  it('puts each interior index in the bucket the SQL computes: floor((i * B - 1) / (n - 2))', () => {
    for (let n = 3; n <= 120; n++) {
      for (let buckets = 1; buckets <= 40; buckets++) {
        for (let b = 0; b < buckets; b++) {
          for (let i = bucketStart(b, n - 2, buckets); i < bucketStart(b + 1, n - 2, buckets); i++)
            expect(Math.floor((i * buckets - 1) / (n - 2)), `n ${n}, B ${buckets}, i ${i}`).toBe(b);
        }
      }
    }
  });

  it('writes the SQL from the same bucket count', () => {
    expect(minMaxBucketCount(2)).toBe(0);
    expect(minMaxBucketCount(1000)).toBe(499);
    const sql = minMaxSeriesSql({ maxPoints: 1000, where: '"runId" = ?' });
    expect(sql).toContain('(i * 499 - 1) / (n - 2)');
    expect(sql).toContain('n <= 1000');
    expect(sql).toContain('WHERE "runId" = ?');
    // No buckets: only the ends survive.
    expect(minMaxSeriesSql({ maxPoints: 3, where: 'TRUE' })).toContain('ELSE NULL END');
    expect(() => minMaxSeriesSql({ maxPoints: 1, where: 'TRUE' })).toThrow(RangeError);
  });
});
