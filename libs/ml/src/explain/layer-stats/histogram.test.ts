import { describe, expect, it } from 'vitest';
import fixture from './fixtures/histograms.json';
import {
  BAND_PERCENTILES,
  histogram,
  percentiles,
  percentilesOfSorted,
  summarizeValues,
} from './histogram';

// Frozen by fixtures/make_layer_stats_fixture.py: np.histogram(values, bins) and
// np.percentile(values, BAND) (numpy 1.24, default 'linear' method) on float64 copies of float32 values.
describe('histogram against numpy', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: counts equal np.histogram's, edges within 1e-6, percentiles np.percentile's`, () => {
      const h = histogram(c.values, c.bins);
      expect(h.counts).toEqual(c.counts);
      expect(h.edges).toHaveLength(c.edges.length);
      h.edges.forEach((e, i) => expect(Math.abs(e - c.edges[i]!)).toBeLessThanOrEqual(1e-6));
      const sorted = Float64Array.from(c.values).sort();
      const p = percentilesOfSorted(sorted, fixture.percentiles);
      p.forEach((v, i) => expect(v).toBeCloseTo(c.percentiles[i]!, 12));
      // Without sorting (bucketed order statistics): the very same numbers.
      expect(percentiles(c.values, fixture.percentiles)).toEqual(p);
    });
  }

  it('puts a value on an inner edge in the bin to its right and the max in the last bin', () => {
    // Bins of [0, 1, 2, 3]: 1 opens bin 1, 3 closes bin 2.
    expect(histogram([0, 1, 1, 2, 3], 3)).toEqual({ counts: [1, 2, 2], edges: [0, 1, 2, 3] });
  });

  it('spans [0, 1] when empty and v ± 0.5 when constant', () => {
    expect(histogram([], 2)).toEqual({ counts: [0, 0], edges: [0, 0.5, 1] });
    expect(histogram([2, 2], 2)).toEqual({ counts: [0, 2], edges: [1.5, 2, 2.5] });
  });

  it('refuses bad bins and non-finite values, naming them', () => {
    expect(() => histogram([1], 0)).toThrow(/bins must be a positive integer, got 0/);
    expect(() => histogram([1, NaN], 3)).toThrow(/value 1 is NaN/);
    expect(() => percentilesOfSorted([], [50])).toThrow(/empty/);
    expect(() => percentilesOfSorted([1], [101])).toThrow(/101 is outside/);
  });
});

describe('summarizeValues', () => {
  it('gives the band, mean and L2 norm by hand', () => {
    const s = summarizeValues(Float32Array.from([3, -4, 0, 1, 0]), { bins: 7 });
    expect(s.count).toBe(5);
    expect(s.min).toBe(-4);
    expect(s.max).toBe(3);
    expect(s.mean).toBeCloseTo(0, 12);
    expect(s.l2).toBeCloseTo(Math.sqrt(26), 12);
    // Sorted [-4, 0, 0, 1, 3]: p50 = 0, p84 = index 3.36 -> 1 + 0.36 * 2 = 1.72.
    expect(s.band[BAND_PERCENTILES.indexOf(50)]).toBe(0);
    expect(s.band[BAND_PERCENTILES.indexOf(84)]).toBeCloseTo(1.72, 6);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('finds exact order statistics without sorting, with ties and outliers', () => {
    // An LCG: a fixed pseudo-random array of 100,003 values, many repeated, one far out.
    let x = 12345;
    const values = Float32Array.from({ length: 100_003 }, (_, i) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return i === 7 ? 1e6 : Math.round((x / 2 ** 32) * 1000) / 1000 - 0.5;
    });
    const ps = [0, 0.1, 7, 16, 31, 50, 69, 84, 93, 99.9, 100];
    const sorted = values.slice().sort();
    expect(percentiles(values, ps)).toEqual(percentilesOfSorted(sorted, ps));
    expect(summarizeValues(values).band).toEqual(percentilesOfSorted(sorted, BAND_PERCENTILES));
  });
});
