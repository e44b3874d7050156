import { describe, expect, it } from 'vitest';
import { parseSweepConfig, type SweepConfig } from './config';
import { enumerateGrid, gridSize, plannedRuns, randomPoint, suggest } from './search';

function config(text: string): SweepConfig {
  const r = parseSweepConfig(text);
  if (!r.ok) throw new Error(r.problem.message);
  return r.config;
}

const grid = config(`
method: grid
metric: { name: val_accuracy, goal: maximize }
parameters:
  optimizer: { values: [adam, sgd] }
  batchSize: { values: [16, 32, 64] }
  epochs: { value: 2 }
budget: { maxRuns: 100 }
`);

const random = config(`
method: random
metric: { name: val_accuracy, goal: maximize }
parameters:
  learningRate: { min: 0.001, max: 1, distribution: log_uniform }
  dropout: { min: 0.1, max: 0.5 }
  batchSize: { min: 2, max: 4, distribution: int_uniform }
  optimizer: { values: [adam, sgd, rmsprop] }
budget: { maxRuns: 1000 }
seed: 3
`);

describe('grid', () => {
  it('enumerates every combination once, the last parameter fastest', () => {
    expect(gridSize(grid)).toBe(6);
    expect(enumerateGrid(grid)).toEqual([
      { optimizer: 'adam', batchSize: 16, epochs: 2 },
      { optimizer: 'adam', batchSize: 32, epochs: 2 },
      { optimizer: 'adam', batchSize: 64, epochs: 2 },
      { optimizer: 'sgd', batchSize: 16, epochs: 2 },
      { optimizer: 'sgd', batchSize: 32, epochs: 2 },
      { optimizer: 'sgd', batchSize: 64, epochs: 2 },
    ]);
  });

  it('stops at the grid or the budget, whichever is smaller', () => {
    expect(plannedRuns(grid)).toBe(6);
    expect(suggest(grid, 5)).toEqual({ optimizer: 'sgd', batchSize: 64, epochs: 2 });
    expect(suggest(grid, 6)).toBeNull();
    const small = { ...grid, budget: { maxRuns: 4, parallel: 1 } };
    expect(plannedRuns(small)).toBe(4);
    expect(suggest(small, 4)).toBeNull();
  });
});

describe('random', () => {
  it('is deterministic per (seed, index) and differs across seeds', () => {
    expect(randomPoint(random, 5)).toEqual(randomPoint(random, 5));
    expect(randomPoint(random, 5)).not.toEqual(randomPoint(random, 6));
    expect(randomPoint(random, 5)).not.toEqual(randomPoint({ ...random, seed: 4 }, 5));
  });

  it('draws within the ranges with the asked distributions', () => {
    const points = Array.from({ length: 2000 }, (_, i) => randomPoint(random, i));
    expect(suggest(random, 999)).toEqual(points[999]);
    expect(suggest(random, 1000)).toBeNull();
    const lr = points.map((p) => p?.learningRate as number);
    const dropout = points.map((p) => p?.dropout as number);
    const bs = points.map((p) => p?.batchSize as number);
    expect(Math.min(...lr)).toBeGreaterThanOrEqual(0.001);
    expect(Math.max(...lr)).toBeLessThanOrEqual(1);
    // log-uniform on [1e-3, 1]: a third of the draws in each decade.
    const decade = lr.filter((v) => v < 0.01).length / lr.length;
    expect(decade).toBeGreaterThan(0.28);
    expect(decade).toBeLessThan(0.39);
    // uniform on [0.1, 0.5]: half below 0.3.
    const low = dropout.filter((v) => v < 0.3).length / dropout.length;
    expect(low).toBeGreaterThan(0.45);
    expect(low).toBeLessThan(0.55);
    // int_uniform on [2, 4]: each integer about a third, both ends included.
    for (const v of [2, 3, 4]) {
      const share = bs.filter((b) => b === v).length / bs.length;
      expect(share).toBeGreaterThan(0.28);
      expect(share).toBeLessThan(0.39);
    }
    expect(bs.every((b) => Number.isInteger(b))).toBe(true);
    expect(new Set(points.map((p) => p?.optimizer))).toEqual(new Set(['adam', 'sgd', 'rmsprop']));
  });
});
