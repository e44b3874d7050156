import { describe, expect, it } from 'vitest';
import { parameterImportance, pearson } from './importance';
import { mulberry32 } from './search';

describe('pearson', () => {
  it('matches numpy.corrcoef', () => {
    const y = [0.61, 0.72, 0.55, 0.66, 0.7];
    // np.corrcoef(x, y)[0, 1]
    expect(pearson([0.001, 0.01, 0.1, 0.003, 0.03], y)).toBeCloseTo(-0.6573451645604083, 12);
    expect(pearson([16, 32, 64, 128, 256], y)).toBeCloseTo(0.3810170211150511, 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
  });

  it('is null where undefined', () => {
    expect(pearson([1], [2])).toBeNull();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('parameterImportance', () => {
  it('finds the one parameter the metric depends on', () => {
    const next = mulberry32(1);
    const samples = Array.from({ length: 60 }, () => {
      const lr = next();
      const noise1 = next();
      const noise2 = next() * 100;
      const opt = next() < 0.5 ? 'adam' : 'sgd';
      return { params: { lr, noise1, noise2, opt }, metric: 1 - (lr - 0.3) ** 2 };
    });
    const table = parameterImportance(['noise1', 'lr', 'noise2', 'opt'], samples);
    expect(table[0]?.name).toBe('lr');
    expect(table[0]?.importance).toBeGreaterThan(0.8);
    const sum = table.reduce((s, r) => s + (r.importance ?? 0), 0);
    expect(sum).toBeCloseTo(1, 9);
    // Strings get no correlation; numbers get Pearson's.
    expect(table.find((r) => r.name === 'opt')?.correlation).toBeNull();
    const lr = samples.map((s) => s.params.lr);
    expect(table[0]?.correlation).toBeCloseTo(
      pearson(
        lr,
        samples.map((s) => s.metric),
      ) as number,
      12,
    );
    // Deterministic for the same runs.
    expect(parameterImportance(['noise1', 'lr', 'noise2', 'opt'], samples)).toEqual(table);
  });

  it('ranks a categorical parameter when it drives the metric', () => {
    const next = mulberry32(9);
    const samples = Array.from({ length: 40 }, () => {
      const opt = ['adam', 'sgd', 'rmsprop'][Math.floor(next() * 3)] as string;
      const x = next();
      return { params: { opt, x }, metric: opt === 'sgd' ? 0.2 : 0.9 };
    });
    const table = parameterImportance(['x', 'opt'], samples);
    expect(table[0]?.name).toBe('opt');
    expect(table[0]?.importance).toBeGreaterThan(0.8);
  });

  it('fits no forest on too few runs, and skips runs without a metric', () => {
    const table = parameterImportance(
      ['a'],
      [
        { params: { a: 1 }, metric: 1 },
        { params: { a: 2 }, metric: 2 },
        { params: { a: 3 }, metric: Number.NaN },
      ],
    );
    expect(table).toEqual([{ name: 'a', correlation: 1, importance: null }]);
  });
});
